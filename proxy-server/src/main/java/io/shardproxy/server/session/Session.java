package io.shardproxy.server.session;

import io.netty.channel.Channel;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.analyze.SettingCalls;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.server.ProxyServices;
import io.shardproxy.server.admin.AdminCommands;
import io.shardproxy.server.exec.BoundValues;
import io.shardproxy.server.wire.BackendMessage;
import io.shardproxy.server.wire.Bind;
import io.shardproxy.server.wire.Close;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.Describe;
import io.shardproxy.server.wire.Execute;
import io.shardproxy.server.wire.Parse;
import io.shardproxy.server.wire.EmptyQueryResponse;
import io.shardproxy.server.wire.ErrorResponse;
import io.shardproxy.server.wire.FrontendMessage;
import io.shardproxy.server.wire.NoticeResponse;
import io.shardproxy.server.wire.Query;
import io.shardproxy.server.wire.ReadyForQuery;
import io.shardproxy.server.wire.Sync;
import io.shardproxy.server.wire.Terminate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * One authenticated client session. Messages arrive on the Netty event loop and are queued; a
 * worker thread takes them in order, so blocking shard work never runs on an event loop and the
 * client's pipelined messages keep their order.
 *
 * <pre>
 *  simple query:  Query ──▶ split into statements ──▶ per statement: route ─▶ run ─▶ rows + tag
 *                  (several statements run in one implicit transaction block, as in PostgreSQL)
 *                 ──▶ ReadyForQuery(I | T | E)
 *  extended:      Parse/Bind/Describe/Execute/Close ──▶ {@link ExtendedQuery}; after an error,
 *                 skip to Sync. Sync ──▶ end the implicit transaction ──▶ ReadyForQuery
 *  fast path:     FunctionCall ──▶ ErrorResponse 0A000 ──▶ ReadyForQuery (the client sends no Sync)
 * </pre>
 */
public final class Session implements Relay.Host {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_QUEUED = 64;

    private final ProxyServices services;
    private final Channel channel;
    private final String user;
    private final boolean admin;
    private final int processId;
    private final int secretKey;
    private final SessionSettings settings;
    private final ResultWriter out;
    private final Transaction tx;
    private final QueryRunner runner;
    private final SessionCommands commands;
    private final ExtendedQuery extended;
    private final CopyRunner copies;
    private final KeyUpdates keyUpdates;
    /** Runs single-shard statements outside blocks on the event loop; null when relaying is off. */
    private final Relay relay;
    private final RelayFanOut fanOut;
    /** Queued client messages, and {@link #CLOSE} once the client is gone. */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private static final Object CLOSE = new Object();
    private boolean draining;
    private boolean skipUntilSync;
    private volatile boolean closed;

    public Session(ProxyServices services, Channel channel, String user, boolean admin, int processId, int secretKey,
                   SessionSettings settings, String applicationName) {
        this.services = services;
        this.channel = channel;
        this.user = user;
        this.admin = admin;
        this.processId = processId;
        this.secretKey = secretKey;
        this.settings = settings;
        this.out = new ResultWriter(channel);
        this.tx = new Transaction(services.pools(), services.transactions(), settings, out::notice);
        this.runner = new QueryRunner(services.pools(), services.catalog().oids(), services.workers(), services.mergeOptions(),
                services.config().execution().fetchSize(), services.roundRobin(), tx, settings, out);
        this.commands = new SessionCommands(services, tx, settings, out, applicationName);
        this.extended = new ExtendedQuery(services, this, runner, tx, settings, out);
        this.copies = new CopyRunner(services.pools(), tx, settings, out, runner, this::nextMessage);
        this.keyUpdates = new KeyUpdates(services.router(), tx);
        this.relay = services.relays() == null ? null : new Relay(this, services.relays(), channel,
                services.catalog().oids(), services.workers(), services.pools()::name);
        this.fanOut = services.relays() == null ? null : new RelayFanOut(this, services.relays(), channel,
                services.catalog().oids(), services.workers(), services.mergeOptions(), services.pools()::name);
        // PostgreSQL drops a transaction's portals when it ends; their shard cursors end with it.
        tx.beforeEnd(extended::closePortals);
    }

    public int processId() {
        return processId;
    }

