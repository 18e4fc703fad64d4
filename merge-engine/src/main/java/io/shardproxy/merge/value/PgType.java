package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.nio.charset.StandardCharsets;

/**
 * The PostgreSQL type OIDs the merge engine knows (values of {@code pg_type.oid}, fixed in every
 * PostgreSQL since 8.x), with the names {@code format_type} prints, for messages.
 */
public final class PgType {
    public static final int BOOL = 16;
    public static final int BYTEA = 17;

    /**
     * The element type of a built-in array type, or 0 for any other OID: the one table of
     * PostgreSQL's array type OIDs (pg_type.typarray) the modules share.
     */
    public static int arrayElement(int arrayTypeOid) {
        switch (arrayTypeOid) {
            case 1000: return BOOL;
            case 1001: return BYTEA;
            case 1002: return CHAR;
            case 1003: return NAME;
            case 1005: return INT2;
            case 1007: return INT4;
            case 1009: return TEXT;
            case 1014: return BPCHAR;
            case 1015: return VARCHAR;
            case 1016: return INT8;
            case 1021: return FLOAT4;
            case 1022: return FLOAT8;
            case 1028: return OID;
            case 791: return MONEY;
            case 1115: return TIMESTAMP;
            case 1182: return DATE;
            case 1183: return TIME;
            case 1185: return TIMESTAMPTZ;
            case 1187: return INTERVAL;
            case 1231: return NUMERIC;
            case 1270: return 1266;
            case 199: return 114;
            case 2951: return UUID;
            case 3807: return 3802;
            default: return 0;
        }
    }

    /** The one-byte internal type {@code "char"}, not {@code char(n)}. */
    public static final int CHAR = 18;
    public static final int NAME = 19;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int OID = 26;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int MONEY = 790;
    /** {@code char(n)}: compares without its trailing spaces. */
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIME = 1083;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int INTERVAL = 1186;
    public static final int NUMERIC = 1700;
    public static final int UUID = 2950;

    private PgType() {
    }

    /** The SQL name of a type, e.g. "bigint", or "type OID 1234" for one this class does not know. */
    public static String name(int typeOid) {
        switch (typeOid) {
            case BOOL: return "boolean";
            case BYTEA: return "bytea";
            case CHAR: return "\"char\"";
            case NAME: return "name";
            case INT8: return "bigint";
            case INT2: return "smallint";
            case INT4: return "integer";
            case TEXT: return "text";
            case OID: return "oid";
            case FLOAT4: return "real";
            case FLOAT8: return "double precision";
            case MONEY: return "money";
            case BPCHAR: return "character";
            case VARCHAR: return "character varying";
            case DATE: return "date";
            case TIME: return "time without time zone";
            case TIMESTAMP: return "timestamp without time zone";
            case TIMESTAMPTZ: return "timestamp with time zone";
            case INTERVAL: return "interval";
            case NUMERIC: return "numeric";
            case UUID: return "uuid";
            default: return "type OID " + typeOid;
        }
    }

    /** The name and OID, e.g. "interval (type OID 1186)", or "type OID 1234" for an unknown type. */
    public static String describe(int typeOid) {
        String name = name(typeOid);
        return name.startsWith("type OID") ? name : name + " (type OID " + typeOid + ")";
    }

    /** XX000 for a value a shard sent that is not valid text output of its type. */
    static ShardProxyException malformed(int typeOid, byte[] text) {
        return new ShardProxyException(SqlState.INTERNAL_ERROR,
                "a shard sent \"" + new String(text, StandardCharsets.UTF_8) + "\" as a " + name(typeOid) + " value");
    }
}
