package io.shardproxy.server.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.shardproxy.server.auth.Md5Password;
import io.shardproxy.server.exec.BoundValues;
import io.shardproxy.server.exec.ShardConnection;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One PostgreSQL protocol connection to a shard, owned by one Netty event loop: it starts up and
 * authenticates itself, then runs one relayed statement at a time, handing the shard's messages,
 * as frames (type byte, length, body), to the statement's {@link Listener} on the same event loop.
 * Everything but {@link #cancel()} runs on that event loop.
 */
public final class RelayConnection extends ChannelInboundHandlerAdapter {

    /** Receives the messages of the statement running on a connection; called on its event loop. */
    public interface Listener {
        /** One complete message; the listener owns (and releases or forwards) {@code frame}. */
        void frame(ByteBuf frame);

        /** The end of one read from the shard's socket: a good moment to flush. */
        void readComplete();

        /** The connection failed before the statement's ReadyForQuery. */
        void lost();
    }

    private enum State { STARTING, IDLE, BUSY, CLOSED }

    private final RelayPool pool;
    private final RelayPool.Local local;
    private final int shard;
    private final RelayTarget target;
    private Channel channel;
    private State state = State.STARTING;
    /** The running statement's listener; guarded by this for {@link #cancel}. */
    private Listener listener;
    private ScramClient scram;
    private volatile int processId;
    private volatile int secretKey;
    /** A cancel was sent while this connection ran a statement: it is never reused. */
    private boolean cancelled;
    /** The last statement left session state behind (a setting, an open transaction): never reused. */
    private boolean dirty;
    /** Startup finished: the connection was ready once. */
    private boolean started;

    /** Named statements a connection keeps prepared, at most; past that, new texts go unnamed. */
    static final int PREPARED_PER_CONNECTION = 256;
    /** Statements prepared on this connection: key (text and parameter types) to name. */
    private final java.util.HashMap<String, String> prepared = new java.util.HashMap<>();
    private int statementNames;
    /** The schema epoch ({@link ShardConnection#schemaEpoch()}) the prepared statements belong to. */
    private long schemaEpoch = ShardConnection.schemaEpoch();
    /** The statement the running round prepares, and its key, until its ParseComplete. */
    private String preparing;
    private String preparingKey;

    int preparedCount() {
        return prepared.size();
    }

    long schemaEpoch() {
        return schemaEpoch;
    }

    /**
     * One extended-protocol round for {@code sql}: Parse when this connection has not prepared
     * the text with these parameter types yet (named, so later rounds skip parsing and planning
     * on the shard), then Bind, Describe of the portal when {@code describe}, Execute and Sync.
     * The listener calls {@link #parseCompleted()} on the shard's ParseComplete.
     *
     * @param values the parameter values, or null for none
     */
    public ByteBuf extendedRound(ByteBufAllocator alloc, String sql, BoundValues values, short[] resultFormats,
                                 int maxRows, boolean describe) {
        int n = values == null ? 0 : values.count();
        int[] types = values == null ? new int[0] : values.types();
        StringBuilder key = new StringBuilder(sql.length() + 8 * n + 1).append(sql).append('\0');
        for (int t : types) {
            key.append(t).append(',');
        }
        String k = key.toString();
        String name = prepared.get(k);
        preparing = null;
        ByteBuf b = alloc.ioBuffer(sql.length() + 64 + 16 * n);
        if (name == null) {
            if (prepared.size() < PREPARED_PER_CONNECTION) {
                name = "shardproxy_" + (++statementNames);
                preparing = name;
                preparingKey = k;
            } else {
                name = "";
            }
            Messages.parse(b, name, sql, types);
        }
        Messages.bind(b, name, values, resultFormats);
        if (describe) {
            Messages.describePortal(b);
        }
        Messages.executeAndSync(b, maxRows);
        return b;
    }

    /** The shard prepared the statement of the running round: later rounds bind it by name. */
    public void parseCompleted() {
        if (preparing != null) {
            prepared.put(preparingKey, preparing);
            preparing = null;
        }
    }

    RelayConnection(RelayPool pool, RelayPool.Local local, int shard, RelayTarget target) {
        this.pool = pool;
        this.local = local;
        this.shard = shard;
        this.target = target;
    }

    public int shard() {
        return shard;
    }

    Channel channel() {
        return channel;
    }

    RelayPool.Local local() {
        return local;
    }

    /** Runs a statement: sends {@code message} (one or more frontend messages ending in Sync or a Query). */
    public void start(ByteBuf message, Listener l) {
        synchronized (this) {
            state = State.BUSY;
            listener = l;
        }
        pool.relayed();
        channel.writeAndFlush(message, channel.voidPromise());
    }

    /** Pauses or resumes reading the shard's messages (the client cannot take more yet). */
    public void setReading(boolean reading) {
        if (channel.config().isAutoRead() != reading) {
            channel.config().setAutoRead(reading);
        }
    }

    /**
     * The statement is over (its ReadyForQuery came with {@code status}). The connection goes
     * back to its pool when it is clean: idle in no transaction, no setting changed, no cancel
     * sent; otherwise it is closed.
     */
    public void finished(byte status) {
        setReading(true);
        boolean reusable;
        synchronized (this) {
            listener = null;
            reusable = !cancelled && !dirty && status == 'I' && state == State.BUSY;
            if (state == State.BUSY) {
                state = State.IDLE;
            }
        }
        if (reusable) {
            pool.idle(this);
        } else {
            close();
        }
    }

    /** The statement changed session state on the shard (a ParameterStatus came): close it when done. */
    public void markDirty() {
        dirty = true;
    }

    public void close() {
        state = State.CLOSED;
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * Sends a CancelRequest for the statement {@code owner} runs, if it still runs, from any
     * thread (a worker: it opens a socket). The connection is closed when the statement ends, so a late cancel cannot hit the
     * next statement.
     */
    public void cancel(Listener owner) {
        int pid;
        int key;
        synchronized (this) {
            if (state != State.BUSY || listener != owner) {
                return;
            }
            cancelled = true;
            pid = processId;
            key = secretKey;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.host(), target.port()), 5_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(16);
            out.writeInt(80877102);
            out.writeInt(pid);
            out.writeInt(key);
            out.flush();
            s.getInputStream().read();
        } catch (IOException e) {
            RelayPool.LOG.debug("cancel on shard {} failed: {}", shard, e.toString());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(Messages.startup(ctx.alloc(), pool.startupParameters(target)), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        switch (state) {
            case BUSY:
                listener.frame(frame);
                return;
            case STARTING:
                try {
                    startup(ctx, frame);
                } catch (RuntimeException e) {
                    pool.startFailed("cannot start a relay connection to shard " + shard + ": " + e.getMessage());
                    close();
                } finally {
                    frame.release();
                }
                return;
            default:
                // An idle connection hears only notices, and a FATAL before the server goes away.
                frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.BUSY && listener != null) {
            listener.readComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        pool.closed(this, !started);
        if (listener != null) {
            Listener l = listener;
            listener = null;
            l.lost();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RelayPool.LOG.debug("relay connection to shard {} failed: {}", shard, cause.toString());
        ctx.close();
    }

    private void startup(ChannelHandlerContext ctx, ByteBuf frame) {
        byte type = frame.readByte();
        frame.skipBytes(4);
        switch (type) {
            case 'R':
                authentication(ctx, frame);
                break;
            case 'K':
                processId = frame.readInt();
                secretKey = frame.readInt();
                break;
            case 'Z':
                state = State.IDLE;
                started = true;
                pool.idle(this);
                break;
            case 'E':
                throw new IllegalStateException(
                        Messages.fields(frame.readerIndex(0).retain()).getOrDefault((byte) 'M', "error"));
            default:
                // ParameterStatus, NoticeResponse, NegotiateProtocolVersion: nothing to keep.
                break;
        }
    }

    private void authentication(ChannelHandlerContext ctx, ByteBuf frame) {
        int code = frame.readInt();
        switch (code) {
            case 0:
                return;
            case 3:
                ctx.writeAndFlush(Messages.password(ctx.alloc(), target.password()), ctx.voidPromise());
                return;
            case 5: {
                byte[] salt = new byte[4];
                frame.readBytes(salt);
                ctx.writeAndFlush(Messages.password(ctx.alloc(),
                        Md5Password.response(Md5Password.hash(target.user(), requirePassword()), salt)), ctx.voidPromise());
                return;
            }
            case 10: {
                boolean scramOffered = false;
                while (frame.isReadable() && frame.getByte(frame.readerIndex()) != 0) {
                    scramOffered |= Messages.readCString(frame).equals(ScramClient.MECHANISM);
                }
                if (!scramOffered) {
                    throw new IllegalStateException("the shard offers no SASL mechanism the relay knows");
                }
                scram = new ScramClient(requirePassword(), pool.random());
                ctx.writeAndFlush(Messages.saslInitial(ctx.alloc(), ScramClient.MECHANISM, scram.clientFirst()),
                        ctx.voidPromise());
                return;
            }
            case 11: {
                byte[] serverFirst = new byte[frame.readableBytes()];
                frame.readBytes(serverFirst);
                ctx.writeAndFlush(Messages.saslResponse(ctx.alloc(), scram.clientFinal(serverFirst)), ctx.voidPromise());
                return;
            }
            case 12: {
                byte[] serverFinal = new byte[frame.readableBytes()];
                frame.readBytes(serverFinal);
                scram.serverFinal(serverFinal);
                return;
            }
            default:
                throw new IllegalStateException("the shard asks for authentication method " + code
                        + ", which relay connections do not support");
        }
    }

    private String requirePassword() {
        if (target.password() == null) {
            throw new IllegalStateException("the shard asks for a password and none is configured");
        }
        return target.password();
    }
}
