package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * interval text in IntervalStyle postgres ({@code -1 years 2 mons -3 days +04:05:06.789},
 * {@code infinity}) turned into the value PostgreSQL compares intervals by: months as 30 days,
 * days as 24 hours, everything in microseconds (interval_cmp_value). So {@code 1 mon} equals
 * {@code 30 days} and {@code 25:00:00} is more than {@code 1 day}, as in PostgreSQL.
 */
public final class PgInterval {
    private static final BigInteger MICROS_PER_DAY = BigInteger.valueOf(86_400_000_000L);
    /** Beyond any finite interval: PostgreSQL 17's infinite intervals. */
    private static final BigInteger INFINITY = BigInteger.TWO.pow(100);

    private PgInterval() {
    }

    /** The comparison value of an interval's text. */
    public static BigInteger key(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII).trim();
        if (s.equals("infinity")) {
            return INFINITY;
        }
        if (s.equals("-infinity")) {
            return INFINITY.negate();
        }
        long months = 0;
        long days = 0;
        long micros = 0;
        String[] parts = s.split(" ");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.indexOf(':') >= 0) {
                micros = time(p, s);
                continue;
            }
            if (i + 1 >= parts.length) {
                throw unsupported(s);
            }
            long n = number(p, s);
            String unit = parts[++i];
            switch (unit) {
                case "year":
                case "years":
                    months += n * 12;
                    break;
                case "mon":
                case "mons":
                    months += n;
                    break;
                case "day":
                case "days":
                    days += n;
                    break;
                default:
                    throw unsupported(s);
            }
        }
        return BigInteger.valueOf(months * 30 + days).multiply(MICROS_PER_DAY).add(BigInteger.valueOf(micros));
    }

    /** {@code [+-]HH:MM:SS[.ffffff]}, hours unbounded. */
    private static long time(String p, String whole) {
        boolean negative = p.startsWith("-");
        String t = p.startsWith("-") || p.startsWith("+") ? p.substring(1) : p;
        String[] hms = t.split(":");
        if (hms.length != 3) {
            throw unsupported(whole);
        }
        long hours = number(hms[0], whole);
        long minutes = number(hms[1], whole);
        String sec = hms[2];
        long seconds;
        long fraction = 0;
        int dot = sec.indexOf('.');
        if (dot >= 0) {
            seconds = number(sec.substring(0, dot), whole);
            String f = (sec.substring(dot + 1) + "000000").substring(0, 6);
            fraction = number(f, whole);
        } else {
            seconds = number(sec, whole);
        }
        long micros = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000L + fraction;
        return negative ? -micros : micros;
    }

    private static long number(String s, String whole) {
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw unsupported(whole);
        }
    }

    private static ShardProxyException unsupported(String text) {
        return ShardProxyException.unsupported("cannot read interval \"" + text + "\" (IntervalStyle postgres expected)",
                "SET IntervalStyle TO postgres");
    }
}
