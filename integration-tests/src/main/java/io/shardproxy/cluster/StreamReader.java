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
 * A client for benchmarks that reads a result as a stream without keeping it: it counts the rows
 * of one query and checks that one integer column never decreases (an ORDER BY result), using the
 * simple query protocol over a plain socket as a trust user. psql and pgjdbc in simple mode would
 * hold the whole result in memory, which is not what a 10-million-row scan should measure.
 *
 * <pre>
 *   StreamReader PORT USER DATABASE SQL [ORDERED_COLUMN]
 * </pre>
 * prints {@code rows=N seconds=S ordered=true|false} and exits 0, or prints the error and exits 1.
 */
public final class StreamReader {

    private StreamReader() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: StreamReader PORT USER DATABASE SQL [ORDERED_COLUMN]");
            System.exit(2);
        }
        int orderedColumn = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(args[0]))) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            OutputStream out = s.getOutputStream();
            out.write(startup(args[1], args[2]));
            out.flush();
            readUntilReady(in, -1, null);
            byte[] sql = (args[3] + "\0").getBytes(StandardCharsets.UTF_8);
            DataOutputStream q = new DataOutputStream(out);
            q.writeByte('Q');
            q.writeInt(4 + sql.length);
            q.write(sql);
            q.flush();
            long[] state = {0, Long.MIN_VALUE, 1};
            readUntilReady(in, orderedColumn, state);
            System.out.printf("rows=%d seconds=%.1f ordered=%s%n", state[0], (System.nanoTime() - start) / 1e9,
                    orderedColumn < 0 ? "n/a" : state[2] == 1);
        }
    }

    /** Reads messages to ReadyForQuery; counts DataRows into state[0] and tracks order in state[1..2]. */
    private static void readUntilReady(DataInputStream in, int orderedColumn, long[] state) throws IOException {
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new IOException("connection closed");
            }
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            if (type == 'E') {
                System.out.println("error: " + new String(body, StandardCharsets.UTF_8).replace('\0', ' '));
                System.exit(1);
            }
            if (type == 'D' && state != null) {
                state[0]++;
                if (orderedColumn >= 0) {
                    long v = column(body, orderedColumn);
                    if (v < state[1]) {
                        state[2] = 0;
                    }
                    state[1] = v;
                }
            }
            if (type == 'Z') {
                return;
            }
        }
    }

    /** DataRow: Int16 n, then per column Int32 length (-1 NULL) and bytes. */
    private static long column(byte[] body, int index) {
        ByteBuffer b = ByteBuffer.wrap(body);
        int n = b.getShort();
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            if (i == index) {
                return len < 0 ? Long.MIN_VALUE : Long.parseLong(new String(body, b.position(), len, StandardCharsets.US_ASCII));
            }
            if (len > 0) {
                b.position(b.position() + len);
            }
        }
        throw new IllegalArgumentException("no column " + index);
    }

    private static byte[] startup(String user, String database) {
        byte[] params = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
    }
}
