package io.shardproxy.it.fuzz;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks that one message from the proxy is well-formed protocol v3: a known backend type and a
 * body laid out as that type's layout says, exactly. ErrorResponse and NoticeResponse must carry a
 * severity, a five-character SQLSTATE and a message. The checks say nothing about whether an
 * answer is right, only whether a client could parse it.
 */
public final class BackendChecks {
    /** The most a single backend message may plausibly hold in these tests (the fuzz tables are tiny). */
    public static final int MAX_PLAUSIBLE_LENGTH = 16 * 1024 * 1024;
    private static final Pattern SQLSTATE = Pattern.compile("[0-9A-Z]{5}");

    private BackendChecks() {
    }

    /** Null when {@code body} is a well-formed message of {@code type}, else what is wrong. */
    public static String problem(byte type, byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        try {
            switch ((char) type) {
                case 'R' -> {
                    int code = b.getInt();
                    switch (code) {
                        case 0, 3 -> { }
                        case 5 -> b.position(b.position() + 4);
                        case 10 -> {
                            while (true) {
                                String mechanism = cstring(b);
                                if (mechanism.isEmpty()) {
                                    break;
                                }
                            }
                        }
                        case 11, 12 -> b.position(b.limit());
                        default -> {
                            return "Authentication request with unknown code " + code;
                        }
                    }
                }
                case 'S' -> {
                    cstring(b);
                    cstring(b);
                }
                case 'K' -> b.position(b.position() + 8);
                case 'Z' -> {
                    byte status = b.get();
                    if (status != 'I' && status != 'T' && status != 'E') {
                        return "ReadyForQuery with transaction status " + (status & 0xFF);
                    }
                }
                case 'T' -> {
                    int n = b.getShort();
                    if (n < 0) {
                        return "RowDescription with " + n + " columns";
                    }
                    for (int i = 0; i < n; i++) {
                        cstring(b);
                        b.position(b.position() + 4 + 2 + 4 + 2 + 4 + 2);
                    }
                }
                case 'D' -> {
                    int n = b.getShort();
                    if (n < 0) {
                        return "DataRow with " + n + " columns";
                    }
                    for (int i = 0; i < n; i++) {
                        int len = b.getInt();
                        if (len < -1) {
                            return "DataRow column " + i + " with length " + len;
                        }
                        if (len > 0) {
                            b.position(b.position() + len);
                        }
                    }
                }
                case 'C' -> cstring(b);
                case 'I', '1', '2', '3', 'n', 's', 'c' -> { }
                case 'E', 'N' -> {
                    String p = fieldsProblem(type, b);
                    if (p != null) {
                        return p;
                    }
                }
                case 't' -> {
                    int n = b.getShort();
                    if (n < 0) {
                        return "ParameterDescription with " + n + " parameters";
                    }
                    b.position(b.position() + 4 * n);
                }
                case 'v' -> {
                    b.getInt();
                    int n = b.getInt();
                    for (int i = 0; i < n; i++) {
                        cstring(b);
                    }
                }
                case 'G', 'H', 'W' -> {
                    b.get();
                    int n = b.getShort();
                    b.position(b.position() + 2 * Math.max(0, n));
                }
                case 'd' -> b.position(b.limit());
                case 'A' -> {
                    b.getInt();
                    cstring(b);
                    cstring(b);
                }
                case 'V' -> {
                    int len = b.getInt();
                    if (len > 0) {
                        b.position(b.position() + len);
                    }
                }
                default -> {
                    return "unknown backend message type " + Mutator.printable(type);
                }
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Mutator.printable(type) + " message body ends early (" + body.length + " bytes)";
        }
        if (b.hasRemaining()) {
            return Mutator.printable(type) + " message has " + b.remaining() + " trailing byte(s)";
        }
        return null;
    }

    /** The fields of an ErrorResponse or NoticeResponse; assumes {@link #problem} found none. */
    public static Map<Character, String> fields(byte[] body) {
        Map<Character, String> f = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(body);
        while (b.hasRemaining()) {
            byte code = b.get();
            if (code == 0) {
                break;
            }
            f.put((char) code, cstring(b));
        }
        return f;
    }

    private static String fieldsProblem(byte type, ByteBuffer b) {
        Map<Character, String> f = new LinkedHashMap<>();
        while (true) {
            byte code = b.get();
            if (code == 0) {
                break;
            }
            f.put((char) code, cstring(b));
        }
        String what = type == 'E' ? "ErrorResponse" : "NoticeResponse";
        String state = f.get('C');
        if (state == null || !SQLSTATE.matcher(state).matches()) {
            return what + " without a valid SQLSTATE: " + f;
        }
        if (f.get('S') == null || f.get('M') == null) {
            return what + " without severity or message: " + f;
        }
        if (type == 'E') {
            String v = f.getOrDefault('V', f.get('S'));
            if (!v.equals("ERROR") && !v.equals("FATAL") && !v.equals("PANIC")) {
                return "ErrorResponse with severity " + v;
            }
        }
        return null;
    }

    private static String cstring(ByteBuffer b) {
        int start = b.position();
        while (b.get() != 0) {
            // scan to the NUL; get() throws past the end
        }
        return new String(b.array(), start, b.position() - start - 1, StandardCharsets.UTF_8);
    }
}
