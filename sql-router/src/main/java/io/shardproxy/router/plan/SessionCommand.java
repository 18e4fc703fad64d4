package io.shardproxy.router.plan;

/** Statements that change session settings rather than data. */
public enum SessionCommand {
    /** SET [SESSION] name ...: remembered and applied to every shard connection the session uses. */
    SET,
    /** SET LOCAL name ... or SET TRANSACTION ...: for the current transaction only. */
    SET_LOCAL,
    /** RESET name. */
    RESET,
    /** RESET ALL. */
    RESET_ALL,
    /** DISCARD ALL: forget every setting. */
    DISCARD_ALL,
    /** DISCARD PLANS / SEQUENCES / TEMP: nothing the proxy keeps; answered without a shard. */
    DISCARD_OTHER,
    /** PREPARE name AS statement: a prepared statement kept by the session, as Parse makes one. */
    PREPARE,
    /** EXECUTE name (arguments): runs a prepared statement, as Bind and Execute do. */
    EXECUTE,
    /** DEALLOCATE name | ALL. */
    DEALLOCATE,
    /** DECLARE name CURSOR FOR query: a portal over the shards, inside a transaction block. */
    DECLARE,
    /** FETCH [forward direction] name. */
    FETCH,
    /** MOVE [forward direction] name. */
    MOVE,
    /** CLOSE name | ALL. */
    CLOSE
}
