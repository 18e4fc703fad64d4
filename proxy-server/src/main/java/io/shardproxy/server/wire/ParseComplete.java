package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * ParseComplete ('1'): answer to Parse.
 *
 * <pre>
 * Byte1('1')
 * Int32(4)   length, no body
 * </pre>
 */
public record ParseComplete() implements BackendMessage {
    public static final ParseComplete INSTANCE = new ParseComplete();

    @Override
    public void encode(ByteBuf out) {
        Frame.empty(out, MessageType.Backend.PARSE_COMPLETE);
    }
}
