package io.shardproxy.router.plan;

/**
 * One SQL text for one shard.
 *
 * @param shard index of the shard in the config, or {@link #ANY_SHARD}
 * @param sql   the exact text to send: the client's own text unless a rewrite was needed
 */
public record ShardStatement(int shard, String sql) {

    /** Any one shard will do (reference-table reads); the session picks. */
    public static final int ANY_SHARD = -1;
}
