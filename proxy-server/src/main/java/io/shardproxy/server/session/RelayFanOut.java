package io.shardproxy.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.Column;
import io.shardproxy.merge.MergeEngine;
import io.shardproxy.merge.MergeOptions;
import io.shardproxy.merge.RowStream;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.MergePlans;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.server.exec.CatalogOids;
import io.shardproxy.server.exec.ShardError;
import io.shardproxy.server.relay.Messages;
import io.shardproxy.server.relay.RelayConnection;
import io.shardproxy.server.relay.RelayPool;
import io.shardproxy.server.wire.BackendMessage;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.DataRow;
import io.shardproxy.server.wire.ErrorResponse;
import io.shardproxy.server.wire.Execute;
import io.shardproxy.server.wire.FrontendMessage;
import io.shardproxy.server.wire.Query;
import io.shardproxy.server.wire.RowDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A session's relayed fan-out reads: a simple Query of one read whose shard results are known to
 * be small (a LIMIT of at most {@value #MAX_ROWS} rows, or one aggregate row per shard) goes to
 * one idle relay connection per shard at once, on the client's event loop. Each shard's rows are
 * kept as they arrive; when every shard answered, the merge engine combines them on the event loop
 * and the client gets RowDescription, the merged rows and {@code SELECT n}, as on the JDBC path.
 * The first error by shard order is the statement's. A read whose connection dies before it
 * answered runs again on the JDBC path.
 */
final class RelayFanOut {
    /** Row limit per shard up to which a fan-out read is merged on the event loop. */
    static final long MAX_ROWS = 1000;
    private static final short[] NO_FORMATS = new short[0];

    private final Relay.Host host;
    private final RelayPool pool;
    private final RelayPool.Local local;
    private final Channel client;
    private final CatalogOids oids;
    private final Executor workers;
    private final MergeOptions mergeOptions;
    private final java.util.function.IntFunction<String> shardNames;

    private Part[] parts;
    /** The client's message: a Query, or an Execute of the extended protocol. */
    private FrontendMessage message;
    private boolean extended;
    private Plan.Query plan;
    private int positionOffset;
    private int pending;
    private boolean pure;

    RelayFanOut(Relay.Host host, RelayPool pool, Channel client, CatalogOids oids, Executor workers,
                MergeOptions mergeOptions, java.util.function.IntFunction<String> shardNames) {
        this.host = host;
        this.pool = pool;
        this.local = pool.local(client.eventLoop());
        this.client = client;
        this.oids = oids;
        this.workers = workers;
        this.mergeOptions = mergeOptions;
        this.shardNames = shardNames;
    }

    /** Whether {@code q} is a fan-out read this relays. */
    static boolean fits(Plan.Query q) {
        return q.statements().size() > 1 && !q.write() && q.transactional() && !q.schemaChange() && q.merge() != null
                && q.tags() == io.shardproxy.router.plan.TagRule.SELECT_ROWS && q.rowLimit() >= 0 && q.rowLimit() <= MAX_ROWS;
    }

    /** Sends {@code q}'s statements, one per shard; false (nothing sent) unless every shard has an idle connection. */
    boolean start(Query message, Statement statement, Plan.Query q, boolean pure) {
        return start(message, q, pure, false, Relay.positionOffset(statement, q.statements().get(0).sql()));
    }

    /**
     * The extended protocol's Execute of a portal with no parameters and text results: the rows
     * and {@code SELECT n} follow the RowDescription the client's Describe already got.
     */
    boolean start(Execute message, Plan.Query q, boolean pure) {
        return start(message, q, pure, true, -1);
    }

    private boolean start(FrontendMessage message, Plan.Query q, boolean pure, boolean extended, int positionOffset) {
        List<ShardStatement> targets = q.statements();
        RelayConnection[] connections = new RelayConnection[targets.size()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = pool.acquire(local, targets.get(i).shard());
            if (connections[i] == null) {
                for (int k = 0; k < i; k++) {
                    pool.release(connections[k]);
                }
                return false;
            }
        }
        this.message = message;
        this.plan = q;
        this.pure = pure;
        this.extended = extended;
        this.positionOffset = positionOffset;
        this.pending = connections.length;
        this.parts = new Part[connections.length];
        for (int i = 0; i < connections.length; i++) {
            parts[i] = new Part(connections[i]);
        }
        for (int i = 0; i < connections.length; i++) {
            // Fan-out texts repeat (dashboards, top-N): each connection prepares one once, so the
            // shards skip parsing and planning it again.
            connections[i].start(connections[i].extendedRound(client.alloc(), targets.get(i).sql(), null, NO_FORMATS, 0, true),
                    parts[i]);
        }
        return true;
    }

    /** A CancelRequest for the running read, from a worker: every shard's statement. */
    void cancel() {
        Part[] p = parts;
        if (p != null) {
            for (Part part : p) {
                RelayConnection c = part.connection;
                if (c != null) {
                    c.cancel(part);
                }
            }
        }
    }

    /** One shard's share: its rows, kept until every shard answered. */
    private final class Part implements RelayConnection.Listener {
        volatile RelayConnection connection;
        final int shard;
        List<Column> columns;
        final List<byte[][]> rows = new ArrayList<>();
        Map<Byte, String> error;
        boolean lost;

        Part(RelayConnection connection) {
            this.connection = connection;
            this.shard = connection.shard();
        }

        @Override
        public void frame(ByteBuf frame) {
            switch (frame.getByte(0)) {
                case 'T':
                    columns = Relay.columns(frame);
                    frame.release();
                    break;
                case 'D':
                    rows.add(DataRow.values(frame));
                    frame.release();
                    break;
                case 'E':
                    Map<Byte, String> fields = Messages.fields(frame);
                    if ("0A000".equals(fields.get((byte) 'C'))) {
                        // "cached plan must not change result type": DDL ran on the shard directly.
                        connection.markDirty();
                    }
                    if (!Relay.fatal(fields) && error == null) {
                        error = fields;
                    }
                    break;
                case 'S':
                    connection.markDirty();
                    frame.release();
                    break;
                case '1':
                    connection.parseCompleted();
                    frame.release();
                    break;
                case 'N':
                case 'A':
                    client.write(frame, client.voidPromise());
                    break;
                case 'Z': {
                    byte status = frame.getByte(5);
                    frame.release();
                    RelayConnection c = connection;
                    connection = null;
                    c.finished(status);
                    answered();
                    break;
                }
                default:
                    // CommandComplete (the tag is SELECT n of the merged rows), COPY (never).
                    frame.release();
            }
        }

        @Override
        public void readComplete() {
        }

        @Override
        public void lost() {
            if (connection == null) {
                return;
            }
            connection = null;
            lost = true;
            answered();
        }
    }

    private void answered() {
        if (--pending > 0) {
            return;
        }
        Part[] done = parts;
        parts = null;
        for (Part p : done) {
            if (p.lost && p.error == null) {
                if (pure) {
                    // A read without side effects: all of it runs again the usual way.
                    host.relayRetry(message);
                } else {
                    write(ErrorResponse.of(ErrorResponse.ERROR, SqlState.CONNECTION_FAILURE.code(),
                            "the connection to shard " + shardNames.apply(p.shard)
                                    + " was lost while the statement ran; whether it took effect is unknown"));
                    finished();
                }
                return;
            }
        }
        for (Part p : done) {
            if (p.error != null) {
                write(Errors.toResponse(new ShardError(shardNames.apply(p.shard), p.error, null), positionOffset));
                finished();
                return;
            }
        }
        List<RowStream> streams = new ArrayList<>(done.length);
        for (Part p : done) {
            if (p.columns == null) {
                write(ErrorResponse.of(ErrorResponse.ERROR, SqlState.INTERNAL_ERROR.code(),
                        "a shard answered a fan-out read without rows"));
                finished();
                return;
            }
            streams.add(RowStream.of(p.columns, p.rows));
        }
        int firstShard = plan.statements().get(0).shard();
        RowStream merged;
        try {
            merged = MergeEngine.merge(MergePlans.resolve(plan.merge(), done[0].columns.size()), streams, mergeOptions);
        } catch (RuntimeException e) {
            write(Errors.toResponse(e, positionOffset));
            finished();
            return;
        }
        List<Column> columns = oids.translateKnown(firstShard, merged.columns());
        if (columns != null) {
            send(merged, columns);
            return;
        }
        workers.execute(() -> {
            List<Column> translated;
            try {
                translated = oids.translate(firstShard, merged.columns());
            } catch (RuntimeException e) {
                translated = merged.columns();
            }
            List<Column> t = translated;
            client.eventLoop().execute(() -> send(merged, t));
        });
    }

    private void send(RowStream merged, List<Column> columns) {
        try {
            ByteBuf b = client.alloc().ioBuffer();
            if (!extended) {
                new RowDescription(columns).encode(b);
            }
            long n = 0;
            byte[][] row;
            while ((row = merged.next()) != null) {
                DataRow.encode(b, row);
                n++;
                if (b.readableBytes() >= ResultWriter.BATCH_BYTES) {
                    client.write(b, client.voidPromise());
                    b = client.alloc().ioBuffer();
                }
            }
            new CommandComplete("SELECT " + n).encode(b);
            client.write(b, client.voidPromise());
        } catch (RuntimeException e) {
            write(Errors.toResponse(e, positionOffset));
        } finally {
            merged.close();
        }
        finished();
    }

    private void finished() {
        if (extended) {
            host.relaySynced();
        } else {
            host.relayFinished();
        }
    }

    private void write(BackendMessage m) {
        ByteBuf b = client.alloc().ioBuffer();
        m.encode(b);
        client.write(b, client.voidPromise());
    }
}
