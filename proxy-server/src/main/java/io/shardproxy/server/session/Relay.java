package io.shardproxy.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.Column;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.server.exec.CatalogOids;
import io.shardproxy.server.exec.ShardError;
import io.shardproxy.server.relay.Messages;
import io.shardproxy.server.relay.RelayConnection;
import io.shardproxy.server.relay.RelayPool;
import io.shardproxy.server.wire.BackendMessage;
import io.shardproxy.server.wire.ErrorResponse;
import io.shardproxy.server.wire.Execute;
import io.shardproxy.server.wire.FrontendMessage;
import io.shardproxy.server.wire.Query;
import io.shardproxy.server.wire.RowDescription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A session's relayed statements: a simple Query with one statement that runs on one shard
 * outside a transaction block goes, on the client's event loop, to an idle relay connection of
 * that loop; the shard's messages come back to the client as they are, flushed once per read from
 * the shard, with three exceptions:
 * <ul>
 *   <li>a RowDescription gets the catalog shard's table and type OIDs ({@link CatalogOids}); when
 *       an OID was never seen, the lookup runs on a worker while the shard's messages wait;</li>
 *   <li>an ErrorResponse goes through {@link Errors}, as on the JDBC path (its position moved into
 *       the client's query string);</li>
 *   <li>the shard's ReadyForQuery is the session's own.</li>
 * </ul>
 * A statement whose connection dies before any answer runs again on the JDBC path when it is a
 * pure read; otherwise the client gets 08006 and never a guess about what happened.
 */
final class Relay implements RelayConnection.Listener {
    /** What the relay needs of its session, all called on the event loop. */
    interface Host {
        /** The relayed statement is over: send ReadyForQuery and go on with the next message. */
        void relayFinished();

        /** The statement never reached the shard: run {@code message} (a Query or Execute) the usual way. */
        void relayRetry(FrontendMessage message);

        /** A relayed Execute is over (the shard's Sync answered): process the client's Sync. */
        void relaySynced();
    }



    private final Host host;
    private final RelayPool pool;
    private final RelayPool.Local local;
    private final Channel client;
    private final CatalogOids oids;
    private final Executor workers;
    private final java.util.function.IntFunction<String> shardNames;

    private volatile RelayConnection connection;
    /** The client's message being relayed: a Query, or an Execute of the extended protocol. */
    private FrontendMessage message;
    private boolean extended;
    private int positionOffset;
    private boolean pure;
    private boolean answered;
    private boolean completed;
    private boolean errorSent;
    /** Frames held while a RowDescription's OIDs are looked up on a worker; null otherwise. */
    private ArrayDeque<ByteBuf> held;
    private boolean lostWhileHeld;

    Relay(Host host, RelayPool pool, Channel client, CatalogOids oids, Executor workers,
          java.util.function.IntFunction<String> shardNames) {
        this.host = host;
        this.pool = pool;
        this.local = pool.local(client.eventLoop());
        this.client = client;
        this.oids = oids;
        this.workers = workers;
        this.shardNames = shardNames;
    }

    /**
     * Sends {@code statement} to an idle relay connection of its shard; false (nothing sent) when
     * the event loop has none.
     *
     * @param pure true when the statement may run a second time (a read without side effects)
     */
    boolean start(Query q, Statement statement, ShardStatement target, boolean pure) {
        RelayConnection c = pool.acquire(local, target.shard());
        if (c == null) {
            return false;
        }
        begin(q, false, positionOffset(statement, target.sql()), pure);
        run(c, Messages.query(client.alloc(), target.sql()));
        return true;
    }

    /**
     * Runs a bound portal's Execute on its shard as Bind, Execute and Sync, with a Parse first
     * when the shard connection has not prepared the statement yet: each relay connection keeps
     * the statements it ran prepared, by text and parameter types, so a statement is parsed and
     * planned once per connection. False (nothing sent) when the event loop has no connection.
     */
    boolean start(Execute e, ExtendedQuery.RelayPortal p) {
        RelayConnection c = pool.acquire(local, p.statement().shard());
        if (c == null) {
            return false;
        }
        begin(e, true, -1, p.pure());
        run(c, c.extendedRound(client.alloc(), p.statement().sql(), p.values(), p.resultFormats(), e.maxRows(), false));
        return true;
    }

    private void begin(FrontendMessage m, boolean extended, int positionOffset, boolean pure) {
        this.message = m;
        this.extended = extended;
        this.positionOffset = positionOffset;
        this.pure = pure;
        this.answered = false;
        this.completed = false;
        this.errorSent = false;
        this.lostWhileHeld = false;
    }

    private void run(RelayConnection c, ByteBuf messages) {
        this.connection = c;
        c.start(messages, this);
    }

    /** Whether {@code q} is one statement on one shard whose rows and tag pass through unchanged. */
    static boolean fits(io.shardproxy.router.plan.Plan.Query q) {
        return q.merge() == null && q.statements().size() == 1 && q.transactional() && !q.schemaChange()
                && q.tags() == io.shardproxy.router.plan.TagRule.PASSTHROUGH;
    }

    /** Whether {@code q} may run a second time: a read without side effects. */
    static boolean pure(io.shardproxy.router.plan.Plan.Query q, Statement statement) {
        return !q.write() && io.shardproxy.router.analyze.SideEffects.free(statement.tokens());
    }

    /**
     * How far into the client's query string the shard's SQL starts, for an error's position; -1
     * (no position) when the shard ran rewritten SQL, where a position would point at the wrong text.
     */
    static int positionOffset(Statement statement, String shardSql) {
        return shardSql.equals(statement.text()) ? statement.offset() : -1;
    }

    /** A CancelRequest for the relayed statement, from a worker. */
    void cancel() {
        RelayConnection c = connection;
        if (c != null) {
            c.cancel(this);
        }
    }

    /** The client's channel became writable or not: read from the shard only while it can take more. */
    void writabilityChanged() {
        RelayConnection c = connection;
        if (c != null && held == null) {
            c.setReading(client.isWritable());
        }
    }

    @Override
    public void frame(ByteBuf frame) {
        if (held != null) {
            held.add(frame);
            return;
        }
        handle(frame);
    }

    private void handle(ByteBuf frame) {
        switch (frame.getByte(0)) {
            case 'T':
                rowDescription(frame);
                break;
            case 'E':
                error(frame);
                break;
            case 'C':
                completed = true;
                forward(frame);
                break;
            case '1':
                connection.parseCompleted();
                frame.release();
                break;
            case '2':
            case '3':
            case 'n':
                // BindComplete, CloseComplete, NoData: the client got the proxy's own already.
                frame.release();
                break;
            case 'S':
                // A setting changed on the shard connection: it must not serve anyone else.
                connection.markDirty();
                frame.release();
                break;
            case 'Z': {
                byte status = frame.getByte(5);
                frame.release();
                finish(status);
                break;
            }
            case 'G':
            case 'H':
            case 'W':
                // COPY never takes this path; should a shard start one anyway, end the connection.
                frame.release();
                answered = true;
                connection.close();
                break;
            default:
                forward(frame);
        }
    }

    private void forward(ByteBuf frame) {
        answered = true;
        client.write(frame, client.voidPromise());
        if (!client.isWritable()) {
            connection.setReading(false);
        }
    }

    private void write(BackendMessage m) {
        answered = true;
        ByteBuf b = client.alloc().ioBuffer();
        m.encode(b);
        client.write(b, client.voidPromise());
    }

    @Override
    public void readComplete() {
        if (held == null) {
            client.flush();
        }
    }

    private void rowDescription(ByteBuf frame) {
        int shard = connection.shard();
        if (shard == CatalogOids.CATALOG_SHARD) {
            forward(frame);
            return;
        }
        List<Column> columns = columns(frame);
        List<Column> known = oids.translateKnown(shard, columns);
        if (known == columns) {
            forward(frame);
            return;
        }
        frame.release();
        if (known != null) {
            write(new RowDescription(known));
            return;
        }
        // OIDs never seen: the lookup queries the shards, so it runs on a worker while the
        // shard's further messages wait here.
        held = new ArrayDeque<>();
        RelayConnection c = connection;
        c.setReading(false);
        workers.execute(() -> {
            List<Column> translated;
            try {
                translated = oids.translate(shard, columns);
            } catch (RuntimeException e) {
                translated = columns;
            }
            List<Column> t = translated;
            client.eventLoop().execute(() -> resume(t));
        });
    }

    private void resume(List<Column> translated) {
        write(new RowDescription(translated));
        ArrayDeque<ByteBuf> frames = held;
        held = null;
        RelayConnection c = connection;
        if (c != null) {
            c.setReading(client.isWritable());
        }
        ByteBuf f;
        while ((f = frames.poll()) != null) {
            if (connection == null) {
                f.release();
            } else {
                handle(f);
            }
        }
        client.flush();
        if (lostWhileHeld && connection != null) {
            lost();
        }
    }

    /** Whether an error's severity says the shard connection ends with it. */
    static boolean fatal(Map<Byte, String> fields) {
        String severity = fields.get((byte) 'V');
        return "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    private void error(ByteBuf frame) {
        Map<Byte, String> fields = Messages.fields(frame);
        if (fatal(fields) && pure && !answered) {
            // The shard connection ends (its backend was terminated): a pure read runs again
            // elsewhere once the connection is gone (lost()).
            return;
        }
        if ("0A000".equals(fields.get((byte) 'C'))) {
            // "cached plan must not change result type": DDL ran on the shard directly.
            connection.markDirty();
        }
        errorSent = true;
        write(Errors.toResponse(new ShardError(shardNames.apply(connection.shard()), fields, null), positionOffset));
    }

    private void finish(byte status) {
        RelayConnection c = connection;
        connection = null;
        c.finished(status);
        if (extended) {
            host.relaySynced();
        } else {
            host.relayFinished();
        }
    }

    @Override
    public void lost() {
        if (held != null) {
            lostWhileHeld = true;
            return;
        }
        RelayConnection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        if (!answered && pure) {
            host.relayRetry(message);
            return;
        }
        if (!errorSent && !completed) {
            write(ErrorResponse.of(ErrorResponse.ERROR, SqlState.CONNECTION_FAILURE.code(),
                    "the connection to shard " + shardNames.apply(c.shard())
                            + " was lost while the statement ran; whether it took effect is unknown"));
        }
        if (extended) {
            host.relaySynced();
        } else {
            host.relayFinished();
        }
    }

    /** The columns of a RowDescription frame. */
    static List<Column> columns(ByteBuf f) {
        int i = 5;
        int n = f.getUnsignedShort(i);
        i += 2;
        List<Column> columns = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int end = f.indexOf(i, f.writerIndex(), (byte) 0);
            String name = f.toString(i, end - i, StandardCharsets.UTF_8);
            i = end + 1;
            columns.add(new Column(name, f.getInt(i), f.getShort(i + 4), f.getInt(i + 6), f.getShort(i + 10),
                    f.getInt(i + 12), f.getShort(i + 16)));
            i += 18;
        }
        return columns;
    }
}
