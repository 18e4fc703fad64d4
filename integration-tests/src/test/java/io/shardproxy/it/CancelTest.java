package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CancelRequest: the key the proxy issued in BackendKeyData cancels the statement running on
 * every shard it runs on; the client gets 57014 and goes on; a wrong key does nothing.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class CancelTest {
    private static final String TABLE = "cancel_items";
    private static final String TRUST_USER = "cancel_trust";

    private ProxyFixture fixture;
    private PgCluster cluster;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        this.cluster = cluster;
        fixture = ProxyFixture.start(cluster, y -> y.trustUser(TRUST_USER, false).sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, v text)",
                    "insert into " + TABLE + " values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
        }
    }

    @AfterAll
    void stop() {
        timer.shutdownNow();
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Runs {@code sql} on {@code s}, cancelling it after 300 ms; returns the SQLSTATE and how long it took. */
    private long cancelled(Statement s, String sql) {
        timer.schedule(() -> {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // the assertion below reports it
            }
        }, 300, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("57014", e.getSQLState(), e.getMessage());
        return millis;
    }

    @Test
    void pgjdbcCancelStopsASleepWithin2Seconds() throws SQLException {
        try (Connection c = fixture.connectExtended(); Statement s = c.createStatement()) {
            long millis = cancelled(s, "SELECT pg_sleep(10)");
            assertTrue(millis < 2000, millis + " ms");
            assertEquals(List.of(List.of("1")), ResultTable.query(c, "SELECT 1").rows());
        }
    }

    @Test
    void cancelStopsAFanOutOnEveryShard() throws SQLException {
        try (Connection c = fixture.connectExtended(); Statement s = c.createStatement()) {
            long millis = cancelled(s, "SELECT id FROM " + TABLE + " WHERE pg_sleep(10) IS NOT NULL ORDER BY id");
            assertTrue(millis < 2000, millis + " ms");
            assertNoSleepRunsOnAnyShard();
            assertEquals(List.of(List.of("4")), ResultTable.query(c, "SELECT count(*) FROM " + TABLE).rows());
        }
    }

    @Test
    void cancelInsideATransactionBlockFailsTheBlock() throws SQLException {
        try (Connection c = fixture.connectExtended(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("UPDATE " + TABLE + " SET v = v WHERE id IN (1, 2)");
            cancelled(s, "SELECT id FROM " + TABLE + " WHERE pg_sleep(10) IS NOT NULL");
            SQLException aborted = assertThrows(SQLException.class, () -> s.execute("SELECT 1"));
            assertEquals("25P02", aborted.getSQLState());
            c.rollback();
            assertEquals(List.of(List.of("4")), ResultTable.query(c, "SELECT count(*) FROM " + TABLE).rows());
            c.commit();
        }
    }

    @Test
    void cancelOfAPreparedStatementInTheSimpleProtocolToo() throws SQLException {
        try (Connection c = fixture.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT pg_sleep(10) FROM " + TABLE + " WHERE id = ?")) {
            p.setInt(1, 3);
            timer.schedule(() -> {
                try {
                    p.cancel();
                } catch (SQLException ignored) {
                    // reported below
                }
            }, 300, TimeUnit.MILLISECONDS);
            SQLException e = assertThrows(SQLException.class, p::executeQuery);
            assertEquals("57014", e.getSQLState());
            assertEquals(List.of(List.of("1")), ResultTable.query(c, "SELECT 1").rows());
        }
    }

    @Test
    void aCancelWithAWrongKeyDoesNothing() throws IOException {
        try (RawPgClient raw = RawPgClient.connect(fixture.port())) {
            raw.send(RawPgClient.startup(TRUST_USER, cluster.database()));
            int pid = 0;
            int key = 0;
            for (RawPgClient.Message m : raw.readUntilReady()) {
                if (m.type() == 'K') {
                    ByteBuffer b = ByteBuffer.wrap(m.body());
                    pid = b.getInt();
                    key = b.getInt();
                }
            }
            raw.send(RawPgClient.query("SELECT pg_sleep(1.5)"));
            sendCancel(pid, key + 1);
            sendCancel(pid + 1, key);
            List<RawPgClient.Message> answer = raw.readUntilReady();
            assertEquals("TDCZ", types(answer), "the statement ran to its end");

            raw.send(RawPgClient.query("SELECT pg_sleep(10)"));
            sleep(300);
            long start = System.nanoTime();
            sendCancel(pid, key);
            answer = raw.readUntilReady();
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2000);
            RawPgClient.Message error = answer.stream().filter(m -> m.type() == 'E').findFirst().orElseThrow();
            assertEquals("57014", error.sqlState());
        }
    }

    /** A CancelRequest on a new connection: Int32 16, Int32 80877102, Int32 pid, Int32 key. */
    private void sendCancel(int pid, int key) throws IOException {
        try (RawPgClient c = RawPgClient.connect(fixture.port())) {
            c.send(ByteBuffer.allocate(16).putInt(16).putInt(80877102).putInt(pid).putInt(key).array());
            assertTrue(c.closedByProxy(), "the proxy closes a cancel connection without an answer");
        }
    }

    private static String types(List<RawPgClient.Message> messages) {
        StringBuilder sb = new StringBuilder();
        for (RawPgClient.Message m : messages) {
            if (m.type() != 'N' && m.type() != 'S') {
                sb.append(m.type());
            }
        }
        return sb.toString();
    }

    private void assertNoSleepRunsOnAnyShard() throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < fixture.shardCount(); i++) {
            try (Connection shard = fixture.shard(i)) {
                while (true) {
                    String running = ResultTable.query(shard, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                            + " AND query LIKE '%pg_sleep(10)%' AND pid <> pg_backend_pid()").rows().get(0).get(0);
                    if (running.equals("0")) {
                        break;
                    }
                    assertTrue(System.nanoTime() < deadline, "shard " + i + " still runs the cancelled statement");
                    sleep(50);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
