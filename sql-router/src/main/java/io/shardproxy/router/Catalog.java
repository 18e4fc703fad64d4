package io.shardproxy.router;

import java.util.List;

/**
 * What the router needs to know about the schema that the SQL text does not say. The server
 * answers from a shard (and caches); tests answer from memory.
 */
public interface Catalog {

    /** The table's column names in definition order, or null when unknown. */
    List<String> columns(String table);

    /** True when {@code function} (lower case, unqualified) names an aggregate function. */
    boolean isAggregate(String function);
}
