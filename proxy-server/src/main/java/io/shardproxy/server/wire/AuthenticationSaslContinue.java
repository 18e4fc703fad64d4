package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * AuthenticationSASLContinue ('R', code 11): the server-first-message of SCRAM; the client answers with a SASLResponse.
 *
 * <pre>
 * Byte1('R')
 * Int32      length, including itself
 * Int32(11)  AuthenticationSASLContinue
 * Byte[n]    SASL data, specific to the mechanism
 * </pre>
 */
public record AuthenticationSaslContinue(byte[] data) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.AUTHENTICATION);
        out.writeInt(8 + data.length);
        out.writeInt(MessageType.Backend.AUTH_SASL_CONTINUE);
        out.writeBytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationSaslContinue m && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationSaslContinue[" + data.length + " bytes]";
    }
}
