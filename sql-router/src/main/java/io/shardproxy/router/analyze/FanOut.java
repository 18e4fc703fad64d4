package io.shardproxy.router.analyze;

/**
 * How a read runs on several shards: the shard SQL (the client's text with edits) and the merge.
 */
record FanOut(Rewrite rewrite, MergeTemplate merge) {
}
