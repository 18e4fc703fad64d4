package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GROUP BY across shards: the shard streams, each sorted by the group keys (and then by the
 * DISTINCT aggregates' argument, ascending with NULLs last, when there is one), are merged by
 * a {@link MergeSortStream}; each run of rows with equal keys becomes one output row. Only the
 * current group's combiners and one look-ahead row are held.
 *
 * <p>The trap: the shards sorted text keys with COLLATE "C", so the merge and the key equality
 * compare text byte-wise whatever the shards' own collation; other types use their PostgreSQL
 * ordering, so keys that are equal but print differently (1.0 and 1.00, -0 and 0) form one group,
 * shown with the bytes of its first row. With no keys there is exactly one group, and one output
 * row even when no shard returns a row.
 */
final class GroupAggregateStream implements RowStream {

    private final MergePlan.GroupAggregate plan;
    private final MergeOptions options;
    private final MergeSortStream merged;
    private List<Column> partials;
    private List<Column> columns;
    private Comparator<byte[][]> sameGroup;
    private byte[][] lookahead;
    private boolean started;
    private boolean done;

    GroupAggregateStream(List<RowStream> shards, MergePlan.GroupAggregate plan, MergeOptions options) {
        this.plan = plan;
        this.options = options;
        List<MergePlan.SortKey> order = new ArrayList<>(plan.keys());
        if (plan.distinctColumn() >= 0) {
            order.add(new MergePlan.SortKey(plan.distinctColumn(), false, false));
        }
        this.merged = new MergeSortStream(shards, order, bytewise(options));
    }

    /** The shards sorted text keys with COLLATE "C": byte order, whatever the shards' collation. */
    private static MergeOptions bytewise(MergeOptions options) {
        return new MergeOptions(true, options.sortMemoryRows(), options.spillDirectory(), options.extraFloatDigits());
    }

    @Override
    public List<Column> columns() {
        if (columns == null) {
            List<Column> shardColumns = merged.columns();
            List<Column> out = new ArrayList<>(plan.columns().size());
            for (PartialCombiner combiner : newCombiners(shardColumns)) {
                out.add(combiner == null ? null : combiner.column());
            }
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i) == null) {
                    int key = ((MergePlan.GroupColumn.Key) plan.columns().get(i)).column();
                    out.set(i, PartialCombiner.partial(shardColumns, key));
                }
            }
            sameGroup = RowOrdering.of(plan.keys(), shardColumns, bytewise(options));
            partials = shardColumns;
            columns = List.copyOf(out);
        }
        return columns;
    }

    /** One combiner per output column, null for a key column. */
    private List<PartialCombiner> newCombiners(List<Column> shardColumns) {
        List<PartialCombiner> combiners = new ArrayList<>(plan.columns().size());
        for (MergePlan.GroupColumn column : plan.columns()) {
            combiners.add(column instanceof MergePlan.GroupColumn.Aggregated aggregated
                    ? PartialCombiner.of(aggregated.aggregate(), shardColumns, options)
                    : null);
        }
        return combiners;
    }

    @Override
    public byte[][] next() {
        columns();
        if (done) {
            return null;
        }
        byte[][] first = started ? lookahead : pull();
        started = true;
        if (first == null && !plan.keys().isEmpty()) {
            done = true;
            return null;
        }
        List<PartialCombiner> combiners = newCombiners(partials);
        byte[][] row = first;
        while (row != null && sameGroup.compare(first, row) == 0) {
            for (PartialCombiner combiner : combiners) {
                if (combiner != null) {
                    combiner.add(row);
                }
            }
            row = pull();
        }
        lookahead = row;
        if (plan.keys().isEmpty()) {
            done = true;
        }
        return output(first, combiners);
    }

    private byte[][] pull() {
        byte[][] row = merged.next();
        if (row != null && row.length != partials.size()) {
            throw new ShardProxyException(SqlState.INTERNAL_ERROR,
                    "a shard returned a row of " + row.length + " columns, expected " + partials.size());
        }
        return row;
    }

    private byte[][] output(byte[][] first, List<PartialCombiner> combiners) {
        byte[][] out = new byte[combiners.size()][];
        for (int i = 0; i < out.length; i++) {
            PartialCombiner combiner = combiners.get(i);
            out[i] = combiner != null ? combiner.result()
                    : first[((MergePlan.GroupColumn.Key) plan.columns().get(i)).column()];
        }
        return out;
    }

    @Override
    public void close() {
        merged.close();
    }
}
