package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * AuthenticationCleartextPassword ('R', code 3): the client answers with a PasswordMessage holding
 * the password as a String.
 *
 * <pre>
 * Byte1('R')
 * Int32(8)   length
 * Int32(3)   AuthenticationCleartextPassword
 * </pre>
 */
public record AuthenticationCleartextPassword() implements BackendMessage {
    public static final AuthenticationCleartextPassword INSTANCE = new AuthenticationCleartextPassword();

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.AUTHENTICATION);
        out.writeInt(8);
        out.writeInt(MessageType.Backend.AUTH_CLEARTEXT_PASSWORD);
    }
}
