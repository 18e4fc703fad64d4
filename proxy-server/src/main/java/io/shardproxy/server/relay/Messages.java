package io.shardproxy.server.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shardproxy.server.exec.BoundValues;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PostgreSQL protocol messages a relay connection sends (startup, authentication, Query and
 * the extended protocol's Parse, Bind, Describe, Execute, Sync), each appended whole to a buffer,
 * and the fields of the error and notice messages it reads.
 */
public final class Messages {
    private Messages() {
    }

    /** StartupMessage: Int32 length, Int32 196608 (3.0), name/value pairs, a terminating 0. */
    static ByteBuf startup(ByteBufAllocator alloc, Map<String, String> parameters) {
        ByteBuf b = alloc.buffer(256);
        b.writeInt(0);
        b.writeInt(196608);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            cstring(b, e.getKey());
            cstring(b, e.getValue());
        }
        b.writeByte(0);
        b.setInt(0, b.readableBytes());
        return b;
    }

    /** PasswordMessage with a cleartext or md5 password. */
    static ByteBuf password(ByteBufAllocator alloc, String password) {
        ByteBuf b = alloc.buffer();
        int at = begin(b, 'p');
        cstring(b, password == null ? "" : password);
        end(b, at);
        return b;
    }

    /** SASLInitialResponse: the mechanism and the client-first-message. */
    static ByteBuf saslInitial(ByteBufAllocator alloc, String mechanism, byte[] data) {
        ByteBuf b = alloc.buffer();
        int at = begin(b, 'p');
        cstring(b, mechanism);
        b.writeInt(data.length);
        b.writeBytes(data);
        end(b, at);
        return b;
    }

    /** SASLResponse: the client-final-message. */
    static ByteBuf saslResponse(ByteBufAllocator alloc, byte[] data) {
        ByteBuf b = alloc.buffer(data.length + 5);
        int at = begin(b, 'p');
        b.writeBytes(data);
        end(b, at);
        return b;
    }

    /** A simple-protocol Query message. */
    public static ByteBuf query(ByteBufAllocator alloc, String sql) {
        ByteBuf b = alloc.ioBuffer(sql.length() + 16);
        int at = begin(b, 'Q');
        cstring(b, sql);
        end(b, at);
        return b;
    }

    static void parse(ByteBuf b, String name, String sql, int[] types) {
        int at = begin(b, 'P');
        cstring(b, name);
        cstring(b, sql);
        b.writeShort(types.length);
        for (int t : types) {
            b.writeInt(t);
        }
        end(b, at);
    }

    /** Bind of the unnamed portal to statement {@code name}, each value in its own format. */
    static void bind(ByteBuf b, String name, BoundValues values, short[] resultFormats) {
        int n = values == null ? 0 : values.count();
        int at = begin(b, 'B');
        b.writeByte(0);
        cstring(b, name);
        b.writeShort(n);
        for (int i = 0; i < n; i++) {
            b.writeShort(values.binary()[i] ? 1 : 0);
        }
        b.writeShort(n);
        for (int i = 0; i < n; i++) {
            byte[] v = values.values()[i];
            if (v == null) {
                b.writeInt(-1);
            } else {
                b.writeInt(v.length);
                b.writeBytes(v);
            }
        }
        b.writeShort(resultFormats.length);
        for (short f : resultFormats) {
            b.writeShort(f);
        }
        end(b, at);
    }

    /** Describe of the unnamed portal. */
    static void describePortal(ByteBuf b) {
        int at = begin(b, 'D');
        b.writeByte('P');
        b.writeByte(0);
        end(b, at);
    }

    /** Execute of the unnamed portal, then Sync. */
    static void executeAndSync(ByteBuf b, int maxRows) {
        int at = begin(b, 'E');
        b.writeByte(0);
        b.writeInt(Math.max(0, maxRows));
        end(b, at);
        b.writeByte('S');
        b.writeInt(4);
    }

    /** The fields of an ErrorResponse or NoticeResponse frame (type byte and length included), which is released. */
    public static Map<Byte, String> fields(ByteBuf frame) {
        Map<Byte, String> fields = new LinkedHashMap<>();
        try {
            frame.skipBytes(5);
            while (frame.isReadable()) {
                byte field = frame.readByte();
                if (field == 0) {
                    break;
                }
                int end = frame.indexOf(frame.readerIndex(), frame.writerIndex(), (byte) 0);
                if (end < 0) {
                    break;
                }
                fields.put(field, frame.toString(frame.readerIndex(), end - frame.readerIndex(), StandardCharsets.UTF_8));
                frame.readerIndex(end + 1);
            }
        } finally {
            frame.release();
        }
        return fields;
    }

    static String readCString(ByteBuf b) {
        int end = b.indexOf(b.readerIndex(), b.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new IllegalStateException("unterminated string in a shard message");
        }
        String s = b.toString(b.readerIndex(), end - b.readerIndex(), StandardCharsets.UTF_8);
        b.readerIndex(end + 1);
        return s;
    }

    private static void cstring(ByteBuf b, String s) {
        b.writeCharSequence(s, StandardCharsets.UTF_8);
        b.writeByte(0);
    }

    private static int begin(ByteBuf b, char type) {
        b.writeByte(type);
        int at = b.writerIndex();
        b.writeInt(0);
        return at;
    }

    private static void end(ByteBuf b, int at) {
        b.setInt(at, b.writerIndex() - at);
    }
}
