package io.shardproxy.server.wire;

import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * SASLInitialResponse: the body of the first PasswordMessage after AuthenticationSASL, naming the
 * chosen mechanism and carrying its first message (for SCRAM, the client-first-message). Later
 * SASLResponse bodies are the mechanism's raw data and need no parsing here.
 *
 * <pre>
 * Byte1('p')    (read by FrontendDecoder as a PasswordMessage)
 * Int32         length, including itself
 * String        mechanism name, e.g. "SCRAM-SHA-256"
 * Int32         n, the length of the initial response, or -1 for none
 * Byte[n]       initial response
 * </pre>
 *
 * @param data the initial response, or null when the client sent -1
 */
public record SaslInitialResponse(String mechanism, byte[] data) {

    /** Parses {@link PasswordMessage#data()}; a body that does not match the layout exactly is 08P01. */
    public static SaslInitialResponse parse(byte[] passwordMessageData) {
        BodyReader body = new BodyReader(Unpooled.wrappedBuffer(passwordMessageData), "SASLInitialResponse");
        String mechanism = body.cstring("mechanism name");
        int length = body.int32("initial response length");
        if (length < -1) {
            throw body.violation("initial response length is " + length);
        }
        byte[] data = length == -1 ? null : body.bytes(length, "initial response");
        body.end();
        return new SaslInitialResponse(mechanism, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaslInitialResponse s && mechanism.equals(s.mechanism) && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return 31 * mechanism.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SaslInitialResponse[mechanism=" + mechanism + ", " + (data == null ? "no data" : data.length + " bytes")
                + "]";
    }
}
