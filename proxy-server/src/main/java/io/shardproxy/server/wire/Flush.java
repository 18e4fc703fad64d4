package io.shardproxy.server.wire;

/**
 * Flush ('H'): asks the proxy to send everything pending without ending the batch.
 *
 * <pre>
 * Byte1('H')
 * Int32(4)   length, no body
 * </pre>
 */
public record Flush() implements FrontendMessage {
    public static final Flush INSTANCE = new Flush();
}
