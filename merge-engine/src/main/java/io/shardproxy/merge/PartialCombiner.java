package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.PgType;

import java.util.List;

/**
 * Combines one output column of an {@link AggregateStream} from the partial row of every shard:
 * {@link #add} once per shard, then {@link #result} once. Construction checks the partials' types,
 * so an aggregate the proxy cannot combine exactly fails before any row is read.
 */
interface PartialCombiner {

    /** The output column's description. */
    Column column();

    /** Takes one shard's partial row. */
    void add(byte[][] partials);

    /** The combined value in text format, or null for SQL NULL. */
    byte[] result();

    static PartialCombiner of(MergePlan.AggregateColumn spec, List<Column> columns, MergeOptions options) {
        switch (spec.function()) {
            case COUNT: return new CountCombiner(spec.column(), columns);
            case SUM: return new SumCombiner(spec.column(), columns);
            case MIN: return new ExtremeCombiner(spec.column(), columns, options, false);
            case MAX: return new ExtremeCombiner(spec.column(), columns, options, true);
            case AVG: return new AvgCombiner(spec.column(), columns);
            default: throw new IllegalArgumentException("unknown aggregate function " + spec.function());
        }
    }

    /** The partial's column, XX000 if the shard rows do not have it. */
    static Column partial(List<Column> columns, int index) {
        if (index < 0 || index >= columns.size()) {
            throw new ShardProxyException(SqlState.INTERNAL_ERROR,
                    "aggregate partial column " + index + " is outside the shard rows' " + columns.size() + " columns");
        }
        return columns.get(index);
    }

    /** XX000 unless the partial is of the type the router's rewrite guarantees. */
    static Column partialOfType(List<Column> columns, int index, int typeOid, String what) {
        Column column = partial(columns, index);
        if (column.typeOid() != typeOid) {
            throw new ShardProxyException(SqlState.INTERNAL_ERROR, what + " partial in column " + index + " is of "
                    + PgType.name(column.typeOid()) + ", not " + PgType.name(typeOid));
        }
        return column;
    }
}
