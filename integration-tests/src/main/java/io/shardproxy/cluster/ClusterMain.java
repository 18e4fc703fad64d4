package io.shardproxy.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * Command line for scripts (bench, demo):
 *
 * <pre>
 * ClusterMain start [--shards N] [--oracle] [--base-port P] [--pid-file F] [--base-dir D] [--database DB]
 * </pre>
 *
 * Starts the cluster, writes the pid file (if asked), prints one line per server,
 * {@code <name> <port> <jdbc url>}, then the line {@code ready}, and blocks. SIGINT or SIGTERM
 * stops the servers and deletes their directory, then the pid file: once the pid file is gone,
 * so is everything else. Exit code 2 means bad arguments, 1 a failed start.
 *
 * <p>Scripts should stop it with SIGTERM ({@code kill PID}): a job put in the background by a
 * non-interactive shell starts with SIGINT ignored, and the JVM keeps it ignored.
 */
public final class ClusterMain {

    private static final String USAGE = "usage: ClusterMain start [--shards N] [--oracle] [--base-port P]"
            + " [--pid-file F] [--base-dir D] [--database DB]";

    private ClusterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PgCluster.Builder builder = PgCluster.builder();
        Path pidFile = null;
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        try {
            if (!"start".equals(rest.poll())) {
                throw new IllegalArgumentException("the only command is 'start'");
            }
            while (!rest.isEmpty()) {
                String option = rest.poll();
                switch (option) {
                    case "--shards":
                        builder.shards(Integer.parseInt(value(option, rest)));
                        break;
                    case "--oracle":
                        builder.oracle(true);
                        break;
                    case "--base-port":
                        builder.basePort(Integer.parseInt(value(option, rest)));
                        break;
                    case "--pid-file":
                        pidFile = Path.of(value(option, rest)).toAbsolutePath();
                        break;
                    case "--base-dir":
                        builder.baseDir(Path.of(value(option, rest)));
                        break;
                    case "--database":
                        builder.database(value(option, rest));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + option);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }

        PgCluster cluster;
        try {
            cluster = builder.start();
        } catch (RuntimeException e) {
            System.err.println("could not start the cluster: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (pidFile != null) {
            writePidFile(pidFile);
        }
        PrintStream out = System.out;
        for (PgServer server : cluster.servers()) {
            out.println(server.name() + " " + server.port() + " " + server.jdbcUrl(cluster.database()));
        }
        out.println("ready");
        out.flush();
        // the cluster's own hook would stop it too; closing here first orders it before the pid file's removal
        Path writtenPidFile = pidFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            if (writtenPidFile != null) {
                try {
                    Files.deleteIfExists(writtenPidFile);
                } catch (IOException ignored) {
                    // the JVM is exiting; a stale pid file names a dead process
                }
            }
        }, "shardproxy-cluster-main-exit"));
        new CountDownLatch(1).await();
    }

    private static String value(String option, Deque<String> rest) {
        String value = rest.poll();
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** Written atomically once the servers are up, so a script may wait for the file to know the cluster is up. */
    private static void writePidFile(Path pidFile) {
        try {
            Path temp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
            Files.writeString(temp, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            Files.move(temp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("could not write the pid file " + pidFile + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
