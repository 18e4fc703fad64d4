package io.shardproxy.server.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.shardproxy.config.ShardConfig;
import io.shardproxy.server.exec.ShardConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Protocol-level shard connections for relayed statements: a single-shard statement outside a
 * transaction block goes from the client's event loop straight to one of these and its answer
 * comes back as the shard's own bytes, with no worker thread and no JDBC in between.
 *
 * <p>Connections belong to event loops: each loop keeps its own idle connections per shard, so a
 * client and the shard connection serving it are always on one thread. Per shard at most the
 * shard's pool size are open, over all loops. {@link #acquire} never waits: with no idle
 * connection it returns null (the statement takes the JDBC path) and opens one for next time.
 *
 * <p>Relay connections start with the settings pgjdbc gives the JDBC pool's connections
 * (client_encoding UTF8, DateStyle ISO, extra_float_digits 3, the same TimeZone), so a
 * statement answers alike on either path. They authenticate with trust, password, md5 or
 * SCRAM-SHA-256 and never use TLS: a shard whose URL asks for TLS (sslmode=require or stricter),
 * or for anything else the relay cannot reproduce, gets no relay connections.
 */
public final class RelayPool implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger(RelayPool.class);
    /** After a failed start, how long a shard gets no new relay connection. */
    private static final long RETRY_NANOS = 5_000_000_000L;

    /** One event loop's idle connections, touched only on that loop. */
    public static final class Local {
        private final EventLoop loop;
        private final ArrayDeque<RelayConnection>[] idle;
        private final boolean[] opening;

        @SuppressWarnings("unchecked")
        private Local(EventLoop loop, int shards) {
            this.loop = loop;
            this.idle = new ArrayDeque[shards];
            for (int i = 0; i < shards; i++) {
                idle[i] = new ArrayDeque<>();
            }
            this.opening = new boolean[shards];
        }
    }

    private final RelayTarget[] targets;
    private final int[] caps;
    private final AtomicInteger[] open;
    private final AtomicLongArray retryAfter;
    private final Map<String, String> settings;
    private final SecureRandom random;
    private final ConcurrentHashMap<EventLoop, Local> locals = new ConcurrentHashMap<>();
    private final Set<RelayConnection> all = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.LongAdder relayed = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    /**
     * @param timeZone the TimeZone the JDBC pool's connections run in
     */
    public RelayPool(List<ShardConfig> shards, String timeZone, SecureRandom random) {
        int n = shards.size();
        this.targets = new RelayTarget[n];
        this.caps = new int[n];
        this.open = new AtomicInteger[n];
        this.retryAfter = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            targets[i] = RelayTarget.of(shards.get(i));
            if (targets[i] == null) {
                LOG.info("shard {}: statements run over JDBC only (its URL asks for TLS or options the relay does not reproduce)",
                        shards.get(i).name());
            }
            caps[i] = shards.get(i).poolSize();
            open[i] = new AtomicInteger();
        }
        this.random = random;
        Map<String, String> s = new LinkedHashMap<>();
        s.put("client_encoding", "UTF8");
        s.put("DateStyle", "ISO");
        s.put("TimeZone", timeZone);
        s.put("extra_float_digits", "3");
        s.put("application_name", "shardproxy");
        this.settings = Map.copyOf(s);
    }

    /** {@code loop}'s share of the pool. */
    public Local local(EventLoop loop) {
        return locals.computeIfAbsent(loop, l -> new Local(l, targets.length));
    }

    /**
     * An idle connection to {@code shard}, now the caller's, or null when {@code local}'s loop has
     * none (one is then opened for later statements, within the shard's limit). Call on the loop.
     */
    public RelayConnection acquire(Local local, int shard) {
        RelayConnection c;
        while ((c = local.idle[shard].pollFirst()) != null
                && c.preparedCount() > 0 && c.schemaEpoch() != ShardConnection.schemaEpoch()) {
            // DDL ran through the proxy since this connection prepared its statements: a changed
            // table would fail them ("cached plan must not change result type").
            c.close();
        }
        if (c == null) {
            open(local, shard);
        }
        return c;
    }

    private void open(Local local, int shard) {
        RelayTarget target = targets[shard];
        if (closed || target == null || local.opening[shard] || System.nanoTime() - retryAfter.get(shard) < 0) {
            return;
        }
        if (open[shard].incrementAndGet() > caps[shard]) {
            open[shard].decrementAndGet();
            return;
        }
        local.opening[shard] = true;
        RelayConnection c = new RelayConnection(this, local, shard, target);
        all.add(c);
        new Bootstrap().group(local.loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(Integer.MAX_VALUE, 1, 4, -4, 0));
                        ch.pipeline().addLast("relay", c);
                    }
                })
                .connect(target.host(), target.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        LOG.debug("relay connection to shard {} failed: {}", shard, f.cause().toString());
                        failed(local, shard);
                        all.remove(c);
                    }
                });
    }

    private void failed(Local local, int shard) {
        local.opening[shard] = false;
        open[shard].decrementAndGet();
        retryAfter.set(shard, System.nanoTime() + RETRY_NANOS);
    }

    /** A connection is ready for a statement: first start, or back from one. On its loop. */
    void idle(RelayConnection c) {
        Local local = c.local();
        local.opening[c.shard()] = false;
        if (closed) {
            c.close();
            return;
        }
        local.idle[c.shard()].addFirst(c);
    }

    /** Gives back a connection {@link #acquire} gave and nothing ran on. On its loop. */
    public void release(RelayConnection c) {
        idle(c);
    }

    /** A connection's channel closed. On its loop. */
    void closed(RelayConnection c, boolean starting) {
        all.remove(c);
        Local local = c.local();
        local.idle[c.shard()].remove(c);
        if (starting) {
            failed(local, c.shard());
        } else {
            open[c.shard()].decrementAndGet();
        }
    }

    /** A connection could not start (refused, authentication, a shard error); it is being closed. */
    void startFailed(String message) {
        LOG.warn("{}; statements for the shard run over JDBC meanwhile", message);
    }

    Map<String, String> startupParameters(RelayTarget target) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", target.user());
        p.put("database", target.database());
        p.putAll(settings);
        return p;
    }

    SecureRandom random() {
        return random;
    }

    /** A statement went out on a relay connection. */
    void relayed() {
        relayed.increment();
    }

    /** Statements relayed so far, for tests and benchmarks. */
    public long statements() {
        return relayed.sum();
    }

    /** Open relay connections to {@code shard}, for tests. */
    public int open(int shard) {
        return open[shard].get();
    }

    @Override
    public void close() {
        closed = true;
        for (RelayConnection c : all) {
            if (c.channel() != null) {
                c.channel().close();
            }
        }
    }
}
