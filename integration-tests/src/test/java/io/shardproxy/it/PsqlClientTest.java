package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real psql (libpq) through the proxy, as a SCRAM user and as an md5 user: a multi-statement
 * {@code -c} string, {@code \d}, a fan-out read, errors (exit status and the message on stderr) and
 * EXPLAIN ROUTE. Skipped where {@value #PSQL} is not installed.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PsqlClientTest {
    private static final String PSQL = "/usr/bin/psql";
    private static final String TABLE = "psql_tbl";
    private static final String SCRAM_USER = "psql_scram";
    private static final String SCRAM_PASSWORD = "scram pass'word";
    private static final String MD5_USER = "psql_md5";
    private static final String MD5_PASSWORD = "md5-secret";

    private ProxyFixture fixture;

    /** What one psql run left behind. */
    private record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    @BeforeAll
    void startProxyWithATable(PgCluster cluster) throws SQLException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PSQL)), PSQL + " is not installed");
        fixture = ProxyFixture.start(cluster, y -> y.scramUser(SCRAM_USER, SCRAM_PASSWORD, true)
                .md5User(MD5_USER, MD5_PASSWORD, false)
                .sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, info text)",
                    "insert into " + TABLE + " values (1, 'row 1'), (2, 'row 2'), (3, 'row 3'), (4, 'row 4'),"
                            + " (5, 'row 5'), (6, 'row 6'), (7, 'row 7'), (8, 'row 8')");
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void multiStatementCommandStringRunsEveryStatementInOrder() throws Exception {
        Run run = psql(SCRAM_USER, SCRAM_PASSWORD, "-At", "-c",
                "insert into " + TABLE + " values (21, 'a'); insert into " + TABLE + " values (22, 'b');"
                        + " select count(*) from " + TABLE + " where id in (21, 22)");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("INSERT 0 1", "INSERT 0 1", "2"), lines(run.stdout()), run::toString);
    }

    @Test
    void describeTableShowsItsColumnsAndTheBucketCheck() throws Exception {
        Run run = psql(MD5_USER, MD5_PASSWORD, "-c", "\\d " + TABLE);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("Table \"public." + TABLE + "\""), run::toString);
        assertTrue(run.stdout().matches("(?s).*\\n id +\\| integer +\\|.*\\| not null.*"), run::toString);
        assertTrue(run.stdout().contains("\"shardproxy_bucket_check\" CHECK (abs(mod(id, 4)) = 0)"), run::toString);
    }

    @Test
    void fanOutSelectReturnsTheRowsOfEveryShardInOrder() throws Exception {
        Run run = psql(MD5_USER, MD5_PASSWORD, "-At", "-c",
                "select id, info from " + TABLE + " where id between 1 and 8 order by id desc");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("8|row 8", "7|row 7", "6|row 6", "5|row 5", "4|row 4", "3|row 3", "2|row 2", "1|row 1"),
                lines(run.stdout()), run::toString);
    }

    @Test
    void shardErrorExitsWithStatus1AndPrintsItsSqlstateAndMessage() throws Exception {
        Run run = psql(MD5_USER, MD5_PASSWORD, "-v", "VERBOSITY=verbose", "-c", "select 1 / (id - id) from " + TABLE);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("ERROR:  22012: division by zero"), run::toString);
    }

    @Test
    void proxyErrorExitsWithStatus1AndPrintsItsSqlstateMessageAndHint() throws Exception {
        Run run = psql(SCRAM_USER, SCRAM_PASSWORD, "-v", "VERBOSITY=verbose", "-c",
                "select info, count(*) + 1 from " + TABLE + " group by info");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("ERROR:  0A000: select item count(*) + 1 computes over aggregates"),
                run::toString);
        assertTrue(run.stderr().contains("HINT:  "), run::toString);
    }

    @Test
    void explainRouteOfAFanOutNamesEveryShard() throws Exception {
        Run run = psql(SCRAM_USER, SCRAM_PASSWORD, "-At", "-c", "explain route select * from " + TABLE);
        assertEquals(0, run.exitCode(), run::toString);
        List<String> shards = new ArrayList<>();
        for (String line : lines(run.stdout())) {
            shards.add(line.split("\\|")[1]);
        }
        assertEquals(List.of("s0", "s1", "s2", "s3"), shards, run::toString);
    }

    @Test
    void wrongPasswordExitsWithStatus2AndSaysAuthenticationFailed() throws Exception {
        Run run = psql(MD5_USER, "not the password", "-c", "select 1");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("password authentication failed for user \"" + MD5_USER + "\""), run::toString);
    }

    private Run psql(String user, String password, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PSQL, "-X", "-h", "127.0.0.1", "-p",
                Integer.toString(fixture.port()), "-U", user, "-d", fixture.cluster().database()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("psql-out", ".txt");
        Path err = Files.createTempFile("psql-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("PGPASSWORD", password);
            pb.environment().put("PGCONNECT_TIMEOUT", "10");
            pb.environment().put("PGSSLMODE", "prefer"); // the proxy has no TLS here: it answers SSLRequest with N
            pb.environment().put("PGAPPNAME", "psql-it");
            pb.environment().remove("PGSERVICE");
            pb.environment().remove("PGOPTIONS");
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("psql did not finish in 30 s: " + command);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.strip().split("\n"));
    }
}
