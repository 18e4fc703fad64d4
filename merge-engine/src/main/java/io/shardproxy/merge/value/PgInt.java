package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.nio.charset.StandardCharsets;

/**
 * Integer values (int2, int4, int8, oid) in PostgreSQL text format. Parsing reads the bytes in
 * place, without a String, because merge-sort compares call it for every comparison.
 */
public final class PgInt {

    private PgInt() {
    }

    /** Parses an optional '-' and decimal digits, the form int2out/int4out/int8out/oidout write. */
    public static long parse(byte[] text) {
        int i = 0;
        boolean negative = text.length > 0 && text[0] == '-';
        if (negative) {
            i = 1;
        }
        if (i == text.length) {
            throw PgType.malformed(PgType.INT8, text);
        }
        // Accumulate negatively so that Long.MIN_VALUE parses without overflow.
        long value = 0;
        for (; i < text.length; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
                throw PgType.malformed(PgType.INT8, text);
            }
            value = value * 10 - digit;
        }
        if (negative) {
            return value;
        }
        if (value == Long.MIN_VALUE) {
            throw PgType.malformed(PgType.INT8, text);
        }
        return -value;
    }

    /** int8pl: exact addition, "bigint out of range" (22003) on overflow, as PostgreSQL raises it. */
    public static long add(long a, long b) {
        long sum = a + b;
        // Overflow iff both operands have the sign opposite to the result's.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            throw new ShardProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range");
        }
        return sum;
    }

    /** The text form int8out writes. */
    public static byte[] format(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Orders two integer texts numerically. */
    public static int compare(byte[] a, byte[] b) {
        return Long.compare(parse(a), parse(b));
    }
}
