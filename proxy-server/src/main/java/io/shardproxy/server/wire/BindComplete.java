package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * BindComplete ('2'): answer to Bind.
 *
 * <pre>
 * Byte1('2')
 * Int32(4)   length, no body
 * </pre>
 */
public record BindComplete() implements BackendMessage {
    public static final BindComplete INSTANCE = new BindComplete();

    @Override
    public void encode(ByteBuf out) {
        Frame.empty(out, MessageType.Backend.BIND_COMPLETE);
    }
}
