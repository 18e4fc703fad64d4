package io.shardproxy.it.drivers;

import java.util.ArrayList;
import java.util.List;

/**
 * What one client observed, one line per observation, and whether it got to its end. Two runs of
 * the same client agree when both finished and their lines are equal; {@link #difference} says
 * where they part, with a little context, for the assertion message.
 *
 * @param lines    the observations, in order
 * @param failure  null when the client finished; else how it ended (exit status, stderr, exception)
 */
public record Transcript(List<String> lines, String failure) {

    public Transcript {
        lines = List.copyOf(lines);
    }

    public static Transcript finished(List<String> lines) {
        return new Transcript(lines, null);
    }

    public static Transcript failed(List<String> lines, String failure) {
        return new Transcript(lines, failure);
    }

    /**
     * A client process's stdout lines, then its stderr lines marked "stderr: " (a client's
     * warnings count: a driver that logs "error ignored" on one side only did not behave the
     * same); failed unless it exited with 0.
     */
    public static Transcript of(ClientProcess.Result result) {
        List<String> lines = new ArrayList<>(lines(result.stdout()));
        lines.addAll(stderrLines(result));
        return result.ok() ? finished(lines) : failed(lines, result.describe());
    }

    /** The stderr lines of a client, marked, with Node's pid in warnings replaced. */
    public static List<String> stderrLines(ClientProcess.Result result) {
        List<String> lines = new ArrayList<>();
        for (String line : lines(result.stderr())) {
            lines.add("stderr: " + line.replaceAll("^\\(node:\\d+\\)", "(node:PID)"));
        }
        return lines;
    }

    /** Lines of a text, without the empty one after a final newline. */
    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    public boolean ok() {
        return failure == null;
    }

    /** True when both finished with the same lines. */
    public boolean sameAs(Transcript other) {
        return ok() && other.ok() && lines.equals(other.lines);
    }

    /**
     * Where {@code actual} departs from this (expected) transcript: the first differing line with
     * three lines of context before it, and how each run ended.
     */
    public String difference(Transcript actual) {
        StringBuilder s = new StringBuilder();
        int first = 0;
        while (first < lines.size() && first < actual.lines.size() && lines.get(first).equals(actual.lines.get(first))) {
            first++;
        }
        if (first == lines.size() && first == actual.lines.size()) {
            s.append("the lines agree (").append(lines.size()).append(")");
        } else {
            s.append("first difference at line ").append(first + 1).append(" (expected ").append(lines.size())
                    .append(" lines, got ").append(actual.lines.size()).append(")\n");
            for (int i = Math.max(0, first - 3); i < first; i++) {
                s.append("    ").append(clip(lines.get(i))).append('\n');
            }
            s.append("  - ").append(first < lines.size() ? clip(lines.get(first)) : "(no more lines)").append('\n');
            s.append("  + ").append(first < actual.lines.size() ? clip(actual.lines.get(first)) : "(no more lines)");
        }
        if (!ok()) {
            s.append("\nexpected side failed: ").append(failure);
        }
        if (!actual.ok()) {
            s.append("\nactual side failed: ").append(actual.failure);
        }
        return s.toString();
    }

    /**
     * One line on why {@code actual} differs: how it ended and the error lines of its stderr, or
     * the first differing line. Enough for a skip message.
     */
    public String shortDifference(Transcript actual) {
        if (actual.ok()) {
            return clip(difference(actual).replace('\n', ' '));
        }
        String[] parts = actual.failure.split("\n");
        List<String> errors = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            boolean error = p.contains("Error") || p.contains("ERROR") || p.contains("Exception") || p.startsWith("error")
                    || p.startsWith("code:") || p.contains("SQLSTATE") || p.matches("[A-Za-z_][\\w.]*: .+");
            if (error && !p.startsWith("at ") && !errors.contains(p)) {
                errors.add(p);
            }
        }
        return clip(parts[0] + (errors.isEmpty() ? "" : " | " + String.join(" | ", errors)));
    }

    private static String clip(String line) {
        return line.length() <= 400 ? line : line.substring(0, 400) + "...";
    }
}
