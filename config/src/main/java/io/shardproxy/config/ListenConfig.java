package io.shardproxy.config;

/**
 * Where the proxy listens for clients.
 *
 * @param host            address to bind, e.g. 127.0.0.1
 * @param port            TCP port, e.g. 6432
 * @param maxMessageBytes largest frontend message accepted; larger ones close the connection
 * @param maxClients      most concurrent client connections; more get 53300
 * @param tls             TLS settings, or null when SSLRequest is answered with 'N'
 */
public record ListenConfig(String host, int port, int maxMessageBytes, int maxClients, TlsConfig tls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 6432;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    public static final int DEFAULT_MAX_CLIENTS = 10_000;

    /** 127.0.0.1:6432, default limits, no TLS: what an absent {@code listen} section means. */
    public static ListenConfig defaults() {
        return new ListenConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_CLIENTS, null);
    }
}
