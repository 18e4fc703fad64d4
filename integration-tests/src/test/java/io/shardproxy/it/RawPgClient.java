package io.shardproxy.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL v3 client on a plain socket that sends exactly the bytes a test gives it, for
 * malformed input no driver would send. Reads block for at most {@link #TIMEOUT_MS}, so a proxy
 * that never answers fails the test instead of hanging it.
 */
final class RawPgClient implements AutoCloseable {
    static final int TIMEOUT_MS = 10_000;

    /** One backend message: its type byte and body (the bytes after the length word). */
    record Message(char type, byte[] body) {
        /**
         * The fields of an ErrorResponse or NoticeResponse, by field type:
         * <pre>
         *   { Byte1 field type ('S', 'V', 'C', 'M', 'H', ...), String value } ... Byte1 0
         * </pre>
         */
        Map<Character, String> fields() {
            Map<Character, String> fields = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char field = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(field, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }

        String sqlState() {
            return fields().get('C');
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawPgClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A TCP connection to the proxy with nothing sent yet. */
    static RawPgClient connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(TIMEOUT_MS);
        s.setTcpNoDelay(true);
        return new RawPgClient(s);
    }

    /** Connects and logs in as a trust user; returns once the proxy sent ReadyForQuery. */
    static RawPgClient loggedIn(int port, String trustUser, String database) throws IOException {
        RawPgClient c = connect(port);
        c.send(startup(trustUser, database));
        List<Message> greeting = c.readUntilReady();
        if (greeting.get(0).type() != 'R') {
            c.close();
            throw new AssertionError("expected AuthenticationOk, got " + greeting.get(0).type());
        }
        return c;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads one message: Byte1 type, Int32 length (counting itself), Byte[length - 4] body.
     * Throws EOFException when the proxy closed the connection first.
     */
    Message read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the proxy");
        }
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    /** One byte outside any message: the answer to SSLRequest or GSSENCRequest. */
    int readByte() throws IOException {
        return in.read();
    }

    /** SSLRequest or GSSENCRequest: Int32 8, Int32 code. */
    static byte[] request(int code) {
        return ByteBuffer.allocate(8).putInt(8).putInt(code).array();
    }

    /** Messages up to and including ReadyForQuery. */
    List<Message> readUntilReady() throws IOException {
        List<Message> messages = new ArrayList<>();
        Message m;
        do {
            m = read();
            messages.add(m);
        } while (m.type() != 'Z');
        return messages;
    }

    /** True when the proxy closed the connection: the next read finds the end of the stream (or a reset). */
    boolean closedByProxy() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** StartupMessage: Int32 length, Int32 196608 (protocol 3.0), { String name, String value } ..., Byte1 0. */
    static byte[] startup(String user, String database) {
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        for (String s : new String[] {"user", user, "database", database}) {
            params.writeBytes(cString(s));
        }
        params.write(0);
        byte[] p = params.toByteArray();
        return ByteBuffer.allocate(8 + p.length).putInt(8 + p.length).putInt(196608).put(p).array();
    }

    /** Query: Byte1 'Q', Int32 length, String sql. */
    static byte[] query(String sql) {
        return typed('Q', cString(sql));
    }

    /** Parse: Byte1 'P', Int32 length, String statement name, String sql, Int16 0 parameter types. */
    static byte[] parse(String sql) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(cString(""));
        body.writeBytes(cString(sql));
        body.writeBytes(new byte[] {0, 0});
        return typed('P', body.toByteArray());
    }

    /**
     * Bind: Byte1 'B', Int32 length, String portal, String statement, Int16 0 parameter formats,
     * Int16 0 parameters, Int16 0 result formats.
     */
    static byte[] bind() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(cString(""));
        body.writeBytes(cString(""));
        body.writeBytes(new byte[] {0, 0, 0, 0, 0, 0});
        return typed('B', body.toByteArray());
    }

    /** Execute: Byte1 'E', Int32 length, String portal, Int32 0 (no row limit). */
    static byte[] execute() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(cString(""));
        body.writeBytes(new byte[] {0, 0, 0, 0});
        return typed('E', body.toByteArray());
    }

    /** Sync: Byte1 'S', Int32 4. */
    static byte[] sync() {
        return typed('S', new byte[0]);
    }

    /** A typed message with a correct length word. */
    static byte[] typed(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** Just a type byte and a length word, whatever they say. */
    static byte[] header(int type, int length) {
        return ByteBuffer.allocate(5).put((byte) type).putInt(length).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }
}
