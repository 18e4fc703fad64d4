package io.shardproxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.shardproxy.server.relay.RelayPool;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.config.TlsConfig;
import io.shardproxy.merge.MergeOptions;
import io.shardproxy.router.Router;
import io.shardproxy.server.exec.ServerParameters;
import io.shardproxy.server.exec.ShardCatalog;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.session.ClientHandler;
import io.shardproxy.server.session.SessionRegistry;
import io.shardproxy.server.txn.Coordinator;
import io.shardproxy.server.wire.BackendEncoder;
import io.shardproxy.server.wire.FrontendDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running proxy: the Netty front end bound to the configured address, the shard pools and the
 * router. {@link #start} returns once clients can connect; {@link #close} stops accepting, closes
 * client connections and the pools.
 */
public final class ShardProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardProxyServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private final ShardPools pools;
    private final Channel listener;
    private final InetSocketAddress address;
    private final ProxyServices services;
    private final ChannelGroup clients;

    private ShardProxyServer(EventLoopGroup boss, EventLoopGroup io, ExecutorService workers, ShardPools pools,
                             Channel listener, ProxyServices services, ChannelGroup clients) {
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.pools = pools;
        this.listener = listener;
        this.address = (InetSocketAddress) listener.localAddress();
        this.services = services;
        this.clients = clients;
    }

    /** Starts a proxy for {@code config}; port 0 in the config binds an ephemeral port. */
    public static ShardProxyServer start(ProxyConfig config) {
        ExecutorService workers = Executors.newCachedThreadPool(daemonThreads("shardproxy-worker-"));
        ShardPools pools = new ShardPools(config.shards(), workers);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, daemonThreads("shardproxy-accept-"), NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("shardproxy-io-"), NioIoHandler.newFactory());
        Coordinator transactions = null;
        try {
            transactions = Coordinator.start(config, pools, workers);
            ShardCatalog catalog = new ShardCatalog(pools);
            MergeOptions merge = ShardCatalog.mergeOptions(pools);
            SecureRandom random = new SecureRandom();
            byte[] processSecret = new byte[32];
            random.nextBytes(processSecret);
            ServerParameters parameters = ServerParameters.from(pools);
            RelayPool relays = config.execution() == null || config.execution().relay()
                    ? new RelayPool(config.shards(), parameters.timeZone(), random) : null;
            ProxyServices services = new ProxyServices(config, new Router(config, catalog), catalog, pools, workers,
                    parameters, new SessionRegistry(), merge, ssl(config.listen().tls()), random,
                    processSecret, new AtomicInteger(), transactions, relays);
            AtomicInteger connections = new AtomicInteger();
            ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
            BackendEncoder encoder = new BackendEncoder();
            int maxMessage = config.listen().maxMessageBytes();
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            clients.add(ch);
                            FrontendDecoder decoder = new FrontendDecoder(maxMessage);
                            ch.pipeline().addLast("decoder", decoder);
                            ch.pipeline().addLast("encoder", encoder);
                            ch.pipeline().addLast("client", new ClientHandler(services, decoder, connections));
                        }
                    });
            Channel listener;
            try {
                listener = b.bind(config.listen().host(), config.listen().port()).syncUninterruptibly().channel();
            } catch (Exception e) {
                throw new IllegalStateException("cannot listen on " + config.listen().host() + ":"
                        + config.listen().port() + ": " + e.getMessage(), e);
            }
            ShardProxyServer server = new ShardProxyServer(boss, io, workers, pools, listener, services, clients);
            LOG.info("ShardProxy listening on {}:{} over {} shards", config.listen().host(),
                    server.address().getPort(), config.shards().size());
            return server;
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (transactions != null) {
                transactions.close();
            }
            pools.close();
            workers.shutdownNow();
            throw e;
        }
    }

    private static SslContext ssl(TlsConfig tls) {
        if (tls == null) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(new File(tls.certFile()), new File(tls.keyFile())).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot load TLS certificate or key: " + e.getMessage(), e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The address clients connect to (the real port when the config asked for port 0). */
    public InetSocketAddress address() {
        return address;
    }

    /** Shared services, for tests and admin tooling. */
    public ProxyServices services() {
        return services;
    }

    /**
     * Bytes written to clients and not yet taken by their sockets, summed over every client: what
     * a slow client costs the proxy. Bounded by the channels' write buffer high water mark plus
     * one batch per client, however large the results.
     */
    public long pendingClientBytes() {
        long total = 0;
        for (Channel c : clients) {
            if (c.unsafe().outboundBuffer() != null) {
                total += c.unsafe().outboundBuffer().totalPendingWriteBytes();
            }
        }
        return total;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        if (services.relays() != null) {
            services.relays().close();
        }
        clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
        services.transactions().close();
        pools.close();
    }
}
