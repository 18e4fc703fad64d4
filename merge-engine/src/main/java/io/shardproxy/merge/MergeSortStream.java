package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * k-way merge of shard streams that are each sorted by the keys: a priority queue holds the head
 * row of every shard that has one. Rows pass through as the shards sent them. Equal keys come out
 * in shard order (lower index first), each shard's rows in their own order.
 *
 * <p>The trick: the shard whose head was just returned is refilled on the following call, not at
 * once, so at most one row per shard is pending and a LIMIT that stops pulling reads no extra row.
 * The key types are resolved on the first {@link #columns()} or {@link #next()}, so a type that
 * cannot be ordered fails before any row is returned.
 */
final class MergeSortStream implements RowStream {

    private record Head(int shard, byte[][] row) {
    }

    private final List<RowStream> shards;
    private final List<MergePlan.SortKey> keys;
    private final MergeOptions options;
    private List<Column> columns;
    private PriorityQueue<Head> heads;
    private boolean primed;
    /** The shard whose head was returned last and must be refilled before the next poll, or -1. */
    private int refill = -1;

    MergeSortStream(List<RowStream> shards, List<MergePlan.SortKey> keys, MergeOptions options) {
        this.shards = shards;
        this.keys = keys;
        this.options = options;
    }

    @Override
    public List<Column> columns() {
        if (columns == null) {
            List<Column> first = shards.get(0).columns();
            for (int i = 1; i < shards.size(); i++) {
                requireSameKeyTypes(first, shards.get(i).columns(), i);
            }
            Comparator<byte[][]> rows = RowOrdering.of(keys, first, options);
            heads = new PriorityQueue<>(shards.size(), (a, b) -> {
                int c = rows.compare(a.row, b.row);
                return c != 0 ? c : Integer.compare(a.shard, b.shard);
            });
            columns = first;
        }
        return columns;
    }

    @Override
    public byte[][] next() {
        if (!primed) {
            columns();
            for (int i = 0; i < shards.size(); i++) {
                pull(i);
            }
            primed = true;
        } else if (refill >= 0) {
            pull(refill);
        }
        Head head = heads.poll();
        if (head == null) {
            refill = -1;
            return null;
        }
        refill = head.shard;
        return head.row;
    }

    private void pull(int shard) {
        byte[][] row = shards.get(shard).next();
        if (row != null) {
            heads.add(new Head(shard, row));
        }
    }

    private void requireSameKeyTypes(List<Column> first, List<Column> other, int shard) {
        for (MergePlan.SortKey key : keys) {
            int column = key.column();
            if (column < other.size() && column < first.size()
                    && other.get(column).typeOid() != first.get(column).typeOid()) {
                throw new ShardProxyException(SqlState.INTERNAL_ERROR, "shard " + shard + " returned sort key column "
                        + column + " as type OID " + other.get(column).typeOid() + ", shard 0 as "
                        + first.get(column).typeOid());
            }
        }
    }

    @Override
    public void close() {
        Streams.closeAll(shards);
    }
}
