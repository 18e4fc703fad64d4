package io.shardproxy.it.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fuzz oracle must be able to fail: {@link CaseRunner} against a fake backend that misbehaves
 * in one way each (silent, deaf to the end of the stream, closing without a word, an error without
 * SQLSTATE, bytes that do not frame) reports exactly that, and reports nothing against a fake that
 * behaves. Also: the same seed makes the same case, and {@link Framing} reads streams as a server does.
 */
class OracleSelfTest {
    private static final FuzzCase.User TRUST = new FuzzCase.User("trusty", null, FuzzCase.User.Method.TRUST);
    private static final long SHORT_NANOS = 400_000_000L;

    private enum Behaviour { CORRECT, SILENT, DEAF_TO_EOF, MUTE_CLOSE, NO_SQLSTATE, GARBAGE }

    private final List<Socket> accepted = new ArrayList<>();
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private ServerSocket listener;

    @AfterEach
    void closeFake() throws IOException {
        released.countDown();
        if (listener != null) {
            listener.close();
        }
        synchronized (accepted) {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aWellBehavedServerPassesAStreamAndItsProbe() throws IOException {
        CaseRunner.Outcome o = run(Behaviour.CORRECT, Frames.concat(Frames.query("select 1"), Frames.sync()));
        assertEquals(List.of(), o.problems());
        assertEquals("probe answered", o.ending());
    }

    @Test
    void aWellBehavedServerPassesBrokenFramingByRefusingIt() throws IOException {
        CaseRunner.Outcome o = run(Behaviour.CORRECT, Frames.concat(Frames.query("select 1"),
                ByteBuffer.allocate(5).put((byte) 'x').putInt(4).array()));
        assertEquals(List.of(), o.problems());
        assertTrue(o.ending().startsWith("closed by proxy"), o.ending());
    }

    @Test
    void silenceAfterACompleteStreamIsAHang() throws IOException {
        CaseRunner.Outcome o = run(Behaviour.SILENT, Frames.query("select 1"));
        assertProblem(o, "no answer to the probe");
    }

    @Test
    void keepingAConnectionOpenAfterTheClientHalfClosedItIsAHang() throws IOException {
        byte[] truncated = Arrays.copyOf(Frames.query("select 1"), 7);
        CaseRunner.Outcome o = run(Behaviour.DEAF_TO_EOF, truncated);
        assertProblem(o, "after the client half-closed it");
    }

    @Test
    void closingWithoutAnErrorResponseIsReported() throws IOException {
        CaseRunner.Outcome o = run(Behaviour.MUTE_CLOSE, Frames.query("select 1"));
        assertProblem(o, "without an ErrorResponse");
    }

    @Test
    void anErrorResponseWithoutSqlStateIsReported() throws IOException {
        CaseRunner.Outcome o = run(Behaviour.NO_SQLSTATE, Frames.query("select 1"));
        assertProblem(o, "without a valid SQLSTATE");
    }

    @Test
    void responseBytesThatDoNotFrameAreReported() throws IOException {
        CaseRunner.Outcome o = run(Behaviour.GARBAGE, Frames.query("select 1"));
        assertProblem(o, "do not frame");
    }

    @Test
    void theSameSeedAndNumberMakeTheSameCase() {
        CaseFactory f = new CaseFactory(HandBuiltStreams.all(), HandBuiltStreams.startups("db"), 4096, "db", TRUST,
                new FuzzCase.User("m", "p", FuzzCase.User.Method.MD5),
                new FuzzCase.User("s", "p", FuzzCase.User.Method.SCRAM), 10);
        for (int n = 0; n < 200; n++) {
            FuzzCase a = f.make(99, n);
            FuzzCase b = f.make(99, n);
            assertArrayEquals(a.messages(), b.messages(), "case " + n);
            assertEquals(a.mutations(), b.mutations(), "case " + n);
        }
    }

    @Test
    void theFactoryMakesTwentyThousandCasesOfTheFullCorpus() {
        List<CorpusStream> recorded = CorpusStream.recorded();
        List<CorpusStream> messages = new ArrayList<>(recorded);
        messages.addAll(HandBuiltStreams.all());
        List<CorpusStream> startups = new ArrayList<>(HandBuiltStreams.startups("db"));
        startups.addAll(recorded);
        CaseFactory f = new CaseFactory(messages, startups, 64 * 1024, "db", TRUST,
                new FuzzCase.User("m", "p", FuzzCase.User.Method.MD5),
                new FuzzCase.User("s", "p", FuzzCase.User.Method.SCRAM), 10);
        int withStartup = 0;
        for (int n = 0; n < 20_000; n++) {
            FuzzCase c = f.make(5, n);
            withStartup += c.auth() == null ? 0 : 1;
        }
        assertTrue(withStartup > 1_500 && withStartup < 2_500, withStartup + " startup cases");
    }

    @Test
    void framingReadsTheStreamAsAServerDoes() {
        byte[] q = Frames.query("select 1");
        assertEquals(Framing.Kind.COMPLETE, Framing.of(Frames.concat(q, Frames.sync()), 4096).kind());
        assertEquals(Framing.Kind.INCOMPLETE, Framing.of(Arrays.copyOf(q, q.length - 1), 4096).kind());
        assertEquals(Framing.Kind.INCOMPLETE, Framing.of(Arrays.copyOf(q, 3), 4096).kind());
        assertEquals(Framing.Kind.BROKEN, Framing.of(Frames.concat(q, new byte[] {'x'}), 4096).kind());
        assertEquals(Framing.Kind.BROKEN, Framing.of(ByteBuffer.allocate(5).put((byte) 'Q').putInt(3).array(), 4096).kind());
        assertEquals(Framing.Kind.BROKEN, Framing.of(ByteBuffer.allocate(5).put((byte) 'Q').putInt(4097).array(), 4096).kind());
        assertEquals(Framing.Kind.TERMINATED, Framing.of(Frames.concat(Frames.terminate(), new byte[] {'x'}), 4096).kind());
        assertEquals(Framing.Kind.BROKEN, Framing.of(Frames.sslRequest(), 4096).kind());
    }

    private static void assertProblem(CaseRunner.Outcome o, String text) {
        assertTrue(o.problems().stream().anyMatch(p -> p.contains(text)), () -> "expected a problem with \"" + text
                + "\", got " + o.problems() + "\n" + o.report());
    }

    private CaseRunner.Outcome run(Behaviour behaviour, byte[] messages) throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread server = new Thread(() -> serve(behaviour), "fake-backend");
        server.setDaemon(true);
        server.start();
        FuzzCase c = new FuzzCase(1, 7, "self-test", TRUST, null, messages, List.of(behaviour.name()),
                FuzzCase.Leave.TERMINATE);
        try (CaseRunner runner = new CaseRunner(listener.getLocalPort(), "db", TRUST, 4096, SHORT_NANOS)) {
            return runner.run(c);
        }
    }

    /** A backend that speaks just enough protocol v3 for the runner, misbehaving as told. */
    private void serve(Behaviour behaviour) {
        try (Socket s = listener.accept()) {
            synchronized (accepted) {
                accepted.add(s);
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] startup = new byte[in.readInt() - 4];
            in.readFully(startup);
            out.write(Frames.concat(message('R', new byte[4]), message('Z', new byte[] {'I'})));
            out.flush();
            if (behaviour == Behaviour.DEAF_TO_EOF) {
                in.readAllBytes();
                // the end of the stream changes nothing: hold the connection until the test is over
                released.await(10, java.util.concurrent.TimeUnit.SECONDS);
                return;
            }
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int length = in.readInt();
                if (Frames.FRONTEND_TYPES.indexOf((char) type) < 0 || length < 4 || length > 4096) {
                    out.write(error("FATAL", "08P01"));
                    return;
                }
                byte[] body = new byte[length - 4];
                in.readFully(body);
                switch (behaviour) {
                    case SILENT -> {
                        continue;
                    }
                    case MUTE_CLOSE -> {
                        // an orderly close (FIN), reading on so that no reset hides it
                        s.shutdownOutput();
                        in.readAllBytes();
                        return;
                    }
                    case NO_SQLSTATE -> {
                        out.write(message('E', Frames.concat(new byte[] {'S'}, Frames.cstr("ERROR"),
                                new byte[] {'M'}, Frames.cstr("no state"), new byte[] {0})));
                        out.flush();
                        continue;
                    }
                    case GARBAGE -> {
                        out.write(new byte[] {'C', 0, 0, 0, 2});
                        out.flush();
                        continue;
                    }
                    default -> {
                    }
                }
                if (type == 'X') {
                    return;
                }
                if (type == 'S') {
                    out.write(message('Z', new byte[] {'I'}));
                } else if (type == 'Q') {
                    String sql = new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
                    if (sql.startsWith("SELECT '")) {
                        byte[] value = sql.substring(8, sql.length() - 1).getBytes(StandardCharsets.UTF_8);
                        out.write(message('T', Frames.concat(new byte[] {0, 1}, Frames.cstr("m"),
                                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 0, 0, 0, 0, 0, 0, 0, 0})));
                        out.write(message('D', Frames.concat(new byte[] {0, 1},
                                ByteBuffer.allocate(4).putInt(value.length).array(), value)));
                    }
                    out.write(Frames.concat(message('C', Frames.cstr("SELECT 1")), message('Z', new byte[] {'I'})));
                }
                out.flush();
            }
        } catch (IOException e) {
            // the runner closed first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] message(char type, byte[] body) {
        return Frames.typed(type, body);
    }

    private static byte[] error(String severity, String state) {
        return message('E', Frames.concat(new byte[] {'S'}, Frames.cstr(severity), new byte[] {'V'},
                Frames.cstr(severity), new byte[] {'C'}, Frames.cstr(state), new byte[] {'M'},
                Frames.cstr("fake error"), new byte[] {0}));
    }
}
