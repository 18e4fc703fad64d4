package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writing helpers shared by every backend message: the Byte1 type + Int32 length header (the length
 * counts itself and the body, not the type byte) and NUL-terminated UTF-8 strings.
 */
final class Frame {

    private Frame() {
    }

    /** Writes the type and a length placeholder; returns where the length goes for {@link #end}. */
    static int begin(ByteBuf out, byte type) {
        out.writeByte(type);
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        return lengthAt;
    }

    /** Patches the length written by {@link #begin} now that the body is complete. */
    static void end(ByteBuf out, int lengthAt) {
        out.setInt(lengthAt, out.writerIndex() - lengthAt);
    }

    /** A message with no body: Byte1 type, Int32(4). */
    static void empty(ByteBuf out, byte type) {
        out.writeByte(type);
        out.writeInt(4);
    }

    /**
     * String: UTF-8 then a NUL. A NUL inside the value would end the string early and shift every
     * field after it, so it is refused rather than written.
     */
    static void cstring(ByteBuf out, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a protocol string cannot contain NUL");
        }
        ByteBufUtil.writeUtf8(out, value);
        out.writeByte(0);
    }

    /** Int16 count, refusing what the wire cannot express. */
    static void count(ByteBuf out, int n, String what) {
        if (n > Short.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + n + " exceeds " + Short.MAX_VALUE);
        }
        out.writeShort(n);
    }

    /**
     * The body shared by CopyInResponse and CopyOutResponse:
     * <pre>
     * Byte1(type) Int32 length  Int8 overall format  Int16 n  Int16[n] column formats
     * </pre>
     */
    static void copyResponse(ByteBuf out, byte type, byte overallFormat, short[] columnFormats) {
        out.writeByte(type);
        out.writeInt(4 + 1 + 2 + 2 * columnFormats.length);
        out.writeByte(overallFormat);
        count(out, columnFormats.length, "column count");
        for (short format : columnFormats) {
            out.writeShort(format);
        }
    }
}
