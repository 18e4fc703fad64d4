package io.shardproxy.server.exec;

import io.shardproxy.error.SqlState;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Field;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.ParameterList;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.SqlCommand;
import org.postgresql.core.TransactionState;
import org.postgresql.core.Tuple;
import org.postgresql.util.PSQLWarning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One pooled connection to a shard, driven through pgjdbc's protocol layer (its QueryExecutor)
 * rather than JDBC statements, so that what the shard says reaches the client unchanged: the exact
 * command tag, the raw text bytes of every value (no decoding), the type OIDs, and every field of
 * errors and notices.
 *
 * <p>Trap: a connection must go back to its pool outside any transaction; {@link ShardPools}
 * rolls back or evicts one that does not.
 */
public final class ShardConnection {
    private static final int BASE_FLAGS = QueryExecutor.QUERY_ONESHOT | QueryExecutor.QUERY_NO_BINARY_TRANSFER
            | QueryExecutor.QUERY_BOTH_ROWS_AND_STATUS;

    private final int shard;
    private final String shardName;
    private final Connection pooled;
    private final com.zaxxer.hikari.HikariDataSource pool;
    private final BaseConnection pg;
    private final QueryExecutor executor;
    private final Executor prefetcher;
    private volatile NoticeSink notices = NoticeSink.IGNORE;
    private volatile boolean broken;
    private StatementCache statements;
    /** A plain BEGIN to send with the next statement (see {@link #begin}). */
    private boolean beginPending;
    /** A statement's tag said it wrote; see {@link #wroteByTag}. */
    private volatile boolean wrote;
    /** Guarded by this: back in the pool; a cancel was sent while borrowed. */
    private boolean released;
    private boolean cancelled;
    /** When the statement running now began (System.nanoTime), or 0 when none runs. */
    private volatile long busySince;
    /** Set by the deadlock detector before it cancels: the detail of the 40P01 the cancel becomes. */
    private volatile String deadlockDetail;
    /** A statement here was cancelled to break a deadlock across shards. */
    private volatile boolean deadlockVictim;

    ShardConnection(int shard, String shardName, com.zaxxer.hikari.HikariDataSource pool, Connection pooled,
                    Executor prefetcher) throws SQLException {
        this.shard = shard;
        this.shardName = shardName;
        this.pool = pool;
        this.pooled = pooled;
        this.pg = pooled.unwrap(BaseConnection.class);
        this.executor = pg.getQueryExecutor();
        this.prefetcher = prefetcher;
    }

    public int shard() {
        return shard;
    }

    public String shardName() {
        return shardName;
    }

    Connection pooled() {
        return pooled;
    }

    com.zaxxer.hikari.HikariDataSource pool() {
        return pool;
    }

    public boolean broken() {
        return broken;
    }

    private StatementCache statements() {
        if (statements == null) {
            statements = StatementCache.of(pg);
        }
        return statements;
    }

    /** After DDL through the proxy: statements prepared on shard connections are prepared again. */
    /** How many times DDL ran through the proxy: statements prepared before then are prepared again. */
    public static long schemaEpoch() {
        return StatementCache.epoch();
    }

    public static void schemaChanged() {
        StatementCache.schemaChanged();
    }

    /** Where the shard's notices go while this connection serves a session. */
    public void notices(NoticeSink sink) {
        this.notices = sink == null ? NoticeSink.IGNORE : sink;
    }

    /** The shard's transaction state, as its last ReadyForQuery said. */
    public TransactionState transactionState() {
        return executor.getTransactionState();
    }

    /** A parameter the shard reported (server_version, TimeZone, ...). */
    public String parameterStatus(String name) {
        return executor.getParameterStatus(name);
    }

    public Map<String, String> parameterStatuses() {
        return executor.getParameterStatuses();
    }

