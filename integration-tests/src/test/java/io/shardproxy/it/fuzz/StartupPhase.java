package io.shardproxy.it.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The startup phase of an authentication case: encryption requests (each answered by one byte),
 * the StartupMessage, live md5 and SCRAM answers computed from the proxy's challenge and then
 * mutated, recorded password messages. It ends logged in (ReadyForQuery), closed by the proxy
 * (which must have sent an ErrorResponse unless the client cancelled or terminated), or quiet: the
 * proxy may be waiting for bytes a mutation removed, so the client half-closes and the proxy must
 * close in time.
 */
final class StartupPhase {
    /** Quiet time after which a startup phase is taken to wait for more input. */
    private static final long STARTUP_IDLE_NANOS = 700_000_000L;

    /** RFC 5802 server-first-message: nonce, base64 salt, iteration count (no extensions). */
    private static final java.util.regex.Pattern SERVER_FIRST =
            java.util.regex.Pattern.compile("r=[\\x21-\\x2b\\x2d-\\x7e]+,s=[A-Za-z0-9+/]+={0,2},i=[1-9][0-9]*");

    private final long answerNanos;
    private final int maxMessageBytes;

    StartupPhase(long answerNanos, int maxMessageBytes) {
        this.answerNanos = answerNanos;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Plays the case's startup steps; returns how the phase ended ({@code run.loggedIn} once in). */
    String play(Conversation run) throws IOException {
        FuzzCase c = run.c;
        boolean untypedPhase = true;
        boolean quietCloseAllowed = false;
        AuthResponses.Scram scram = null;
        Random nonces = new Random(CaseFactory.caseSeed(c.seed(), ~c.number()));
        for (FuzzCase.AuthStep step : c.auth()) {
            byte[] out;
            if (step instanceof FuzzCase.Send s) {
                out = s.bytes();
                if (untypedPhase && out.length >= 8 && out[0] == 0
                        && Frames.untypedCode(out) == Frames.CANCEL_REQUEST_CODE) {
                    quietCloseAllowed = true;
                }
                if (out.length >= 5 && out[0] == 'X') {
                    quietCloseAllowed = true;
                    run.terminateSent = true;
                }
                if (!run.send(out)) {
                    break;
                }
                if (untypedPhase && Frames.isEncryptionRequest(out)) {
                    Wire.Event e = run.read(System.nanoTime() + answerNanos, true);
                    if (e.kind() == Wire.Kind.SINGLE_BYTE) {
                        if (e.type() != 'N') {
                            run.problems.add("answer " + Mutator.printable(e.type()) + " to an encryption request"
                                    + " on a proxy without TLS or GSSAPI");
                        }
                        continue;
                    }
                    if (e.kind() == Wire.Kind.TIMEOUT) {
                        run.problems.add("no answer within " + seconds() + " to an SSLRequest or GSSENCRequest");
                        return "hang";
                    }
                    return finishStartup(run, e, quietCloseAllowed);
                }
                untypedPhase = false;
                continue;
            }
            untypedPhase = false;
            int code = step instanceof FuzzCase.Md5Answer ? 5 : step instanceof FuzzCase.ScramFirst ? 10 : 11;
            Wire.Event challenge = awaitAuthRequest(run, code);
            if (challenge == null || challenge.kind() != Wire.Kind.MESSAGE || challenge.type() != 'R') {
                return finishStartup(run, challenge, quietCloseAllowed);
            }
            Long mutation;
            if (step instanceof FuzzCase.Md5Answer m) {
                byte[] salt = java.util.Arrays.copyOfRange(challenge.body(), 4, 8);
                out = AuthResponses.md5(c.user().name(), c.user().password(), salt);
                mutation = m.mutationSeed();
            } else if (step instanceof FuzzCase.ScramFirst m) {
                byte[] nonce = new byte[18];
                nonces.nextBytes(nonce);
                scram = new AuthResponses.Scram(c.user().password(), java.util.Base64.getEncoder().encodeToString(nonce));
                out = scram.initialResponse();
                mutation = m.mutationSeed();
            } else {
                FuzzCase.ScramFinal m = (FuzzCase.ScramFinal) step;
                if (scram == null) {
                    break;
                }
                String serverFirst = new String(challenge.body(), 4, challenge.body().length - 4, StandardCharsets.UTF_8);
                if (!SERVER_FIRST.matcher(serverFirst).matches()) {
                    run.problems.add("AuthenticationSASLContinue without a valid server-first-message: \""
                            + serverFirst + "\"");
                }
                out = scram.finalResponse(java.util.Arrays.copyOfRange(challenge.body(), 4, challenge.body().length));
                mutation = m.mutationSeed();
            }
            if (mutation != null) {
                List<String> log = new ArrayList<>();
                out = new Mutator(List.of(), maxMessageBytes).mutateOne(out, new Random(mutation), log);
                run.transcript.append("{mutated ").append(String.join("; ", log)).append("} ");
            }
            if (!run.send(out)) {
                break;
            }
        }
        return finishStartup(run, null, quietCloseAllowed);
    }

    /**
     * Waits for AuthenticationRequest {@code code}. Null when the proxy went quiet (it may be
     * waiting for bytes the mutation removed); otherwise the event that ended the wait.
     */
    private Wire.Event awaitAuthRequest(Conversation run, int code) throws IOException {
        while (true) {
            Wire.Event e = run.read(System.nanoTime() + STARTUP_IDLE_NANOS, false);
            if (e.kind() == Wire.Kind.TIMEOUT) {
                return null;
            }
            if (e.kind() != Wire.Kind.MESSAGE) {
                return e;
            }
            if (e.type() == 'R' && e.body().length >= 4 && ByteBuffer.wrap(e.body()).getInt() == code) {
                return e;
            }
            if (e.type() == 'Z' || e.type() == 'E') {
                return e;
            }
        }
    }

    /**
     * After the last startup step: logged in (ReadyForQuery), closed by the proxy (which must have
     * said why, unless the client cancelled or terminated), or quiet: then the client half-closes and
     * the proxy must close within 5 s.
     */
    private String finishStartup(Conversation run, Wire.Event last, boolean quietCloseAllowed) throws IOException {
        Wire.Event e = last;
        boolean halfClosed = false;
        long deadline = 0;
        while (true) {
            if (e == null || e.kind() == Wire.Kind.SINGLE_BYTE) {
                e = run.read(halfClosed ? deadline : System.nanoTime() + STARTUP_IDLE_NANOS, false);
            }
            switch (e.kind()) {
                case MESSAGE -> {
                    if (e.type() == 'Z') {
                        run.loggedIn = true;
                        return "logged in";
                    }
                }
                case EOF, GARBAGE -> {
                    if (!halfClosed && !quietCloseAllowed && !run.w.wasReset() && run.errorsBeforeLogin == 0) {
                        run.problems.add("proxy closed the connection during startup without an ErrorResponse");
                    }
                    return halfClosed ? "closed after client EOF (startup)" : "closed during startup";
                }
                case TIMEOUT -> {
                    if (halfClosed) {
                        run.problems.add("proxy kept the connection open more than " + seconds() + " after the client"
                                + " half-closed it during startup");
                        return "hang";
                    }
                    run.w.shutdownOutput();
                    halfClosed = true;
                    deadline = System.nanoTime() + answerNanos;
                }
                default -> { }
            }
            e = null;
        }
    }

    private String seconds() {
        return String.format("%.1f s", answerNanos / 1e9);
    }
}
