package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.PgServer;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGResultSetMetaData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relayed statements: single-shard statements outside a transaction block run over the proxy's
 * protocol-level shard connections on the client's event loop. They answer as the JDBC path and
 * one PostgreSQL do (rows, tags, errors, the catalog shard's table OIDs), in the simple and the
 * extended protocol; a cancel stops them; a shard connection that dies costs a read nothing and
 * a write a clear error; DDL leaves no stale prepared statement behind; shards that ask for a
 * password (SCRAM or md5) get one.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class RelayTest {
    private static final String TABLE = "relay_items";
    private static final String TRUST_USER = "relay_trust";

    private PgCluster cluster;
    private ProxyFixture fixture;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        this.cluster = cluster;
        fixture = ProxyFixture.start(cluster, y -> y.trustUser(TRUST_USER, false).sharded(TABLE, "id", "mod", "integer", 4)
                .sharded("relay_ddl", "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE, "drop table if exists relay_ddl");
        String create = "create table " + TABLE + " (id int primary key, v text, n numeric)";
        StringBuilder values = new StringBuilder();
        for (int g = 1; g <= 40; g++) {
            values.append(g == 1 ? "" : ", ").append("(").append(g).append(", 'v").append(g).append("', ").append(g * 1.5).append(")");
        }
        String fill = "insert into " + TABLE + " values " + values;
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, create, fill, "create table relay_ddl (id int primary key, v text)",
                    "insert into relay_ddl values (1, 'd1'), (2, 'd2'), (3, 'd3'), (4, 'd4'), (5, 'd5'), (6, 'd6'),"
                            + " (7, 'd7'), (8, 'd8')");
        }
        try (Connection o = fixture.oracle()) {
            ProxyFixture.execute(o, create, fill);
        }
    }

    @AfterAll
    void stop() {
        timer.shutdownNow();
        if (fixture != null) {
            fixture.close();
        }
    }

    private long relayed(ProxyFixture f) {
        return f.server().services().relays().statements();
    }

    /** Runs {@code sql} until it goes over a relay connection (the first ones open them). */
    private void warm(ProxyFixture f, Connection c, String sql) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long before = relayed(f);
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            if (relayed(f) > before) {
                return;
            }
        }
        throw new AssertionError("never relayed: " + sql);
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            boolean isResult = s.execute(sql);
            if (!isResult) {
                out.add("count " + s.getUpdateCount());
                return out;
            }
            try (ResultSet rs = s.getResultSet()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(rs.getString(i)).append('|');
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    private static String sqlState(Connection c, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> rows(c, sql), sql);
        return e.getSQLState();
    }

    @Test
    void relayedStatementsAnswerAsOnePostgres() throws SQLException {
        for (String mode : List.of("simple", "extended", "binary")) {
            try (Connection c = mode.equals("simple") ? fixture.connect()
                    : mode.equals("extended") ? fixture.connectExtended("prepareThreshold=1")
                    : fixture.connectExtended("prepareThreshold=-1");
                 Connection o = fixture.oracle()) {
                for (int id = 1; id <= 4; id++) {
                    warm(fixture, c, "select v from " + TABLE + " where id = " + id);
                }
                List<String> statements = List.of(
                        "select * from " + TABLE + " where id = 5",
                        "select id, n, n * 2 as twice from " + TABLE + " where id = 6",
                        "select * from " + TABLE + " where id = 7 and v = 'nope'",
                        "select count(*) from " + TABLE + " where id = 8",
                        "update " + TABLE + " set n = n + 1 where id = 9",
                        "update " + TABLE + " set n = n - 1 where id = 9 returning id, n",
                        "delete from " + TABLE + " where id = 1000 returning *",
                        "insert into " + TABLE + " values (1002, 'x', 1) on conflict (id) do nothing returning id, v",
                        "delete from " + TABLE + " where id = 1002 and v = 'never'");
                for (String sql : statements) {
                    // A new shape is analyzed on a worker first; a message that arrives while the
                    // worker is busy stays there. Each statement is relayed within a few runs.
                    boolean wasRelayed = false;
                    for (int run = 0; run < 10 && !wasRelayed; run++) {
                        long before = relayed(fixture);
                        assertEquals(rows(o, sql), rows(c, sql), mode + ": " + sql);
                        wasRelayed = relayed(fixture) > before;
                    }
                    assertTrue(wasRelayed, mode + ": relayed: " + sql);
                }
                assertEquals("22012", sqlState(c, "select 1 / (id - 10) from " + TABLE + " where id = 10"));
                assertEquals("42703", sqlState(c, "select nope from " + TABLE + " where id = 10"));
                assertEquals("23505", sqlState(c, "insert into " + TABLE + " values (11, 'dup', 0)"));
                assertEquals(rows(o, "select v from " + TABLE + " where id = 11"),
                        rows(c, "select v from " + TABLE + " where id = 11"), "the session goes on after errors");
                // Shard 1's table OID is translated to the catalog shard's: pgjdbc finds the table's name by it.
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from " + TABLE + " where id = 5")) {
                    assertEquals(TABLE, ((PGResultSetMetaData) rs.getMetaData()).getBaseTableName(1), mode);
                }
            }
        }
    }

    @Test
    void smallFanOutReadsAreMergedOnTheEventLoop() throws SQLException {
        for (String mode : List.of("simple", "extended")) {
            try (Connection c = mode.equals("simple") ? fixture.connect() : fixture.connectExtended("prepareThreshold=1");
                 Connection o = fixture.oracle()) {
                fanOutReads(c, o, mode);
            }
        }
    }

    private void fanOutReads(Connection c, Connection o, String mode) throws SQLException {
        List<String> statements = List.of(
                "select * from " + TABLE + " order by id desc limit 5",
                "select id, v from " + TABLE + " order by v limit 3 offset 2",
                "select count(*), sum(n), avg(n), min(v), max(id) from " + TABLE,
                "select * from " + TABLE + " where v like 'v1%' order by n desc limit 4",
                "select * from " + TABLE + " where id > 1000 order by id limit 3");
        for (String sql : statements) {
            // Until this event loop has an idle connection to every shard at once.
            boolean wasRelayed = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!wasRelayed && System.nanoTime() < deadline) {
                long before = relayed(fixture);
                assertEquals(rows(o, sql), rows(c, sql), mode + ": " + sql);
                wasRelayed = relayed(fixture) - before >= fixture.shardCount();
            }
            assertTrue(wasRelayed, mode + ": relayed to every shard: " + sql);
        }
        for (int run = 0; run < 3; run++) {
            assertEquals("42703", sqlState(c, "select * from " + TABLE + " order by nope limit 2"));
            assertEquals("22012", sqlState(c, "select id / (id - 7) from " + TABLE + " order by id limit 10"));
        }
        assertEquals(List.of("v7|"), rows(c, "select v from " + TABLE + " where id = 7"), "the session goes on");
    }

    @Test
    void aClientThatStopsReadingHoldsBackTheShardNotTheProxy() throws Exception {
        String rows = "select id, g, repeat('x', 1000) from " + TABLE + ", generate_series(1, %d) g where id = 3";
        try (RawPgClient c = RawPgClient.loggedIn(fixture.port(), TRUST_USER, cluster.database())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long warmed = relayed(fixture);
            while (relayed(fixture) == warmed && System.nanoTime() < deadline) {
                c.send(RawPgClient.query(String.format(rows, 2)));
                c.readUntilReady();
            }
            long before = relayed(fixture);
            // 20,000 rows of about 1 KB from one shard: 20 MB.
            c.send(RawPgClient.query(String.format(rows, 20_000)));
            assertEquals('T', c.read().type(), "RowDescription first");
            long peak = fixture.peakPendingClientBytes();
            assertTrue(relayed(fixture) > before, "relayed");
            assertTrue(peak <= 1024 * 1024, "the proxy queued " + peak + " bytes for a client that stopped reading");
            long n = 0;
            RawPgClient.Message m;
            while ((m = c.read()).type() == 'D') {
                n++;
            }
            assertEquals('C', m.type());
            assertEquals(20_000, n);
            assertEquals('Z', c.read().type());
        }
    }

    @Test
    void aCancelStopsARelayedStatement() throws SQLException {
        try (Connection c = fixture.connect(); Statement s = c.createStatement()) {
            warm(fixture, c, "select pg_sleep(0), v from " + TABLE + " where id = 13");
            long before = relayed(fixture);
            timer.schedule(() -> {
                try {
                    s.cancel();
                } catch (SQLException ignored) {
                    // the assertion below fails instead
                }
            }, 300, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class,
                    () -> s.execute("select pg_sleep(10), v from " + TABLE + " where id = 13"));
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "cancelled in time");
            assertTrue(relayed(fixture) > before, "the sleep was relayed");
            assertEquals(List.of("v13|"), rows(c, "select v from " + TABLE + " where id = 13"));
        }
    }

    @Test
    void aDeadShardConnectionCostsAReadNothingAndAWriteAClearError() throws Exception {
        try (Connection c = fixture.connect(); Connection shard1 = fixture.shard(1)) {
            warm(fixture, c, "select v from " + TABLE + " where id = 21");
            // Every proxy connection to shard 1 dies, relay and JDBC alike.
            ProxyFixture.execute(shard1, "select pg_terminate_backend(pid) from pg_stat_activity"
                    + " where application_name = 'shardproxy' and pid <> pg_backend_pid()");
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of("v21|"), rows(c, "select v from " + TABLE + " where id = 21"));
            }
            warm(fixture, c, "select v from " + TABLE + " where id = 21");
            // A write whose connection dies while it runs: the client is told, and goes on.
            timer.schedule(() -> {
                try (Connection k = fixture.shard(1)) {
                    ProxyFixture.execute(k, "select pg_terminate_backend(pid) from pg_stat_activity"
                            + " where query like '%relay_write_probe%' and pid <> pg_backend_pid()");
                } catch (SQLException ignored) {
                    // the assertion below fails instead
                }
            }, 500, TimeUnit.MILLISECONDS);
            String state = sqlState(c, "update " + TABLE + " set v = v where id = 21"
                    + " and pg_sleep(3) is not null and 'relay_write_probe' <> ''");
            assertTrue(state.equals("57P01") || state.equals("08006"), state);
            assertEquals(List.of("v21|"), rows(c, "select v from " + TABLE + " where id = 21"));
        }
    }

    /** One extended-protocol round of {@code sql} from a raw client: the DataRow's column count, or the error's SQLSTATE. */
    private static String round(RawPgClient raw, String sql) throws IOException {
        raw.send(RawPgClient.concat(RawPgClient.parse(sql), RawPgClient.bind(), RawPgClient.execute(), RawPgClient.sync()));
        String result = "no row";
        for (RawPgClient.Message m : raw.readUntilReady()) {
            if (m.type() == 'E') {
                return "error " + m.sqlState() + " " + m.fields().get('M');
            }
            if (m.type() == 'D') {
                result = "columns " + (((m.body()[0] & 0xff) << 8) | (m.body()[1] & 0xff));
            }
        }
        return result;
    }

    @Test
    void preparedStatementsFollowDdl() throws Exception {
        // A raw client: pgjdbc would heal "cached plan must not change result type" by itself.
        String sql = "select * from relay_ddl where id = 3";
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, cluster.database());
             Connection c = fixture.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long before = relayed(fixture);
            while (relayed(fixture) - before < 5 && System.nanoTime() < deadline) {
                assertEquals("columns 2", round(raw, sql));
            }
            assertTrue(relayed(fixture) - before >= 5, "relayed before the DDL");
            ProxyFixture.execute(c, "alter table relay_ddl add column extra int default 7");
            // The DDL closes relay connections with statements prepared before it; new ones open
            // while the first rounds take the JDBC path. Every round must see the new column.
            before = relayed(fixture);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; relayed(fixture) - before < 5 && System.nanoTime() < deadline; i++) {
                assertEquals("columns 3", round(raw, sql), "round " + i + " after the DDL");
            }
            assertTrue(relayed(fixture) - before >= 5, "relayed after the DDL");
        }
    }

    @Test
    void shardsThatAskForAPasswordGetOne() throws Exception {
        for (int i = 0; i < cluster.shards().size(); i++) {
            try (Connection s = fixture.shard(i)) {
                ProxyFixture.execute(s, "drop role if exists relay_scram", "drop role if exists relay_md5",
                        "create role relay_scram login superuser password 'scram-pw'",
                        "set password_encryption = 'md5'",
                        "create role relay_md5 login superuser password 'md5-pw'");
            }
            PgServer server = cluster.shard(i);
            Path hba = server.dataDir().resolve("pg_hba.conf");
            String conf = Files.readString(hba);
            if (!conf.contains("relay_scram")) {
                Files.writeString(hba, "host all relay_scram 127.0.0.1/32 scram-sha-256\n"
                        + "host all relay_md5 127.0.0.1/32 md5\n" + conf);
            }
            try (Connection s = fixture.shard(i)) {
                ProxyFixture.execute(s, "select pg_reload_conf()");
            }
        }
        for (String[] role : new String[][] {{"relay_scram", "scram-pw"}, {"relay_md5", "md5-pw"}}) {
            ProxyFixture f = ProxyFixture.start(cluster, y -> y.sharded(TABLE, "id", "mod", "integer", 4)
                    .shardUser(role[0]).shardPassword(role[1]));
            try (Connection c = f.connect()) {
                for (int id = 1; id <= 4; id++) {
                    warm(f, c, "select v from " + TABLE + " where id = " + id);
                    assertEquals(List.of("v" + id + "|"), rows(c, "select v from " + TABLE + " where id = " + id), role[0]);
                }
            } finally {
                f.close();
            }
        }
    }

    @Test
    void relayOffMeansJdbcOnly() throws SQLException {
        ProxyFixture f = ProxyFixture.start(cluster, y -> y.sharded(TABLE, "id", "mod", "integer", 4).relay(false));
        try (Connection c = f.connect()) {
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of("v3|"), rows(c, "select v from " + TABLE + " where id = 3"));
            }
            assertEquals(null, f.server().services().relays());
        } finally {
            f.close();
        }
    }
}
