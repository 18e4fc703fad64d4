package io.shardproxy.it.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plays one {@link FuzzCase} against the proxy on its own connection and judges only robustness,
 * never the answers themselves:
 *
 * <pre>
 *   log in (trust, or the case's startup steps) ─▶ send the mutated bytes (+ a probe when they frame)
 *        ─▶ read until the probe is answered, or the proxy closes, or 5 s pass after the last byte (a hang)
 *   INCOMPLETE / BROKEN streams: no probe; the client half-closes and the proxy must close within 5 s
 * </pre>
 *
 * Every byte from the proxy must frame as backend messages that {@link BackendChecks} accepts; an
 * ErrorResponse needs a SQLSTATE; a connection the proxy closes on its own (no Terminate, no reset)
 * must have had an ErrorResponse first. The probe (CopyFail, Sync, ROLLBACK, a marker SELECT) gets
 * any session back to idle whatever state the stream left it in, so the oracle holds both for
 * today's proxy and once the extended protocol and COPY are implemented.
 */
public final class CaseRunner implements AutoCloseable {
    /** How long the proxy may stay silent after the client's last byte before the case counts as a hang. */
    public static final long DEFAULT_ANSWER_NANOS = 5_000_000_000L;
    private static final long WRITE_NANOS = 20_000_000_000L;
    /** However steady the progress, a case's stream must be dealt with in this time. */
    private static final long CASE_NANOS = 60_000_000_000L;

    private final int port;
    private final String database;
    private final FuzzCase.User trust;
    private final int maxMessageBytes;
    private final ExecutorService writer;
    private final long answerNanos;

    /** What one case did and what was wrong with it; {@code problems} empty means it passed. */
    public record Outcome(FuzzCase fuzzCase, List<String> problems, String ending, byte[] sent, String transcript,
                          long millis) {
        public boolean failed() {
            return !problems.isEmpty();
        }

        public String report() {
            StringBuilder s = new StringBuilder();
            s.append("FUZZ FAILURE: ").append(fuzzCase.describe());
            problems.forEach(p -> s.append("  PROBLEM: ").append(p).append('\n'));
            s.append("  ending: ").append(ending).append(", ").append(millis).append(" ms\n");
            s.append("  received: ").append(transcript).append('\n');
            s.append("  client bytes (").append(sent.length).append(")");
            if (!fuzzCase.base().startsWith("regression")) {
                s.append(", replay with -Dfuzz.seed=").append(fuzzCase.seed()).append(" -Dfuzz.case=")
                        .append(fuzzCase.number());
            }
            s.append(":\n");
            s.append(Frames.dump(sent, 4096));
            return s.toString();
        }
    }

    public CaseRunner(int port, String database, FuzzCase.User trust, int maxMessageBytes) {
        this(port, database, trust, maxMessageBytes, DEFAULT_ANSWER_NANOS);
    }

    /** @param answerNanos how long the proxy may stay silent before a case counts as a hang */
    public CaseRunner(int port, String database, FuzzCase.User trust, int maxMessageBytes, long answerNanos) {
        this.answerNanos = answerNanos;
        this.port = port;
        this.database = database;
        this.trust = trust;
        this.maxMessageBytes = maxMessageBytes;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The proxy's limit this runner judges lengths by. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public Outcome run(FuzzCase c) {
        long started = System.nanoTime();
        Wire w;
        try {
            w = Wire.connect(port);
        } catch (IOException e) {
            return new Outcome(c, List.of("cannot connect to the proxy: " + e), "no connection", new byte[0], "", 0);
        }
        Conversation run = new Conversation(c, w);
        String ending;
        try (w) {
            if (c.auth() == null) {
                ending = trustLogin(run);
            } else {
                ending = new StartupPhase(answerNanos, maxMessageBytes).play(run);
            }
            if (run.loggedIn) {
                ending = messages(run);
            }
        } catch (IOException e) {
            run.problems.add("client I/O error: " + e);
            ending = "error";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.problems.add("interrupted");
            ending = "interrupted";
        } catch (RuntimeException e) {
            // a defect of the fuzzer itself: report it with the case rather than lose the worker
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            run.problems.add("fuzzer error (not the proxy's): " + trace);
            ending = "fuzzer error";
        }
        return new Outcome(c, List.copyOf(run.problems), ending, run.sent.toByteArray(), run.transcript.toString(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private String trustLogin(Conversation run) throws IOException {
        run.send(Frames.startup(Frames.PROTOCOL_3_0, Map.of("user", trust.name(), "database", database)));
        long deadline = System.nanoTime() + answerNanos;
        boolean first = true;
        while (true) {
            Wire.Event e = run.read(deadline, false);
            if (e.kind() != Wire.Kind.MESSAGE) {
                run.problems.add("trust login did not complete: " + e.kind());
                return "login failed";
            }
            if (first && (e.type() != 'R' || ByteBuffer.wrap(e.body()).getInt() != 0)) {
                run.problems.add("trust login: expected AuthenticationOk first, got " + Mutator.printable(e.type()));
                return "login failed";
            }
            first = false;
            if (e.type() == 'Z') {
                run.loggedIn = true;
                return "logged in";
            }
        }
    }

    /** The probe: ends COPY, ends an extended batch, ends a transaction, then a marker row. */
    static byte[] probe(String marker) {
        return Frames.concat(Frames.copyFail("fuzz probe"), Frames.sync(), Frames.query("ROLLBACK"),
                Frames.query("SELECT '" + marker + "'"));
    }

    private String messages(Conversation run) throws IOException, InterruptedException {
        FuzzCase c = run.c;
        Framing framing = Framing.of(c.messages(), maxMessageBytes);
        String marker = "fuzz-probe-" + c.number();
        boolean probe = framing.kind() == Framing.Kind.COMPLETE;
        byte[] bytes = probe ? Frames.concat(c.messages(), probe(marker)) : c.messages();
        run.sent.writeBytes(bytes);
        run.lastType = 0;
        Future<Boolean> write = run.w.sendAsync(bytes, writer);
        long writeDeadline = System.nanoTime() + WRITE_NANOS;
        long caseDeadline = System.nanoTime() + CASE_NANOS;
        boolean halfClosed = false;
        boolean sawMarker = false;
        String ending;
        while (true) {
            boolean written = write.isDone();
            if (written && !probe && framing.kind() != Framing.Kind.TERMINATED && !halfClosed) {
                run.w.shutdownOutput();
                halfClosed = true;
            }
            // a hang is 5 s without progress: no byte written or received (each statement may take a
            // while, e.g. waiting out another case's row lock, but the proxy must keep answering)
            long deadline = written
                    ? Math.min(Math.max(run.w.lastWriteNanos(), run.w.lastReadNanos()) + answerNanos, caseDeadline)
                    : writeDeadline;
            long now = System.nanoTime();
            Wire.Event e = run.read(Math.min(deadline, now + 50_000_000L), false);
            if (e.kind() == Wire.Kind.MESSAGE) {
                if (e.type() == 'D' && marker.equals(singleValue(e.body()))) {
                    sawMarker = true;
                } else if (e.type() == 'Z' && sawMarker) {
                    ending = "probe answered";
                    break;
                }
            } else if (e.kind() == Wire.Kind.EOF || e.kind() == Wire.Kind.GARBAGE) {
                ending = "closed by proxy";
                break;
            } else if (e.kind() == Wire.Kind.TIMEOUT && System.nanoTime() >= deadline) {
                ending = "hang";
                break;
            }
        }
        write.cancel(true);
        if (ending.equals("hang")) {
            run.problems.add(switch (framing.kind()) {
                case COMPLETE -> run.lastType == 'Z'
                        ? "the probe's marker row never came, and the proxy is idle after ReadyForQuery (the probe"
                                + " was lost or failed; last error: " + run.lastError + ")"
                        : "no answer to the probe and no close: " + seconds() + " without a byte from the proxy"
                                + " after the client's last byte (or 60 s in all)";
                case TERMINATED -> "proxy did not close the connection within " + seconds() + " after Terminate";
                default -> "proxy kept the connection open more than " + seconds() + " after the client half-closed it";
            } + " (" + framing.reason() + (written(write) ? "" : ", the write never completed") + ")");
            return ending;
        }
        if (ending.equals("closed by proxy")) {
            boolean quiet = framing.kind() == Framing.Kind.TERMINATED || framing.kind() == Framing.Kind.INCOMPLETE
                    || run.terminateSent;
            if (!quiet && !run.w.wasReset() && run.errorsAfterLogin == 0) {
                run.problems.add("proxy closed the connection without an ErrorResponse (" + framing.reason() + ")");
            }
            return ending + (run.w.wasReset() ? " (reset)" : "");
        }
        leave(run);
        return ending;
    }

    private String seconds() {
        return String.format("%.1f s", answerNanos / 1e9);
    }

    private static boolean written(Future<Boolean> write) {
        return write.isDone() && !write.isCancelled();
    }

    /** Leaves a connection that is in sync the way the case says; the proxy must close within 5 s when asked. */
    private void leave(Conversation run) throws IOException {
        FuzzCase.Leave how = run.c.leave();
        if (how == FuzzCase.Leave.CLOSE || how == FuzzCase.Leave.RESET) {
            run.w.close(how == FuzzCase.Leave.RESET);
            return;
        }
        if (how == FuzzCase.Leave.TERMINATE) {
            run.send(Frames.terminate());
        } else {
            run.w.shutdownOutput();
        }
        long deadline = System.nanoTime() + answerNanos;
        while (true) {
            Wire.Event e = run.read(deadline, false);
            if (e.kind() == Wire.Kind.EOF || e.kind() == Wire.Kind.GARBAGE) {
                return;
            }
            if (e.kind() == Wire.Kind.TIMEOUT) {
                run.problems.add("proxy did not close within " + seconds() + " after the client's " + how);
                return;
            }
        }
    }

    /** The one value of a one-column DataRow: Int16 1, Int32 length, Byte[length]; null otherwise. */
    private static String singleValue(byte[] body) {
        if (body.length < 6) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        if (b.getShort() != 1) {
            return null;
        }
        int len = b.getInt();
        if (len < 0 || len != b.remaining()) {
            return null;
        }
        return new String(body, 6, len, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
