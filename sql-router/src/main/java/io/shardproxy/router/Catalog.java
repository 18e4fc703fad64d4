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

    /**
     * The type OIDs of the columns a query returns, as a shard describes it (the query is run
     * with no rows to return). Used once per statement shape, e.g. to know whether a GROUP BY key
     * is text or an aggregate's argument is float. A shard's error (a missing column, say)
     * propagates as the statement's own error.
     */
    List<Integer> describe(String query);
}
