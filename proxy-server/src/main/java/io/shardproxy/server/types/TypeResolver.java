package io.shardproxy.server.types;

/**
 * What the catalog says of a type OID that {@link BinaryFormat} has no constant for: whether it
 * is an enum, a domain (over which type), an array (of which element type), or something else.
 * The answer must come from the same server as the OID (the catalog shard's, after translation),
 * and must be cheap after the first call for an OID: {@link BinaryFormat} may ask at every Bind.
 * An implementation may throw (the catalog server is down); the caller then fails with it.
 */
@FunctionalInterface
public interface TypeResolver {
    /** Knows no type beyond the ones {@link BinaryFormat} has constants for. */
    TypeResolver BUILT_IN = typeOid -> UserType.OTHER;

    /** The kind of {@code typeOid}; {@link UserType#OTHER} for a type it does not know. */
    UserType typeOf(int typeOid);
}
