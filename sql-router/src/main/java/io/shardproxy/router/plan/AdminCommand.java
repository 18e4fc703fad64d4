package io.shardproxy.router.plan;

/** Proxy admin commands, available to admin users only. */
public enum AdminCommand {
    /** SHOW SHARDS: name, URL (without password) and pool state of every shard. */
    SHOW_SHARDS,
    /** SHOW SHARDING (or SHOW TABLES): the sharding rules and reference tables. */
    SHOW_SHARDING,
    /** EXPLAIN ROUTE sql: target shards and the exact SQL sent to each. */
    EXPLAIN_ROUTE,
    /** SHOW TRANSACTIONS: commit counters (one phase, two-phase, recovered) of this proxy run. */
    SHOW_TRANSACTIONS,
    /** RECOVER TRANSACTIONS: one recovery pass over the shards' prepared transactions, now. */
    RECOVER_TRANSACTIONS
}
