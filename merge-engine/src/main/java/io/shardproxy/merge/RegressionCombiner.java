package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgInt;
import io.shardproxy.merge.value.PgType;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The two-variable aggregates (corr, covar_pop, covar_samp, regr_*) from the partials
 * [N int8, Sx, Sy, Sxx, Syy, Sxy float8] of each shard (N = 0 with NULL sums for a shard without
 * rows). The shards' states fold in shard order with float.c float8_regr_combine and finish as
 * the matching float8_* final function, NULL and special cases included (corr of a horizontal or
 * vertical line is NULL, regr_r2 of a horizontal line 1). regr_count is the int8 sum of the Ns,
 * 0 over no rows; every other result is float8.
 */
final class RegressionCombiner implements PartialCombiner {

    private final MergePlan.AggregateFunction function;
    private final int index;
    private final Column column;
    private long count;
    private double n;
    private double sx;
    private double sy;
    private double sxx;
    private double syy;
    private double sxy;

    private final int extraFloatDigits;

    RegressionCombiner(int index, List<Column> columns, MergePlan.AggregateFunction function,
                       int extraFloatDigits) {
        this.extraFloatDigits = extraFloatDigits;
        this.function = function;
        this.index = index;
        Column first = PartialCombiner.partialOfType(columns, index, PgType.INT8, "regression count");
        for (int i = 1; i < 6; i++) {
            PartialCombiner.partialOfType(columns, index + i, PgType.FLOAT8, "regression sum");
        }
        this.column = function == MergePlan.AggregateFunction.REGR_COUNT
                ? Column.computed(first.name(), PgType.INT8, (short) 8)
                : Column.computed(first.name(), PgType.FLOAT8, (short) 8);
    }

    @Override
    public Column column() {
        return column;
    }

    @Override
    public void add(byte[][] partials) {
        long n2 = partials[index] == null ? 0 : PgInt.parse(partials[index]);
        if (n2 == 0) {
            return;
        }
        count = PgInt.add(count, n2);
        double sx2 = value(partials, 1);
        double sy2 = value(partials, 2);
        double sxx2 = value(partials, 3);
        double syy2 = value(partials, 4);
        double sxy2 = value(partials, 5);
        if (n == 0) {
            n = n2;
            sx = sx2;
            sy = sy2;
            sxx = sxx2;
            syy = syy2;
            sxy = sxy2;
            return;
        }
        // float8_regr_combine
        double n1 = n;
        n = n1 + n2;
        double tmp1 = sx / n1 - sx2 / n2;
        double tmp2 = sy / n1 - sy2 / n2;
        sx = PgFloat.add(sx, sx2);
        sxx = checked(sxx, sxx2, sxx + sxx2 + n1 * n2 * tmp1 * tmp1 / n);
        sy = PgFloat.add(sy, sy2);
        syy = checked(syy, syy2, syy + syy2 + n1 * n2 * tmp2 * tmp2 / n);
        sxy = checked(sxy, sxy2, sxy + sxy2 + n1 * n2 * tmp1 * tmp2 / n);
    }

    private double value(byte[][] partials, int offset) {
        byte[] text = partials[index + offset];
        return text == null ? 0 : PgFloat.parseDouble(text);
    }

    private static double checked(double a, double b, double result) {
        if (Double.isInfinite(result) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
            throw new ShardProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
        }
        return result;
    }

    @Override
    public byte[] result() {
        if (function == MergePlan.AggregateFunction.REGR_COUNT) {
            return PgInt.format(count);
        }
        Double value = finish();
        return value == null ? null : PgFloat.format(value, extraFloatDigits).getBytes(StandardCharsets.US_ASCII);
    }

    /** float.c's final functions; null for SQL NULL. */
    private Double finish() {
        if (n < 1.0) {
            return null;
        }
        switch (function) {
            case REGR_SXX: return sxx;
            case REGR_SYY: return syy;
            case REGR_SXY: return sxy;
            case REGR_AVGX: return sx / n;
            case REGR_AVGY: return sy / n;
            case COVAR_POP: return sxy / n;
            case COVAR_SAMP: return n < 2.0 ? null : sxy / (n - 1.0);
            case CORR: return sxx == 0 || syy == 0 ? null : sxy / Math.sqrt(sxx * syy);
            case REGR_R2:
                if (sxx == 0) {
                    return null;
                }
                return syy == 0 ? 1.0 : (sxy * sxy) / (sxx * syy);
            case REGR_SLOPE: return sxx == 0 ? null : sxy / sxx;
            case REGR_INTERCEPT: return sxx == 0 ? null : (sy - sx * sxy / sxx) / n;
            default: throw new IllegalStateException("not a regression aggregate: " + function);
        }
    }
}
