package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * CloseComplete ('3'): answer to Close.
 *
 * <pre>
 * Byte1('3')
 * Int32(4)   length, no body
 * </pre>
 */
public record CloseComplete() implements BackendMessage {
    public static final CloseComplete INSTANCE = new CloseComplete();

    @Override
    public void encode(ByteBuf out) {
        Frame.empty(out, MessageType.Backend.CLOSE_COMPLETE);
    }
}
