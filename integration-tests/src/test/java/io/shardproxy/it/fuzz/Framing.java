package io.shardproxy.it.fuzz;

import java.nio.ByteBuffer;

/**
 * How a stream of typed messages frames, read the way any v3 server must read it: the type byte,
 * then the length word, then the body. It tells the oracle what it may expect from the proxy:
 *
 * <ul>
 *   <li>COMPLETE: every message is whole, so a probe appended after it must be answered (or the
 *       connection closed with an ErrorResponse, e.g. for a malformed body);</li>
 *   <li>TERMINATED: a Terminate comes before anything broken, so the proxy closes, no error needed;</li>
 *   <li>BROKEN: a type byte no client sends, or a length under 4 or over the limit, before the
 *       stream ends: no server can find the next message, so it must send an ErrorResponse and close;</li>
 *   <li>INCOMPLETE: the stream ends inside a message: the proxy may wait for the rest, and must
 *       let go once the client closes its side.</li>
 * </ul>
 *
 * @param at where the verdict was reached (the offset of the message that decided it)
 */
public record Framing(Kind kind, int at, String reason) {
    public enum Kind { COMPLETE, TERMINATED, BROKEN, INCOMPLETE }

    public static Framing of(byte[] s, int maxMessageBytes) {
        int at = 0;
        while (true) {
            int remaining = s.length - at;
            if (remaining == 0) {
                return new Framing(Kind.COMPLETE, at, "whole messages");
            }
            byte type = s[at];
            if (!Frames.isFrontendType(type)) {
                return new Framing(Kind.BROKEN, at, "message type " + Mutator.printable(type) + " at byte " + at);
            }
            if (remaining < 5) {
                return new Framing(Kind.INCOMPLETE, at, "stream ends in the header at byte " + at);
            }
            int length = ByteBuffer.wrap(s, at + 1, 4).getInt();
            if (length < 4 || length > maxMessageBytes) {
                return new Framing(Kind.BROKEN, at, "length " + length + " of " + Mutator.printable(type)
                        + " at byte " + at);
            }
            if (remaining < 1 + length) {
                return new Framing(Kind.INCOMPLETE, at, "stream ends inside " + Mutator.printable(type)
                        + " of length " + length + " at byte " + at);
            }
            if (type == 'X') {
                return new Framing(Kind.TERMINATED, at, "Terminate at byte " + at);
            }
            at += 1 + length;
        }
    }
}
