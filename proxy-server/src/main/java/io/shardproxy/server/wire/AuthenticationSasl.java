package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * AuthenticationSASL ('R', code 10): the SASL mechanisms the client may choose from, in order of
 * preference; it answers with a SASLInitialResponse.
 *
 * <pre>
 * Byte1('R')
 * Int32      length, including itself
 * Int32(10)  AuthenticationSASL
 * String*    mechanism names, e.g. "SCRAM-SHA-256"
 * Byte1(0)   terminator (an empty name)
 * </pre>
 */
public record AuthenticationSasl(List<String> mechanisms) implements BackendMessage {

    public AuthenticationSasl {
        mechanisms = List.copyOf(mechanisms);
        if (mechanisms.isEmpty() || mechanisms.contains("")) {
            throw new IllegalArgumentException("need at least one non-empty mechanism name");
        }
    }

    @Override
    public void encode(ByteBuf out) {
        int lengthAt = Frame.begin(out, MessageType.Backend.AUTHENTICATION);
        out.writeInt(MessageType.Backend.AUTH_SASL);
        for (String mechanism : mechanisms) {
            Frame.cstring(out, mechanism);
        }
        out.writeByte(0);
        Frame.end(out, lengthAt);
    }
}
