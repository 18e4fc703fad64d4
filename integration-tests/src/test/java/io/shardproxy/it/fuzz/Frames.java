package io.shardproxy.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds and splits frontend protocol v3 bytes. The fuzzer needs both: builders for hand-made
 * streams and out-of-order insertions, and splitters to cut a recorded byte stream into messages.
 *
 * <pre>
 *   untyped packet (startup phase):  Int32 length (counts itself)  Int32 code  Byte[length - 8]
 *   typed message (after startup):   Byte1 type  Int32 length (counts itself, not the type)  Byte[length - 4]
 * </pre>
 */
public final class Frames {
    public static final int PROTOCOL_3_0 = 3 << 16;
    public static final int SSL_REQUEST_CODE = 80877103;
    public static final int GSSENC_REQUEST_CODE = 80877104;
    public static final int CANCEL_REQUEST_CODE = 80877102;

    /** Every frontend type byte a v3 client may send after the startup packet. */
    public static final String FRONTEND_TYPES = "QPBDECSHXpdcfF";

    private Frames() {
    }

    public static boolean isFrontendType(byte b) {
        return b != 0 && FRONTEND_TYPES.indexOf((char) (b & 0xFF)) >= 0;
    }

    /** A typed message with a correct length word. */
    public static byte[] typed(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** String: UTF-8 then NUL. */
    public static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    public static byte[] concat(List<byte[]> parts) {
        return concat(parts.toArray(new byte[0][]));
    }

    /** Query: String sql. */
    public static byte[] query(String sql) {
        return typed('Q', cstr(sql));
    }

    /** Parse: String name, String sql, Int16 n, Int32[n] parameter type OIDs. */
    public static byte[] parse(String name, String sql, int... oids) {
        ByteBuffer b = ByteBuffer.allocate(2 + 4 * oids.length).putShort((short) oids.length);
        for (int oid : oids) {
            b.putInt(oid);
        }
        return typed('P', concat(cstr(name), cstr(sql), b.array()));
    }

    /**
     * Bind: String portal, String statement, Int16 f, Int16[f] formats, Int16 p,
     * { Int32 length (-1 = NULL), Byte[length] }[p], Int16 r, Int16[r] result formats.
     */
    public static byte[] bind(String portal, String statement, short[] formats, byte[][] values, short[] results) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(cstr(portal));
        b.writeBytes(cstr(statement));
        shorts(b, formats);
        b.writeBytes(ByteBuffer.allocate(2).putShort((short) values.length).array());
        for (byte[] v : values) {
            b.writeBytes(ByteBuffer.allocate(4).putInt(v == null ? -1 : v.length).array());
            if (v != null) {
                b.writeBytes(v);
            }
        }
        shorts(b, results);
        return typed('B', b.toByteArray());
    }

    private static void shorts(ByteArrayOutputStream b, short[] values) {
        ByteBuffer s = ByteBuffer.allocate(2 + 2 * values.length).putShort((short) values.length);
        for (short v : values) {
            s.putShort(v);
        }
        b.writeBytes(s.array());
    }

    /** Describe: Byte1 'S' or 'P', String name. */
    public static byte[] describe(char target, String name) {
        return typed('D', concat(new byte[] {(byte) target}, cstr(name)));
    }

    /** Close: Byte1 'S' or 'P', String name. */
    public static byte[] close(char target, String name) {
        return typed('C', concat(new byte[] {(byte) target}, cstr(name)));
    }

    /** Execute: String portal, Int32 max rows (0 = all). */
    public static byte[] execute(String portal, int maxRows) {
        return typed('E', concat(cstr(portal), ByteBuffer.allocate(4).putInt(maxRows).array()));
    }

    public static byte[] sync() {
        return typed('S', new byte[0]);
    }

    public static byte[] flush() {
        return typed('H', new byte[0]);
    }

    public static byte[] terminate() {
        return typed('X', new byte[0]);
    }

    public static byte[] copyData(byte[] data) {
        return typed('d', data);
    }

    public static byte[] copyDone() {
        return typed('c', new byte[0]);
    }

    public static byte[] copyFail(String message) {
        return typed('f', cstr(message));
    }

    /** PasswordMessage (also SASLInitialResponse, SASLResponse): the body as given. */
    public static byte[] password(byte[] body) {
        return typed('p', body);
    }

