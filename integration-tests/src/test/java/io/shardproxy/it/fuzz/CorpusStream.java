package io.shardproxy.it.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's byte stream to a PostgreSQL server, cut into the units the server reads: the
 * startup phase (encryption requests, StartupMessage, password messages) and the typed messages
 * sent once authenticated. Stored as text, one unit a line:
 *
 * <pre>
 *   # free comment lines: what client, what workload, when recorded
 *   startup 0000000804d2162f            (hex of one untyped packet or password message)
 *   message 510000000d73656c6563742031  (hex of one typed message: type, length, body)
 * </pre>
 *
 * @param name    file name without extension, e.g. {@code pgjdbc-extended}
 * @param startup the startup-phase units in order (may be empty for hand-built streams)
 * @param messages the typed messages after authentication, in order
 */
public record CorpusStream(String name, List<String> comments, List<byte[]> startup, List<byte[]> messages) {

    public CorpusStream {
        comments = List.copyOf(comments);
        startup = List.copyOf(startup);
        messages = List.copyOf(messages);
    }

    /** Cuts a recorded client-to-server byte stream: startup units up to the first message after authentication. */
    public static CorpusStream fromRecording(String name, List<String> comments, byte[] clientBytes) {
        List<byte[]> units = Frames.splitClientStream(clientBytes);
        List<byte[]> startup = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        boolean authenticating = true;
        for (byte[] u : units) {
            boolean untyped = u.length >= 8 && u[0] == 0;
            if (authenticating && (untyped || u[0] == 'p')) {
                startup.add(u);
            } else {
                authenticating = false;
                messages.add(u);
            }
        }
        return new CorpusStream(name, comments, startup, messages);
    }

    public static CorpusStream parse(String name, String text) {
        List<String> comments = new ArrayList<>();
        List<byte[]> startup = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("#")) {
                comments.add(l.substring(1).strip());
            } else if (l.startsWith("startup ")) {
                startup.add(Frames.unhex(l.substring(8).strip()));
            } else if (l.startsWith("message ")) {
                messages.add(Frames.unhex(l.substring(8).strip()));
            } else {
                throw new IllegalArgumentException(name + ":" + lineNo + ": expected 'startup <hex>' or 'message <hex>'");
            }
        }
        return new CorpusStream(name, comments, startup, messages);
    }

    /** The recorded corpus: the streams listed in the test resource {@code fuzz/recorded/streams.txt}. */
    public static List<CorpusStream> recorded() {
        List<CorpusStream> out = new ArrayList<>();
        for (String name : resource("fuzz/recorded/streams.txt").split("\n")) {
            if (!name.isBlank() && !name.startsWith("#")) {
                out.add(parse(name.strip(), resource("fuzz/recorded/" + name.strip() + ".pgs")));
            }
        }
        return out;
    }

    private static String resource(String path) {
        try (java.io.InputStream in = CorpusStream.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String format() {
        StringBuilder s = new StringBuilder();
        comments.forEach(c -> s.append("# ").append(c).append('\n'));
        startup.forEach(u -> s.append("startup ").append(Frames.hex(u)).append('\n'));
        messages.forEach(m -> s.append("message ").append(Frames.hex(m)).append('\n'));
        return s.toString();
    }

    public void write(Path dir) {
        try {
            Files.writeString(dir.resolve(name + ".pgs"), format(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message types in order, e.g. "QPBDES", for summaries. */
    public String types() {
        StringBuilder s = new StringBuilder();
        for (byte[] m : messages) {
            s.append(m.length > 0 && m[0] >= 0x20 && m[0] < 0x7F ? (char) m[0] : '?');
        }
        return s.toString();
    }
}
