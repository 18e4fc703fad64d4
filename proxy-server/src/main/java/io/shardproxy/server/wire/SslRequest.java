package io.shardproxy.server.wire;

/**
 * SSLRequest: the client asks for TLS before its StartupMessage. The proxy answers with one
 * unframed byte, 'S' (then the TLS handshake) or 'N' (then plaintext); either way the StartupMessage
 * comes next.
 *
 * <pre>
 * Int32(8)         length
 * Int32(80877103)  the SSL request code
 * </pre>
 */
public record SslRequest() implements FrontendMessage {
    public static final SslRequest INSTANCE = new SslRequest();
}
