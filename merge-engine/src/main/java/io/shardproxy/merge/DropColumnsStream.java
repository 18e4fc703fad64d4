package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.util.Arrays;
import java.util.List;

/** Drops the trailing {@code count} columns (hidden sort keys the router appended) from the description and every row. */
final class DropColumnsStream implements RowStream {

    private final RowStream input;
    private final int count;
    private List<Column> columns;

    DropColumnsStream(RowStream input, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot drop a negative number of columns: " + count);
        }
        this.input = input;
        this.count = count;
    }

    @Override
    public List<Column> columns() {
        if (columns == null) {
            List<Column> all = input.columns();
            if (count > all.size()) {
                throw new ShardProxyException(SqlState.INTERNAL_ERROR,
                        "cannot drop " + count + " of " + all.size() + " columns");
            }
            columns = List.copyOf(all.subList(0, all.size() - count));
        }
        return columns;
    }

    @Override
    public byte[][] next() {
        int kept = columns().size();
        byte[][] row = input.next();
        return row == null || count == 0 ? row : Arrays.copyOf(row, kept);
    }

    @Override
    public void close() {
        input.close();
    }
}