    public int secretKey() {
        return secretKey;
    }

    public String user() {
        return user;
    }

    /**
     * Queues a message from the client; called on the event loop. The worker starts on
     * {@link #process()}, once the messages of one read are all queued, so that it sees a
     * pipeline whole (an Execute knows whether Sync follows it).
     */
    public void submit(FrontendMessage message) {
        synchronized (inbox) {
            inbox.add(message);
            if (inbox.size() >= MAX_QUEUED) {
                channel.config().setAutoRead(false);
            }
            inbox.notifyAll();
        }
    }

    /**
     * The client's next message, waiting for it: COPY FROM STDIN reads the client's CopyData on
     * the session's worker as it arrives. Throws ClientGoneException once the client is gone.
     */
    private FrontendMessage nextMessage() {
        synchronized (inbox) {
            while (inbox.isEmpty()) {
                try {
                    inbox.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClientGoneException();
                }
            }
            Object m = inbox.poll();
            if (inbox.size() < MAX_QUEUED / 2 && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
            if (m == CLOSE) {
                inbox.addFirst(CLOSE);
                throw new ClientGoneException();
            }
            return (FrontendMessage) m;
        }
    }

    /**
     * Starts work on queued messages unless it runs already: a relayed statement on the event
     * loop when the next message allows one, else the worker.
     */
    public void process() {
        synchronized (inbox) {
            if (draining || inbox.isEmpty()) {
                return;
            }
            draining = true;
        }
        if (relay != null && channel.eventLoop().inEventLoop()) {
            try {
                if (relayNext()) {
                    return;
                }
            } catch (ClientGoneException e) {
                // The client left while its Parse or Bind ran here; the worker ends the session.
                out.discard();
            }
        }
        services.workers().execute(this::drain);
    }

    /**
     * On the event loop, with the session's work claimed ({@code draining}): relays the next
     * message outside a transaction block with no session settings to apply, when it is a simple
     * Query of one statement planned before that runs on one shard or is a small fan-out read, or
     * the extended protocol's round ({@link #relayExtended}). Returns false, having changed
     * nothing, for anything else.
     */
    private boolean relayNext() {
        Object head;
        synchronized (inbox) {
            head = inbox.peek();
        }
        if (closed || skipUntilSync || tx.inBlock() || !settings.isEmpty()) {
            return false;
        }
        if (head instanceof Parse || head instanceof Bind) {
            return relayExtended();
        }
        if (!(head instanceof Query) || extended.hasUnnamedPortal()) {
            return false;
        }
        Query query = (Query) head;
        try {
            List<Statement> statements = services.router().split(query.sql());
            if (statements.size() != 1) {
                return false;
            }
            Statement st = statements.get(0);
            Plan plan = services.router().planIfAnalyzed(st);
            if (!(plan instanceof Plan.Query)) {
                return false;
            }
            Plan.Query q = (Plan.Query) plan;
            boolean pure = Relay.pure(q, st);
            if (RelayFanOut.fits(q)) {
                if (!fanOut.start(query, st, q, pure)) {
                    return false;
                }
                synchronized (inbox) {
                    inbox.poll();
                }
                return true;
            }
            if (!Relay.fits(q) || !relay.start(query, st, runner.resolveAnyShard(q.statements()).get(0), pure)) {
                return false;
            }
        } catch (RuntimeException | StackOverflowError e) {
            // The worker plans it again and reports the error.
            return false;
        }
        synchronized (inbox) {
            inbox.poll();
        }
        return true;
    }

    /**
     * The extended protocol's common round, {@code [Parse] Bind [Describe] Execute Sync} of the
     * unnamed portal, all received: when Parse and Bind cannot block (everything they need is
     * cached), they run here on the event loop, and the Execute is relayed when its portal runs
     * on one shard. Otherwise the worker takes over, at the first message not yet processed.
     */
    private boolean relayExtended() {
        Parse parse = null;
        Bind bind;
        Describe describe = null;
        Execute execute;
        synchronized (inbox) {
            if (inbox.size() < 3) {
                return false;
            }
            java.util.Iterator<Object> it = inbox.iterator();
            Object m = it.next();
            if (m instanceof Parse) {
                parse = (Parse) m;
                m = it.next();
            }
            if (!(m instanceof Bind) || !it.hasNext()) {
                return false;
            }
            bind = (Bind) m;
            m = it.next();
            if (m instanceof Describe) {
                describe = (Describe) m;
                if (!it.hasNext()) {
                    return false;
                }
                m = it.next();
            }
            if (!(m instanceof Execute) || !it.hasNext() || !(it.next() instanceof Sync)) {
                return false;
            }
            execute = (Execute) m;
        }
        if (!bind.portal().isEmpty() || !execute.portal().isEmpty()
                || describe != null && !describe.name().equals(describe.kind() == io.shardproxy.server.wire.MessageType.TARGET_STATEMENT
                        ? bind.statement() : "")
                || !extended.bindsWithoutBlocking(parse, bind)) {
            return false;
        }
        for (FrontendMessage m : new FrontendMessage[] {parse, bind, describe}) {
            if (m == null) {
                continue;
            }
            synchronized (inbox) {
                inbox.poll();
            }
            extendedMessage(m);
            if (skipUntilSync) {
                // It failed: the error is written; the worker skips to Sync.
                services.workers().execute(this::drain);
                return true;
            }
        }
        ExtendedQuery.RelayPortal portal = extended.relayPortal("");
        Plan.Query fanOutPlan = portal == null && execute.maxRows() == 0 ? extended.relayFanOutPortal("") : null;
        out.handOver();
        boolean started = portal != null ? relay.start(execute, portal)
                : fanOutPlan != null && fanOut.start(execute, fanOutPlan, extended.pureRead(""));
        if (!started) {
            services.workers().execute(this::drain);
            return true;
        }
        synchronized (inbox) {
            inbox.poll();
        }
        return true;
    }

    @Override
    public void relaySynced() {
        Object m;
        synchronized (inbox) {
            m = inbox.poll();
        }
        try {
            if (m instanceof Sync) {
                sync();
            } else {
                // Only the client's Sync can follow a relayed Execute; anything else is a bug.
                throw new IllegalStateException("a relayed Execute was followed by " + m);
            }
        } catch (ClientGoneException e) {
            out.discard();
        }
        relayDone();
    }

    @Override
    public void relayFinished() {
        try {
            out.write(readyForQuery());
            out.flush();
        } catch (ClientGoneException e) {
            out.discard();
        }
        relayDone();
    }

    /** The relayed round is answered: the session's work is free for the next message. */
    private void relayDone() {
        synchronized (inbox) {
            draining = false;
            if (inbox.size() < MAX_QUEUED / 2 && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
        }
        process();
    }

    @Override
    public void relayRetry(FrontendMessage message) {
        synchronized (inbox) {
            inbox.addFirst(message);
        }
        services.workers().execute(this::drain);
    }

    private void enqueue(Object message) {
        synchronized (inbox) {
            inbox.add(message);
            inbox.notifyAll();
        }
        process();
    }

    private void drain() {
        while (true) {
            Object m;
            synchronized (inbox) {
                m = inbox.poll();
                if (m == null) {
                    draining = false;
                    channel.config().setAutoRead(true);
                    return;
                }
                if (inbox.size() < MAX_QUEUED / 2 && !channel.config().isAutoRead()) {
                    channel.config().setAutoRead(true);
                }
            }
            if (m == CLOSE) {
                try {
                    cleanUp();
                } catch (RuntimeException | Error e) {
                    LOG.error("session {}: cleaning up failed", processId, e);
                }
                continue;
            }
            if (closed) {
                continue;
            }
            try {
                handle((FrontendMessage) m);
            } catch (ClientGoneException e) {
                // The client went away, or sent Terminate in the middle of a COPY.
                out.discard();
                close();
                channel.close();
            } catch (RuntimeException | Error e) {
                // Whatever escapes ends the session, never the worker's loop: its pinned shard
                // connections are rolled back and returned by the CLOSE that follows.
                LOG.error("session {} failed", processId, e);
                out.discard();
                close();
                channel.close();
            }
        }
    }

    /** True when the client's next message, already received, is Sync. */
    private boolean syncFollows() {
        synchronized (inbox) {
            return inbox.peek() instanceof Sync;
        }
    }

    private void handle(FrontendMessage m) {
        if (m instanceof Query) {
            extended.closeUnnamedPortal();
            simpleQuery(((Query) m).sql());
            out.write(readyForQuery());
            out.flush();
        } else if (m instanceof Sync) {
            sync();
        } else if (m instanceof Parse || m instanceof Bind || m instanceof Describe || m instanceof Execute
                || m instanceof Close) {
            if (!skipUntilSync) {
                extendedMessage(m);
            }
        } else if (m instanceof Terminate) {
            close();
            channel.close();
        } else if (m instanceof io.shardproxy.server.wire.Flush) {
            out.flush();
        } else if (m instanceof io.shardproxy.server.wire.CopyData || m instanceof io.shardproxy.server.wire.CopyDone
                || m instanceof io.shardproxy.server.wire.CopyFail) {
            // PostgreSQL ignores COPY messages outside COPY mode (they may trail a failed COPY).
            return;
        } else if (m instanceof io.shardproxy.server.wire.FunctionCall) {
            // Not part of the extended protocol: the client sends no Sync and waits for ReadyForQuery.
            if (!skipUntilSync) {
                failStatement(ShardProxyException.unsupported(
                        "the function call (fast-path) interface is not supported by ShardProxy",
                        "call the function in a query instead, e.g. SELECT f(...)"), -1);
                out.write(readyForQuery());
                out.flush();
            }
        }
    }

    private void extendedMessage(FrontendMessage m) {
        try {
            if (m instanceof Parse) {
                extended.parse((Parse) m);
            } else if (m instanceof Bind) {
                extended.bind((Bind) m);
            } else if (m instanceof Describe) {
                extended.describe((Describe) m);
            } else if (m instanceof Execute) {
                extended.execute((Execute) m, syncFollows());
            } else {
                extended.close((Close) m);
            }
        } catch (ClientGoneException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // PostgreSQL aborts the transaction, implicit or not, and skips to Sync.
            skipUntilSync = true;
            extended.abortExecutions();
            out.write(Errors.toResponse(e, -1));
            if (tx.explicit()) {
                tx.fail();
            } else if (tx.inBlock()) {
                tx.rollback();
            }
        }
    }

    /** Sync: commits the extended protocol's implicit transaction, drops portals outside a block. */
    private void sync() {
        skipUntilSync = false;
        try {
            if (tx.inBlock() && !tx.explicit()) {
                tx.commit();
            }
            if (!tx.inBlock()) {
                extended.closePortals();
            }
        } catch (ClientGoneException e) {
            throw e;
        } catch (RuntimeException e) {
            out.write(Errors.toResponse(e, -1));
            if (tx.inBlock() && !tx.explicit()) {
                tx.rollback();
            }
        }
        out.write(readyForQuery());
        out.flush();
    }

    /** What the client was last told of each reported parameter (ParameterStatus). */
    private final java.util.Map<String, String> told = new java.util.HashMap<>();

    /** The ParameterStatus values the client got at startup. */
    public void greeted(java.util.Map<String, String> parameters) {
        told.putAll(parameters);
    }

    /**
     * ReadyForQuery, after a ParameterStatus for each reported parameter whose value changed
     * since the client was last told: PostgreSQL reports changes when it is ready, so a SET that
     * a rollback undid is never reported.
     */
    private ReadyForQuery readyForQuery() {
        // Latest change first, the order PostgreSQL reports in.
        java.util.List<java.util.Map.Entry<String, String>> changed = new java.util.ArrayList<>(settings.reported().entrySet());
        for (int i = changed.size() - 1; i >= 0; i--) {
            java.util.Map.Entry<String, String> e = changed.get(i);
            if (!e.getValue().equals(told.get(e.getKey()))) {
                out.write(new io.shardproxy.server.wire.ParameterStatus(e.getKey(), e.getValue()));
                told.put(e.getKey(), e.getValue());
            }
        }
        return readyForQuery0();
    }

    private ReadyForQuery readyForQuery0() {
        switch (tx.state()) {
            case FAILED:
                return ReadyForQuery.FAILED_TRANSACTION;
            case OPEN:
                return tx.explicit() ? ReadyForQuery.IN_TRANSACTION : ReadyForQuery.IDLE;
            default:
                return ReadyForQuery.IDLE;
        }
    }

    /** One Query message: its statements in order, stopping at the first error. */
    private void simpleQuery(String sql) {
        List<Statement> statements;
        try {
            statements = services.router().split(sql);
        } catch (RuntimeException | StackOverflowError e) {
            failStatement(e, -1);
            return;
        }
        if (statements.isEmpty()) {
            out.write(EmptyQueryResponse.INSTANCE);
            return;
        }
        boolean multi = statements.size() > 1;
        boolean implicitBlock = multi && !tx.inBlock();
        if (implicitBlock) {
            tx.beginImplicit();
        }
        boolean failed = false;
        for (Statement st : statements) {
            try {
                statement(st, multi);
            } catch (ClientGoneException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                failStatement(e, st.offset());
                failed = true;
                break;
            }
        }
        if (tx.inBlock() && !tx.explicit()) {
            if (failed) {
                tx.rollback();
            } else {
                try {
                    tx.commit();
                } catch (RuntimeException e) {
                    failStatement(e, -1);
                }
            }
        }
    }

    private void failStatement(Throwable e, int positionOffset) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("session {}: statement failed: {}", processId, Errors.unwrap(e).toString());
        }
        out.write(Errors.toResponse(e, positionOffset));
        if (tx.explicit()) {
            tx.fail();
        }
    }

