package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

/**
 * date, time, timestamp, timestamptz and timetz in their send formats:
 * <pre>
 *   date         Int32   days from 2000-01-01; INT32_MIN/MAX are -infinity/infinity
 *   time         Int64   microseconds of the day, 0 .. 86400000000
 *   timestamp    Int64   microseconds from 2000-01-01 00:00; INT64_MIN/MAX are -infinity/infinity
 *   timestamptz  Int64   the same, in UTC
 *   timetz       Int64   microseconds of the day, then Int32 zone in seconds WEST of Greenwich
 * </pre>
 * Text is DateStyle ISO ({@link DateTimeText}). A timestamptz prints in the session's time zone
 * with the offset in force at that instant, as timestamptz_out does through pg_localtime; the
 * offsets come from the JDK's tz database, which must agree with the server's for text to match
 * byte for byte (it does for every zone whose rules did not change between the two releases).
 */
final class DateTimeCodec {
    /** TZDISP_LIMIT: a timetz zone must lie strictly within 16 hours. */
    private static final int ZONE_LIMIT = 16 * 3600;

    private DateTimeCodec() {
    }

    static byte[] encode(int typeOid, byte[] text) {
        switch (typeOid) {
            case PgType.DATE: return ByteBuffer.allocate(4).putInt(dateIn(text)).array();
            case PgType.TIME: return ByteBuffer.allocate(8).putLong(timeIn(typeOid, text)).array();
            case TypeOids.TIMETZ: return timetzIn(text);
            default: return ByteBuffer.allocate(8).putLong(timestampIn(typeOid, text)).array();
        }
    }

    static byte[] decode(int typeOid, byte[] binary, ZoneId zone) {
        BinaryReader in = new BinaryReader(typeOid, binary);
        StringBuilder out = new StringBuilder(40);
        switch (typeOid) {
            case PgType.DATE:
                dateOut(out, in.int32());
                break;
            case PgType.TIME:
                DateTimeText.appendTime(out, checkedTime(typeOid, in.int64()));
                break;
            case TypeOids.TIMETZ:
                DateTimeText.appendTime(out, checkedTime(typeOid, in.int64()));
                int zoneWest = in.int32();
                if (zoneWest <= -ZONE_LIMIT || zoneWest >= ZONE_LIMIT) {
                    throw TypeErrors.badBinary(typeOid, "time zone displacement out of range");
                }
                DateTimeText.appendOffset(out, -zoneWest);
                break;
            default:
                timestampOut(out, typeOid, in.int64(), zone);
        }
        in.end();
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int dateIn(byte[] text) {
        if (DateTimeText.is(text, "infinity")) {
            return Civil.DATE_INFINITY;
        }
        if (DateTimeText.is(text, "-infinity")) {
            return Civil.DATE_NEG_INFINITY;
        }
        DateTimeText t = new DateTimeText(PgType.DATE, text);
        t.date();
        long days = t.days();
        t.end();
        if (days < Civil.DATE_MIN || days >= Civil.DATE_END) {
            throw TypeErrors.outOfRange(PgType.DATE, text);
        }
        return (int) days;
    }

    private static long timeIn(int typeOid, byte[] text) {
        DateTimeText t = new DateTimeText(typeOid, text);
        long micros = t.time();
        t.end();
        return micros;
    }

    private static byte[] timetzIn(byte[] text) {
        DateTimeText t = new DateTimeText(TypeOids.TIMETZ, text);
        long micros = t.time();
        int east = t.offsetSeconds();
        t.end();
        return ByteBuffer.allocate(12).putLong(micros).putInt(-east).array();
    }

    /** timestamp, or timestamptz (whose text carries an offset), as microseconds UTC. */
    private static long timestampIn(int typeOid, byte[] text) {
        if (DateTimeText.is(text, "infinity")) {
            return Civil.TIMESTAMP_INFINITY;
        }
        if (DateTimeText.is(text, "-infinity")) {
            return Civil.TIMESTAMP_NEG_INFINITY;
        }
        DateTimeText t = new DateTimeText(typeOid, text);
        t.date();
        t.expect(' ');
        long micros = t.time();
        int east = typeOid == PgType.TIMESTAMPTZ ? t.offsetSeconds() : 0;
        long days = t.days();
        t.end();
        // The day check first keeps the multiplication inside the long range.
        if (days < Civil.DATE_MIN - 1 || days > Civil.DATE_END) {
            throw TypeErrors.outOfRange(typeOid, text);
        }
        long value = days * Civil.MICROS_PER_DAY + micros - east * Civil.MICROS_PER_SECOND;
        if (value < Civil.TIMESTAMP_MIN || value >= Civil.TIMESTAMP_END) {
            throw TypeErrors.outOfRange(typeOid, text);
        }
        return value;
    }

    private static void dateOut(StringBuilder out, int days) {
        if (days == Civil.DATE_INFINITY) {
            out.append("infinity");
        } else if (days == Civil.DATE_NEG_INFINITY) {
            out.append("-infinity");
        } else if (days < Civil.DATE_MIN || days >= Civil.DATE_END) {
            throw TypeErrors.badBinary(PgType.DATE, "date out of range");
        } else if (DateTimeText.appendDate(out, days)) {
            out.append(" BC");
        }
    }

    private static long checkedTime(int typeOid, long micros) {
        if (micros < 0 || micros > Civil.MICROS_PER_DAY) {
            throw TypeErrors.badBinary(typeOid, "time out of range");
        }
        return micros;
    }

    private static void timestampOut(StringBuilder out, int typeOid, long micros, ZoneId zone) {
        if (micros == Civil.TIMESTAMP_INFINITY) {
            out.append("infinity");
            return;
        }
        if (micros == Civil.TIMESTAMP_NEG_INFINITY) {
            out.append("-infinity");
            return;
        }
        if (micros < Civil.TIMESTAMP_MIN || micros >= Civil.TIMESTAMP_END) {
            throw TypeErrors.badBinary(typeOid, "timestamp out of range");
        }
        int east = 0;
        if (typeOid == PgType.TIMESTAMPTZ) {
            long epochSecond = Math.floorDiv(micros, Civil.MICROS_PER_SECOND) + Civil.EPOCH_2000_SECONDS;
            east = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        }
        long local = micros + east * Civil.MICROS_PER_SECOND;
        boolean bc = DateTimeText.appendDate(out, Math.floorDiv(local, Civil.MICROS_PER_DAY));
        out.append(' ');
        DateTimeText.appendTime(out, Math.floorMod(local, Civil.MICROS_PER_DAY));
        if (typeOid == PgType.TIMESTAMPTZ) {
            DateTimeText.appendOffset(out, east);
        }
        if (bc) {
            out.append(" BC");
        }
    }
}
