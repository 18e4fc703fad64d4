package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgInt;
import io.shardproxy.merge.value.PgNumeric;
import io.shardproxy.merge.value.PgType;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * sum(x): adds the non-null partial sums in the partial's own type, as PostgreSQL's combine
 * functions do: bigint (the sum of int2/int4) exactly with "bigint out of range" on overflow,
 * numeric (the sum of int8/numeric) exactly keeping the largest display scale, real and double
 * precision in their own precision with the overflow error of float4pl/float8pl. NULL when every
 * partial is NULL. money and interval are refused until they have exact text arithmetic here.
 */
final class SumCombiner implements PartialCombiner {

    private final int index;
    private final Column column;
    private boolean seen;
    private long int8;
    private PgNumeric numeric;
    private float float4;
    private double float8;

    private final int extraFloatDigits;

    SumCombiner(int index, List<Column> columns, int extraFloatDigits) {
        this.extraFloatDigits = extraFloatDigits;
        this.index = index;
        this.column = PartialCombiner.partial(columns, index);
        switch (column.typeOid()) {
            case PgType.INT8:
            case PgType.NUMERIC:
            case PgType.FLOAT4:
            case PgType.FLOAT8:
                break;
            case PgType.MONEY:
                throw unsupported("cast the argument to numeric");
            default:
                throw unsupported(null);
        }
    }

    private ShardProxyException unsupported(String hint) {
        return ShardProxyException.unsupported(
                "sum(" + PgType.name(column.typeOid()) + ") across shards is not supported yet", hint);
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
        switch (column.typeOid()) {
            case PgType.INT8:
                long l = PgInt.parse(partial);
                int8 = seen ? PgInt.add(int8, l) : l;
                break;
            case PgType.NUMERIC:
                PgNumeric n = PgNumeric.parse(partial);
                numeric = seen ? numeric.add(n) : n;
                break;
            case PgType.FLOAT4:
                float f = PgFloat.parseFloat(partial);
                float4 = seen ? PgFloat.add(float4, f) : f;
                break;
            default:
                double d = PgFloat.parseDouble(partial);
                float8 = seen ? PgFloat.add(float8, d) : d;
                break;
        }
        seen = true;
    }

    @Override
    public byte[] result() {
        if (!seen) {
            return null;
        }
        String text;
        switch (column.typeOid()) {
            case PgType.INT8:
                text = Long.toString(int8);
                break;
            case PgType.NUMERIC:
                text = numeric.toText();
                break;
            case PgType.FLOAT4:
                text = PgFloat.format(float4, extraFloatDigits);
                break;
            default:
                text = PgFloat.format(float8, extraFloatDigits);
                break;
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
