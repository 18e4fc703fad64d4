package io.shardproxy.config;

/**
 * A table with a full, identical copy on every shard: reads go to one shard, writes to all.
 *
 * @param name table name as written in SQL, optionally schema-qualified
 */
public record ReferenceTableConfig(String name) {
}
