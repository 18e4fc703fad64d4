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
        int element = PgType.arrayElement(arrayOid);
        return element != 0 && BinaryFormat.isScalar(element) ? element : 0;
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