    private void statement(Statement st, boolean multi) {
        checkRunnable(st);
        Plan plan = services.router().plan(st);
        if (plan instanceof Plan.Query) {
            Plan.Query q = (Plan.Query) plan;
            runner.run(q, st, multi);
            if (q.schemaChange()) {
                schemaChanged();
            }
        } else {
            runUtility(plan, st, multi, out::write, true, null, null);
        }
    }

    /** In a failed transaction block only its end may run (25P02), as in PostgreSQL. */
    void checkNotFailed(Statement st) {
        if (tx.state() == Transaction.State.FAILED && !endsTransaction(st)) {
            throw new ShardProxyException(SqlState.IN_FAILED_SQL_TRANSACTION,
                    "current transaction is aborted, commands ignored until end of transaction block");
        }
    }

    /**
     * A statement about to run: not in a failed block, and no set_config inside a block, where
     * it would reach one shard's connection only (outside a block the router refuses every call
     * whose setting would outlive its statement, see {@link SettingCalls}).
     */
    void checkRunnable(Statement st) {
        checkNotFailed(st);
        if (tx.inBlock() && SettingCalls.any(st.tokens())) {
            throw SettingCalls.inBlock();
        }
    }

    /** After DDL: cached analyses and catalog lookups may describe tables that changed. */
    void schemaChanged() {
        services.router().schemaChanged();
        services.catalog().invalidate();
    }

