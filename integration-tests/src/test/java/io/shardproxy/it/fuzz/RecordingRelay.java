package io.shardproxy.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on 127.0.0.1 between real clients and a real server that keeps every byte each
 * client sent. One recording per accepted connection, in accept order. The relay forwards both
 * directions unchanged (an SSLRequest is answered by the server, 'N' for ours), so the client
 * behaves exactly as it would against the server.
 */
public final class RecordingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Recording> recordings = new ArrayList<>();
    private final Thread acceptor;

    /** The bytes one client sent, complete once both directions have ended. */
    public static final class Recording {
        private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
        private final List<Thread> pumps = new ArrayList<>();

        public synchronized byte[] clientBytes() {
            return clientBytes.toByteArray();
        }

        private synchronized void append(byte[] b, int n) {
            clientBytes.write(b, 0, n);
        }

        private void await() throws InterruptedException {
            for (Thread t : pumps) {
                t.join(10_000);
            }
        }
    }

    public RecordingRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::acceptLoop, "recording-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Recording r = new Recording();
                java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(2);
                Runnable done = () -> {
                    if (running.decrementAndGet() == 0) {
                        closeQuietly(client);
                        closeQuietly(server);
                    }
                };
                r.pumps.add(pump(client, server, r, done));
                r.pumps.add(pump(server, client, null, done));
                synchronized (recordings) {
                    recordings.add(r);
                }
                r.pumps.forEach(Thread::start);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static Thread pump(Socket from, Socket to, Recording record, Runnable done) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (record != null) {
                        record.append(buf, n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away; the finally below ends the other
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
                done.run();
            }
        }, "recording-pump");
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Every recording so far, once its connection has ended (waits up to 10 s for each). */
    public List<Recording> finished() throws InterruptedException {
        List<Recording> copy;
        synchronized (recordings) {
            copy = List.copyOf(recordings);
        }
        for (Recording r : copy) {
            r.await();
        }
        return copy;
    }

    /** Forgets the recordings so far (e.g. a setup connection). */
    public void reset() throws InterruptedException {
        finished();
        synchronized (recordings) {
            recordings.clear();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