    /**
     * FunctionCall: Int32 function OID, Int16 f, Int16[f] argument formats, Int16 n,
     * { Int32 length, Byte[length] }[n], Int16 result format.
     */
    public static byte[] functionCall(int oid, byte[]... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ByteBuffer.allocate(4).putInt(oid).array());
        shorts(b, new short[] {0});
        b.writeBytes(ByteBuffer.allocate(2).putShort((short) args.length).array());
        for (byte[] a : args) {
            b.writeBytes(ByteBuffer.allocate(4).putInt(a == null ? -1 : a.length).array());
            if (a != null) {
                b.writeBytes(a);
            }
        }
        b.writeBytes(new byte[] {0, 0});
        return typed('F', b.toByteArray());
    }

    /** StartupMessage: Int32 length, Int32 version, { String name, String value }*, Byte1 0. */
    public static byte[] startup(int version, Map<String, String> parameters) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        parameters.forEach((k, v) -> {
            p.writeBytes(cstr(k));
            p.writeBytes(cstr(v));
        });
        p.write(0);
        return untyped(version, p.toByteArray());
    }

    /** An untyped packet: Int32 length (counting itself), Int32 code, payload. */
    public static byte[] untyped(int code, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putInt(8 + payload.length).putInt(code).put(payload).array();
    }

    public static byte[] sslRequest() {
        return untyped(SSL_REQUEST_CODE, new byte[0]);
    }

    public static byte[] gssEncRequest() {
        return untyped(GSSENC_REQUEST_CODE, new byte[0]);
    }

    public static byte[] cancelRequest(int processId, int secretKey) {
        return untyped(CANCEL_REQUEST_CODE, ByteBuffer.allocate(8).putInt(processId).putInt(secretKey).array());
    }

    /** The code word of an untyped packet, or -1 when it is too short to have one. */
    public static int untypedCode(byte[] packet) {
        return packet.length >= 8 ? ByteBuffer.wrap(packet).getInt(4) : -1;
    }

    /** A well-formed SSLRequest or GSSENCRequest: exactly Int32 8 and the code. */
    public static boolean isEncryptionRequest(byte[] packet) {
        if (packet.length != 8 || ByteBuffer.wrap(packet).getInt(0) != 8) {
            return false;
        }
        int code = untypedCode(packet);
        return code == SSL_REQUEST_CODE || code == GSSENC_REQUEST_CODE;
    }

    /**
     * A client's recorded bytes split as the server reads them: untyped packets while the client
     * negotiates encryption, the startup packet, then typed messages. Bytes that do not frame (a
     * recording that ended mid-message) are returned as a last, partial element.
     */
    public static List<byte[]> splitClientStream(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(stream);
        boolean startup = true;
        while (b.hasRemaining()) {
            int at = b.position();
            int length;
            int total;
            if (startup) {
                if (b.remaining() < 8) {
                    break;
                }
                length = b.getInt(at);
                total = length;
                int code = b.getInt(at + 4);
                startup = code == SSL_REQUEST_CODE || code == GSSENC_REQUEST_CODE;
            } else {
                if (b.remaining() < 5) {
                    break;
                }
                length = b.getInt(at + 1);
                total = 1 + length;
            }
            if (length < 4 || total > b.remaining()) {
                break;
            }
            byte[] frame = new byte[total];
            b.get(frame);
            out.add(frame);
        }
        if (b.hasRemaining()) {
            byte[] rest = new byte[b.remaining()];
            b.get(rest);
            out.add(rest);
        }
        return out;
    }

    /** Typed messages only, as sent after authentication. */
    public static List<byte[]> splitTyped(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (stream.length - at >= 5) {
            int length = ByteBuffer.wrap(stream, at + 1, 4).getInt();
            if (length < 4 || length > stream.length - at - 1) {
                break;
            }
            byte[] frame = new byte[1 + length];
            System.arraycopy(stream, at, frame, 0, frame.length);
            out.add(frame);
            at += frame.length;
        }
        if (at < stream.length) {
            byte[] rest = new byte[stream.length - at];
            System.arraycopy(stream, at, rest, 0, rest.length);
            out.add(rest);
        }
        return out;
    }

    /** Lower-case hex, two digits a byte. */
    public static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }

    public static byte[] unhex(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex at " + 2 * i + ": " + hex.substring(2 * i, 2 * i + 2));
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    /** Hex dump, 32 bytes a line with offsets and printable ASCII, for failure messages. */
    public static String dump(byte[] bytes, int max) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(bytes.length, max);
        for (int line = 0; line < n; line += 32) {
            s.append(String.format("  %06x  ", line));
            StringBuilder ascii = new StringBuilder();
            for (int i = line; i < line + 32; i++) {
                if (i < n) {
                    int v = bytes[i] & 0xFF;
                    s.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xF, 16));
                    ascii.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
                } else {
                    s.append("  ");
                }
                if (i % 4 == 3) {
                    s.append(' ');
                }
            }
            s.append(' ').append(ascii).append('\n');
        }
        if (bytes.length > n) {
            s.append("  ... ").append(bytes.length - n).append(" more byte(s)\n");
        }
        return s.toString();
    }
}
