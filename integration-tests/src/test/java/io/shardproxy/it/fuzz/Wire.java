package io.shardproxy.it.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One fuzz client's socket to the proxy. Writes tolerate the proxy closing the connection
 * mid-write; every read waits at most until a deadline the caller gives, so nothing here can
 * block a test for longer. Incoming bytes are cut into backend messages (or the one-byte answer
 * to SSLRequest and GSSENCRequest when the caller expects one).
 */
public final class Wire implements AutoCloseable {
    /** What a read found. */
    public enum Kind { MESSAGE, SINGLE_BYTE, EOF, TIMEOUT, GARBAGE }

    /**
     * @param type the message type, or the single byte
     * @param body the body after the length word (empty for SINGLE_BYTE, EOF, TIMEOUT);
     *             for GARBAGE, the bytes that do not frame
     */
    public record Event(Kind kind, byte type, byte[] body) {
    }

    private static final Event EOF = new Event(Kind.EOF, (byte) 0, new byte[0]);
    private static final Event TIMEOUT = new Event(Kind.TIMEOUT, (byte) 0, new byte[0]);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buf = new byte[16 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private boolean reset;
    private long bytesSent;
    private volatile long lastWriteNanos;
    private long lastReadNanos;
    private volatile boolean writeFailed;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static Wire connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        return new Wire(s);
    }

    /** Writes everything or stops at the first failure (the proxy closed); true when all was written. */
    public boolean send(byte[] bytes) {
        try {
            for (int at = 0; at < bytes.length; at += 8192) {
                int n = Math.min(8192, bytes.length - at);
                out.write(bytes, at, n);
                bytesSent += n;
            }
            out.flush();
            return true;
        } catch (IOException e) {
            writeFailed = true;
            return false;
        } finally {
            lastWriteNanos = System.nanoTime();
        }
    }

    /** {@link #send} on {@code writer}, so the caller can read while a large write is under way. */
    public Future<Boolean> sendAsync(byte[] bytes, ExecutorService writer) {
        return writer.submit(() -> send(bytes));
    }

    /** When the last write returned (System.nanoTime), or 0 before any. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** When bytes last arrived from the proxy (System.nanoTime), or 0 before any. */
    public long lastReadNanos() {
        return lastReadNanos;
    }

    public boolean writeFailed() {
        return writeFailed;
    }

    /** True when the connection ended with a reset rather than an orderly close. */
    public boolean wasReset() {
        return reset;
    }

    /** Half-closes: the proxy reads the end of the stream, and may still answer. */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // already closed by the proxy
        }
    }

    /**
     * The next message (or single byte, when {@code singleByte}), the end of the stream, or
     * TIMEOUT once {@code deadlineNanos} passes with nothing complete.
     */
    public Event next(long deadlineNanos, boolean singleByte) throws IOException {
        while (true) {
            int available = end - start;
            if (singleByte && available >= 1) {
                byte b = buf[start];
                if (b == 'N' || b == 'S' || b == 'G') {
                    start++;
                    return new Event(Kind.SINGLE_BYTE, b, new byte[0]);
                }
                singleByte = false;
            }
            if (!singleByte && available >= 5) {
                int length = ByteBuffer.wrap(buf, start + 1, 4).getInt();
                if (length < 4 || length > BackendChecks.MAX_PLAUSIBLE_LENGTH) {
                    byte[] garbage = Arrays.copyOfRange(buf, start, end);
                    start = end;
                    return new Event(Kind.GARBAGE, garbage[0], garbage);
                }
                if (available >= 1 + length) {
                    byte type = buf[start];
                    byte[] body = Arrays.copyOfRange(buf, start + 5, start + 1 + length);
                    start += 1 + length;
                    return new Event(Kind.MESSAGE, type, body);
                }
                ensureRoom(1 + length);
            }
            if (eof) {
                if (end > start) {
                    byte[] garbage = Arrays.copyOfRange(buf, start, end);
                    start = end;
                    return new Event(Kind.GARBAGE, garbage[0], garbage);
                }
                return EOF;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return TIMEOUT;
            }
            fill((int) Math.max(1, Math.min(remaining / 1_000_000, 200)));
        }
    }

    /** Bytes received but not yet returned as a message, e.g. a message the proxy cut short. */
    public int unparsedBytes() {
        return end - start;
    }

    private void fill(int timeoutMs) throws IOException {
        if (end == buf.length) {
            ensureRoom(buf.length * 2);
        }
        try {
            socket.setSoTimeout(timeoutMs);
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
                lastReadNanos = System.nanoTime();
            }
        } catch (SocketTimeoutException e) {
            // the caller checks its deadline
        } catch (SocketException e) {
            eof = true;
            reset = true;
        }
    }

    private void ensureRoom(int needed) {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (buf.length < needed) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    /** Closes; {@code abortive} sends a reset instead of an orderly close. */
    public void close(boolean abortive) {
        try {
            if (abortive) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
