package io.shardproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A private cluster (4 shards + oracle): its servers are real, distinct, tuned as promised, and survive a crash. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgClusterTest {

    private PgCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = PgCluster.builder().shards(4).oracle(true).start();
    }

    @AfterAll
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyServerAnswersOnItsOwnPort() throws SQLException {
        List<PgServer> servers = cluster.servers();
        assertEquals(List.of("shard-0", "shard-1", "shard-2", "shard-3", "oracle"),
                servers.stream().map(PgServer::name).collect(Collectors.toList()));
        Set<Integer> ports = new HashSet<>();
        for (PgServer server : servers) {
            assertTrue(ports.add(server.port()), "port used twice: " + server.port());
            assertEquals("1", query(server, "SELECT 1"));
            assertEquals(String.valueOf(server.port()), query(server, "SELECT inet_server_port()"));
            assertEquals(cluster.database(), query(server, "SELECT current_database()"));
        }
    }

    @Test
    void everyServerHasTheSettingsLaterFeaturesNeed() throws SQLException {
        for (PgServer server : cluster.servers()) {
            assertEquals("64", query(server, "SHOW max_prepared_transactions"), server.name());
            assertEquals("logical", query(server, "SHOW wal_level"), server.name());
            assertEquals("UTF8", query(server, "SHOW server_encoding"), server.name());
            assertEquals("200", query(server, "SHOW max_connections"), server.name());
            assertEquals("off", query(server, "SHOW fsync"), server.name());
            // lc_collate is no longer a setting in PostgreSQL 16+; the database records its collation
            assertEquals("C", query(server, "SELECT datcollate FROM pg_database WHERE datname = current_database()"));
            assertEquals("C", query(server, "SELECT datctype FROM pg_database WHERE datname = current_database()"));
            assertEquals("postgres", query(server, "SELECT current_user"));
            assertEquals("t", query(server, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        }
    }

    @Test
    void serversAreSeparateDatabases() throws SQLException {
        execute(cluster.shard(1), "CREATE TABLE only_on_shard_1 (id int)");
        assertEquals("1", query(cluster.shard(1), "SELECT count(*) FROM pg_tables WHERE tablename = 'only_on_shard_1'"));
        assertEquals("0", query(cluster.shard(2), "SELECT count(*) FROM pg_tables WHERE tablename = 'only_on_shard_1'"));
    }

    @Test
    void killedServerRestartsOnTheSamePortWithItsCommittedData() throws SQLException {
        PgServer shard = cluster.shard(0);
        int port = shard.port();
        long pid = shard.pid().orElseThrow();
        execute(shard, "CREATE TABLE survives_crash (id int PRIMARY KEY, note text)");
        execute(shard, "INSERT INTO survives_crash SELECT g, 'row ' || g FROM generate_series(1, 1000) g");

        shard.kill();
        assertFalse(shard.isRunning());
        assertTrue(gone(pid), "postmaster still alive after kill()");
        assertThrows(SQLException.class, () -> query(shard, "SELECT 1"));

        shard.start();
        assertEquals(port, shard.port());
        assertEquals("1000", query(shard, "SELECT count(*) FROM survives_crash"));
        assertEquals("row 500", query(shard, "SELECT note FROM survives_crash WHERE id = 500"));

        shard.restart();
        assertEquals("1000", query(shard, "SELECT count(*) FROM survives_crash"));
    }

    @Test
    void closeStopsEveryServerAndDeletesTheDirectory() throws SQLException {
        PgCluster small = PgCluster.builder().shards(2).oracle(true).database("other_db").start();
        Path baseDir = small.baseDir();
        List<Long> pids = small.servers().stream().map(s -> s.pid().orElseThrow()).collect(Collectors.toList());
        assertEquals("other_db", query(small.shard(0), "SELECT current_database()", "other_db"));
        assertTrue(Files.isDirectory(baseDir));

        small.close();
        small.close(); // idempotent

        assertFalse(Files.exists(baseDir), "base dir left behind: " + baseDir);
        for (long pid : pids) {
            assertTrue(gone(pid), "postmaster " + pid + " still alive");
        }
        assertEquals(List.of(), processesMentioning(baseDir));
    }

    static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(Processes::isGone).orElse(true);
    }

    /** Processes whose command line names {@code dir}: PostgreSQL children show only a title, the postmaster its -D. */
    static List<String> processesMentioning(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(p -> !Processes.isGone(p))
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(dir.toString()))
                .collect(Collectors.toList());
    }

    private String query(PgServer server, String sql) throws SQLException {
        return query(server, sql, cluster.database());
    }

    static String query(PgServer server, String sql, String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(database));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), "no row from " + sql);
            return rows.getString(1);
        }
    }

    private void execute(PgServer server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(cluster.database()));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
