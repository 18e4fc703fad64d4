package io.shardproxy.merge;

import io.shardproxy.merge.value.PgInt;
import io.shardproxy.merge.value.PgType;

import java.util.List;

/** count(x): the bigint partial counts add up, overflow checked as int8pl does. */
final class CountCombiner implements PartialCombiner {

    private final int index;
    private final Column column;
    private long total;

    CountCombiner(int index, List<Column> columns) {
        this.index = index;
        this.column = PartialCombiner.partialOfType(columns, index, PgType.INT8, "count");
    }

    @Override
    public Column column() {
        return column;
    }

    @Override
    public void add(byte[][] partials) {
        byte[] partial = partials[index];
        if (partial != null) {
            total = PgInt.add(total, PgInt.parse(partial));
        }
    }

    @Override
    public byte[] result() {
        return PgInt.format(total);
    }
}
