package io.shardproxy.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One case's connection as the oracle sees it: what was sent (for the failure dump), what came back
 * (a short transcript), and every problem found so far. {@link #read} checks each message from the
 * proxy with {@link BackendChecks} as it arrives.
 */
final class Conversation {
    /** However the proxy behaves, a case ends within this time. */
    static final long HARD_LIMIT_NANOS = 90_000_000_000L;

    final FuzzCase c;
    final List<String> problems = new ArrayList<>();
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    final StringBuilder transcript = new StringBuilder();
    boolean loggedIn;
    /** A Terminate went out during the startup phase: the proxy may close without a word once logged in. */
    boolean terminateSent;
    /** The type of the last message from the proxy, 0 before any. */
    byte lastType;
    /** SQLSTATE and message of the last ErrorResponse, null before any. */
    String lastError;
    int errorsAfterLogin;
    int errorsBeforeLogin;
    final Wire w;
    private final long hardDeadline;
    private boolean pastHardDeadline;

    Conversation(FuzzCase c, Wire w) {
        this.c = c;
        this.w = w;
        this.hardDeadline = System.nanoTime() + HARD_LIMIT_NANOS;
    }

    boolean send(byte[] b) {
        sent.writeBytes(b);
        return w.send(b);
    }

    /**
     * Reads one event, checking every message; GARBAGE is a problem unless the connection was reset.
     * Past the case's hard deadline every read is a TIMEOUT, so no loop can go on for ever, even
     * against a proxy that never stops talking.
     */
    Wire.Event read(long deadline, boolean singleByte) throws IOException {
        if (System.nanoTime() - hardDeadline > 0) {
            if (!pastHardDeadline) {
                pastHardDeadline = true;
                problems.add("the case was still going after " + HARD_LIMIT_NANOS / 1_000_000_000 + " s");
            }
            return new Wire.Event(Wire.Kind.TIMEOUT, (byte) 0, new byte[0]);
        }
        Wire.Event e = w.next(deadline, singleByte);
        switch (e.kind()) {
            case MESSAGE -> {
                note(e);
                String p = BackendChecks.problem(e.type(), e.body());
                if (p != null) {
                    problems.add("malformed response: " + p);
                }
                lastType = e.type();
                if (e.type() == 'E') {
                    if (p == null) {
                        Map<Character, String> f = BackendChecks.fields(e.body());
                        lastError = f.get('C') + " " + f.get('M');
                    }
                    if (loggedIn) {
                        errorsAfterLogin++;
                    } else {
                        errorsBeforeLogin++;
                    }
                }
                if (loggedIn && e.type() == 'R') {
                    problems.add("Authentication message after ReadyForQuery");
                }
            }
            case SINGLE_BYTE -> transcript.append('<').append((char) e.type()).append('>');
            case GARBAGE -> {
                if (!w.wasReset()) {
                    problems.add("response bytes that do not frame as a backend message: "
                            + Frames.hex(java.util.Arrays.copyOf(e.body(), Math.min(64, e.body().length))));
                }
                transcript.append("[").append(e.body().length).append(" unframed bytes]");
            }
            case EOF -> transcript.append(w.wasReset() ? "[reset]" : "[closed]");
            default -> { }
        }
        return e;
    }

    private void note(Wire.Event e) {
        if (transcript.length() > 2000) {
            return;
        }
        transcript.append(Mutator.printable(e.type()).replace("'", ""));
        if ((e.type() == 'E' || e.type() == 'N') && BackendChecks.problem(e.type(), e.body()) == null) {
            Map<Character, String> f = BackendChecks.fields(e.body());
            String m = f.getOrDefault('M', "");
            transcript.append('(').append(f.get('V') == null ? f.get('S') : f.get('V')).append(' ')
                    .append(f.get('C')).append(' ').append(m.length() > 80 ? m.substring(0, 80) + "..." : m)
                    .append(')');
        }
        transcript.append(' ');
    }
}
