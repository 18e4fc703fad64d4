package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * interval in interval_send's layout,
 * <pre>
 *   Int64   microseconds
 *   Int32   days
 *   Int32   months
 * </pre>
 * with all three at their maximum for infinity and minimum for -infinity (PostgreSQL 17). The
 * text is IntervalStyle postgres as EncodeInterval writes it:
 * {@code -1 years -2 mons +3 days -04:05:06.789}: years and months split from the months with C's
 * truncating division, "s" on every count but 1, a field gets "+" when the field before it was
 * negative and it is positive, and the time appears when non-zero or when nothing else did.
 */
final class IntervalCodec {

    private IntervalCodec() {
    }

    static byte[] encode(byte[] text) {
        if (DateTimeText.is(text, "infinity")) {
            return layout(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        }
        if (DateTimeText.is(text, "-infinity")) {
            return layout(Long.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE);
        }
        String[] parts = new String(text, StandardCharsets.ISO_8859_1).split(" ", -1);
        long months = 0;
        long days = 0;
        long micros = 0;
        // Each of year, mon, day and the time at most once, in any order, as DecodeInterval allows.
        boolean[] seen = new boolean[4];
        int i = 0;
        try {
            while (i < parts.length) {
                String p = parts[i];
                int field = p.indexOf(':') >= 0 ? 3 : i + 1 < parts.length ? field(parts[i + 1]) : -1;
                if (field < 0 || seen[field]) {
                    throw TypeErrors.badText(PgType.INTERVAL, text);
                }
                seen[field] = true;
                if (field == 3) {
                    micros = time(p, text);
                    i++;
                    continue;
                }
                long n = count(p, text);
                switch (field) {
                    case 0: months = Math.addExact(months, Math.multiplyExact(n, 12)); break;
                    case 1: months = Math.addExact(months, n); break;
                    default: days = n; break;
                }
                i += 2;
            }
        } catch (ArithmeticException e) {
            throw TypeErrors.outOfRange(PgType.INTERVAL, text);
        }
        if (months != (int) months || days != (int) days) {
            throw TypeErrors.outOfRange(PgType.INTERVAL, text);
        }
        return layout(micros, (int) days, (int) months);
    }

    static byte[] decode(byte[] binary) {
        BinaryReader in = new BinaryReader(PgType.INTERVAL, binary);
        long time = in.int64();
        int days = in.int32();
        int months = in.int32();
        in.end();
        String text;
        if (time == Long.MAX_VALUE && days == Integer.MAX_VALUE && months == Integer.MAX_VALUE) {
            text = "infinity";
        } else if (time == Long.MIN_VALUE && days == Integer.MIN_VALUE && months == Integer.MIN_VALUE) {
            text = "-infinity";
        } else {
            text = format(time, days, months);
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String format(long time, int days, int months) {
        StringBuilder out = new StringBuilder(48);
        // EncodeInterval's is_zero and is_before: what has been written, and whether the last was negative.
        boolean[] state = {true, false};
        part(out, months / 12, "year", state);
        part(out, months % 12, "mon", state);
        part(out, days, "day", state);
        long hours = time / 3_600_000_000L;
        long rest = time % 3_600_000_000L;
        long minutes = rest / 60_000_000L;
        rest %= 60_000_000L;
        long seconds = rest / 1_000_000L;
        long fraction = rest % 1_000_000L;
        boolean isZero = state[0];
        if (isZero || time != 0) {
            boolean minus = time < 0;
            if (!isZero) {
                out.append(' ');
            }
            out.append(minus ? "-" : state[1] ? "+" : "");
            DateTimeText.pad(out, Math.abs(hours), 2);
            out.append(':');
            DateTimeText.pad(out, Math.abs(minutes), 2);
            out.append(':');
            DateTimeText.pad(out, Math.abs(seconds), 2);
            DateTimeText.appendFraction(out, fraction);
        }
        return out.toString();
    }

    /** AddPostgresIntPart. */
    private static void part(StringBuilder out, long value, String unit, boolean[] state) {
        if (value == 0) {
            return;
        }
        if (!state[0]) {
            out.append(' ');
        }
        if (state[1] && value > 0) {
            out.append('+');
        }
        out.append(value).append(' ').append(unit);
        if (value != 1) {
            out.append('s');
        }
        state[1] = value < 0;
        state[0] = false;
    }

    private static byte[] layout(long micros, int days, int months) {
        return ByteBuffer.allocate(16).putLong(micros).putInt(days).putInt(months).array();
    }

    private static int field(String unit) {
        switch (unit) {
            case "year": case "years": return 0;
            case "mon": case "mons": return 1;
            case "day": case "days": return 2;
            default: return -1;
        }
    }

    /** [+-]digits. */
    private static long count(String s, byte[] text) {
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        if (i == s.length()) {
            throw TypeErrors.badText(PgType.INTERVAL, text);
        }
        for (int j = i; j < s.length(); j++) {
            if (s.charAt(j) < '0' || s.charAt(j) > '9') {
                throw TypeErrors.badText(PgType.INTERVAL, text);
            }
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw TypeErrors.outOfRange(PgType.INTERVAL, text);
        }
    }

    /**
     * [+-]H+:MM:SS[.f{1,6}] as microseconds, the sign applying to every field; accumulated
     * negatively so that -2562047788:00:54.775808 (INT64_MIN) reads.
     */
    private static long time(String p, byte[] text) {
        boolean negative = p.startsWith("-");
        String t = p.startsWith("-") || p.startsWith("+") ? p.substring(1) : p;
        String[] hms = t.split(":", -1);
        if (hms.length != 3 || hms[1].length() != 2 || hms[2].length() < 2) {
            throw TypeErrors.badText(PgType.INTERVAL, text);
        }
        long hours = unsigned(hms[0], text);
        long minutes = unsigned(hms[1], text);
        String sec = hms[2];
        long fraction = 0;
        int dot = sec.indexOf('.');
        if (dot >= 0) {
            String f = sec.substring(dot + 1);
            if (f.isEmpty() || f.length() > 6) {
                throw TypeErrors.badText(PgType.INTERVAL, text);
            }
            fraction = unsigned((f + "00000").substring(0, 6), text);
            sec = sec.substring(0, dot);
        }
        if (sec.length() != 2) {
            throw TypeErrors.badText(PgType.INTERVAL, text);
        }
        long seconds = unsigned(sec, text);
        if (minutes > 59 || seconds > 59) {
            throw TypeErrors.badText(PgType.INTERVAL, text);
        }
        long v = Math.multiplyExact(-hours, 3_600_000_000L);
        v = Math.subtractExact(v, minutes * 60_000_000L + seconds * 1_000_000L + fraction);
        return negative ? v : Math.negateExact(v);
    }

    private static long unsigned(String s, byte[] text) {
        if (s.isEmpty() || s.length() > 18) {
            throw TypeErrors.badText(PgType.INTERVAL, text);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw TypeErrors.badText(PgType.INTERVAL, text);
            }
        }
        return Long.parseLong(s);
    }
}
