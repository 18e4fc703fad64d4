package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * AuthenticationSASLFinal ('R', code 12): the server-final-message of SCRAM; AuthenticationOk follows.
 *
 * <pre>
 * Byte1('R')
 * Int32      length, including itself
 * Int32(12)  AuthenticationSASLFinal
 * Byte[n]    SASL data, specific to the mechanism
 * </pre>
 */
public record AuthenticationSaslFinal(byte[] data) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.AUTHENTICATION);
        out.writeInt(8 + data.length);
        out.writeInt(MessageType.Backend.AUTH_SASL_FINAL);
        out.writeBytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationSaslFinal m && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthenticationSaslFinal[" + data.length + " bytes]";
    }
}
