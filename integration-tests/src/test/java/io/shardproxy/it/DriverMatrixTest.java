package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import io.shardproxy.it.drivers.CancelCheck;
import io.shardproxy.it.drivers.ClientProcess;
import io.shardproxy.it.drivers.DriverTables;
import io.shardproxy.it.drivers.Endpoint;
import io.shardproxy.it.drivers.JdbcWorkload;
import io.shardproxy.it.drivers.Psql;
import io.shardproxy.it.drivers.Transcript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real PostgreSQL clients through the proxy, compared with the same clients on one plain
 * PostgreSQL. Each client (pgjdbc in this JVM; psql, node-postgres, postgres.js, psycopg2,
 * psycopg 3 and asyncpg as programs under {@code src/test/drivers}) runs a fixed workload and
 * writes a transcript, one line per observation; it runs once against the oracle and once against
 * the proxy over 4 shards, and the transcripts must be equal. A client that fails against the
 * oracle is itself broken, and fails the test as such. pgbench and pgjdbc's Statement.cancel()
 * are checked by plain assertions instead.
 *
 * <p>Switches (system properties, e.g. {@code -Ddrivers.target=oracle}):
 * <ul>
 * <li>{@code drivers.target}: {@code proxy} (default) or {@code oracle}, which runs the second
 *     half against the oracle too: every client must then agree with itself, which checks the
 *     clients (deterministic, resetting their own rows) without the proxy.</li>
 * <li>{@code drivers.transcripts}: a directory to write every transcript to, both sides, for a
 *     diff tool.</li>
 * <li>{@code drivers.awaiting}: comma-separated clients that wait for proxy features (default: the
 *     keys of {@link #AWAITING_PROXY}; empty runs every client for real). Against the proxy such a
 *     client still runs: when it fails, the test is skipped with the failure as its reason; when it
 *     passes, the test fails, so the list shrinks the day a feature lands.</li>
 * </ul>
 * A client that is not installed is skipped with the command that installs it, unless the
 * environment has {@code SHARDPROXY_REQUIRE_DRIVERS=1} (CI), which makes it a failure.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DriverMatrixTest {

    /**
     * Clients that cannot pass through the proxy yet, and what each waits for: what the proxy at
     * commit 91c3aaf answers instead. Remove a client as soon as it passes, which the test itself
     * demands.
     */
    static final Map<String, String> AWAITING_PROXY = Map.of();

    private static final String TARGET = System.getProperty("drivers.target", "proxy");
    private static final Set<String> AWAITING = awaiting();
    private static final boolean REQUIRE_DRIVERS = "1".equals(System.getenv("SHARDPROXY_REQUIRE_DRIVERS"));
    private static final Duration CLIENT_TIME_LIMIT = Duration.ofSeconds(120);
    private static final String PYTHON = "/usr/bin/python3";
    private static final String NODE_INSTALL = "cd integration-tests/src/test/drivers/node && npm ci   (or: .ci/install-drivers)";

    private final Path drivers = Path.of(System.getProperty("basedir", System.getProperty("user.dir")),
            "src", "test", "drivers").toAbsolutePath();
    private ProxyFixture fixture;
    private Endpoint oracle;
    private Endpoint target;

    /** A client program under {@code src/test/drivers}: how to run it and what it needs. */
    record ScriptClient(String name, String folder, String file, String needs) {
        boolean python() {
            return folder.equals("python");
        }

        String install() {
            return python() ? "apt-get install -y python3-" + needs + "   (or: .ci/install-drivers)" : NODE_INSTALL;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ScriptClient> scripts() {
        return Stream.of(
                new ScriptClient("psycopg2", "python", "psycopg2_client.py", "psycopg2"),
                new ScriptClient("psycopg3", "python", "psycopg3_client.py", "psycopg"),
                new ScriptClient("asyncpg", "python", "asyncpg_client.py", "asyncpg"),
                new ScriptClient("node-pg", "node", "pg_client.js", "pg-cursor"),
                new ScriptClient("postgres.js", "node", "postgresjs_client.js", "postgres"));
    }

    @BeforeAll
    void createTablesAndLoadRows(PgCluster cluster) throws SQLException, IOException {
        fixture = ProxyFixture.start(cluster, y -> {
            DriverTables.SHARDED.forEach(t -> y.sharded(t, "id", "mod", "integer", 4));
            return y;
        });
        // on every server directly, so the shards and the oracle have the same schema (no bucket CHECKs)
        fixture.onEveryServer(DriverTables.schema(drivers).toArray(String[]::new));
        oracle = new Endpoint("oracle", cluster.oracle().host(), cluster.oracle().port(), "postgres", "",
                cluster.database());
        List<String> load = DriverTables.rows();
        try (Connection c = fixture.oracle()) {
            ProxyFixture.execute(c, load.toArray(String[]::new));
        }
        if (TARGET.equals("oracle")) {
            target = new Endpoint("oracle (second run)", oracle.host(), oracle.port(), oracle.user(), "", oracle.database());
        } else if (TARGET.equals("proxy")) {
            target = new Endpoint("proxy", "127.0.0.1", fixture.port(), ProxyFixture.USER, ProxyFixture.PASSWORD,
                    cluster.database());
            try (Connection c = fixture.connect()) {
                ProxyFixture.execute(c, load.toArray(String[]::new));
            }
        } else {
            throw new IllegalArgumentException("drivers.target must be proxy or oracle, not " + TARGET);
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theStreamedRowsAreSpreadOverEveryShard() throws SQLException {
        Assumptions.assumeTrue(TARGET.equals("proxy"), "only meaningful against the proxy");
        // Guards the comparisons against agreeing because everything sits on one shard.
        for (int shard = 0; shard < fixture.shardCount(); shard++) {
            try (Connection c = fixture.shard(shard)) {
                long n = Long.parseLong(ResultTable.query(c, "select count(*) from drv_stream").value(0, 0));
                assertTrue(n > DriverTables.STREAM_ROWS / 8, "drv_stream rows on shard " + shard + ": " + n);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void scriptClientAnswersLikeOnePostgres(ScriptClient client) {
        Path folder = drivers.resolve(client.folder());
        if (client.python()) {
            requireInstalled(client.name(), Files.isExecutable(Path.of(PYTHON))
                    && ClientProcess.succeeds(List.of(PYTHON, "-c", "import " + client.needs()), folder), client.install());
        } else {
            requireInstalled(client.name(), ClientProcess.succeeds(List.of("node", "--version"), folder)
                    && Files.isRegularFile(folder.resolve("node_modules").resolve(client.needs()).resolve("package.json")),
                    client.install());
        }
        compare(client.name(), 100, e -> {
            List<String> command = new ArrayList<>(client.python() ? List.of(PYTHON, "-B") : List.of("node"));
            command.add(folder.resolve(client.file()).toString());
            command.addAll(e.args());
            ClientProcess.Result r = ClientProcess.run(command, Map.of(), folder, CLIENT_TIME_LIMIT);
            Transcript t = Transcript.of(r);
            return t.ok() && !Transcript.lines(r.stdout()).stream().reduce((a, b) -> b).orElse("").startsWith("done:")
                    ? Transcript.failed(t.lines(), "the client did not get to its last line (done: ...)") : t;
        });
    }

    @ParameterizedTest(name = "pgjdbc prepareThreshold={0}")
    @ValueSource(strings = {"default", "2"})
    void pgjdbcAnswersLikeOnePostgres(String threshold) {
        Map<String, String> properties = threshold.equals("default") ? Map.of() : Map.of("prepareThreshold", threshold);
        long base = threshold.equals("default") ? 1_000_000 : 2_000_000;
        compare("pgjdbc-threshold-" + threshold, 100, e -> {
            try (Connection c = e.connect(properties)) {
                return JdbcWorkload.run(c, base);
            } catch (SQLException connectFailed) {
                return Transcript.failed(List.of(), "could not connect: " + connectFailed);
            }
        });
    }

    /** Not a comparison: cancel must stop the statement quickly with 57014 and leave the connection usable. */
    @ParameterizedTest(name = "pgjdbc cancel, {0} query protocol")
    @ValueSource(strings = {"extended", "simple"})
    void pgjdbcCancelStopsASleepWithin2sAndTheConnectionStaysUsable(String protocol) {
        Map<String, String> properties = protocol.equals("simple") ? Map.of("preferQueryMode", "simple") : Map.of();
        expectOutcome("pgjdbc-cancel-" + protocol, () -> {
            try {
                CancelCheck.cancelSleep(target, properties, servers());
            } catch (SQLException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void psqlCatalogCommandsAnswerLikeOnePostgres() {
        requireInstalled("psql", ClientProcess.succeeds(List.of("psql", "--version"), drivers),
                "apt-get install -y postgresql-client");
        compare("psql-catalog", 60, e -> Psql.run(drivers.resolve("psql").resolve("catalog.sql"), e, CLIENT_TIME_LIMIT));
    }

    @Test
    void psqlCopyBothWaysAnswersLikeOnePostgres() {
        requireInstalled("psql", ClientProcess.succeeds(List.of("psql", "--version"), drivers),
                "apt-get install -y postgresql-client");
        compare("psql-copy", 60, e -> Psql.run(drivers.resolve("psql").resolve("copy.sql"), e, CLIENT_TIME_LIMIT));
    }

    /** Not a comparison: every transaction processed, none failed, and each one's UPDATE landed. */
    @ParameterizedTest(name = "pgbench -M {0}")
    @ValueSource(strings = {"simple", "extended", "prepared"})
    void pgbenchRunsEveryTransactionWithoutFailures(String mode) {
        requireInstalled("pgbench", ClientProcess.succeeds(List.of("pgbench", "--version"), drivers),
                "apt-get install -y postgresql-client");
        int clients = 2;
        int perClient = 150;
        expectOutcome("pgbench-" + mode, () -> {
            long before = balances();
            ClientProcess.Result run = ClientProcess.run(List.of("pgbench", "-n", "-M", mode, "-c", Integer.toString(clients),
                    "-j", Integer.toString(clients), "-t", Integer.toString(perClient),
                    "-f", drivers.resolve("pgbench").resolve("point.sql").toString()),
                    target.libpqEnvironment(), drivers, CLIENT_TIME_LIMIT);
            String report = run.stdout() + "\n" + run.describe();
            assertTrue(run.ok(), report);
            int total = clients * perClient;
            assertTrue(run.stdout().contains("number of transactions actually processed: " + total + "/" + total), report);
            // pgbench 15 and later count failed transactions; older ones abort the client instead
            assertTrue(!run.stdout().contains("number of failed transactions")
                    || run.stdout().contains("number of failed transactions: 0 (0.000%)"), report);
            assertEquals(before + total, balances(), "each transaction adds 1 to one balance\n" + report);
        });
    }

    // ---- comparison and outcome -------------------------------------------------------------

    /** Runs {@code client} on the oracle, checks that run is sound, then on the target, and compares. */
    private void compare(String client, int minLines, Function<Endpoint, Transcript> run) {
        Transcript expected = run.apply(oracle);
        assertTrue(expected.ok(), () -> client + " fails against plain PostgreSQL (the oracle): the client itself is"
                + " broken\n" + expected.failure() + "\nlast lines:\n" + tail(expected.lines()));
        assertTrue(expected.lines().size() >= minLines, () -> client + " wrote only " + expected.lines().size()
                + " lines against the oracle; expected at least " + minLines + "\n" + String.join("\n", expected.lines()));
        Transcript actual = run.apply(target);
        keep(client, expected, actual);
        expectOutcome(client, () -> assertTrue(expected.sameAs(actual),
                () -> client + ": " + target + " answered differently from the oracle\n" + expected.difference(actual)),
                () -> expected.shortDifference(actual));
        System.out.println(client + ": " + expected.lines().size() + " transcript lines agree (" + target + ")");
    }

    /** With {@code -Ddrivers.transcripts=DIR}, writes both transcripts to DIR for a diff tool. */
    private static void keep(String client, Transcript expected, Transcript actual) {
        String dir = System.getProperty("drivers.transcripts");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path folder = Files.createDirectories(Path.of(dir));
            write(folder.resolve(client + ".oracle.txt"), expected);
            write(folder.resolve(client + (TARGET.equals("oracle") ? ".oracle-again.txt" : ".proxy.txt")), actual);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, Transcript t) throws IOException {
        String text = String.join("\n", t.lines()) + "\n" + (t.ok() ? "" : "-- failed: " + t.failure() + "\n");
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private void expectOutcome(String client, Runnable check) {
        expectOutcome(client, check, null);
    }

    /**
     * Runs {@code check}. Against the proxy, a client still awaiting a proxy feature is skipped
     * when the check fails and fails the test when it passes.
     */
    private void expectOutcome(String client, Runnable check, Supplier<String> shortReason) {
        if (!TARGET.equals("proxy") || !AWAITING.contains(client)) {
            check.run();
            return;
        }
        try {
            check.run();
        } catch (AssertionError failure) {
            String reason = shortReason != null ? shortReason.get() : firstLine(failure.getMessage());
            Assumptions.abort(client + " awaits proxy support for " + AWAITING_PROXY.getOrDefault(client, "(see drivers.awaiting)")
                    + "; through the proxy now: " + reason);
        }
        fail(client + " now passes through the proxy: remove it from DriverMatrixTest.AWAITING_PROXY");
    }

    private static void requireInstalled(String client, boolean installed, String install) {
        if (installed) {
            return;
        }
        String message = client + " is not installed; install it with: " + install;
        if (REQUIRE_DRIVERS) {
            fail(message + " (SHARDPROXY_REQUIRE_DRIVERS=1 makes a missing client a failure)");
        }
        Assumptions.abort(message);
    }

    private static Set<String> awaiting() {
        String configured = System.getProperty("drivers.awaiting");
        if (configured == null) {
            return AWAITING_PROXY.keySet();
        }
        return Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** Direct connections to the servers that hold the target's rows. */
    private List<Supplier<Connection>> servers() {
        List<Supplier<Connection>> servers = new ArrayList<>();
        if (TARGET.equals("proxy")) {
            for (int i = 0; i < fixture.shardCount(); i++) {
                int shard = i;
                servers.add(() -> unchecked(() -> fixture.shard(shard)));
            }
        } else {
            servers.add(() -> unchecked(fixture::oracle));
        }
        return servers;
    }

    private long balances() {
        long sum = 0;
        for (Supplier<Connection> server : servers()) {
            try (Connection c = server.get()) {
                sum += Long.parseLong(ResultTable.query(c, "select coalesce(sum(balance), 0) from drv_bench").value(0, 0));
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }
        return sum;
    }

    // ---- small helpers -----------------------------------------------------------------------

    private interface SqlSupplier<T> {
        T get() throws SQLException;
    }

    private static <T> T unchecked(SqlSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
