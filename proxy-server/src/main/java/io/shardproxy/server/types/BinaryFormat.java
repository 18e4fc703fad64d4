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
 * Built-in types are constants here. The overloads with a {@link TypeResolver} also convert
 * user-defined types the resolver describes: an enum takes text's format (enum_send writes the
 * label as text_send does), a domain its base type's (domains over domains, enums and arrays
 * too), an array of an enum or a domain the array format with that enum's or domain's OID in the
 * header. Composites, ranges, multiranges and every other type stay unsupported.
 * {@link #resolve} does the lookups once, for a column's whole life.
 * <p>
 * Both directions refuse what PostgreSQL's input and receive functions refuse, so a wrong value
 * is an error and never wrong bytes: 0A000 for a type without a binary format here, 22P02 or
 * 22003 for bad text, 08P01 for bad binary. The element conversion of an array is its element
 * type's. A SQL NULL is the caller's to handle (length -1 on the wire); these methods see values.
 * <p>
 * Traps: binary -&gt; text -&gt; binary is exact except for a NaN float with a payload (it prints
 * "NaN" and comes back as PostgreSQL's own NaN); jsonb text from a client is normalized, json text
 * is kept; a timestamptz's offset comes from the JDK's tz database, which can differ from the
 * server's for zones whose rules changed between the two releases. Decoding does not check an
 * enum label or a domain's constraints (enum_recv and domain_recv do): the shard checks them.
 */
public final class BinaryFormat {
    /** The longest chain of domains (and one array) followed: more means a cycle in a broken resolver. */
    private static final int MAX_DEPTH = 32;

    private BinaryFormat() {
    }

    /** Whether values of this built-in type convert in both directions. */
    public static boolean supports(int typeOid) {
        return isBuiltIn(typeOid);
    }

    /**
     * Whether values of this type convert in both directions, asking {@code types} about a type
     * that is not built in: {@link #encode(int, byte[], TypeResolver)} and
     * {@link #decode(int, byte[], ZoneId, TypeResolver)} work exactly when this is true.
     */
    public static boolean supports(int typeOid, TypeResolver types) {
        return isBuiltIn(typeOid) || resolve(typeOid, types) != null;
    }

    /**
     * The conversion of {@code typeOid}'s values, or null when it has none: a built-in type, or
     * one {@code types} describes as an enum, a domain over a convertible type, or an array of
     * an enum, a domain over a scalar or a convertible built-in scalar.
     */
    public static BinaryType resolve(int typeOid, TypeResolver types) {
        int t = typeOid;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (isScalar(t)) {
                return new BinaryType(typeOid, t, 0, 0);
            }
            int element = TypeOids.elementOf(t);
            if (element != 0) {
                return new BinaryType(typeOid, element, t, element);
            }
            if (t == 0) {
                return null;
            }
            UserType u = types.typeOf(t);
            switch (u.kind()) {
                case DOMAIN:
                    t = u.related();
                    break;
                case ENUM:
                    return new BinaryType(typeOid, PgType.TEXT, 0, 0);
                case ARRAY:
                    int scalar = elementScalar(u.related(), types);
                    return scalar == 0 ? null : new BinaryType(typeOid, scalar, t, u.related());
                default:
                    return null;
            }
        }
        return null;
    }

    /**
     * The built-in scalar whose format an array element of type {@code element} takes, or 0: an
     * element that is (or is a domain over) an array has no format here.
     */
    private static int elementScalar(int element, TypeResolver types) {
        int t = element;
        for (int depth = 0; depth < MAX_DEPTH && t != 0 && TypeOids.elementOf(t) == 0; depth++) {
            if (isScalar(t)) {
                return t;
            }
            UserType u = types.typeOf(t);
            if (u.kind() == UserType.Kind.ENUM) {
                return PgType.TEXT;
            }
            if (u.kind() != UserType.Kind.DOMAIN) {
                return 0;
            }
            t = u.related();
        }
        return 0;
    }

    /** {@link #resolve}, or 0A000 naming the type. */
    public static BinaryType resolveOrFail(int typeOid, TypeResolver types) {
        BinaryType b = resolve(typeOid, types);
        if (b == null) {
            throw TypeErrors.unsupported(typeOid);
        }
        return b;
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
     * {@link #encode(int, byte[])} for any type {@link #supports(int, TypeResolver)} accepts. For a
     * column's many values, {@link #resolve} once and use {@link BinaryType#encode}.
     */
    public static byte[] encode(int typeOid, byte[] text, TypeResolver types) {
        return isBuiltIn(typeOid) ? encode(typeOid, text) : resolveOrFail(typeOid, types).encode(text);
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

    /** {@link #decode(int, byte[])} for any type {@link #supports(int, TypeResolver)} accepts. */
    public static byte[] decode(int typeOid, byte[] binary, TypeResolver types) {
        return decode(typeOid, binary, ZoneOffset.UTC, types);
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

    /** {@link #decode(int, byte[], ZoneId)} for any type {@link #supports(int, TypeResolver)} accepts. */
    public static byte[] decode(int typeOid, byte[] binary, ZoneId sessionZone, TypeResolver types) {
        return isBuiltIn(typeOid) ? decode(typeOid, binary, sessionZone)
                : resolveOrFail(typeOid, types).decode(binary, sessionZone);
    }

    /**
     * A binary array with {@code elementOid} in its header instead of the one it has, the same
     * array when they are equal (or when it is too short to be an array: its receiver refuses
     * it). For an array of a user-defined type bound by a client with the catalog shard's OIDs
     * and sent to another shard, whose array_recv wants that shard's OID of the element type.
     */
    public static byte[] withElementType(byte[] binaryArray, int elementOid) {
        return ArrayCodec.withElementType(binaryArray, elementOid);
    }

    /** The element type OID in a binary array's header, or 0 when it is too short to have one. */
    public static int elementTypeOf(byte[] binaryArray) {
        return ArrayCodec.elementTypeOf(binaryArray);
    }

    private static boolean isBuiltIn(int typeOid) {
        int element = TypeOids.elementOf(typeOid);
        return isScalar(element != 0 ? element : typeOid);
    }

    static boolean isScalar(int typeOid) {
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

    static byte[] encodeScalar(int typeOid, byte[] text) {
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

    static byte[] decodeScalar(int typeOid, byte[] binary, ZoneId zone) {
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
