package io.shardproxy.router.analyze;

import io.shardproxy.merge.MergePlan;

/**
 * The merge of a fan-out read as the cached analysis of its shape knows it: everything but the
 * values that come from one statement's literals (LIMIT, OFFSET, HAVING constants, a
 * string_agg delimiter), which {@link #bind} fills in.
 */
interface MergeTemplate {

    MergePlan bind(Binding b);

    /** The most rows one shard can return for this statement, or -1 when unbounded. */
    long shardRowLimit(Binding b);
}