    /** A statement the proxy answers itself (transaction control, settings, admin commands). */
    void runUtility(Plan plan, Statement st, boolean multi, java.util.function.Consumer<BackendMessage> sink,
                    boolean describe, BoundValues values, RowEncoder encoder) {
        if (plan instanceof Plan.Transaction) {
            transaction((Plan.Transaction) plan, st);
        } else if (plan instanceof Plan.Session) {
            Plan.Session p = (Plan.Session) plan;
            switch (p.command()) {
                case PREPARE:
                    extended.sqlPrepare(st);
                    return;
                case EXECUTE:
                    extended.sqlExecute(st, multi, describe);
                    return;
                case DEALLOCATE:
                    extended.sqlDeallocate(st);
                    return;
                case DECLARE:
                    extended.sqlDeclare(st, values, multi);
                    return;
                case FETCH:
                case MOVE:
                    extended.sqlFetch(st, describe, encoder);
                    return;
                case CLOSE:
                    extended.sqlClose(st);
                    return;
                default:
                    commands.run(p, st, multi);
            }
            if (p.command() == io.shardproxy.router.plan.SessionCommand.DISCARD_ALL) {
                extended.deallocateAll();
            }
        } else if (plan instanceof Plan.Copy) {
            copies.run((Plan.Copy) plan, st, multi);
        } else if (plan instanceof Plan.KeyUpdate) {
            keyUpdates.run((Plan.KeyUpdate) plan, values, sink);
        } else {
            Plan.Admin a = (Plan.Admin) plan;
            if (!admin) {
                throw new ShardProxyException(SqlState.INSUFFICIENT_PRIVILEGE,
                        "permission denied: " + adminName(st) + " is an admin command",
                        null, "connect as a user with admin: true in the ShardProxy config");
            }
            AdminCommands.run(a, services, sink);
        }
    }

