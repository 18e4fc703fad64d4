package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.nio.charset.StandardCharsets;

/**
 * date, time, timestamp and timestamptz text in DateStyle ISO, turned into one long that orders
 * as PostgreSQL orders the values:
 * <pre>
 *   date         2024-01-02 | 0044-03-15 BC | infinity | -infinity            -&gt; days
 *   time         03:04:05[.ffffff]                   (24:00:00 allowed)      -&gt; microseconds of the day
 *   timestamp    2024-01-02 03:04:05[.ffffff][ BC]                           -&gt; microseconds
 *   timestamptz  2024-01-02 03:04:05[.ffffff]+HH[:MM[:SS]][ BC]              -&gt; microseconds UTC
 * </pre>
 * Days and microseconds count from 2000-01-01 as PostgreSQL does, so its whole range fits; the
 * year may have more than four digits; BC year y is astronomical year 1 - y (proleptic Gregorian).
 * A timestamptz compares by the instant, so its printed offset is subtracted. -infinity and
 * infinity map to Long.MIN_VALUE and Long.MAX_VALUE. Other DateStyles are refused (0A000).
 */
public final class PgDateTime {

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    /** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
    private static final long DAYS_1970_TO_2000 = 10_957L;

    private PgDateTime() {
    }

    public static long dateKey(byte[] text) {
        Long infinite = infinity(text);
        if (infinite != null) {
            return infinite;
        }
        Cursor c = new Cursor(text, PgType.DATE);
        long days = c.date();
        days = c.era(days);
        c.end();
        return days;
    }

    public static long timeKey(byte[] text) {
        Cursor c = new Cursor(text, PgType.TIME);
        long micros = c.time();
        c.end();
        return micros;
    }

    public static long timestampKey(byte[] text) {
        return timestamp(text, PgType.TIMESTAMP);
    }

    public static long timestamptzKey(byte[] text) {
        return timestamp(text, PgType.TIMESTAMPTZ);
    }

    private static long timestamp(byte[] text, int typeOid) {
        Long infinite = infinity(text);
        if (infinite != null) {
            return infinite;
        }
        Cursor c = new Cursor(text, typeOid);
        long days = c.date();
        c.expect((byte) ' ');
        long micros = c.time();
        long offsetSeconds = typeOid == PgType.TIMESTAMPTZ ? c.offsetSeconds() : 0;
        days = c.era(days);
        c.end();
        return days * MICROS_PER_DAY + micros - offsetSeconds * MICROS_PER_SECOND;
    }

    private static Long infinity(byte[] text) {
        if (matches(text, "infinity")) {
            return Long.MAX_VALUE;
        }
        if (matches(text, "-infinity")) {
            return Long.MIN_VALUE;
        }
        return null;
    }

    private static boolean matches(byte[] text, String word) {
        if (text.length != word.length()) {
            return false;
        }
        for (int i = 0; i < text.length; i++) {
            if (text[i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Days from 2000-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    public static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        int shiftedMonth = month > 2 ? month - 3 : month + 9;
        long dayOfYear = (153L * shiftedMonth + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468 - DAYS_1970_TO_2000;
    }

    /** Reads the ISO layout left to right; any surprise is a DateStyle this class cannot order. */
    private static final class Cursor {
        private final byte[] text;
        private final int typeOid;
        private int pos;
        /** The year as printed, kept for the BC adjustment at the end. */
        private long year;
        private int month;
        private int day;

        Cursor(byte[] text, int typeOid) {
            this.text = text;
            this.typeOid = typeOid;
        }

        long date() {
            year = digits(4, 9);
            expect((byte) '-');
            month = (int) digits(2, 2);
            expect((byte) '-');
            day = (int) digits(2, 2);
            if (month < 1 || month > 12 || day < 1 || day > 31) {
                throw notIso();
            }
            return daysFromCivil(year, month, day);
        }

        /** Applies a trailing " BC": the printed year y is astronomical year 1 - y. */
        long era(long days) {
            if (pos + 3 == text.length && text[pos] == ' ' && text[pos + 1] == 'B' && text[pos + 2] == 'C') {
                pos += 3;
                return daysFromCivil(1 - year, month, day);
            }
            return days;
        }

        long time() {
            long hours = digits(2, 2);
            expect((byte) ':');
            long minutes = digits(2, 2);
            expect((byte) ':');
            long seconds = digits(2, 2);
            long micros = ((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND;
            if (pos < text.length && text[pos] == '.') {
                pos++;
                int start = pos;
                long fraction = digits(1, 6);
                for (int n = pos - start; n < 6; n++) {
                    fraction *= 10;
                }
                micros += fraction;
            }
            return micros;
        }

        /** "+HH", "+HH:MM" or "+HH:MM:SS" (historic local mean time offsets have seconds). */
        long offsetSeconds() {
            if (pos >= text.length || (text[pos] != '+' && text[pos] != '-')) {
                throw notIso();
            }
            int sign = text[pos] == '-' ? -1 : 1;
            pos++;
            long seconds = digits(2, 2) * 3600;
            if (pos < text.length && text[pos] == ':') {
                pos++;
                seconds += digits(2, 2) * 60;
                if (pos < text.length && text[pos] == ':') {
                    pos++;
                    seconds += digits(2, 2);
                }
            }
            return sign * seconds;
        }

        void expect(byte b) {
            if (pos >= text.length || text[pos] != b) {
                throw notIso();
            }
            pos++;
        }

        void end() {
            if (pos != text.length) {
                throw notIso();
            }
        }

        private long digits(int min, int max) {
            long value = 0;
            int start = pos;
            while (pos < text.length && pos - start < max && text[pos] >= '0' && text[pos] <= '9') {
                value = value * 10 + (text[pos] - '0');
                pos++;
            }
            if (pos - start < min) {
                throw notIso();
            }
            return value;
        }

        private ShardProxyException notIso() {
            return ShardProxyException.unsupported(
                    "cannot compare " + PgType.name(typeOid) + " value \""
                            + new String(text, StandardCharsets.UTF_8) + "\" across shards: it is not in DateStyle ISO",
                    "set DateStyle to ISO on the shard connections");
        }
    }
}
