package io.shardproxy.server.types;

import io.shardproxy.error.ShardProxyException;

/**
 * The DateStyle ISO text of date, time, timestamp, timestamptz and timetz, read left to right and
 * written as EncodeDateOnly, EncodeTimeOnly and EncodeDateTime write it:
 * <pre>
 *   date      YYYY-MM-DD[ BC]                         year at least four digits, 1 BC = year 0
 *   time      HH:MM:SS[.ffffff]                        fraction without trailing zeros
 *   offset    +HH | +HH:MM | +HH:MM:SS                 sign always; +00 for UTC
 *   timestamp YYYY-MM-DD HH:MM:SS[.ffffff][offset][ BC]   " BC" comes after the offset
 * </pre>
 * A reader is one value's cursor; anything else in the text is 22P02, an impossible field
 * (month 13, 25:00, February 30) too.
 */
final class DateTimeText {
    private final byte[] text;
    private final int typeOid;
    private int pos;
    private long year;
    private int month;
    private int day;

    DateTimeText(int typeOid, byte[] text) {
        this.typeOid = typeOid;
        this.text = text;
    }

    /** Whether the whole text is the word. */
    static boolean is(byte[] text, String word) {
        return Ascii.equalsIgnoreCase(text, word) && text.length == word.length();
    }

    /** Reads YYYY-MM-DD; the day is checked against the month once the era is known ({@link #days}). */
    void date() {
        year = digits(4, 9);
        expect('-');
        month = (int) digits(2, 2);
        expect('-');
        day = (int) digits(2, 2);
        if (month < 1 || month > 12 || day < 1 || year == 0) {
            throw bad();
        }
    }

    /** Consumes an optional " BC", then returns the date read by {@link #date} as days from 2000-01-01. */
    long days() {
        if (pos + 3 <= text.length && text[pos] == ' ' && text[pos + 1] == 'B' && text[pos + 2] == 'C') {
            pos += 3;
            year = 1 - year;
        }
        if (day > Civil.daysInMonth(year, month)) {
            throw bad();
        }
        return Civil.days(year, month, day);
    }

    /** HH:MM:SS[.f{1,6}] as microseconds of the day, 24:00:00 included. */
    long time() {
        long hours = digits(2, 2);
        expect(':');
        long minutes = digits(2, 2);
        expect(':');
        long seconds = digits(2, 2);
        long micros = 0;
        if (pos < text.length && text[pos] == '.') {
            pos++;
            int start = pos;
            micros = digits(1, 6);
            for (int n = pos - start; n < 6; n++) {
                micros *= 10;
            }
        }
        if (minutes > 59 || seconds > 59 || hours > 24 || hours == 24 && (minutes | seconds | micros) != 0) {
            throw bad();
        }
        return ((hours * 60 + minutes) * 60 + seconds) * Civil.MICROS_PER_SECOND + micros;
    }

    /** +HH[:MM[:SS]] or -..., as seconds east of Greenwich. */
    int offsetSeconds() {
        if (pos >= text.length || text[pos] != '+' && text[pos] != '-') {
            throw bad();
        }
        int sign = text[pos] == '-' ? -1 : 1;
        pos++;
        long hours = digits(2, 2);
        long minutes = 0;
        long seconds = 0;
        if (pos < text.length && text[pos] == ':') {
            pos++;
            minutes = digits(2, 2);
            if (pos < text.length && text[pos] == ':') {
                pos++;
                seconds = digits(2, 2);
            }
        }
        if (hours > 15 || minutes > 59 || seconds > 59) {
            throw bad();
        }
        return (int) (sign * ((hours * 60 + minutes) * 60 + seconds));
    }

    void expect(char c) {
        if (pos >= text.length || text[pos] != c) {
            throw bad();
        }
        pos++;
    }

    void end() {
        if (pos != text.length) {
            throw bad();
        }
    }

    ShardProxyException bad() {
        return TypeErrors.badText(typeOid, text);
    }

    private long digits(int min, int max) {
        long value = 0;
        int start = pos;
        while (pos < text.length && pos - start < max && Ascii.isDigit(text[pos])) {
            value = value * 10 + (text[pos] - '0');
            pos++;
        }
        if (pos - start < min) {
            throw bad();
        }
        return value;
    }

    /** Appends YYYY-MM-DD and returns whether the date is BC (its " BC" goes at the very end). */
    static boolean appendDate(StringBuilder out, long days) {
        long[] ymd = Civil.civil(days);
        long year = ymd[0] > 0 ? ymd[0] : 1 - ymd[0];
        pad(out, year, 4);
        out.append('-');
        pad(out, ymd[1], 2);
        out.append('-');
        pad(out, ymd[2], 2);
        return ymd[0] <= 0;
    }

    /** Appends HH:MM:SS and the fraction without trailing zeros (AppendSeconds). */
    static void appendTime(StringBuilder out, long micros) {
        long seconds = micros / Civil.MICROS_PER_SECOND;
        pad(out, seconds / 3600, 2);
        out.append(':');
        pad(out, seconds / 60 % 60, 2);
        out.append(':');
        pad(out, seconds % 60, 2);
        appendFraction(out, micros % Civil.MICROS_PER_SECOND);
    }

    /** ".ffffff" without trailing zeros, nothing for 0; the fraction's sign is ignored. */
    static void appendFraction(StringBuilder out, long micros) {
        if (micros == 0) {
            return;
        }
        String f = Long.toString(Math.abs(micros) + 1_000_000).substring(1);
        int end = f.length();
        while (f.charAt(end - 1) == '0') {
            end--;
        }
        out.append('.').append(f, 0, end);
    }

    /** EncodeTimezone: +HH, +HH:MM or +HH:MM:SS for seconds east of Greenwich; "+00" for 0. */
    static void appendOffset(StringBuilder out, int eastSeconds) {
        int abs = Math.abs(eastSeconds);
        out.append(eastSeconds >= 0 ? '+' : '-');
        pad(out, abs / 3600, 2);
        if (abs % 60 != 0) {
            out.append(':');
            pad(out, abs / 60 % 60, 2);
            out.append(':');
            pad(out, abs % 60, 2);
        } else if (abs / 60 % 60 != 0) {
            out.append(':');
            pad(out, abs / 60 % 60, 2);
        }
    }

    static void pad(StringBuilder out, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            out.append('0');
        }
        out.append(s);
    }
}
