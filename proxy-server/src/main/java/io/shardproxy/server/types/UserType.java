package io.shardproxy.server.types;

/**
 * A type as far as its binary format goes, from {@code pg_type}: an enum (typtype 'e', sent as
 * its label like text), a domain (typtype 'd', sent as its base type {@code typbasetype}), an
 * array (typsend array_send, elements of type {@code typelem}), or anything else (composites,
 * ranges, multiranges, pseudo-types, base types of extensions, OIDs not in the catalog).
 *
 * @param kind    which of the four
 * @param related the domain's base type, the array's element type, else 0
 */
public record UserType(Kind kind, int related) {
    /** The type families {@link BinaryFormat} tells apart. */
    public enum Kind { ENUM, DOMAIN, ARRAY, OTHER }

    public static final UserType ENUM = new UserType(Kind.ENUM, 0);
    public static final UserType OTHER = new UserType(Kind.OTHER, 0);

    public static UserType domainOver(int baseType) {
        return new UserType(Kind.DOMAIN, baseType);
    }

    public static UserType arrayOf(int elementType) {
        return new UserType(Kind.ARRAY, elementType);
    }
}
