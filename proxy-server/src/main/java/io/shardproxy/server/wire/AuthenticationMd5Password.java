package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * AuthenticationMD5Password ('R', code 5): the client answers with a PasswordMessage holding
 * "md5" + hex(md5(hex(md5(password + user)) + salt)).
 *
 * <pre>
 * Byte1('R')
 * Int32(12)  length
 * Int32(5)   AuthenticationMD5Password
 * Byte4      salt, random per attempt
 * </pre>
 */
public record AuthenticationMd5Password(byte[] salt) implements BackendMessage {

    public AuthenticationMd5Password {
        if (salt.length != 4) {
            throw new IllegalArgumentException("md5 salt must be 4 bytes, got " + salt.length);
        }
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.AUTHENTICATION);
        out.writeInt(12);
        out.writeInt(MessageType.Backend.AUTH_MD5_PASSWORD);
        out.writeBytes(salt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationMd5Password m && Arrays.equals(salt, m.salt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "AuthenticationMd5Password[]";
    }
}
