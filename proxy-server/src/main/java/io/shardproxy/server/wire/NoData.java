package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * NoData ('n'): answer to Describe of a statement or portal that returns no rows.
 *
 * <pre>
 * Byte1('n')
 * Int32(4)   length, no body
 * </pre>
 */
public record NoData() implements BackendMessage {
    public static final NoData INSTANCE = new NoData();

    @Override
    public void encode(ByteBuf out) {
        Frame.empty(out, MessageType.Backend.NO_DATA);
    }
}
