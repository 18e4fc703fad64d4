package io.shardproxy.config;

/**
 * The PostgreSQL type family of a shard key column. int2, int4 and int8 are one family: PostgreSQL
 * hashes equal values of all three to the same hash, so they route identically.
 */
public enum KeyType {
    /** smallint, integer, bigint. */
    INTEGER("integer"),
    /** text, varchar, with a deterministic collation. */
    TEXT("text"),
    /** uuid. */
    UUID("uuid");

    private final String configName;

    KeyType(String configName) {
        this.configName = configName;
    }

    /** The canonical spelling used in YAML. */
    public String configName() {
        return configName;
    }
}
