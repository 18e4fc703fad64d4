package io.shardproxy.server;

import io.shardproxy.config.ProxyConfig;

import java.net.InetSocketAddress;

/**
 * A running proxy: the Netty front end bound to the configured address, the shard pools and the
 * router. {@link #start} returns once clients can connect; {@link #close} stops accepting, closes
 * client connections and the pools.
 */
public final class ShardProxyServer implements AutoCloseable {

    private final InetSocketAddress address;

    private ShardProxyServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Starts a proxy for {@code config}; port 0 in the config binds an ephemeral port. */
    public static ShardProxyServer start(ProxyConfig config) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The address clients connect to (the real port when the config asked for port 0). */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
    }
}
