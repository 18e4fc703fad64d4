package io.shardproxy.server.session;

import io.shardproxy.server.exec.NoticeSink;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardPools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A client session's transaction block and the shard connections it pins. A block pins one
 * connection per shard it touches, lazily, opening each with the client's BEGIN (isolation level
 * and access mode included) and the session's settings. Outside a block the session pins nothing.
 *
 * <p>Commit is one phase per shard, shard by shard: a failure while committing the second shard
 * leaves the first committed. Atomic commit across shards (two-phase commit) is a later issue;
 * see docs/transactions.md.
 */
final class Transaction {
    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

    enum State { IDLE, OPEN, FAILED }

    private final ShardPools pools;
    private final SessionSettings settings;
    private final NoticeSink notices;
    private final ShardConnection[] pinned;
    private State state = State.IDLE;
    private boolean explicit;
    private String beginSql = "BEGIN";
    /** The transaction modes the session's defaults asked for when the block began. */
    private String modes;
    private Runnable beforeEnd = () -> { };
    private boolean ending;

    Transaction(ShardPools pools, SessionSettings settings, NoticeSink notices) {
        this.pools = pools;
        this.settings = settings;
        this.notices = notices;
        this.pinned = new ShardConnection[pools.size()];
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
        }
    }

    /** The connection this block uses on {@code shard}, opening it on first use. */
    ShardConnection pin(int shard) {
        ShardConnection c = pinned[shard];
        if (c != null) {
            return c;
        }
        c = pools.acquire(shard);
        c.notices(notices);
        try {
            open(c, beginSql, modes, settings);
        } catch (RuntimeException e) {
            pools.release(c);
            throw e;
        }
        synchronized (pinned) {
            pinned[shard] = c;
        }
        return c;
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
     * Ends the block: COMMIT on every pinned shard, or ROLLBACK when the block failed. Returns the
     * tag (COMMIT or ROLLBACK). When a shard's COMMIT fails, the shards not yet committed roll back
     * and the error is thrown.
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
        RuntimeException failure = null;
        for (ShardConnection c : conns) {
            if (failure != null) {
                safeRollback(c);
                continue;
            }
            try {
                c.commit();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        end(failure == null);
        if (failure != null) {
            throw failure;
        }
        return "COMMIT";
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
        synchronized (pinned) {
            for (int i = 0; i < pinned.length; i++) {
                if (pinned[i] != null) {
                    pools.release(pinned[i]);
                    pinned[i] = null;
                }
            }
        }
        settings.transactionEnded(committed);
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
