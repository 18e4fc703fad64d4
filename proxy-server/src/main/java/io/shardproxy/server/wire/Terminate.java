package io.shardproxy.server.wire;

/**
 * Terminate ('X'): the client is closing the connection.
 *
 * <pre>
 * Byte1('X')
 * Int32(4)   length, no body
 * </pre>
 */
public record Terminate() implements FrontendMessage {
    public static final Terminate INSTANCE = new Terminate();
}
