package io.shardproxy.merge;

import java.util.List;

/**
 * HAVING evaluated in the proxy: passes the input rows for which the predicate is true; false
 * and unknown (a comparison with NULL) drop the row. The predicate is compiled against the
 * input's column types on the first {@link #columns()} or {@link #next()}, so a comparison the
 * proxy cannot make exactly fails (0A000) before any row.
 */
final class FilterStream implements RowStream {

    private final RowStream input;
    private final MergePlan.Predicate predicate;
    private final MergeOptions options;
    private Predicates.Condition condition;

    FilterStream(RowStream input, MergePlan.Predicate predicate, MergeOptions options) {
        this.input = input;
        this.predicate = predicate;
        this.options = options;
    }

    @Override
    public List<Column> columns() {
        List<Column> columns = input.columns();
        if (condition == null) {
            condition = Predicates.compile(predicate, columns, options);
        }
        return columns;
    }

    @Override
    public byte[][] next() {
        columns();
        for (byte[][] row = input.next(); row != null; row = input.next()) {
            if (condition.test(row) == Boolean.TRUE) {
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
