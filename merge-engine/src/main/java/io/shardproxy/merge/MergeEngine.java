package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.util.List;
import java.util.Objects;

/**
 * Turns a {@link MergePlan} into a tree of stream operators over the shard streams, one operator
 * per plan node: Concat, MergeSort, Aggregate and GroupAggregate consume the shard streams; Limit,
 * DropColumns, Distinct, Sort and Filter wrap their input. Nothing is read here; operators read on
 * the first columns()/next() and never hold more than one pending row per shard (Aggregate: one
 * row per shard; GroupAggregate: one group; Sort: sortMemoryRows rows, the rest spilled to
 * temporary files). Closing the returned stream closes every shard stream.
 */
public final class MergeEngine {

    private MergeEngine() {
    }

    /**
     * The merged stream. Takes ownership of {@code shards}: they are closed with the returned
     * stream, or before this method throws.
     *
     * @param shards one stream per shard, in shard order; at least one
     */
    public static RowStream merge(MergePlan plan, List<RowStream> shards, MergeOptions options) {
        List<RowStream> inputs = List.copyOf(shards);
        try {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(options, "options");
            if (inputs.isEmpty()) {
                throw new ShardProxyException(SqlState.INTERNAL_ERROR, "a merge needs at least one shard stream");
            }
            return build(plan, inputs, options);
        } catch (RuntimeException e) {
            try {
                Streams.closeAll(inputs);
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e instanceof ShardProxyException ? e : new ShardProxyException(SqlState.INTERNAL_ERROR,
                    "invalid merge plan " + plan + ": " + e.getMessage(), null, null, e);
        }
    }

    private static RowStream build(MergePlan plan, List<RowStream> shards, MergeOptions options) {
        if (plan instanceof MergePlan.Concat) {
            return new ConcatStream(shards);
        }
        if (plan instanceof MergePlan.MergeSort sort) {
            return new MergeSortStream(shards, sort.keys(), options);
        }
        if (plan instanceof MergePlan.Aggregate aggregate) {
            return new AggregateStream(shards, aggregate.columns(), options);
        }
        if (plan instanceof MergePlan.Limit limit) {
            // LIMIT count+offset ran on every shard; OFFSET is applied here, after the merge.
            return new LimitStream(build(limit.input(), shards, options), limit.offset(), limit.count());
        }
        if (plan instanceof MergePlan.DropColumns drop) {
            return new DropColumnsStream(build(drop.input(), shards, options), drop.count());
        }
        if (plan instanceof MergePlan.GroupAggregate group) {
            return new GroupAggregateStream(shards, group, options);
        }
        if (plan instanceof MergePlan.Distinct distinct) {
            return new DistinctStream(build(distinct.input(), shards, options), distinct.columns());
        }
        if (plan instanceof MergePlan.Sort sort) {
            return new SortStream(build(sort.input(), shards, options), sort.keys(), sort.limit(), options);
        }
        if (plan instanceof MergePlan.Filter filter) {
            return new FilterStream(build(filter.input(), shards, options), filter.predicate(), options);
        }
        throw new IllegalArgumentException("unknown plan node " + plan.getClass().getName());
    }
}