    private static String adminName(Statement st) {
        return st.tokens().span(0, Math.min(1, st.tokens().size() - 1)).toUpperCase(Locale.ROOT);
    }

    private static boolean endsTransaction(Statement st) {
        return st.tokens().isWord(0, "rollback") || st.tokens().isWord(0, "abort")
                || st.tokens().isWord(0, "commit") || st.tokens().isWord(0, "end");
    }

    private void transaction(Plan.Transaction t, Statement st) {
        switch (t.command()) {
            case BEGIN:
                if (tx.explicit()) {
                    out.write(NoticeResponse.of(NoticeResponse.WARNING, SqlState.ACTIVE_SQL_TRANSACTION.code(),
                            "there is already a transaction in progress"));
                } else {
                    tx.beginExplicit(t.sql());
                }
                out.write(new CommandComplete(st.tokens().isWord(0, "start") ? "START TRANSACTION" : "BEGIN"));
                break;
            case COMMIT:
                if (!tx.inBlock()) {
                    out.write(NoticeResponse.of(NoticeResponse.WARNING, SqlState.NO_ACTIVE_SQL_TRANSACTION.code(),
                            "there is no transaction in progress"));
                    out.write(new CommandComplete("COMMIT"));
                } else {
                    out.write(new CommandComplete(tx.commit()));
                }
                break;
            case SAVEPOINT:
            case RELEASE:
            case ROLLBACK_TO:
                savepoint(t);
                break;
            default:
                if (!tx.inBlock()) {
                    out.write(NoticeResponse.of(NoticeResponse.WARNING, SqlState.NO_ACTIVE_SQL_TRANSACTION.code(),
                            "there is no transaction in progress"));
                } else {
                    tx.rollback();
                }
                out.write(new CommandComplete("ROLLBACK"));
        }
    }

