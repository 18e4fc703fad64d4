package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgInt;
import io.shardproxy.merge.value.PgNumeric;
import io.shardproxy.merge.value.PgType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * var_pop, var_samp, stddev_pop, stddev_samp from [count int8, sum, second partial]. The sum's
 * type picks the form:
 * <ul>
 *   <li>exact (sum int8 or numeric, then sum(x::numeric * x::numeric)): N, sumX and sumX2 add up
 *   exactly and finish as numeric.c numeric_stddev_internal, result numeric. The products are
 *   taken at rscale = 2 * dscale(sumX), so they are exact; a numerator N*sumX2 - sumX^2 &lt;= 0
 *   gives a plain 0 (scale 0); otherwise numerator / (N*(N-1) or N*N) at select_div_scale,
 *   and the square root at that same scale. Any NaN or infinite input gives NaN.</li>
 *   <li>float (sum float8, then regr_sxx(x, x)): each shard's (N, Sx, Sxx) folds in shard order
 *   with float.c float8_combine, and finishes as float8_var_pop etc., result float8.</li>
 * </ul>
 * NULL when N = 0, and for the sample forms when N &lt;= 1 (NaN and infinities count in N).
 */
final class VarianceCombiner implements PartialCombiner {

    private final int countIndex;
    private final int sumIndex;
    private final int secondIndex;
    private final boolean sample;
    private final boolean root;
    private final boolean floating;
    private final Column column;

    private long count;
    private PgNumeric sumX;
    private PgNumeric sumX2;

    private double n;
    private double sx;
    private double sxx;

    private final int extraFloatDigits;

    VarianceCombiner(int index, List<Column> columns, MergePlan.AggregateFunction function, int extraFloatDigits) {
        this.extraFloatDigits = extraFloatDigits;
        this.countIndex = index;
        this.sumIndex = index + 1;
        this.secondIndex = index + 2;
        this.sample = function == MergePlan.AggregateFunction.VAR_SAMP
                || function == MergePlan.AggregateFunction.STDDEV_SAMP;
        this.root = function == MergePlan.AggregateFunction.STDDEV_POP
                || function == MergePlan.AggregateFunction.STDDEV_SAMP;
        Column countColumn = PartialCombiner.partialOfType(columns, countIndex, PgType.INT8, "variance count");
        Column sum = PartialCombiner.partial(columns, sumIndex);
        switch (sum.typeOid()) {
            case PgType.INT8:
            case PgType.NUMERIC:
                floating = false;
                PartialCombiner.partialOfType(columns, secondIndex, PgType.NUMERIC, "variance sum of squares");
                column = Column.computed(countColumn.name(), PgType.NUMERIC, (short) -1);
                break;
            case PgType.FLOAT8:
                floating = true;
                PartialCombiner.partialOfType(columns, secondIndex, PgType.FLOAT8, "variance Sxx");
                column = Column.computed(countColumn.name(), PgType.FLOAT8, (short) 8);
                break;
            default:
                throw new ShardProxyException(SqlState.INTERNAL_ERROR, "variance sum partial in column " + sumIndex
                        + " is of " + PgType.name(sum.typeOid()) + ", not bigint, numeric or double precision");
        }
    }

    @Override
    public Column column() {
        return column;
    }

    @Override
    public void add(byte[][] partials) {
        byte[] partialCount = partials[countIndex];
        long partialN = partialCount == null ? 0 : PgInt.parse(partialCount);
        if (partialN == 0) {
            return;
        }
        if (floating) {
            double sxx2 = partials[secondIndex] == null ? 0 : PgFloat.parseDouble(partials[secondIndex]);
            combine(partialN, PgFloat.parseDouble(partials[sumIndex]), sxx2);
        } else {
            count = PgInt.add(count, partialN);
            PgNumeric s = PgNumeric.parse(partials[sumIndex]);
            PgNumeric s2 = PgNumeric.parse(partials[secondIndex]);
            sumX = sumX == null ? s : sumX.add(s);
            sumX2 = sumX2 == null ? s2 : sumX2.add(s2);
        }
    }

    /**
     * float.c float8_accum (float4_accum widens to double first) of one raw value, for a
     * DISTINCT aggregate fed its values one by one in sorted order, as PostgreSQL feeds them.
     */
    void accumulate(double x) {
        double n0 = n;
        double sx0 = sx;
        n += 1.0;
        sx += x;
        if (n0 > 0.0) {
            double tmp = x * n - sx;
            sxx += tmp * tmp / (n * n0);
            if (Double.isInfinite(sx) || Double.isInfinite(sxx)) {
                if (!Double.isInfinite(sx0) && !Double.isInfinite(x)) {
                    throw overflow();
                }
                sxx = Double.NaN;
            }
        } else if (Double.isNaN(x) || Double.isInfinite(x)) {
            sxx = Double.NaN;
        }
    }

    private static ShardProxyException overflow() {
        return new ShardProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
    }

    /** float.c float8_combine of the running (n, sx, sxx) with one shard's. */
    private void combine(double n2, double sx2, double sxx2) {
        if (n == 0) {
            n = n2;
            sx = sx2;
            sxx = sxx2;
            return;
        }
        double n1 = n;
        double sx1 = sx;
        double sxx1 = sxx;
        n = n1 + n2;
        sx = PgFloat.add(sx1, sx2);
        double tmp = sx1 / n1 - sx2 / n2;
        sxx = sxx1 + sxx2 + n1 * n2 * tmp * tmp / n;
        if (Double.isInfinite(sxx) && !Double.isInfinite(sxx1) && !Double.isInfinite(sxx2)) {
            throw overflow();
        }
    }

    @Override
    public byte[] result() {
        String text = floating ? floatResult() : numericResult();
        return text == null ? null : text.getBytes(StandardCharsets.US_ASCII);
    }

    private String floatResult() {
        if (n == 0 || (sample && n <= 1)) {
            return null;
        }
        double variance = sxx / (sample ? n - 1.0 : n);
        return PgFloat.format(root ? Math.sqrt(variance) : variance, extraFloatDigits);
    }

    private String numericResult() {
        if (count == 0 || (sample && count <= 1)) {
            return null;
        }
        if (!sumX.isFinite() || !sumX2.isFinite()) {
            return "NaN";
        }
        BigDecimal x = sumX.value();
        int rscale = 2 * x.scale();
        BigDecimal bigN = BigDecimal.valueOf(count);
        BigDecimal numerator = bigN.multiply(sumX2.value()).setScale(rscale, RoundingMode.HALF_UP)
                .subtract(x.multiply(x).setScale(rscale, RoundingMode.HALF_UP));
        if (numerator.signum() <= 0) {
            // Roundoff cannot happen here, but numeric.c answers a zero numerator with const_zero.
            return "0";
        }
        BigDecimal denominator = bigN.multiply(sample ? bigN.subtract(BigDecimal.ONE) : bigN);
        BigDecimal variance = PgNumeric.divide(numerator, denominator);
        return (root ? PgNumeric.sqrt(variance, variance.scale()) : variance).toPlainString();
    }
}
