package io.shardproxy.router.plan;

import io.shardproxy.merge.MergePlan;

import java.util.List;

/**
 * What the router decided for one statement: a closed family of plain values that the session
 * executes. The router never executes anything and never holds session state.
 */
public sealed interface Plan permits Plan.Query, Plan.Transaction, Plan.Session, Plan.Admin, Plan.Copy,
        Plan.KeyUpdate {

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
     * ROLLBACK/ABORT, SAVEPOINT, RELEASE, ROLLBACK TO; {@code savepoint} is the savepoint's name (folded as PostgreSQL folds
     * identifiers) for SAVEPOINT, RELEASE and ROLLBACK TO, else null.
     */
    record Transaction(TransactionCommand command, String sql, String savepoint) implements Plan {
        public Transaction(TransactionCommand command, String sql) {
            this(command, sql, null);
        }
    }

    /**
     * An UPDATE that assigns a sharded table's shard key: rows move. {@code moves} delete the rows
     * on their shards and return, per row, the new values of {@code columns} followed by the old
     * row; the session inserts each new row into {@code table} on the shard its key routes it to,
     * in the same transaction, and reports {@code UPDATE n}.
     */
    record KeyUpdate(List<ShardStatement> moves, String table, List<String> columns) implements Plan {
    }

    /** A session setting change: SET, RESET, DISCARD ALL, SET TRANSACTION ... */
    record Session(SessionCommand command, String name, String sql) implements Plan {
    }

    /**
     * COPY ... FROM STDIN or TO STDOUT (see docs/copy.md). The session opens the COPY on every
     * shard of {@code statements} before it answers the client with CopyInResponse or
     * CopyOutResponse, so the shards check the statement (options, columns, permissions) before any
     * data moves.
     *
     * @param direction   FROM STDIN or TO STDOUT
     * @param mode        how the data moves between the client and the shards
     * @param relation    the table as PostgreSQL names it in a COPY error's context
     *                    ({@code COPY t, line 3}): its unqualified name; null for COPY (query)
     * @param rule        the table's sharding rule (ROUTE_ROWS and sharded CONCAT), else null
     * @param columns     the columns of each data row, in order (the column list, or the
     *                    table's columns when there is none); null when the proxy does not need
     *                    them. ROUTE_ROWS: the session must check that the shards' CopyInResponse
     *                    has this many columns (a table with generated columns has fewer), and
     *                    refuse the COPY otherwise
     * @param keyIndex    ROUTE_ROWS: index of the shard key in {@code columns}; else -1
     * @param options     the COPY options, validated as PostgreSQL validates them; null only for
     *                    FORWARD of a statement the router could not read (it names no configured
     *                    table, so the default shard runs it and reports any syntax error)
     * @param statements  the exact COPY statement each shard runs, in shard order (the client's
     *                    text, or for COPY (query) the text around the query's rewritten SQL);
     *                    empty for ENCODE_ROWS. {@link ShardStatement#ANY_SHARD} lets the session
     *                    pick one shard (a reference table's COPY TO)
     * @param query       ENCODE_ROWS: the plan of the query inside COPY (query) TO STDOUT; else null
     * @param queryOffset ENCODE_ROWS: character offset of that query in the COPY statement (for
     *                    error positions); else -1
     * @param write       true when the COPY changes data (FROM, or a query with RETURNING)
     */
    record Copy(CopyDirection direction, CopyMode mode, String relation, io.shardproxy.router.shard.ShardingRule rule,
                List<String> columns, int keyIndex, CopyOptions options, List<ShardStatement> statements,
                Query query, int queryOffset, boolean write) implements Plan {
        public Copy {
            columns = columns == null ? null : List.copyOf(columns);
            statements = List.copyOf(statements);
        }
    }

    /** Which way a COPY moves data. */
    enum CopyDirection { FROM_STDIN, TO_STDOUT }

    /** How a COPY's data moves between the client and the shards. */
    enum CopyMode {
        /** One shard runs the statement; CopyData passes through unchanged both ways. */
        FORWARD,
        /** COPY FROM into a reference table: every shard runs it and receives every byte the client sends. */
        BROADCAST,
        /**
         * COPY FROM into a sharded table: the proxy splits the data into rows and sends each row
         * to its key's shard; every shard runs the statement and gets the header line, if any.
         */
        ROUTE_ROWS,
        /**
         * COPY TO over several shards, each running the statement: their outputs one after the
         * other in shard order, with one header line (text, CSV) or one file header and trailer
         * (binary).
         */
        CONCAT,
        /**
         * COPY (query) TO STDOUT whose query needs a merge: the session runs {@code query} like any
         * query and writes each merged row as a COPY line (text or CSV).
         */
        ENCODE_ROWS
    }

    /**
     * A COPY statement's options after PostgreSQL's defaults: delimiter tab (text) or comma (CSV),
     * NULL string {@code \N} (text) or empty (CSV), quote and escape {@code "} (CSV only, else
     * null). Column names are folded as PostgreSQL folds identifiers.
     *
     * @param defaultString the DEFAULT marker, or null
     * @param encoding      PostgreSQL's canonical name of the ENCODING option, or null
     * @param forceQuote    FORCE_QUOTE columns; {@code forceQuoteAll} for {@code *}
     * @param onErrorIgnore ON_ERROR IGNORE (rows with invalid values are skipped by the shards)
     */
    record CopyOptions(CopyFormat format, String delimiter, String nullString, String defaultString, String quote,
                       String escape, CopyHeader header, List<String> forceQuote, boolean forceQuoteAll,
                       List<String> forceNotNull, boolean forceNotNullAll, List<String> forceNull,
                       boolean forceNullAll, String encoding, boolean freeze, boolean onErrorIgnore) {
        public CopyOptions {
            forceQuote = List.copyOf(forceQuote);
            forceNotNull = List.copyOf(forceNotNull);
            forceNull = List.copyOf(forceNull);
        }
    }

    /** The COPY data format. */
    enum CopyFormat { TEXT, CSV, BINARY }

    /** HEADER: none, a first line that is skipped (PRESENT), or one whose names must match the columns (MATCH). */
    enum CopyHeader { NONE, PRESENT, MATCH }

    /** An admin command (admin users only). {@code explained} holds the plans of EXPLAIN ROUTE. */
    record Admin(AdminCommand command, String sql, List<Plan> explained) implements Plan {
        public Admin {
            explained = explained == null ? List.of() : List.copyOf(explained);
        }
    }
}
