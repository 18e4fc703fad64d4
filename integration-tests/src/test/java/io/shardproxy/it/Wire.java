package io.shardproxy.it;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds frontend messages of the extended query protocol byte by byte, for tests that must say
 * exactly what a driver would send (formats, parameter types, portal names, row limits).
 */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Wire messages() {
        return new Wire();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Parse: statement name, query, parameter type OIDs. */
    Wire parse(String name, String sql, int... types) {
        Body b = new Body().cstring(name).cstring(sql).int16(types.length);
        for (int t : types) {
            b.int32(t);
        }
        return add('P', b);
    }

    /** Bind with text parameters (null = NULL) and one result format for all columns (or none). */
    Wire bind(String portal, String statement, short[] resultFormats, String... textValues) {
        byte[][] values = new byte[textValues.length][];
        for (int i = 0; i < values.length; i++) {
            values[i] = textValues[i] == null ? null : textValues[i].getBytes(StandardCharsets.UTF_8);
        }
        return bind(portal, statement, new short[0], values, resultFormats);
    }

    /** Bind with explicit parameter formats and raw values. */
    Wire bind(String portal, String statement, short[] parameterFormats, byte[][] values, short[] resultFormats) {
        Body b = new Body().cstring(portal).cstring(statement).int16(parameterFormats.length);
        for (short f : parameterFormats) {
            b.int16(f);
        }
        b.int16(values.length);
        for (byte[] v : values) {
            if (v == null) {
                b.int32(-1);
            } else {
                b.int32(v.length).raw(v);
            }
        }
        b.int16(resultFormats.length);
        for (short f : resultFormats) {
            b.int16(f);
        }
        return add('B', b);
    }

    Wire describeStatement(String name) {
        return add('D', new Body().int8('S').cstring(name));
    }

    Wire describePortal(String name) {
        return add('D', new Body().int8('P').cstring(name));
    }

    Wire execute(String portal, int maxRows) {
        return add('E', new Body().cstring(portal).int32(maxRows));
    }

    Wire closeStatement(String name) {
        return add('C', new Body().int8('S').cstring(name));
    }

    Wire closePortal(String name) {
        return add('C', new Body().int8('P').cstring(name));
    }

    Wire sync() {
        return add('S', new Body());
    }

    Wire flush() {
        return add('H', new Body());
    }

    Wire copyData(String data) {
        return add('d', new Body().raw(data.getBytes(StandardCharsets.UTF_8)));
    }

    Wire copyDone() {
        return add('c', new Body());
    }

    Wire copyFail(String message) {
        return add('f', new Body().cstring(message));
    }

    Wire query(String sql) {
        return add('Q', new Body().cstring(sql));
    }

    /** Parse, Bind, Describe portal, Execute of the unnamed statement and portal: what most drivers send. */
    Wire run(String sql, String... textValues) {
        return parse("", sql).bind("", "", new short[0], textValues).describePortal("").execute("", 0);
    }

    private Wire add(char type, Body body) {
        byte[] b = body.out.toByteArray();
        out.write(type);
        out.writeBytes(ByteBuffer.allocate(4).putInt(4 + b.length).array());
        out.writeBytes(b);
        return this;
    }

    static short[] formats(int... codes) {
        short[] s = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            s[i] = (short) codes[i];
        }
        return s;
    }

    static byte[] int4(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] int8(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    /**
     * The backend messages of a response as comparable lines: type and body, with what differs
     * between servers for reasons unrelated to the answer masked out: RowDescription's table OIDs
     * (each server numbers its own tables), error fields other than severity, SQLSTATE and message
     * (file, line and routine name the server's source) and notices. ParameterStatus stays: a SET
     * of a reported setting must report it.
     */
    static List<String> normalize(List<RawPgClient.Message> messages) {
        List<String> lines = new ArrayList<>();
        for (RawPgClient.Message m : messages) {
            switch (m.type()) {
                case 'N':
                    break;
                case 'S':
                    lines.add("S " + new String(m.body(), StandardCharsets.UTF_8).replace('\0', '='));
                    break;
                case 'E': {
                    var f = m.fields();
                    lines.add("E " + f.get('V') + " " + f.get('C') + " " + f.get('M'));
                    break;
                }
                case 'T':
                    lines.add("T " + rowDescription(m.body()));
                    break;
                case 'D':
                    lines.add("D " + dataRow(m.body()));
                    break;
                case 'C':
                    lines.add("C " + new String(m.body(), 0, m.body().length - 1, StandardCharsets.UTF_8));
                    break;
                case 'd':
                    lines.add("d " + hex(m.body()));
                    break;
                default:
                    lines.add(m.type() + " " + hex(m.body()));
            }
        }
        return lines;
    }

    private static String rowDescription(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        int n = b.getShort();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int start = b.position();
            while (body[b.position()] != 0) {
                b.get();
            }
            String name = new String(body, start, b.position() - start, StandardCharsets.UTF_8);
            b.get();
            int tableOid = b.getInt();
            short attnum = b.getShort();
            int type = b.getInt();
            short typlen = b.getShort();
            int typmod = b.getInt();
            short format = b.getShort();
            sb.append(i > 0 ? ", " : "").append(name).append(tableOid == 0 ? "" : "@table." + attnum)
                    .append(':').append(type).append('/').append(typlen).append('/').append(typmod).append('/').append(format);
        }
        return sb.toString();
    }

    private static String dataRow(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        int n = b.getShort();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            sb.append(i > 0 ? " | " : "");
            if (len < 0) {
                sb.append("NULL");
            } else {
                byte[] v = new byte[len];
                b.get(v);
                sb.append(hex(v));
            }
        }
        return sb.toString();
    }

    static String hex(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (byte x : v) {
            if (x >= 0x20 && x < 0x7f && x != '\\') {
                sb.append((char) x);
            } else {
                sb.append(String.format("\\x%02x", x & 0xff));
            }
        }
        return sb.toString();
    }

    /** A message body under construction. */
    private static final class Body {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body cstring(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            return this;
        }

        Body int8(int v) {
            out.write(v);
            return this;
        }

        Body int16(int v) {
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) v).array());
            return this;
        }

        Body int32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
            return this;
        }

        Body raw(byte[] v) {
            out.writeBytes(v);
            return this;
        }
    }
}