    /**
     * Runs one statement. {@code cursor} streams its rows in batches of {@code fetchSize} through a
     * portal, which needs a transaction: when none is open, pgjdbc opens one in the same round
     * trip and the caller must commit after reading. Without {@code cursor} the statement runs as
     * is (in the open transaction, or in autocommit) and its whole result arrives at once.
     */
    public ShardResult run(String sql, boolean cursor, int fetchSize) {
        return run(sql, null, cursor, fetchSize);
    }

    /**
     * Runs one statement with parameter values ({@code $n} in {@code sql}), sent to the shard in
     * the extended protocol exactly as the client bound them; null {@code values} runs it as plain
     * text. See {@link #run(String, boolean, int)} for {@code cursor}.
     */
    public ShardResult run(String sql, BoundValues values, boolean cursor, int fetchSize) {
        int flags = BASE_FLAGS;
        if (cursor && fetchSize > 0) {
            flags |= QueryExecutor.QUERY_FORWARD_CURSOR;
        } else {
            flags |= QueryExecutor.QUERY_SUPPRESS_BEGIN;
        }
        Batch first = execute(sql, values, cursor ? fetchSize : 0, 0, flags);
        return new ShardResult(this, prefetcher, fetchSize, first);
    }

    /**
     * Runs a read in autocommit, in one round trip, if its whole result is at most
     * {@code maxRows} rows; otherwise returns null, having run it as far as {@code maxRows} rows
     * (the shard stopped there and ended the statement). Only for reads that are harmless to run
     * again, since the caller then runs it again with a cursor.
     */
    public ShardResult runIfSmall(String sql, BoundValues values, int maxRows) {
        Batch b = execute(sql, values, 0, maxRows, BASE_FLAGS | QueryExecutor.QUERY_SUPPRESS_BEGIN);
        if (b.tag() == null && b.fields() != null) {
            return null;
        }
        return new ShardResult(this, prefetcher, 0, b);
    }

    /** Runs a statement whose result does not matter beyond success (BEGIN, SET LOCAL, COMMIT, ...). */
    public String command(String sql) {
        return execute(sql, null, 0, 0, BASE_FLAGS | QueryExecutor.QUERY_SUPPRESS_BEGIN).tag();
    }

    /**
     * What the shard says of a statement without running it (Parse and Describe): the types of
     * its parameters, with those {@code types} leaves 0 inferred, and the columns it returns.
     */
    public Description describe(String sql, int parameterCount, int[] types) {
        flushBegin();
        Handler h = new Handler(notices);
        ParameterList params;
        try {
            Query q = parameterized(sql, parameterCount);
            params = q.createParameterList();
            for (int i = 0; i < parameterCount; i++) {
                params.setNull(i + 1, i < types.length ? types[i] : 0);
            }
            executor.execute(q, params, h, 0, 0, QueryExecutor.QUERY_DESCRIBE_ONLY | QueryExecutor.QUERY_ONESHOT
                    | QueryExecutor.QUERY_SUPPRESS_BEGIN | QueryExecutor.QUERY_NO_BINARY_TRANSFER);
        } catch (SQLException e) {
            throw error(e);
        }
        if (h.getException() != null) {
            throw error(h.getException());
        }
        int[] resolved = parameterCount == 0 ? new int[0] : params.getTypeOIDs().clone();
        return new Description(resolved, h.fields == null ? null : ShardResult.columns(h.fields));
    }

    private Query parameterized(String sql, int parameterCount) {
        // The shard receives the text as written ($n and all); the bind positions only serve
        // pgjdbc's logging of a query with its values, which the proxy never asks for.
        return executor.wrap(List.of(new NativeQuery(sql, new int[parameterCount], false, SqlCommand.BLANK)));
    }

    /**
     * Opens a transaction. A plain BEGIN is not sent on its own: it goes with the next statement,
     * in the same round trip (pgjdbc sends it first when the connection is idle). A BEGIN with
     * options (isolation level, access mode) is sent as written.
     */
    public void begin(String sql) {
        if (PLAIN_BEGIN.matcher(sql).matches()) {
            beginPending = true;
        } else {
            command(sql);
        }
    }

