package io.shardproxy.it;

import io.shardproxy.server.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxy in a JVM of its own ({@code Main run --config}), for tests that bound its heap or kill
 * it: its port, its output, whether it still runs.
 */
final class ChildProxy implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("ShardProxy listening on [^:]+:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final int port;

    private ChildProxy(Process process, String name) throws Exception {
        this.process = process;
        this.port = awaitPort(name);
    }

    /** Starts {@code Main run --config config} with {@code jvmOptions} and waits until it listens. */
    static ChildProxy start(Path config, String name, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--config", config.toString()));
        return new ChildProxy(new ProcessBuilder(command).redirectErrorStream(true).start(), name);
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code seconds} for the process to end; true when it did. */
    boolean awaitExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Whether it runs, and everything it printed, for assertion messages. */
    String log() {
        return (process.isAlive() ? "the proxy is alive" : "the proxy exited with status " + process.exitValue())
                + "; its output:\n" + output;
    }

    private int awaitPort(String name) throws Exception {
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the child exited
            }
            listening.completeExceptionally(new AssertionError("the proxy exited before listening:\n" + output));
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        return listening.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
