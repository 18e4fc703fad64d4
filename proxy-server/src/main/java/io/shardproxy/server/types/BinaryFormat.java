package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * PostgreSQL's binary format for the types ShardProxy can convert, by type OID. The proxy reads
 * shards in text format only; a client may still ask for binary results (Bind's result format
 * codes) or send binary parameters. {@link #encode} turns a shard's text output of a value into
 * the bytes {@code <type>send} would have produced; {@link #decode} turns a client's binary
 * value into the text {@code <type>out} would print. Text is DateStyle ISO, IntervalStyle
 * postgres and UTF-8, floats print with extra_float_digits &gt;= 1.
 * <p>
 * Both directions refuse what PostgreSQL's input and receive functions refuse, so a wrong value
 * is an error and never wrong bytes: 0A000 for a type without a binary format here, 22P02 or
 * 22003 for bad text, 08P01 for bad binary. The element conversion of an array is its element
 * type's. A SQL NULL is the caller's to handle (length -1 on the wire); these methods see values.
 * <p>
 * Traps: binary -&gt; text -&gt; binary is exact except for a NaN float with a payload (it prints
 * "NaN" and comes back as PostgreSQL's own NaN); jsonb text from a client is normalized, json text
 * is kept; a timestamptz's offset comes from the JDK's tz database, which can differ from the
 * server's for zones whose rules changed between the two releases.
 */
public final class BinaryFormat {

    private BinaryFormat() {
    }

    /** Whether values of this type convert in both directions. */
    public static boolean supports(int typeOid) {
        int element = TypeOids.elementOf(typeOid);
        return isScalar(element != 0 ? element : typeOid);
    }

    /**
     * The send format of a value given in text output format.
     *
     * @throws io.shardproxy.error.ShardProxyException 0A000 unless {@link #supports}, 22P02 or
     *         22003 for text the type's input function would refuse
     */
    public static byte[] encode(int typeOid, byte[] text) {
        int element = TypeOids.elementOf(typeOid);
        if (element != 0) {
            return ArrayCodec.encode(typeOid, element, text, e -> encodeScalar(element, e));
        }
        return encodeScalar(typeOid, text);
    }

    /**
     * The text output of a value given in send format; timestamptz prints in UTC (+00), which
     * names the same instant as any other zone would, so it suits parameters.
     *
     * @throws io.shardproxy.error.ShardProxyException 0A000 unless {@link #supports}, 08P01 for
     *         bytes the type's receive function would refuse
     */
    public static byte[] decode(int typeOid, byte[] binary) {
        return decode(typeOid, binary, ZoneOffset.UTC);
    }

    /**
     * The text output of a value given in send format, a timestamptz (alone or in an array) in
     * the session's time zone with the offset in force at that instant, as timestamptz_out prints
     * it under that TimeZone setting. A timetz carries its own offset.
     */
    public static byte[] decode(int typeOid, byte[] binary, ZoneId sessionZone) {
        int element = TypeOids.elementOf(typeOid);
        if (element != 0) {
            return ArrayCodec.decode(typeOid, element, binary, e -> decodeScalar(element, e, sessionZone));
        }
        return decodeScalar(typeOid, binary, sessionZone);
    }

    private static boolean isScalar(int typeOid) {
        switch (typeOid) {
            case PgType.BOOL: case PgType.BYTEA: case PgType.CHAR: case PgType.NAME: case PgType.INT8:
            case PgType.INT2: case PgType.INT4: case PgType.TEXT: case PgType.OID: case TypeOids.JSON:
            case PgType.FLOAT4: case PgType.FLOAT8: case PgType.BPCHAR: case PgType.VARCHAR: case PgType.DATE:
            case PgType.TIME: case PgType.TIMESTAMP: case PgType.TIMESTAMPTZ: case PgType.INTERVAL:
            case TypeOids.TIMETZ: case PgType.NUMERIC: case PgType.UUID: case TypeOids.JSONB:
                return true;
            default:
                return false;
        }
    }

    private static byte[] encodeScalar(int typeOid, byte[] text) {
        switch (typeOid) {
            case PgType.BOOL: return BoolCodec.encode(text);
            case PgType.BYTEA: return ByteaCodec.encode(text);
            case PgType.CHAR: case PgType.NAME: case PgType.TEXT: case PgType.BPCHAR: case PgType.VARCHAR:
                return TextCodec.encode(typeOid, text);
            case PgType.INT2: case PgType.INT4: case PgType.INT8: case PgType.OID:
                return IntCodec.encode(typeOid, text);
            case PgType.FLOAT4: case PgType.FLOAT8: return FloatCodec.encode(typeOid, text);
            case TypeOids.JSON: case TypeOids.JSONB: return JsonCodec.encode(typeOid, text);
            case PgType.DATE: case PgType.TIME: case PgType.TIMESTAMP: case PgType.TIMESTAMPTZ: case TypeOids.TIMETZ:
                return DateTimeCodec.encode(typeOid, text);
            case PgType.INTERVAL: return IntervalCodec.encode(text);
            case PgType.NUMERIC: return NumericCodec.encode(text);
            case PgType.UUID: return UuidCodec.encode(text);
            default: throw TypeErrors.unsupported(typeOid);
        }
    }

    private static byte[] decodeScalar(int typeOid, byte[] binary, ZoneId zone) {
        switch (typeOid) {
            case PgType.BOOL: return BoolCodec.decode(binary);
            case PgType.BYTEA: return ByteaCodec.decode(binary);
            case PgType.CHAR: case PgType.NAME: case PgType.TEXT: case PgType.BPCHAR: case PgType.VARCHAR:
                return TextCodec.decode(typeOid, binary);
            case PgType.INT2: case PgType.INT4: case PgType.INT8: case PgType.OID:
                return IntCodec.decode(typeOid, binary);
            case PgType.FLOAT4: case PgType.FLOAT8: return FloatCodec.decode(typeOid, binary);
            case TypeOids.JSON: case TypeOids.JSONB: return JsonCodec.decode(typeOid, binary);
            case PgType.DATE: case PgType.TIME: case PgType.TIMESTAMP: case PgType.TIMESTAMPTZ: case TypeOids.TIMETZ:
                return DateTimeCodec.decode(typeOid, binary, zone);
            case PgType.INTERVAL: return IntervalCodec.decode(binary);
            case PgType.NUMERIC: return NumericCodec.decode(binary);
            case PgType.UUID: return UuidCodec.decode(binary);
            default: throw TypeErrors.unsupported(typeOid);
        }
    }
}
