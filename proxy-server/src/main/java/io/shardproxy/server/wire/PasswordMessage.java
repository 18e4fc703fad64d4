package io.shardproxy.server.wire;

import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * PasswordMessage ('p'). The same type byte carries the cleartext password, the md5 response, the
 * SASLInitialResponse and the SASLResponse; only the authentication stage knows which, so the
 * decoder keeps the body raw. {@link #toString()} never shows it.
 *
 * <pre>
 * Byte1('p')
 * Int32      length, including itself
 * Byte[n]    body: String password | String "md5" + 32 hex | SASLInitialResponse | SASL data
 * </pre>
 */
public record PasswordMessage(byte[] data) implements FrontendMessage {

    /**
     * The body read as the String of a cleartext password (or of an md5 response): exactly one NUL,
     * at the end.
     */
    public String cleartextPassword() {
        BodyReader body = new BodyReader(Unpooled.wrappedBuffer(data), "PasswordMessage");
        String password = body.cstring("password");
        body.end();
        return password;
    }

    static PasswordMessage read(BodyReader body) {
        return new PasswordMessage(body.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordMessage p && Arrays.equals(data, p.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PasswordMessage[" + data.length + " bytes]";
    }
}
