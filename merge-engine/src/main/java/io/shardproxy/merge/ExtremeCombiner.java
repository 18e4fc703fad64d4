package io.shardproxy.merge;

import io.shardproxy.merge.value.ValueOrdering;

import java.util.Comparator;
import java.util.List;

/**
 * min(x) or max(x): the least or greatest non-null partial by the type's PostgreSQL ordering,
 * returned as the bytes the shard sent; NULL when every partial is NULL. Of equal partials the
 * first shard's wins. That only shows for values that compare equal yet print differently (1.0
 * and 1.00), where PostgreSQL's own answer depends on row order too (numeric_smaller keeps the
 * later one).
 */
final class ExtremeCombiner implements PartialCombiner {

    private final int index;
    private final Column column;
    private final Comparator<byte[]> order;
    private final boolean greatest;
    private byte[] best;

    ExtremeCombiner(int index, List<Column> columns, MergeOptions options, boolean greatest) {
        this.index = index;
        this.column = PartialCombiner.partial(columns, index);
        this.order = ValueOrdering.forType(column.typeOid(), options.bytewiseText());
        this.greatest = greatest;
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
        if (best == null) {
            best = partial;
            return;
        }
        int c = order.compare(partial, best);
        if (greatest ? c > 0 : c < 0) {
            best = partial;
        }
    }

    @Override
    public byte[] result() {
        return best;
    }
}
