package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * CopyDone ('c'): end of COPY data, the same message in both directions.
 *
 * <pre>
 * Byte1('c')
 * Int32(4)   length, no body
 * </pre>
 */
public record CopyDone() implements FrontendMessage, BackendMessage {
    public static final CopyDone INSTANCE = new CopyDone();

    @Override
    public void encode(ByteBuf out) {
        Frame.empty(out, MessageType.Backend.COPY_DONE);
    }
}
