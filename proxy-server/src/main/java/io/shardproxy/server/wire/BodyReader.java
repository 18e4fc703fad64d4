package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over the body of one frontend message. Every read that would run past
 * the body, every string without its NUL and every byte left over after {@link #end()} becomes a
 * 08P01 that names the message and the field, so each message reader states only its layout.
 */
final class BodyReader {

    private final ByteBuf body;
    private final String label;

    /** @param message the message's name, as in "Bind" or "StartupMessage" */
    BodyReader(ByteBuf body, String message) {
        this.body = body;
        this.label = message.endsWith("Message") || message.endsWith("Request") ? message : message + " message";
    }

    /** Byte1. */
    byte int8(String field) {
        need(1, field);
        return body.readByte();
    }

    /** Int16, big-endian. */
    short int16(String field) {
        need(2, field);
        return body.readShort();
    }

    /** Int32, big-endian. */
    int int32(String field) {
        need(4, field);
        return body.readInt();
    }

    /** Int16 count that must be non-negative. */
    int count(String field) {
        int n = int16(field);
        if (n < 0) {
            throw violation(field + " is negative (" + n + ")");
        }
        return n;
    }

    /** String: UTF-8 bytes up to a NUL, which is consumed. */
    String cstring(String field) {
        int length = body.bytesBefore((byte) 0);
        if (length < 0) {
            throw violation(field + " is not NUL-terminated");
        }
        int at = body.readerIndex();
        if (!ByteBufUtil.isText(body, at, length, StandardCharsets.UTF_8)) {
            throw violation(field + " is not valid UTF-8");
        }
        String s = body.toString(at, length, StandardCharsets.UTF_8);
        body.skipBytes(length + 1);
        return s;
    }

    /** Byte[n]. */
    byte[] bytes(int n, String field) {
        need(n, field);
        byte[] b = new byte[n];
        body.readBytes(b);
        return b;
    }

    /** Everything left in the body. */
    byte[] rest() {
        return bytes(body.readableBytes(), "body");
    }

    boolean hasRemaining() {
        return body.isReadable();
    }

    /** Asserts the body was consumed exactly. */
    void end() {
        if (body.isReadable()) {
            throw violation(body.readableBytes() + " unexpected trailing byte(s)");
        }
    }

    ShardProxyException violation(String what) {
        return new ShardProxyException(SqlState.PROTOCOL_VIOLATION, "invalid " + label + ": " + what);
    }

    private void need(int n, String field) {
        if (body.readableBytes() < n) {
            throw violation(field + " needs " + n + " byte(s) but only " + body.readableBytes() + " remain");
        }
    }
}
