package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * AuthenticationOk ('R', code 0): the client is in; ParameterStatus, BackendKeyData and
 * ReadyForQuery follow.
 *
 * <pre>
 * Byte1('R')
 * Int32(8)   length
 * Int32(0)   AuthenticationOk
 * </pre>
 */
public record AuthenticationOk() implements BackendMessage {
    public static final AuthenticationOk INSTANCE = new AuthenticationOk();

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.AUTHENTICATION);
        out.writeInt(8);
        out.writeInt(MessageType.Backend.AUTH_OK);
    }
}
