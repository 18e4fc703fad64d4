package io.shardproxy.server.copy;

/**
 * Integer text read as PostgreSQL 16+ reads int2, int4 and int8 input (pg_strtoint64_safe):
 * surrounding whitespace, an optional sign, decimal digits or a {@code 0x}, {@code 0o} or
 * {@code 0b} prefix with its digits (an underscore may follow the prefix), and single underscores
 * between digits. A COPY row's key must
 * be read exactly like this: reading less would send a valid row to the wrong shard.
 */
final class PgIntegers {

    private PgIntegers() {
    }

    /** The value, or null when PostgreSQL would reject the text as a bigint (syntax or range). */
    static Long parse(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < n && s.charAt(i) == '0') {
            char p = s.charAt(i + 1);
            if (p == 'x' || p == 'X') {
                radix = 16;
            } else if (p == 'o' || p == 'O') {
                radix = 8;
            } else if (p == 'b' || p == 'B') {
                radix = 2;
            }
            if (radix != 10) {
                i += 2;
            }
        }
        int first = i;
        // Accumulate as a negative number so that -9223372036854775808 fits.
        long acc = 0;
        long limit = Long.MIN_VALUE;
        while (i < n) {
            char c = s.charAt(i);
            int d = digit(c, radix);
            if (d >= 0) {
                if (acc < (limit + d) / radix) {
                    return null;
                }
                long next = acc * radix - d;
                if (next > acc) {
                    return null;
                }
                acc = next;
                i++;
            } else if (c == '_' && (i > first || radix != 10)) {
                // PostgreSQL 17 takes "0x_1" but not "_1" (checked against int8in)
                i++;
                if (i >= n || digit(s.charAt(i), radix) < 0) {
                    return null;
                }
            } else {
                break;
            }
        }
        if (i == first) {
            return null;
        }
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        if (i != n) {
            return null;
        }
        if (neg) {
            return acc;
        }
        return acc == Long.MIN_VALUE ? null : -acc;
    }

    private static int digit(char c, int radix) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < radix ? d : -1;
    }

    /** C's isspace in the C locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }
}
