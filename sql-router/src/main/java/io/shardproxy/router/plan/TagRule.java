package io.shardproxy.router.plan;

/** How the command tags (and rows) of the shards of one statement become the client's result. */
public enum TagRule {
    /** One statement ran: its rows and tag go to the client unchanged. */
    PASSTHROUGH,
    /** A write split across shards: row counts add up ({@code INSERT 0 n}, {@code UPDATE n}); RETURNING rows concatenate. */
    SUM,
    /** The same statement on every shard (DDL, reference-table writes): the first shard's rows and tag stand for all. */
    FIRST,
    /** A fan-out read: the tag is {@code SELECT n} with n the number of merged rows sent. */
    SELECT_ROWS
}
