package io.shardproxy.server.session;

import io.shardproxy.server.exec.NoticeSink;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardError;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.txn.Coordinator;
import io.shardproxy.server.txn.DeadlockDetector;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A client session's transaction block and the shard connections it pins. A block pins one
 * connection per shard it touches, lazily, opening each with the client's BEGIN (isolation level
 * and access mode included) and the session's settings. Outside a block the session pins nothing.
 *
 * <p>Commit goes through the {@link Coordinator}: one phase when at most one shard wrote,
 * two-phase commit otherwise (see docs/transactions.md). Savepoints are kept on every pinned
 * shard, and replayed on a shard the block pins after they were set.
 */
final class Transaction {
    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

    enum State { IDLE, OPEN, FAILED }

    private final ShardPools pools;
    private final Coordinator coordinator;
    private final SessionSettings settings;
    private final NoticeSink notices;
    private final ShardConnection[] pinned;
    private final DeadlockDetector.Block deadlocks;
    private State state = State.IDLE;
    private boolean explicit;
    private String beginSql = "BEGIN";
    /** The transaction modes the session's defaults asked for when the block began. */
    private String modes;
    private Runnable beforeEnd = () -> { };
    private boolean ending;
    /** The block's savepoints, oldest first, each as the client wrote it and by name. */
    private final List<String[]> savepoints = new ArrayList<>();

    Transaction(ShardPools pools, Coordinator coordinator, SessionSettings settings, NoticeSink notices) {
        this.pools = pools;
        this.coordinator = coordinator;
        this.settings = settings;
        this.notices = notices;
        this.pinned = new ShardConnection[pools.size()];
        this.deadlocks = coordinator.deadlocks().block();
    }

    /** Runs before a block ends (commit or rollback), while its connections are still pinned. */
    void beforeEnd(Runnable action) {
        this.beforeEnd = action;
    }

    /** Runs the before-end action once per ending, however commit and rollback nest. */
    private void runBeforeEnd() {
        if (ending) {
            return;
        }
        ending = true;
        try {
            beforeEnd.run();
        } catch (RuntimeException e) {
            LOG.debug("closing the block's portals failed", e);
        } finally {
            ending = false;
        }
    }

    State state() {
        return state;
    }

    /** True inside a transaction block, explicit or implicit. */
    boolean inBlock() {
        return state != State.IDLE;
    }

    /** True inside a block the client opened with BEGIN. */
    boolean explicit() {
        return explicit && state != State.IDLE;
    }

    void beginExplicit(String sql) {
        if (state == State.IDLE) {
            settings.transactionStarted();
            beginSql = sql;
            modes = settings.transactionModes(sql);
        }
        state = state == State.FAILED ? State.FAILED : State.OPEN;
        explicit = true;
    }

    /** A block the client did not ask for: several statements in one Query, or a multi-shard write. */
    void beginImplicit() {
        settings.transactionStarted();
        beginSql = "BEGIN";
        modes = settings.transactionModes(beginSql);
        state = State.OPEN;
        explicit = false;
    }

    void fail() {
        if (state == State.OPEN) {
            state = State.FAILED;
            // A deadlock victim lets go of its locks at once, as in PostgreSQL, so the rest of the
            // cycle need not wait for the client's ROLLBACK. Not after a SAVEPOINT: ROLLBACK TO
            // may resume the block.
            if (savepoints.isEmpty() && pinned().stream().anyMatch(ShardConnection::deadlockVictim)) {
                pinned().forEach(Transaction::safeRollback);
            }
        }
    }

    /** The connection this block uses on {@code shard}, opening it on first use. */
    ShardConnection pin(int shard) {
        ShardConnection c = pinned[shard];
        if (c != null) {
            return c;
        }
        // A pooled connection whose shard restarted since it was last used fails on its first
        // write. Nothing ran on it yet, so another connection may take its place: a few tries.
        for (int attempt = 1; ; attempt++) {
            c = pools.acquire(shard);
            c.notices(notices);
            try {
                open(c, beginSql, modes, settings);
                for (String[] sp : savepoints) {
                    c.command(sp[0]);
                }
                break;
            } catch (ShardError e) {
                pools.release(c);
                if (!e.connectionLost() || attempt == 3) {
                    throw e;
                }
                LOG.debug("shard {}: a pooled connection was dead, trying another", c.shardName());
            } catch (RuntimeException e) {
                pools.release(c);
                throw e;
            }
        }
        synchronized (pinned) {
            pinned[shard] = c;
        }
        deadlocks.pinned(c);
        return c;
    }

