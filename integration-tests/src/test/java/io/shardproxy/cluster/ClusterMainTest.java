package io.shardproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI in a child JVM: it prints the servers, and a signal stops them and removes every file. */
class ClusterMainTest {

    private static final Pattern SERVER_LINE = Pattern.compile("^(shard-\\d+|oracle) (\\d+) (jdbc:postgresql://\\S+)$");

    private Path parent;
    private Process jvm;

    @BeforeEach
    void makeParent() throws IOException {
        parent = Files.createTempDirectory(PgCluster.defaultParentDir(), "clustermain-test-");
    }

    /** After a failure the child may still run: stop it (its hook cleans up) before deleting its files. */
    @AfterEach
    void stopChildAndDeleteParent() throws InterruptedException {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroy();
            if (!jvm.waitFor(60, TimeUnit.SECONDS)) {
                jvm.destroyForcibly();
            }
        }
        FileTrees.delete(parent);
    }

    /**
     * INT also goes to the postmasters, as when a terminal's Ctrl-C reaches the whole process
     * group: the servers shut down on their own while the hook stops them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void signalStopsServersAndDeletesEverything(String signal) throws Exception {
        Path pidFile = parent.resolve("cluster.pid");
        jvm = startClusterMain("start", "--shards", "2", "--oracle",
                "--base-dir", parent.toString(), "--pid-file", pidFile.toString());
        BlockingQueue<String> output = drain(jvm);
        List<String> servers = new ArrayList<>();
        for (String line; !(line = nextLine(output, jvm)).equals("ready"); ) {
            if (SERVER_LINE.matcher(line).matches()) {
                servers.add(line);
            }
        }
        assertEquals(List.of("shard-0", "shard-1", "oracle"),
                servers.stream().map(l -> l.split(" ")[0]).collect(Collectors.toList()));
        assertEquals(String.valueOf(jvm.pid()), Files.readString(pidFile).trim());
        for (String line : servers) {
            Matcher server = SERVER_LINE.matcher(line);
            assertTrue(server.matches());
            assertEquals(server.group(2), selectOne(server.group(3), "SELECT inet_server_port()"));
        }
        Path clusterDir = onlyClusterDir();
        List<Long> postmasters = postmasterPids(clusterDir);
        assertEquals(3, postmasters.size());

        List<String> kill = new ArrayList<>(List.of("kill", "-" + signal, String.valueOf(jvm.pid())));
        if (signal.equals("INT")) {
            postmasters.forEach(pid -> kill.add(String.valueOf(pid)));
        }
        assertEquals(0, new ProcessBuilder(kill).inheritIO().start().waitFor());
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "ClusterMain did not exit");

        for (long pid : postmasters) {
            assertTrue(PgClusterTest.gone(pid), "postmaster " + pid + " survived");
        }
        assertFalse(Files.exists(clusterDir), "cluster dir left behind");
        assertFalse(Files.exists(pidFile), "pid file left behind");
        assertEquals(List.of(), PgClusterTest.processesMentioning(clusterDir));
    }

    /** kill -9 runs no shutdown hook: the servers outlive the JVM until the next cluster in that directory reaps them. */
    @Test
    void nextClusterReapsTheServersOfAKilledJvm() throws Exception {
        jvm = startClusterMain("start", "--shards", "1", "--oracle", "--base-dir", parent.toString());
        BlockingQueue<String> output = drain(jvm);
        while (!nextLine(output, jvm).equals("ready")) {
            // skip the server lines
        }
        Path orphan = onlyClusterDir();
        List<Long> postmasters = postmasterPids(orphan);
        assertEquals(2, postmasters.size());

        jvm.destroyForcibly();
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.exists(orphan));
        postmasters.forEach(pid -> assertFalse(PgClusterTest.gone(pid), "postmaster " + pid + " died with its JVM"));

        try (PgCluster next = PgCluster.builder().shards(1).baseDir(parent).start()) {
            assertFalse(Files.exists(orphan), "orphaned cluster dir not deleted");
            postmasters.forEach(pid -> assertTrue(PgClusterTest.gone(pid), "orphaned postmaster " + pid + " still runs"));
            assertTrue(next.shard(0).isRunning());
        }
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        jvm = startClusterMain("start", "--shards");
        drain(jvm);
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, jvm.exitValue());
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(0, left.count());
        }
    }

    private Process startClusterMain(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ClusterMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the child's output on a thread, so it never blocks on a full pipe. */
    private static BlockingQueue<String> drain(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child exited
            }
        }, "clustermain-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String nextLine(BlockingQueue<String> output, Process process) throws InterruptedException {
        String line = output.poll(60, TimeUnit.SECONDS);
        if (line == null) {
            process.destroyForcibly();
            throw new AssertionError("ClusterMain printed nothing for 60 s; alive=" + process.isAlive());
        }
        return line;
    }

    private Path onlyClusterDir() throws IOException {
        try (Stream<Path> dirs = Files.list(parent)) {
            List<Path> clusters = dirs.filter(p -> p.getFileName().toString().startsWith(PgCluster.DIR_PREFIX))
                    .collect(Collectors.toList());
            assertEquals(1, clusters.size(), "cluster dirs: " + clusters);
            return clusters.get(0);
        }
    }

    private static List<Long> postmasterPids(Path clusterDir) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> servers = Files.list(clusterDir)) {
            for (Path dataDir : (Iterable<Path>) servers::iterator) {
                Path pidFile = dataDir.resolve("postmaster.pid");
                if (Files.exists(pidFile)) {
                    pids.add(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
                }
            }
        }
        return pids;
    }

    private static String selectOne(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }
}