    /** True while a plain BEGIN waits for the next statement: nothing was sent on this connection yet. */
    public boolean beginPending() {
        return beginPending;
    }

    /** Sends a pending BEGIN now, for the paths that do not go through {@link #execute}. */
    private void flushBegin() {
        if (beginPending) {
            beginPending = false;
            command("BEGIN");
        }
    }

    private static final java.util.regex.Pattern PLAIN_BEGIN = java.util.regex.Pattern.compile(
            "\\s*(?i:begin(\\s+(work|transaction))?|start\\s+transaction)\\s*;?\\s*");

    public String commit() {
        return command("COMMIT");
    }

    public void rollback() {
        if (executor.getTransactionState() != TransactionState.IDLE) {
            command("ROLLBACK");
        }
    }

    /** Starts a COPY ... FROM STDIN; see {@link ShardCopy}. */
    public ShardCopy copyIn(String sql) {
        wrote = true;
        flushBegin();
        return ShardCopy.in(this, sql);
    }

    /** Starts a COPY ... TO STDOUT; see {@link ShardCopy}. */
    public ShardCopy copyOut(String sql) {
        flushBegin();
        return ShardCopy.out(this, sql);
    }

    /** The shard's server_version_num. */
    public int serverVersionNum() {
        return executor.getServerVersionNum();
    }

    BaseConnection pg() {
        return pg;
    }

    /**
     * Asks the shard to cancel what this connection is running (a CancelRequest on a side
     * connection). Never once the connection is back in its pool, where the cancel could hit
     * another session's statement; a connection cancelled while borrowed is evicted on release.
     */
    public synchronized void cancel() {
        if (released) {
            return;
        }
        cancelled = true;
        try {
            pg.cancelQuery();
        } catch (SQLException ignored) {
            // best effort: the statement may have finished already
        }
    }

    /**
     * Cancels the running statement to break a deadlock across shards: the shard's 57014 reaches
     * the client as 40P01 "deadlock detected" with {@code detail}. When the statement ends before
     * the cancel arrives, the mark is dropped with it and the cancel, if it lands at all, is the
     * plain 57014 of any late cancel.
     */
    public void cancelAsDeadlockVictim(String detail) {
        deadlockDetail = detail;
        cancel();
    }

    /** True once a statement here failed as the victim of a deadlock across shards. */
    public boolean deadlockVictim() {
        return deadlockVictim;
    }

    /** When the statement running now began (System.nanoTime), or 0 when none runs. */
    public long busySince() {
        return busySince;
    }

    /** Marks the connection returned to its pool; true when a cancel was sent on it. */
    synchronized boolean released() {
        released = true;
        return cancelled;
    }

    /** The server process id of this connection on the shard. */
    public int backendPid() {
        return pg.getBackendPID();
    }

    Batch fetch(ResultCursor cursor, int fetchSize) {
        Handler h = new Handler(notices);
        busySince = System.nanoTime();
        try {
            executor.fetch(cursor, h, fetchSize, false);
        } catch (SQLException e) {
            throw error(e);
        } finally {
            busySince = 0;
        }
        ended(h);
        wrote |= h.wrote;
        if (h.getException() != null) {
            throw error(h.getException());
        }
        return new Batch(h.fields, h.tuples, h.cursor, h.tag);
    }

