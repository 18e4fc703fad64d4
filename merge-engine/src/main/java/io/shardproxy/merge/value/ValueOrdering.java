package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * PostgreSQL's default ordering of non-null values of one type, read from their text format.
 * Each comparator orders exactly as the type's btree operator class does; NULLs are the caller's
 * business. Types with no comparator here are refused with 0A000 rather than ordered wrongly,
 * and so is collatable text unless the shards collate by bytes: String.compareTo orders UTF-16
 * units, which is neither C nor any locale's order.
 */
public final class ValueOrdering {

    private static final Comparator<byte[]> BYTEWISE = Arrays::compareUnsigned;
    /** What works instead (COLLATE in the statement is not accepted across shards). */
    public static final String NO_TEXT_ORDER_HINT = "create the shard databases with the C collation (libc, not ICU),"
            + " or target one shard with an equality on the shard key";

    private ValueOrdering() {
    }

    /**
     * The comparator for a type OID.
     *
     * @param bytewiseText whether the shards collate text by bytes (C, POSIX, C.UTF-8)
     * @throws ShardProxyException 0A000 for a type without a known ordering, or for text when
     *                             {@code bytewiseText} is false
     */
    public static Comparator<byte[]> forType(int typeOid, boolean bytewiseText) {
        switch (typeOid) {
            case PgType.INT2:
            case PgType.INT4:
            case PgType.INT8:
            case PgType.OID:
                return PgInt::compare;
            case PgType.FLOAT4:
                return (a, b) -> PgFloat.compare(PgFloat.parseFloat(a), PgFloat.parseFloat(b));
            case PgType.FLOAT8:
                return (a, b) -> PgFloat.compare(PgFloat.parseDouble(a), PgFloat.parseDouble(b));
            case PgType.NUMERIC:
                return (a, b) -> PgNumeric.parse(a).compareTo(PgNumeric.parse(b));
            case PgType.BOOL:
            case PgType.UUID:
                // 'f' < 't'; uuid_out writes fixed-width lower-case hex, so bytes order as the uuid.
                return BYTEWISE;
            case PgType.BYTEA:
                return ValueOrdering::compareBytea;
            case PgType.CHAR:
                // "char" is not collatable: PostgreSQL compares it as one unsigned byte.
                return (a, b) -> Integer.compare(charByte(a), charByte(b));
            case PgType.TEXT:
            case PgType.VARCHAR:
            case PgType.NAME:
                requireBytewise(bytewiseText);
                return BYTEWISE;
            case PgType.BPCHAR:
                requireBytewise(bytewiseText);
                return (a, b) -> Arrays.compareUnsigned(a, 0, withoutTrailingSpaces(a), b, 0, withoutTrailingSpaces(b));
            case PgType.DATE:
                return (a, b) -> Long.compare(PgDateTime.dateKey(a), PgDateTime.dateKey(b));
            case PgType.TIME:
                return (a, b) -> Long.compare(PgDateTime.timeKey(a), PgDateTime.timeKey(b));
            case PgType.TIMESTAMP:
                return (a, b) -> Long.compare(PgDateTime.timestampKey(a), PgDateTime.timestampKey(b));
            case PgType.TIMESTAMPTZ:
                return (a, b) -> Long.compare(PgDateTime.timestamptzKey(a), PgDateTime.timestamptzKey(b));
            case PgType.INTERVAL:
                return (a, b) -> PgInterval.key(a).compareTo(PgInterval.key(b));
            default:
                throw ShardProxyException.unsupported(
                        "ordering values of " + PgType.describe(typeOid) + " across shards is not supported",
                        "order or aggregate by a column of a supported type, or run the query on a single shard");
        }
    }

    private static void requireBytewise(boolean bytewiseText) {
        if (!bytewiseText) {
            throw ShardProxyException.unsupported(
                    "ordering text across shards needs a C collation on the shards (the shards use another)",
                    NO_TEXT_ORDER_HINT);
        }
    }

    /** bpchar compares without trailing spaces (bcTruelen), so "a " &lt; "a\t". */
    private static int withoutTrailingSpaces(byte[] text) {
        int end = text.length;
        while (end > 0 && text[end - 1] == ' ') {
            end--;
        }
        return end;
    }

    /** charout writes bytes with the high bit set as "\ooo", others (even '\') as themselves. */
    private static int charByte(byte[] text) {
        if (text.length == 0) {
            return 0;
        }
        if (text.length == 4 && text[0] == '\\') {
            return ((text[1] - '0') << 6) | ((text[2] - '0') << 3) | (text[3] - '0');
        }
        return text[0] & 0xff;
    }

    /** bytea in hex output ("\x0aff"): lower-case hex digit pairs order as the bytes they encode. */
    private static int compareBytea(byte[] a, byte[] b) {
        requireHex(a);
        requireHex(b);
        return Arrays.compareUnsigned(a, 2, a.length, b, 2, b.length);
    }

    private static void requireHex(byte[] text) {
        if (text.length < 2 || text[0] != '\\' || text[1] != 'x') {
            throw ShardProxyException.unsupported(
                    "cannot compare bytea value \"" + new String(text, StandardCharsets.UTF_8)
                            + "\" across shards: it is not in hex format",
                    "set bytea_output to hex on the shard connections");
        }
    }
}
