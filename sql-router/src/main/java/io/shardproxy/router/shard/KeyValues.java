package io.shardproxy.router.shard;

import io.shardproxy.config.KeyType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.UUID;

/**
 * Turns a literal from a statement into a shard key value the way PostgreSQL would compare it
 * with the key column: Long for integer keys, String for text keys, UUID for uuid keys.
 * {@link #NO_VALUE} means the literal cannot equal any key value or its value cannot be known
 * here; the router then does not narrow the shards on it (never a guess).
 */
public final class KeyValues {

    /** The literal does not identify one key value; route as if there were no condition. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "NO_VALUE";
        }
    };

    private KeyValues() {
    }

    /** A numeric constant's text ({@code 42}, {@code 4.0}, {@code 1e3}, {@code 0x1F}, {@code 1_000}). */
    public static Object fromNumber(String text, boolean negate, KeyType type) {
        if (type != KeyType.INTEGER) {
            return NO_VALUE;
        }
        String t = text.replace("_", "");
        try {
            BigDecimal d;
            if (t.length() > 2 && t.charAt(0) == '0' && "xXoObB".indexOf(t.charAt(1)) >= 0) {
                int radix = "xX".indexOf(t.charAt(1)) >= 0 ? 16 : "oO".indexOf(t.charAt(1)) >= 0 ? 8 : 2;
                d = new BigDecimal(new BigInteger(t.substring(2), radix));
            } else {
                d = new BigDecimal(t);
                if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                    return NO_VALUE;
                }
            }
            // Negate before narrowing: -9223372036854775808 is a valid bigint, its digits are not.
            return Long.valueOf((negate ? d.negate() : d).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return NO_VALUE;
        }
    }

    /** A string constant's value, read as input for the key's type (int8in, textin, uuid_in). */
    public static Object fromString(String value, boolean negate, KeyType type) {
        if (value == null) {
            return NO_VALUE;
        }
        switch (type) {
            case INTEGER: {
                String t = value.strip();
                if (!isInteger(t)) {
                    return NO_VALUE;
                }
                try {
                    long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                    return negate ? Long.valueOf(-v) : Long.valueOf(v);
                } catch (NumberFormatException e) {
                    return NO_VALUE;
                }
            }
            case TEXT:
                return negate ? NO_VALUE : value;
            default:
                return negate ? NO_VALUE : parseUuid(value);
        }
    }

    /** {@code [+-]?[0-9]+}, without a regular expression: bound key values are read per statement. */
    private static boolean isInteger(String t) {
        int start = !t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-') ? 1 : 0;
        if (start == t.length()) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * PostgreSQL's uuid_in: 32 hex digits, optionally in braces, with a hyphen allowed after any
     * group of four digits.
     */
    static Object parseUuid(String s) {
        String t = s.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        StringBuilder hex = new StringBuilder(32);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '-') {
                if (hex.length() == 0 || hex.length() % 4 != 0 || i + 1 == t.length() || t.charAt(i + 1) == '-') {
                    return NO_VALUE;
                }
                continue;
            }
            if (Character.digit(c, 16) < 0) {
                return NO_VALUE;
            }
            hex.append(c);
        }
        if (hex.length() != 32) {
            return NO_VALUE;
        }
        long hi = Long.parseUnsignedLong(hex.substring(0, 16), 16);
        long lo = Long.parseUnsignedLong(hex.substring(16), 16);
        return new UUID(hi, lo);
    }
}
