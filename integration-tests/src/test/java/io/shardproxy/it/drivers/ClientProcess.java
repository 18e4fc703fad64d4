package io.shardproxy.it.drivers;

import java.io.File;
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
 * Runs one client program to its end or its time limit, whichever comes first, and keeps its
 * stdout and stderr apart. Output goes to files, not pipes, so a chatty client can never block
 * on a full pipe; a client past its limit is killed with everything it started. The environment
 * loses every {@code PG*} variable of the developer's shell and gets a fixed locale and time zone.
 */
public final class ClientProcess {

    /** What a finished (or killed) client left behind. */
    public record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr,
                         Duration elapsed) {

        public boolean ok() {
            return !timedOut && exitCode == 0;
        }

        /** How it ended and its stderr, for assertion messages. */
        public String describe() {
            return (timedOut ? "killed after " + elapsed.toSeconds() + " s (time limit)" : "exit " + exitCode)
                    + ": " + String.join(" ", command) + "\nstderr:\n" + tail(stderr, 6000);
        }
    }

    private ClientProcess() {
    }

    public static Result run(List<String> command, Map<String, String> environment, Path workDir, Duration timeout) {
        long started = System.nanoTime();
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("drv-out-", ".txt");
            err = Files.createTempFile("drv-err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("PG"));
            env.put("LC_ALL", "C.UTF-8");
            env.put("LANG", "C.UTF-8");
            env.put("TZ", "UTC");
            env.put("PYTHONIOENCODING", "utf-8");
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            env.putAll(environment);
            process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return new Result(List.copyOf(command), finished ? process.exitValue() : -1, !finished,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            kill(process); // JUnit's @Timeout interrupts the test thread: leave nothing running
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** True when {@code command} starts and exits with 0 within 30 s. */
    public static boolean succeeds(List<String> command, Path workDir) {
        try {
            return run(command, Map.of(), workDir, Duration.ofSeconds(30)).ok();
        } catch (UncheckedIOException e) {
            return false; // no such program
        }
    }

    private static void kill(Process process) {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    static String tail(String text, int max) {
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
