package io.shardproxy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command to completion with a time limit and keeps its combined output.
 *
 * <p>The output goes to a temporary file rather than a pipe: a daemon started by the command
 * (the postmaster behind {@code pg_ctl start}) may inherit the pipe, and reading it to its end
 * would then block until that daemon exits. PostgreSQL's own {@code PG*} environment variables are removed so that a
 * developer's shell settings cannot change what initdb or pg_ctl do.
 */
final class Exec {

    /** What a finished command left behind. */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** Throws with the command's output when it did not exit with 0. */
        Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException(
                        "command failed (exit " + exitCode + "): " + String.join(" ", command) + "\n" + output);
            }
            return this;
        }
    }

    private Exec() {
    }

    static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, null);
    }

    /** Runs {@code command}, feeding it {@code stdin} when not null. */
    static Result run(List<String> command, Duration timeout, String stdin) {
        Path out = null;
        try {
            out = Files.createTempFile("shardproxy-exec-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            }
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("PG"));
            env.put("LC_ALL", "C");
            Process process = builder.start();
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("command timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(List.copyOf(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover log file in the temp dir is harmless
                }
            }
        }
    }

    /** True when {@code command} can be started and exits with 0 (no exception for a missing program). */
    static boolean succeeds(List<String> command, Duration timeout) {
        try {
            return run(command, timeout).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
