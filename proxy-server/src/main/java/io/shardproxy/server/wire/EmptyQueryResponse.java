package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * EmptyQueryResponse ('I'): the query string held no statement; it replaces CommandComplete.
 *
 * <pre>
 * Byte1('I')
 * Int32(4)   length, no body
 * </pre>
 */
public record EmptyQueryResponse() implements BackendMessage {
    public static final EmptyQueryResponse INSTANCE = new EmptyQueryResponse();

    @Override
    public void encode(ByteBuf out) {
        Frame.empty(out, MessageType.Backend.EMPTY_QUERY_RESPONSE);
    }
}
