package io.shardproxy.merge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * ORDER BY in the proxy, stable (rows that compare equal keep their input order). The input is
 * read whole on the first {@link #next()}:
 * <ul>
 *   <li>with a limit up to {@link MergeOptions#sortMemoryRows()}, a bounded heap keeps the
 *   {@code limit} first rows (top-N), ties broken by arrival;</li>
 *   <li>otherwise rows collect in memory, and every {@code sortMemoryRows} rows are sorted and
 *   spilled as a run to a temporary file ({@link SortRuns}); the runs and the last in-memory
 *   batch are then merged, earlier runs first among equals. A larger limit just stops the
 *   merge early.</li>
 * </ul>
 * Keys order as in MergeSort: DESC and NULLS FIRST/LAST explicit, text only when the shards
 * collate by bytes (0A000 otherwise, on the first columns()/next()). close() deletes every
 * temporary file.
 */
final class SortStream implements RowStream {

    /** A row source: the next row, or null when exhausted. */
    interface Source {
        byte[][] next();
    }

    private record Numbered(byte[][] row, long seq) {
    }

    private final RowStream input;
    private final List<MergePlan.SortKey> keys;
    private final long limit;
    private final MergeOptions options;
    private Comparator<byte[][]> order;
    private Source sorted;
    private SortRuns runs;
    private long emitted;

    SortStream(RowStream input, List<MergePlan.SortKey> keys, long limit, MergeOptions options) {
        this.input = input;
        this.keys = keys;
        this.limit = limit;
        this.options = options;
    }

    @Override
    public List<Column> columns() {
        List<Column> columns = input.columns();
        if (order == null) {
            order = RowOrdering.of(keys, columns, options);
        }
        return columns;
    }

    @Override
    public byte[][] next() {
        columns();
        if (sorted == null) {
            sorted = sort();
        }
        if (limit >= 0 && emitted >= limit) {
            return null;
        }
        byte[][] row = sorted.next();
        if (row != null) {
            emitted++;
        }
        return row;
    }

    private int memoryRows() {
        return Math.max(1, options.sortMemoryRows());
    }

    private Source sort() {
        if (limit == 0) {
            return () -> null;
        }
        if (limit > 0 && limit <= memoryRows()) {
            return topN((int) limit);
        }
        List<byte[][]> batch = new ArrayList<>();
        for (byte[][] row = input.next(); row != null; row = input.next()) {
            batch.add(row);
            if (batch.size() >= memoryRows()) {
                batch.sort(order);
                if (runs == null) {
                    runs = new SortRuns(options.spillDirectory(), order);
                }
                runs.spill(batch);
                batch.clear();
            }
        }
        batch.sort(order);
        return runs == null ? fromList(batch) : runs.merge(batch);
    }

    /** The {@code n} least rows, by a max-heap that never holds more than {@code n}. */
    private Source topN(int n) {
        Comparator<Numbered> numbered = (a, b) -> {
            int c = order.compare(a.row, b.row);
            return c != 0 ? c : Long.compare(a.seq, b.seq);
        };
        PriorityQueue<Numbered> heap = new PriorityQueue<>(Math.min(n, 1024) + 1, numbered.reversed());
        long seq = 0;
        for (byte[][] row = input.next(); row != null; row = input.next()) {
            if (heap.size() < n) {
                heap.add(new Numbered(row, seq++));
            } else if (order.compare(row, heap.peek().row) < 0) {
                // A later row beats the worst kept one only when strictly less: ties keep the earlier.
                heap.poll();
                heap.add(new Numbered(row, seq++));
            }
        }
        Numbered[] kept = heap.toArray(new Numbered[0]);
        Arrays.sort(kept, numbered);
        List<byte[][]> rows = new ArrayList<>(kept.length);
        for (Numbered k : kept) {
            rows.add(k.row);
        }
        return fromList(rows);
    }

    private static Source fromList(List<byte[][]> rows) {
        return new Source() {
            private int position;

            @Override
            public byte[][] next() {
                if (position == rows.size()) {
                    return null;
                }
                byte[][] row = rows.get(position);
                rows.set(position++, null);
                return row;
            }
        };
    }

    @Override
    public void close() {
        try {
            if (runs != null) {
                runs.close();
            }
        } finally {
            input.close();
        }
    }
}
