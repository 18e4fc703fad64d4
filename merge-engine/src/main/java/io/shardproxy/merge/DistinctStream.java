package io.shardproxy.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DISTINCT and DISTINCT ON over an input where equal rows are adjacent: passes the first row of
 * each run of rows equal on the columns. Equality is the type's (1.0 = 1.00, -0 = 0, NaN = NaN,
 * NULL = NULL); text compares byte for byte, which is equality under any deterministic
 * collation, so no collation check is needed. Holds only the last row passed.
 */
final class DistinctStream implements RowStream {

    private final RowStream input;
    private final List<Integer> distinctColumns;
    private Comparator<byte[][]> same;
    private byte[][] last;

    DistinctStream(RowStream input, List<Integer> distinctColumns) {
        this.input = input;
        this.distinctColumns = distinctColumns;
    }

    @Override
    public List<Column> columns() {
        List<Column> columns = input.columns();
        if (same == null) {
            List<MergePlan.SortKey> keys = new ArrayList<>();
            for (int column : distinctColumns) {
                keys.add(new MergePlan.SortKey(column, false, false));
            }
            // Equality only, so byte order is right for text whatever the collation.
            same = RowOrdering.of(keys, columns, new MergeOptions(true));
        }
        return columns;
    }

    @Override
    public byte[][] next() {
        columns();
        for (byte[][] row = input.next(); row != null; row = input.next()) {
            if (last == null || same.compare(last, row) != 0) {
                last = row;
                return row;
            }
        }
        return null;
    }

    @Override
    public void close() {
        input.close();
    }
}
