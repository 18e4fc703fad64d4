package io.shardproxy.server.types;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.nio.charset.StandardCharsets;

/**
 * The errors of this package, worded as PostgreSQL words them where it has a word: text that is
 * not valid input is 22P02 (22003 when only its size is wrong), binary that is not a valid send
 * format is 08P01 (PostgreSQL's own 22P03 and 22008 are not in {@link SqlState}), and a type
 * without a binary format here is 0A000.
 */
final class TypeErrors {

    private TypeErrors() {
    }

    static ShardProxyException unsupported(int typeOid) {
        String name = TypeOids.name(typeOid);
        String type = name == null ? "OID " + Integer.toUnsignedString(typeOid)
                : name + " (OID " + Integer.toUnsignedString(typeOid) + ")";
        return new ShardProxyException(SqlState.FEATURE_NOT_SUPPORTED, "binary format for type " + type
                + " is not supported by ShardProxy; request text format for this column");
    }

    /** 22P02: invalid input syntax for type X: "text". */
    static ShardProxyException badText(int typeOid, byte[] text) {
        return new ShardProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + name(typeOid) + ": \"" + quoted(text) + "\"");
    }

    /** 22003: value "text" is out of range for type X. */
    static ShardProxyException outOfRange(int typeOid, byte[] text) {
        return new ShardProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"" + quoted(text) + "\" is out of range for type " + name(typeOid));
    }

    /** 08P01: incorrect binary data format for type X: why. */
    static ShardProxyException badBinary(int typeOid, String why) {
        return new ShardProxyException(SqlState.PROTOCOL_VIOLATION,
                "incorrect binary data format for type " + name(typeOid) + ": " + why);
    }

    /** The type's SQL name, or "OID n" for a type this package has no name for (a user-defined array). */
    private static String name(int typeOid) {
        String name = TypeOids.name(typeOid);
        return name != null ? name : "OID " + Integer.toUnsignedString(typeOid);
    }

    /** The text as a message may show it: lossy for bytes that are not UTF-8, and cut at 200 chars. */
    private static String quoted(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