    /**
     * Runs {@code action} on the block's connection to {@code shard}, pinning one first if needed.
     * When this pins a connection that nothing was sent on yet (a plain BEGIN waits to go with
     * the statement) and the statement finds the connection dead (its shard restarted since the
     * pool last used it), another connection takes its place: that first statement ran, if at
     * all, in a transaction that died with the connection.
     */
    <T> T onShard(int shard, java.util.function.Function<ShardConnection, T> action) {
        for (int attempt = 1; ; attempt++) {
            boolean had = pinnedOn(shard) != null;
            ShardConnection c = pin(shard);
            boolean fresh = !had && c.beginPending();
            try {
                return action.apply(c);
            } catch (ShardError e) {
                if (!fresh || !e.connectionLost() || attempt == 3) {
                    throw e;
                }
                synchronized (pinned) {
                    pinned[shard] = null;
                }
                pools.release(c);
                LOG.debug("shard {}: a pooled connection was dead, trying another", c.shardName());
            }
        }
    }

    /**
     * Opens a transaction on {@code c} as the session would have it: the client's BEGIN, the
     * modes its default_transaction_* settings asked for when the block began (see
     * {@link SessionSettings#transactionModes}), then every setting for the transaction.
     */
    static void open(ShardConnection c, String beginSql, String modes, SessionSettings settings) {
        c.begin(beginSql);
        if (modes != null) {
            c.command(modes);
        }
        for (String s : settings.statements()) {
            c.command(s);
        }
    }

    /** The connection this block holds on {@code shard}, or null. */
    ShardConnection pinnedOn(int shard) {
        synchronized (pinned) {
            return pinned[shard];
        }
    }

    /** A shard this block already uses, or -1. */
    int anyPinned() {
        for (int i = 0; i < pinned.length; i++) {
            if (pinned[i] != null) {
                return i;
            }
        }
        return -1;
    }

    List<ShardConnection> pinned() {
        List<ShardConnection> out = new ArrayList<>();
        synchronized (pinned) {
            for (ShardConnection c : pinned) {
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Runs {@code sql} on every pinned connection (SET LOCAL inside a block). */
    void applyToPinned(String sql) {
        for (ShardConnection c : pinned()) {
            c.command(sql);
        }
    }

    /**
     * Ends the block: commits every pinned shard atomically (see {@link Coordinator#commit}), or
     * rolls back when the block failed. Returns the tag (COMMIT or ROLLBACK). When the commit
     * fails, nothing is committed (or, with 08007, the outcome is unknown) and the error is thrown.
     */
    String commit() {
        runBeforeEnd();
        if (state == State.IDLE) {
            return "COMMIT";
        }
        if (state == State.FAILED) {
            rollback();
            return "ROLLBACK";
        }
        List<ShardConnection> conns = pinned();
        if (conns.isEmpty()) {
            end(true);
            return "COMMIT";
        }
        try {
            coordinator.commit(conns, notices);
        } catch (RuntimeException e) {
            end(false);
            throw e;
        }
        end(true);
        return "COMMIT";
    }

    /** SAVEPOINT {@code name}: set on every pinned shard now, and on any shard pinned later. */
    void savepoint(String name, String sql) {
        applyToPinned(sql);
        savepoints.add(new String[] {sql, name});
    }

    /** RELEASE {@code name}: forgets it and every later savepoint. */
    void release(String name, String sql) {
        int i = savepointIndex(name);
        applyToPinned(sql);
        savepoints.subList(i, savepoints.size()).clear();
    }

    /**
     * ROLLBACK TO {@code name}: undoes on every pinned shard what ran since the savepoint, which
     * stays set, and leaves the failed state.
     */
    void rollbackTo(String name, String sql) {
        int i = savepointIndex(name);
        applyToPinned(sql);
        savepoints.subList(i + 1, savepoints.size()).clear();
        if (state == State.FAILED) {
            state = State.OPEN;
        }
    }

    private int savepointIndex(String name) {
        for (int i = savepoints.size() - 1; i >= 0; i--) {
            if (savepoints.get(i)[1].equals(name)) {
                return i;
            }
        }
        throw new ShardProxyException(SqlState.INVALID_SAVEPOINT_SPECIFICATION,
                "savepoint \"" + name + "\" does not exist");
    }

    void rollback() {
        runBeforeEnd();
        if (state == State.IDLE) {
            return;
        }
        for (ShardConnection c : pinned()) {
            safeRollback(c);
        }
        end(false);
    }

    /** Cancels whatever the pinned connections are running. */
    void cancel() {
        for (ShardConnection c : pinned()) {
            c.cancel();
        }
    }

    private void end(boolean committed) {
        deadlocks.ended();
        synchronized (pinned) {
            for (int i = 0; i < pinned.length; i++) {
                if (pinned[i] != null) {
                    pools.release(pinned[i]);
                    pinned[i] = null;
                }
            }
        }
        settings.transactionEnded(committed);
        savepoints.clear();
        state = State.IDLE;
        explicit = false;
        beginSql = "BEGIN";
    }

    private static void safeRollback(ShardConnection c) {
        try {
            c.rollback();
        } catch (RuntimeException e) {
            LOG.debug("rollback failed on shard {}", c.shardName(), e);
        }
    }
}
