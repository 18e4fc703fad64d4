package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.PgType;

import java.util.List;

/**
 * Combines one output column of an {@link AggregateStream} or of one group of a
 * {@link GroupAggregateStream} from partial rows: {@link #add} once per partial row (one per
 * shard, or one per shard row of the group), then {@link #result} once. Construction checks the partials' types,
 * so an aggregate the proxy cannot combine exactly fails before any row is read.
 */
interface PartialCombiner {

    /** The output column's description. */
    Column column();

    /** Takes one shard's partial row. */
    void add(byte[][] partials);

    /** The combined value in text format, or null for SQL NULL. */
    byte[] result();

    /**
     * A new combiner for one aggregate over partial rows of the given columns; a DISTINCT
     * aggregate reads raw values instead ({@link DistinctCombiner}).
     */
    static PartialCombiner of(MergePlan.AggregateColumn spec, List<Column> columns, MergeOptions options) {
        if (spec.distinct()) {
            return DistinctCombiner.of(spec, columns, options);
        }
        int column = spec.column();
        switch (spec.function()) {
            case COUNT: return new CountCombiner(column, columns);
            case SUM: return new SumCombiner(column, columns, options.extraFloatDigits());
            case MIN: return new ExtremeCombiner(column, columns, options, false);
            case MAX: return new ExtremeCombiner(column, columns, options, true);
            case AVG: return new AvgCombiner(column, columns, options.extraFloatDigits());
            case VAR_POP:
            case VAR_SAMP:
            case STDDEV_POP:
            case STDDEV_SAMP:
                return new VarianceCombiner(column, columns, spec.function(), options.extraFloatDigits());
            case BOOL_AND: return new BoolCombiner(column, columns, true);
            case BOOL_OR: return new BoolCombiner(column, columns, false);
            case STRING_AGG: return new StringAggCombiner(spec, columns, options);
            case ARRAY_AGG: return new ArrayAggCombiner(spec, columns, options);
            case CORR:
            case COVAR_POP:
            case COVAR_SAMP:
            case REGR_AVGX:
            case REGR_AVGY:
            case REGR_COUNT:
            case REGR_INTERCEPT:
            case REGR_R2:
            case REGR_SLOPE:
            case REGR_SXX:
            case REGR_SXY:
            case REGR_SYY:
                return new RegressionCombiner(column, columns, spec.function(), options.extraFloatDigits());
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
