package io.shardproxy.server.wire;

/**
 * GSSENCRequest: the client asks for GSSAPI encryption before its StartupMessage. The proxy does
 * not offer it and answers with one unframed byte 'N'; the client then goes on (possibly with an
 * SSLRequest).
 *
 * <pre>
 * Int32(8)         length
 * Int32(80877104)  the GSSAPI encryption request code
 * </pre>
 */
public record GssEncRequest() implements FrontendMessage {
    public static final GssEncRequest INSTANCE = new GssEncRequest();
}
