package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgInt;
import io.shardproxy.merge.value.PgNumeric;
import io.shardproxy.merge.value.PgType;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * avg(x), which the router sent to the shards as {@code sum(x), count(x)}: the total sum over the
 * total count, in avg's own result type. A bigint or numeric sum (from int2/int4/int8/numeric)
 * gives numeric with the scale numeric_div picks ({@link PgNumeric#divide}); a double precision
 * sum gives double precision. A real sum is refused: PostgreSQL's avg(real) accumulates in double
 * precision, and the shards' real sums have already lost those digits. NULL when the count is 0.
 * The output column takes the sum column's name.
 */
final class AvgCombiner implements PartialCombiner {

    private final int sumIndex;
    private final int countIndex;
    private final boolean floating;
    private final Column column;
    private PgNumeric numericSum;
    private double floatSum;
    private boolean sumSeen;
    private long count;

    private final int extraFloatDigits;

    AvgCombiner(int sumIndex, List<Column> columns, int extraFloatDigits) {
        this.extraFloatDigits = extraFloatDigits;
        this.sumIndex = sumIndex;
        this.countIndex = sumIndex + 1;
        Column sum = PartialCombiner.partial(columns, sumIndex);
        switch (sum.typeOid()) {
            case PgType.INT8:
            case PgType.NUMERIC:
                floating = false;
                column = Column.computed(sum.name(), PgType.NUMERIC, (short) -1);
                break;
            case PgType.FLOAT8:
                floating = true;
                column = Column.computed(sum.name(), PgType.FLOAT8, (short) 8);
                break;
            case PgType.FLOAT4:
                throw unsupported(sum, "cast the argument to double precision");
            default:
                throw unsupported(sum, null);
        }
        PartialCombiner.partialOfType(columns, countIndex, PgType.INT8, "avg count");
    }

    private static ShardProxyException unsupported(Column sum, String hint) {
        return ShardProxyException.unsupported(
                "avg(" + PgType.name(sum.typeOid()) + ") across shards is not supported yet", hint);
    }

    @Override
    public Column column() {
        return column;
    }

    @Override
    public void add(byte[][] partials) {
        byte[] sum = partials[sumIndex];
        byte[] partialCount = partials[countIndex];
        if (partialCount != null) {
            count = PgInt.add(count, PgInt.parse(partialCount));
        }
        if (sum == null) {
            return;
        }
        sumSeen = true;
        if (floating) {
            floatSum = PgFloat.add(floatSum, PgFloat.parseDouble(sum));
        } else {
            PgNumeric n = PgNumeric.parse(sum);
            numericSum = numericSum == null ? n : numericSum.add(n);
        }
    }

    @Override
    public byte[] result() {
        if (count == 0 || !sumSeen) {
            return null;
        }
        String text = floating
                ? PgFloat.format(floatSum / count, extraFloatDigits)
                : numericSum.divide(count).toText();
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
