package io.shardproxy.server.wire;

/**
 * Sync ('S'): ends an extended-protocol batch; the proxy answers ReadyForQuery. After an error the
 * proxy skips every message up to the next Sync.
 *
 * <pre>
 * Byte1('S')
 * Int32(4)   length, no body
 * </pre>
 */
public record Sync() implements FrontendMessage {
    public static final Sync INSTANCE = new Sync();
}