    /** SAVEPOINT, RELEASE and ROLLBACK TO: PostgreSQL's errors outside a block, else on every pinned shard. */
    private void savepoint(Plan.Transaction t) {
        String what = t.command() == io.shardproxy.router.plan.TransactionCommand.SAVEPOINT ? "SAVEPOINT"
                : t.command() == io.shardproxy.router.plan.TransactionCommand.RELEASE ? "RELEASE SAVEPOINT"
                : "ROLLBACK TO SAVEPOINT";
        if (!tx.explicit()) {
            throw new ShardProxyException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                    what + " can only be used in transaction blocks");
        }
        switch (t.command()) {
            case SAVEPOINT:
                tx.savepoint(t.savepoint(), t.sql());
                out.write(new CommandComplete("SAVEPOINT"));
                break;
            case RELEASE:
                tx.release(t.savepoint(), t.sql());
                out.write(new CommandComplete("RELEASE"));
                break;
            default:
                tx.rollbackTo(t.savepoint(), t.sql());
                out.write(new CommandComplete("ROLLBACK"));
        }
    }

    /** Cancels the statement running now, on every shard it runs on (a CancelRequest). */
    public void cancel() {
        if (relay != null) {
            relay.cancel();
            fanOut.cancel();
        }
        runner.cancel();
        tx.cancel();
    }

    /** Called on the event loop when the client's channel becomes (un)writable. */
    public void writabilityChanged() {
        out.writabilityChanged();
        if (relay != null) {
            relay.writabilityChanged();
        }
    }

    /**
     * The client went away: cancel running work; once the worker is done with the current message,
     * roll back and give every pinned connection back.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        services.sessions().remove(this);
        // Cancelling talks to the shards: never on the event loop that reports the client gone.
        services.workers().execute(this::cancel);
        enqueue(CLOSE);
    }

    private void cleanUp() {
        out.discard();
        if (tx.inBlock()) {
            tx.rollback();
        }
    }
}
