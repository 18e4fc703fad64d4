package io.shardproxy.it.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of frontend message streams, at the message level (drop, duplicate, reorder,
 * splice, type bytes, lying lengths, oversize messages, field-aware changes to Bind, Parse,
 * Execute, Describe and Close, invalid UTF-8, protocol out of order) and at the byte level (bit
 * flips, byte changes, insertions, deletions, truncation). Every change is described in the log
 * given, so a failure names what was done. Only the {@link Random} passed in is used: the same
 * seed gives the same bytes.
 */
public final class Mutator {
    /** Type bytes a client never sends: backend-only types, a NUL, lower-case letters no one uses. */
    private static final byte[] FOREIGN_TYPES = {'T', 'Z', 'R', 'K', '1', '2', '3', 'n', 't', 's', 'G', 'W', 'A', 'V',
            'N', 'I', 'x', 'q', 'z', 0, (byte) 0xff, (byte) 0x80, ' ', '\n'};
    private static final int[] INTERESTING_INTS = {-1, 0, 1, 2, 3, 4, 5, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
            0x10000, 0x7fffffff, Integer.MIN_VALUE, -2, -32768};
    private static final byte[] INTERESTING_BYTES = {0, (byte) 0xff, 0x7f, (byte) 0x80, 1};
    private static final short[] INTERESTING_SHORTS = {-1, 0, 1, 2, 3, 0x7fff, -32768, 255, 256, -2};
    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xc3, 0x28}, {(byte) 0xff}, {(byte) 0xfe}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}, {(byte) 0xf0, (byte) 0x9f, (byte) 0x98}};

    private final List<CorpusStream> corpus;
    private final int maxMessageBytes;

    /** @param corpus streams to splice messages from; {@code maxMessageBytes} the proxy's limit */
    public Mutator(List<CorpusStream> corpus, int maxMessageBytes) {
        this.corpus = List.copyOf(corpus);
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Applies {@code count} mutations to {@code messages}; returns the bytes to send. */
    public byte[] mutate(List<byte[]> messages, int count, Random r, List<String> log) {
        List<byte[]> m = new ArrayList<>(messages);
        byte[] flat = null;
        for (int i = 0; i < count; i++) {
            if (flat == null && r.nextInt(100) < 85) {
                messageLevel(m, r, log);
            } else {
                if (flat == null) {
                    flat = Frames.concat(m);
                }
                flat = byteLevel(flat, r, log);
            }
        }
        return flat != null ? flat : Frames.concat(m);
    }

    /** One mutation of a single message (e.g. a computed authentication response), at either level. */
    public byte[] mutateOne(byte[] message, Random r, List<String> log) {
        List<byte[]> one = new ArrayList<>(List.of(message));
        if (r.nextBoolean()) {
            int op = r.nextInt(5);
            switch (op) {
                case 0 -> lengthLie(one, 0, r, log);
                case 1 -> bodyFlip(one, 0, r, log);
                case 2 -> bodyResize(one, 0, r, log);
                case 3 -> cstringCorrupt(one, 0, r, log);
                default -> typeByte(one, 0, r, log);
            }
            return one.get(0);
        }
        return byteLevel(message, r, log);
    }

    // ---------------------------------------------------------------- message level

    private void messageLevel(List<byte[]> m, Random r, List<String> log) {
        if (m.isEmpty()) {
            OutOfPlace.insert(m, r, log);
            return;
        }
        int i = r.nextInt(m.size());
        int op = r.nextInt(100);
        if (op < 6) {
            log.add("drop message " + i + " " + label(m.get(i)));
            m.remove(i);
        } else if (op < 11) {
            int times = 1 + r.nextInt(3);
            log.add("duplicate message " + i + " " + label(m.get(i)) + " x" + times);
            for (int k = 0; k < times; k++) {
                m.add(i, m.get(i));
            }
        } else if (op < 15) {
            int j = r.nextInt(m.size());
            log.add("swap messages " + i + " and " + j);
            byte[] t = m.get(i);
            m.set(i, m.get(j));
            m.set(j, t);
        } else if (op < 18) {
            byte[] t = m.remove(i);
            int j = r.nextInt(m.size() + 1);
            log.add("move message " + i + " " + label(t) + " to " + j);
            m.add(j, t);
        } else if (op < 24) {
            splice(m, r, log);
        } else if (op < 30) {
            typeByte(m, i, r, log);
        } else if (op < 38) {
            lengthLie(m, i, r, log);
        } else if (op < 42) {
            oversize(m, r, log);
        } else if (op < 44) {
            exactLimit(m, r, log);
        } else if (op < 49) {
            cstringCorrupt(m, i, r, log);
        } else if (op < 55) {
            bodyFlip(m, i, r, log);
        } else if (op < 59) {
            bodyResize(m, i, r, log);
        } else if (op < 68) {
            fieldAware(m, r, log);
        } else if (op < 73) {
            invalidUtf8(m, r, log);
        } else if (op < 88) {
            OutOfPlace.insert(m, r, log);
        } else {
            OutOfPlace.replaceSql(m, r, log);
        }
    }

    private void splice(List<byte[]> m, Random r, List<String> log) {
        CorpusStream other = corpus.get(r.nextInt(corpus.size()));
        if (other.messages().isEmpty()) {
            return;
        }
        int from = r.nextInt(other.messages().size());
        int n = Math.min(1 + r.nextInt(5), other.messages().size() - from);
        int at = r.nextInt(m.size() + 1);
        log.add("splice messages " + from + ".." + (from + n - 1) + " of " + other.name() + " at " + at);
        m.addAll(at, other.messages().subList(from, from + n));
    }

    private static void typeByte(List<byte[]> m, int i, Random r, List<String> log) {
        byte[] msg = m.get(i).clone();
        byte type;
        if (r.nextBoolean()) {
            type = (byte) Frames.FRONTEND_TYPES.charAt(r.nextInt(Frames.FRONTEND_TYPES.length()));
        } else if (r.nextBoolean()) {
            type = FOREIGN_TYPES[r.nextInt(FOREIGN_TYPES.length)];
        } else {
            type = (byte) r.nextInt(256);
        }
        log.add("type of message " + i + " " + label(msg) + " -> " + printable(type));
        msg[0] = type;
        m.set(i, msg);
    }

    private void lengthLie(List<byte[]> m, int i, Random r, List<String> log) {
        byte[] msg = m.get(i).clone();
        if (msg.length < 5) {
            return;
        }
        int real = ByteBuffer.wrap(msg, 1, 4).getInt();
        int lie;
        switch (r.nextInt(8)) {
            case 0 -> lie = real - 1 - r.nextInt(Math.max(1, Math.min(16, real)));
            case 1 -> lie = real + 1 + r.nextInt(16);
            case 2 -> lie = r.nextInt(4);
            case 3 -> lie = -1 - r.nextInt(1000);
            case 4 -> lie = INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
            case 5 -> lie = maxMessageBytes + 1 + r.nextInt(2);
            case 6 -> lie = maxMessageBytes;
            default -> lie = r.nextInt();
        }
        log.add("length of message " + i + " " + label(msg) + " " + real + " -> " + lie);
        ByteBuffer.wrap(msg).putInt(1, lie);
        m.set(i, msg);
    }

    /** A message really longer than the limit (its body is sent), or just its header. */
    private void oversize(List<byte[]> m, Random r, List<String> log) {
        int at = r.nextInt(m.size() + 1);
        char type = "QdPB".charAt(r.nextInt(4));
        int length = maxMessageBytes + 1 + r.nextInt(64);
        if (r.nextInt(4) == 0) {
            log.add("insert header only of oversize " + type + " (" + length + " bytes) at " + at);
            m.add(at, ByteBuffer.allocate(5).put((byte) type).putInt(length).array());
            return;
        }
        byte[] body = new byte[length - 4];
        Arrays.fill(body, (byte) 'x');
        body[body.length - 1] = 0;
        log.add("insert oversize " + type + " of " + length + " bytes at " + at);
        m.add(at, Frames.typed(type, body));
    }

    /** A Query of exactly the limit: valid, and the largest the proxy must take. */
    private void exactLimit(List<byte[]> m, Random r, List<String> log) {
        String prefix = "select length('";
        String suffix = "')";
        int filler = maxMessageBytes - 4 - 1 - prefix.length() - suffix.length();
        int at = r.nextInt(m.size() + 1);
        log.add("insert Query of exactly maxMessageBytes at " + at);
        m.add(at, Frames.query(prefix + "y".repeat(filler) + suffix));
    }

    private static void cstringCorrupt(List<byte[]> m, int i, Random r, List<String> log) {
        byte[] msg = m.get(i);
        if (msg.length < 6) {
            return;
        }
        List<Integer> nuls = new ArrayList<>();
        for (int k = 5; k < msg.length; k++) {
            if (msg[k] == 0) {
                nuls.add(k);
            }
        }
        byte[] out = msg.clone();
        if (!nuls.isEmpty() && r.nextInt(3) > 0) {
            int at = nuls.get(r.nextInt(nuls.size()));
            out[at] = (byte) (1 + r.nextInt(255));
            log.add("NUL at byte " + at + " of message " + i + " " + label(msg) + " -> " + printable(out[at]));
        } else {
            int at = 5 + r.nextInt(msg.length - 5);
            out = insertAt(msg, at, new byte[] {0});
            fixLength(out);
            log.add("extra NUL at byte " + at + " of message " + i + " " + label(msg));
        }
        m.set(i, out);
    }

    /** Flips bits in the body only: the framing stays right, the content does not. */
    private static void bodyFlip(List<byte[]> m, int i, Random r, List<String> log) {
        byte[] msg = m.get(i).clone();
        if (msg.length < 6) {
            return;
        }
        int n = 1 + r.nextInt(3);
        StringBuilder what = new StringBuilder();
        for (int k = 0; k < n; k++) {
            int at = 5 + r.nextInt(msg.length - 5);
            int bit = r.nextInt(8);
            msg[at] ^= (byte) (1 << bit);
            what.append(' ').append(at).append(':').append(bit);
        }
        log.add("flip body bits of message " + i + " " + label(m.get(i)) + " at" + what);
        m.set(i, msg);
    }

    /** Inserts or deletes body bytes and fixes the length word. */
    private static void bodyResize(List<byte[]> m, int i, Random r, List<String> log) {
        byte[] msg = m.get(i);
        if (msg.length < 5) {
            return;
        }
        byte[] out;
        if (msg.length > 5 && r.nextBoolean()) {
            int at = 5 + r.nextInt(msg.length - 5);
            int n = 1 + r.nextInt(Math.min(8, msg.length - at));
            out = new byte[msg.length - n];
            System.arraycopy(msg, 0, out, 0, at);
            System.arraycopy(msg, at + n, out, at, msg.length - at - n);
            log.add("delete " + n + " body byte(s) at " + at + " of message " + i + " " + label(msg));
        } else {
            int at = 5 + r.nextInt(msg.length - 4);
            byte[] add = new byte[1 + r.nextInt(8)];
            r.nextBytes(add);
            out = insertAt(msg, at, add);
            log.add("insert " + add.length + " body byte(s) at " + at + " of message " + i + " " + label(msg));
        }
        fixLength(out);
        m.set(i, out);
    }

    /** Changes one count, format code, value length or target byte inside Bind, Parse, Execute, Describe or Close. */
    private static void fieldAware(List<byte[]> m, Random r, List<String> log) {
        List<Integer> candidates = new ArrayList<>();
        for (int k = 0; k < m.size(); k++) {
            byte[] msg = m.get(k);
            if (msg.length >= 5 && "BPEDCF".indexOf((char) msg[0]) >= 0) {
                candidates.add(k);
            }
        }
        if (candidates.isEmpty()) {
            m.add(r.nextInt(m.size() + 1), r.nextBoolean()
                    ? Frames.bind("", "", new short[0], new byte[0][], new short[0])
                    : Frames.parse("", "select $1::int", 23));
            log.add("insert a plain Bind or Parse (no field-aware target)");
            return;
        }
        int k = candidates.get(r.nextInt(candidates.size()));
        byte[] msg = m.get(k).clone();
        List<int[]> fields = fields(msg);
        if (fields.isEmpty()) {
            return;
        }
        int[] f = fields.get(r.nextInt(fields.size()));
        int at = f[0];
        int width = f[1];
        if (width == 1) {
            byte v = (byte) "SPXsp\0".charAt(r.nextInt(6));
            log.add("target byte of message " + k + " " + label(msg) + " -> " + printable(v));
            msg[at] = v;
        } else if (width == 2) {
            short v = r.nextBoolean() ? INTERESTING_SHORTS[r.nextInt(INTERESTING_SHORTS.length)] : (short) r.nextInt();
            log.add("Int16 at byte " + at + " of message " + k + " " + label(msg) + " -> " + v);
            ByteBuffer.wrap(msg).putShort(at, v);
        } else {
            int v = r.nextBoolean() ? INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)] : r.nextInt();
            log.add("Int32 at byte " + at + " of message " + k + " " + label(msg) + " -> " + v);
            ByteBuffer.wrap(msg).putInt(at, v);
        }
        m.set(k, msg);
    }

    /**
     * The numeric fields of a Bind, Parse, Execute, Describe, Close or FunctionCall as {offset,
     * width}, found by walking the layout as far as it is well-formed.
     */
    static List<int[]> fields(byte[] msg) {
        List<int[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(msg);
        int p = 5;
        try {
            switch ((char) msg[0]) {
                case 'B' -> {
                    p = skipCString(msg, skipCString(msg, p));
                    int nf = b.getShort(p);
                    out.add(new int[] {p, 2});
                    p += 2;
                    for (int i = 0; i < nf; i++, p += 2) {
                        out.add(new int[] {p, 2});
                    }
                    int np = b.getShort(p);
                    out.add(new int[] {p, 2});
                    p += 2;
                    for (int i = 0; i < np; i++) {
                        int len = b.getInt(p);
                        out.add(new int[] {p, 4});
                        p += 4 + Math.max(0, len);
                    }
                    out.add(new int[] {p, 2});
                    int nr = b.getShort(p);
                    p += 2;
                    for (int i = 0; i < nr; i++, p += 2) {
                        out.add(new int[] {p, 2});
                    }
                }
                case 'P' -> {
                    p = skipCString(msg, skipCString(msg, p));
                    int n = b.getShort(p);
                    out.add(new int[] {p, 2});
                    p += 2;
                    for (int i = 0; i < n; i++, p += 4) {
                        out.add(new int[] {p, 4});
                    }
                }
                case 'E' -> {
                    p = skipCString(msg, p);
                    out.add(new int[] {p, 4});
                }
                case 'D', 'C' -> out.add(new int[] {p, 1});
                case 'F' -> {
                    out.add(new int[] {p, 4});
                    p += 4;
                    int nf = b.getShort(p);
                    out.add(new int[] {p, 2});
                    p += 2 + 2 * Math.max(0, nf);
                    out.add(new int[] {p, 2});
                }
                default -> {
                }
            }
        } catch (IndexOutOfBoundsException malformedAlready) {
            // keep what was found before the layout ran out
        }
        out.removeIf(f -> f[0] + f[1] > msg.length);
        return out;
    }

    private static int skipCString(byte[] msg, int from) {
        for (int i = from; i < msg.length; i++) {
            if (msg[i] == 0) {
                return i + 1;
            }
        }
        throw new IndexOutOfBoundsException("no NUL");
    }

    /** Invalid UTF-8 inside the SQL text of a Query or Parse (the length word fixed). */
    private static void invalidUtf8(List<byte[]> m, Random r, List<String> log) {
        List<Integer> candidates = new ArrayList<>();
        for (int k = 0; k < m.size(); k++) {
            byte[] msg = m.get(k);
            if (msg.length > 6 && (msg[0] == 'Q' || msg[0] == 'P')) {
                candidates.add(k);
            }
        }
        byte[] bad = INVALID_UTF8[r.nextInt(INVALID_UTF8.length)];
        if (candidates.isEmpty()) {
            byte[] q = Frames.concat(new byte[] {'Q', 0, 0, 0, 0}, "select '".getBytes(StandardCharsets.US_ASCII), bad,
                    "'".getBytes(StandardCharsets.US_ASCII), new byte[] {0});
            fixLength(q);
            m.add(r.nextInt(m.size() + 1), q);
            log.add("insert Query with invalid UTF-8 " + Frames.hex(bad));
            return;
        }
        int k = candidates.get(r.nextInt(candidates.size()));
        byte[] msg = m.get(k);
        int start = msg[0] == 'P' ? skipCStringOr(msg, 5) : 5;
        int end = skipCStringOr(msg, start) - 1;
        int at = start + (end > start ? r.nextInt(end - start + 1) : 0);
        byte[] out = insertAt(msg, Math.min(at, msg.length), bad);
        fixLength(out);
        log.add("invalid UTF-8 " + Frames.hex(bad) + " at byte " + at + " of message " + k + " " + label(msg));
        m.set(k, out);
    }

    private static int skipCStringOr(byte[] msg, int from) {
        try {
            return skipCString(msg, from);
        } catch (IndexOutOfBoundsException e) {
            return msg.length;
        }
    }


    // ---------------------------------------------------------------- byte level

    private static byte[] byteLevel(byte[] s, Random r, List<String> log) {
        if (s.length == 0) {
            byte[] b = new byte[1 + r.nextInt(16)];
            r.nextBytes(b);
            log.add("random bytes " + Frames.hex(b));
            return b;
        }
        int at = r.nextInt(s.length);
        switch (r.nextInt(7)) {
            case 0 -> {
                byte[] out = s.clone();
                int bit = r.nextInt(8);
                out[at] ^= (byte) (1 << bit);
                log.add("flip bit " + bit + " of stream byte " + at);
                return out;
            }
            case 1 -> {
                byte[] out = s.clone();
                byte v = r.nextBoolean() ? (byte) r.nextInt(256) : INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
                log.add("stream byte " + at + " " + printable(out[at]) + " -> " + printable(v));
                out[at] = v;
                return out;
            }
            case 2 -> {
                byte[] add = new byte[1 + r.nextInt(16)];
                r.nextBytes(add);
                log.add("insert " + Frames.hex(add) + " at stream byte " + at);
                return insertAt(s, at, add);
            }
            case 3 -> {
                int n = 1 + r.nextInt(Math.min(32, s.length - at));
                log.add("delete " + n + " stream byte(s) at " + at);
                byte[] out = new byte[s.length - n];
                System.arraycopy(s, 0, out, 0, at);
                System.arraycopy(s, at + n, out, at, s.length - at - n);
                return out;
            }
            case 4 -> {
                int n = 1 + r.nextInt(Math.min(64, s.length - at));
                log.add("repeat " + n + " stream byte(s) at " + at);
                return insertAt(s, at + n, Arrays.copyOfRange(s, at, at + n));
            }
            default -> {
                int cut = Math.max(1, at);
                log.add("truncate stream at byte " + cut + " of " + s.length);
                return Arrays.copyOf(s, cut);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] insertAt(byte[] s, int at, byte[] add) {
        byte[] out = new byte[s.length + add.length];
        System.arraycopy(s, 0, out, 0, at);
        System.arraycopy(add, 0, out, at, add.length);
        System.arraycopy(s, at, out, at + add.length, s.length - at);
        return out;
    }

    /** Sets the length word of a typed message to its real size. */
    static void fixLength(byte[] msg) {
        ByteBuffer.wrap(msg).putInt(1, msg.length - 1);
    }

    static String label(byte[] msg) {
        return msg.length == 0 ? "(empty)" : printable(msg[0]);
    }

    static String printable(byte b) {
        int v = b & 0xFF;
        return v > 0x20 && v < 0x7F ? "'" + (char) v + "'" : String.format("0x%02x", v);
    }
}
