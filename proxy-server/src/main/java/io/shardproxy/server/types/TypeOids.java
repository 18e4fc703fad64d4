package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

/**
 * The type OIDs with a binary format here beyond those {@link PgType} names, the array types
 * over every supported element type, and the names {@code format_type} prints for messages.
 * OIDs are fixed in every PostgreSQL since 9.4 (jsonb), so they are constants.
 */
final class TypeOids {
    static final int JSON = 114;
    static final int TIMETZ = 1266;
    static final int JSONB = 3802;

    private TypeOids() {
    }

    /** The element type of a supported array type, or 0 for any other OID. */
    static int elementOf(int arrayOid) {
        switch (arrayOid) {
            case 1000: return PgType.BOOL;
            case 1001: return PgType.BYTEA;
            case 1002: return PgType.CHAR;
            case 1003: return PgType.NAME;
            case 1005: return PgType.INT2;
            case 1007: return PgType.INT4;
            case 1009: return PgType.TEXT;
            case 1014: return PgType.BPCHAR;
            case 1015: return PgType.VARCHAR;
            case 1016: return PgType.INT8;
            case 1021: return PgType.FLOAT4;
            case 1022: return PgType.FLOAT8;
            case 1028: return PgType.OID;
            case 1115: return PgType.TIMESTAMP;
            case 1182: return PgType.DATE;
            case 1183: return PgType.TIME;
            case 1185: return PgType.TIMESTAMPTZ;
            case 1187: return PgType.INTERVAL;
            case 1231: return PgType.NUMERIC;
            case 1270: return TIMETZ;
            case 199: return JSON;
            case 2951: return PgType.UUID;
            case 3807: return JSONB;
            default: return 0;
        }
    }

    /** The SQL name, e.g. "integer[]", or null for an OID this package does not know. */
    static String name(int typeOid) {
        switch (typeOid) {
            case JSON: return "json";
            case TIMETZ: return "time with time zone";
            case JSONB: return "jsonb";
            default:
                int element = elementOf(typeOid);
                if (element != 0) {
                    return name(element) + "[]";
                }
                String name = PgType.name(typeOid);
                return name.startsWith("type OID") ? null : name;
        }
    }
}