    private Batch execute(String sql, BoundValues values, int fetchSize, int maxRows, int flags) {
        if (beginPending) {
            // pgjdbc sends BEGIN ahead of the statement, in the same round trip.
            beginPending = false;
            flags &= ~QueryExecutor.QUERY_SUPPRESS_BEGIN;
        }
        Handler h = new Handler(notices);
        try {
            Query q;
            ParameterList params = null;
            if (values == null) {
                // The text as it is: pgjdbc need not scan it for JDBC escapes or placeholders.
                q = parameterized(sql, 0);
                if (fetchSize == 0 && maxRows == 0) {
                    // No cursor and no row limit: the simple query protocol, one Query message,
                    // as a psql or pgbench -M simple client would send it.
                    flags |= QueryExecutor.QUERY_EXECUTE_AS_SIMPLE;
                }
            } else {
                // Prepared on the shard once per connection: the next execution is Bind/Execute.
                q = statements().get(sql, values.count());
                flags &= ~QueryExecutor.QUERY_ONESHOT;
                params = q.createParameterList();
                values.applyTo(params);
            }
            busySince = System.nanoTime();
            executor.execute(q, params, h, maxRows, fetchSize, flags);
        } catch (SQLException e) {
            throw error(e);
        } finally {
            busySince = 0;
        }
        ended(h);
        wrote |= h.wrote;
        if (h.getException() != null) {
            ShardError e = error(h.getException());
            if (values != null && "0A000".equals(e.sqlState())) {
                statements().drop(sql);
            }
            throw e;
        }
        return new Batch(h.fields, h.tuples, h.cursor, h.tag);
    }

    ShardError error(SQLException e) {
        ShardError err = ShardError.of(shardName, e);
        if (err.connectionLost() || isClosed()) {
            broken = true;
        }
        String detail = deadlockDetail;
        if (detail != null) {
            deadlockDetail = null;
            if (SqlState.QUERY_CANCELED.code().equals(err.sqlState())) {
                deadlockVictim = true;
                return ShardError.deadlock(shardName, err, detail);
            }
        }
        return err;
    }

    /** A statement ended without an error: a deadlock cancel still on its way is not this one's. */
    private void ended(Handler h) {
        if (h.getException() == null && deadlockDetail != null) {
            deadlockDetail = null;
        }
    }

    private boolean isClosed() {
        try {
            return pg.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * A statement as the shard describes it.
     *
     * @param parameterTypes the type OID of each parameter
     * @param columns        the columns it returns (all in text format), or null when it returns none
     */
    public record Description(int[] parameterTypes, List<io.shardproxy.merge.Column> columns) {
    }

    /**
     * True when a statement on this connection reported a command tag that says it wrote (INSERT,
     * UPDATE, DDL, COPY FROM, ...). False says only that every tag was a read's: SELECT is also
     * the tag of SELECT INTO and CREATE TABLE AS, and a function a SELECT calls may write; see
     * {@link #assignedTransactionId}.
     */
    public boolean wroteByTag() {
        return wrote;
    }

    /** Whether the shard's open transaction has written anything (it has a transaction id). */
    public boolean assignedTransactionId() {
        ShardResult r = run("select pg_current_xact_id_if_assigned() is not null", false, 0);
        try {
            byte[][] row = r.next();
            return row != null && row[0] != null && row[0].length == 1 && row[0][0] == 't';
        } finally {
            r.close();
        }
    }

    /** One batch of a result: its fields (null for a command), rows, open cursor and tag. */
    record Batch(Field[] fields, List<Tuple> tuples, ResultCursor cursor, String tag) {
    }

    /** Collects what pgjdbc's protocol layer reports for one execute or fetch. */
    private static final class Handler extends ResultHandlerBase {
        private final NoticeSink notices;
        Field[] fields;
        List<Tuple> tuples;
        ResultCursor cursor;
        String tag;
        boolean wrote;

        Handler(NoticeSink notices) {
            this.notices = notices;
        }

        @Override
        public void handleResultRows(Query fromQuery, Field[] f, List<Tuple> t, ResultCursor c) {
            if (fields == null || f.length > 0) {
                fields = f;
            }
            tuples = t;
            cursor = c;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            tag = status;
            wrote |= !CommandTags.read(status);
        }

        @Override
        public void handleWarning(SQLWarning warning) {
            if (warning instanceof PSQLWarning && ((PSQLWarning) warning).getServerErrorMessage() != null) {
                notices.notice(ShardError.fields(((PSQLWarning) warning).getServerErrorMessage()));
            }
        }
    }
}
