package io.shardproxy.merge;

import io.shardproxy.merge.value.PgType;

import java.util.List;

/**
 * bool_and (every) and bool_or over boolean partials 't'/'f': NULL partials (shards with no
 * non-null input) are skipped, and the result is NULL when every partial is.
 */
final class BoolCombiner implements PartialCombiner {

    private static final byte[] TRUE = {'t'};
    private static final byte[] FALSE = {'f'};

    private final int index;
    private final Column column;
    private final boolean and;
    private boolean seen;
    private boolean value;

    BoolCombiner(int index, List<Column> columns, boolean and) {
        this.index = index;
        this.column = PartialCombiner.partialOfType(columns, index, PgType.BOOL, and ? "bool_and" : "bool_or");
        this.and = and;
    }

    @Override
    public Column column() {
        return column;
    }

    @Override
    public void add(byte[][] partials) {
        byte[] partial = partials[index];
        if (partial == null) {
            return;
        }
        boolean b = partial.length == 1 && partial[0] == 't';
        value = !seen ? b : and ? value && b : value || b;
        seen = true;
    }

    @Override
    public byte[] result() {
        return !seen ? null : value ? TRUE : FALSE;
    }
}
