package io.shardproxy.router.plan;

import io.shardproxy.merge.MergePlan;

import java.util.List;

/**
 * What the router decided for one statement: a closed family of plain values that the session
 * executes. The router never executes anything and never holds session state.
 */
public sealed interface Plan permits Plan.Query, Plan.Transaction, Plan.Session, Plan.Admin {

    /**
     * SQL to run on shards.
     *
     * @param statements    one per target shard, in shard order ({@link ShardStatement#ANY_SHARD}
     *                      lets the session pick one shard, e.g. for a reference-table read)
     * @param merge         how the shards' rows combine; null when one statement runs (its rows
     *                      pass through unchanged)
     * @param tags          how the shards' command tags combine
     * @param write         true when the statement changes data or schema
     * @param transactional false for statements PostgreSQL refuses inside a transaction block
     *                      (VACUUM, CREATE INDEX CONCURRENTLY, ...): they run in autocommit per shard
     * @param schemaChange  true when the statement may change table definitions (DDL): cached
     *                      analyses and catalog lookups must be dropped after it runs
     * @param rowLimit      the most rows any one shard statement can return (its LIMIT, or 1 for
     *                      an aggregate without GROUP BY), or -1 when unbounded: a small bounded
     *                      read needs no cursor, so no transaction, on the shards
     */
    record Query(List<ShardStatement> statements, MergePlan merge, TagRule tags, boolean write,
                 boolean transactional, boolean schemaChange, long rowLimit) implements Plan {
        public Query {
            statements = List.copyOf(statements);
        }

        /** A query whose shard results are not known to be small. */
        public Query(List<ShardStatement> statements, MergePlan merge, TagRule tags, boolean write,
                     boolean transactional, boolean schemaChange) {
            this(statements, merge, tags, write, transactional, schemaChange, -1);
        }
    }

    /**
     * Transaction control: BEGIN/START TRANSACTION (with its options in {@code sql}), COMMIT/END,
     * ROLLBACK/ABORT.
     */
    record Transaction(TransactionCommand command, String sql) implements Plan {
    }

    /** A session setting change: SET, RESET, DISCARD ALL, SET TRANSACTION ... */
    record Session(SessionCommand command, String name, String sql) implements Plan {
    }

    /** An admin command (admin users only). {@code explained} holds the plans of EXPLAIN ROUTE. */
    record Admin(AdminCommand command, String sql, List<Plan> explained) implements Plan {
        public Admin {
            explained = explained == null ? List.of() : List.copyOf(explained);
        }
    }
}
