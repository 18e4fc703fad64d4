package io.shardproxy.cluster;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A client that reads a result as a stream without keeping it, for benchmarks and memory tests:
 * it hands each row to a {@link RowHandler} and forgets it, using the simple query protocol over a
 * plain socket as a trust user. psql and pgjdbc in simple mode would hold the whole result in
 * memory, which is not what a 10-million-row scan should measure.
 *
 * <pre>
 *   StreamReader PORT USER DATABASE SQL [ORDERED_COLUMN]
 * </pre>
 * counts the rows of one query and checks that one integer column never decreases (an ORDER BY
 * result); prints {@code rows=N seconds=S ordered=true|false} and exits 0, or prints the error and
 * exits 1.
 */
public final class StreamReader {

    /** Receives one row's values as text, null for NULL; the array is not reused, but must not be kept. */
    public interface RowHandler {
        void row(String[] values);
    }

    /** The server answered with an ErrorResponse; the message holds its fields. */
    public static final class ServerError extends IOException {
        private static final long serialVersionUID = 1L;

        ServerError(String fields) {
            super(fields);
        }
    }

    private StreamReader() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: StreamReader PORT USER DATABASE SQL [ORDERED_COLUMN]");
            System.exit(2);
        }
        int orderedColumn = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        long start = System.nanoTime();
        long[] order = {Long.MIN_VALUE, 1};
        long rows;
        try {
            rows = scan(Integer.parseInt(args[0]), args[1], args[2], args[3], values -> {
                if (orderedColumn >= 0) {
                    long v = values[orderedColumn] == null ? Long.MIN_VALUE : Long.parseLong(values[orderedColumn]);
                    if (v < order[0]) {
                        order[1] = 0;
                    }
                    order[0] = v;
                }
            });
        } catch (ServerError e) {
            System.out.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.printf("rows=%d seconds=%.1f ordered=%s%n", rows, (System.nanoTime() - start) / 1e9,
                orderedColumn < 0 ? "n/a" : order[1] == 1);
    }

    /**
     * Runs {@code sql} on the server at 127.0.0.1:{@code port} as the trust user {@code user} and
     * hands every row to {@code handler} as it arrives.
     *
     * @return the number of rows
     * @throws ServerError when the server answers the login or the query with an error
     */
    public static long scan(int port, String user, String database, String sql, RowHandler handler) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            OutputStream out = s.getOutputStream();
            out.write(startup(user, database));
            out.flush();
            readUntilReady(in, null);
            byte[] query = (sql + "\0").getBytes(StandardCharsets.UTF_8);
            DataOutputStream q = new DataOutputStream(out);
            q.writeByte('Q');
            q.writeInt(4 + query.length);
            q.write(query);
            q.flush();
            return readUntilReady(in, handler);
        }
    }

    /** Reads messages to ReadyForQuery, handing DataRows to {@code handler}; returns how many there were. */
    private static long readUntilReady(DataInputStream in, RowHandler handler) throws IOException {
        long rows = 0;
        ServerError error = null;
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new IOException("connection closed");
            }
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            if (type == 'E' && error == null) {
                error = new ServerError(new String(body, StandardCharsets.UTF_8).replace('\0', ' ').strip());
            }
            if (type == 'D' && handler != null) {
                rows++;
                handler.row(values(body));
            }
            if (type == 'Z') {
                if (error != null) {
                    throw error;
                }
                return rows;
            }
        }
    }

    /** DataRow: Int16 n, then per column Int32 length (-1 NULL) and that many bytes. */
    private static String[] values(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        String[] values = new String[b.getShort()];
        for (int i = 0; i < values.length; i++) {
            int len = b.getInt();
            if (len >= 0) {
                values[i] = new String(body, b.position(), len, StandardCharsets.UTF_8);
                b.position(b.position() + len);
            }
        }
        return values;
    }

    private static byte[] startup(String user, String database) {
        byte[] params = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
    }
}
