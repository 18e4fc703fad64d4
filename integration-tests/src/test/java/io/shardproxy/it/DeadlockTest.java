package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deadlocks across shards: transactions that lock rows on different shards in opposite orders
 * wait for each other in a cycle no shard can see. The proxy breaks the cycle within a second or
 * so: the youngest transaction gets 40P01 and lets go of its locks, the others complete. A chain
 * of waits that is not a cycle is left alone. Key k lives on shard k mod 4; every session sets a
 * statement_timeout so that a failing test cannot hang the suite.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadlockTest {
    private static final String TABLE = "deadlock_tbl";
    /** Far above the detector's second or so, far below a hung suite. */
    private static final String SAFETY_TIMEOUT = "set statement_timeout = '20s'";

    private ProxyFixture fixture;
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final List<Connection> opened = new ArrayList<>();

    @BeforeAll
    void startProxy(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, v text)",
                    "insert into " + TABLE + " values " + String.join(", ", java.util.stream.IntStream.rangeClosed(1, 40)
                            .mapToObj(id -> "(" + id + ", 'initial')").toList()));
        }
    }

    @AfterEach
    void closeClients() throws SQLException {
        for (Connection c : opened) {
            c.close();
        }
        opened.clear();
    }

    @AfterAll
    void stop() {
        clients.shutdownNow();
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void twoSessionsLockingTwoShardsInOppositeOrdersOneGets40P01AndTheOtherCommits() throws Exception {
        Connection a = session(fixture.connect());
        // The victim speaks the extended protocol, where an error skips to Sync.
        Connection b = session(fixture.connectExtended());
        run(a, "begin");
        run(a, "update " + TABLE + " set v = 'a' where id = 1");
        run(b, "begin");
        run(b, "update " + TABLE + " set v = 'b' where id = 2");

        long start = System.nanoTime();
        Future<Void> aWaits = clients.submit(() -> run(a, "update " + TABLE + " set v = 'a' where id = 2"));
        Future<Void> bWaits = clients.submit(() -> run(b, "update " + TABLE + " set v = 'b' where id = 1"));

        // b began last, so b is the victim.
        ServerErrorMessage error = deadlock(bWaits);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "the cycle was broken after " + seconds + " s");
        assertEquals("deadlock detected", error.getMessage());
        assertTrue(error.getDetail().contains("waits on shard"), error.getDetail());
        // The victim let go of its locks with the error, before its ROLLBACK.
        aWaits.get(5, TimeUnit.SECONDS);
        assertSqlState("25P02", () -> run(b, "select 1"));
        run(b, "rollback");
        run(a, "commit");

        assertOnShard(1, 1, "a");
        assertOnShard(2, 2, "a");
        assertEquals("a", value(b, 2), "the victim's session works after its ROLLBACK");
    }

    @Test
    void threeSessionsInACycleOverThreeShardsLoseOnlyTheYoungest() throws Exception {
        Connection a = session(fixture.connect());
        Connection b = session(fixture.connect());
        Connection c = session(fixture.connect());
        run(a, "begin");
        run(a, "update " + TABLE + " set v = 'a' where id = 21");
        run(b, "begin");
        run(b, "update " + TABLE + " set v = 'b' where id = 22");
        run(c, "begin");
        run(c, "update " + TABLE + " set v = 'c' where id = 23");

        long start = System.nanoTime();
        Future<Void> aWaits = clients.submit(() -> run(a, "update " + TABLE + " set v = 'a' where id = 22"));
        Future<Void> bWaits = clients.submit(() -> run(b, "update " + TABLE + " set v = 'b' where id = 23"));
        Future<Void> cWaits = clients.submit(() -> run(c, "update " + TABLE + " set v = 'c' where id = 21"));

        ServerErrorMessage error = deadlock(cWaits);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "the cycle was broken after " + seconds + " s");
        assertEquals(3, error.getDetail().split("\n").length, error.getDetail());
        // c's row 23 is free, so b goes on; a waits for b's row 22 until b commits.
        bWaits.get(5, TimeUnit.SECONDS);
        assertFalse(aWaits.isDone(), "a still waits for b");
        run(b, "commit");
        aWaits.get(5, TimeUnit.SECONDS);
        run(a, "commit");
        run(c, "rollback");

        assertOnShard(1, 21, "a");
        assertOnShard(2, 22, "a");
        assertOnShard(3, 23, "b");
    }

    @Test
    void aChainOfWaitsAcrossShardsIsNotCancelled() throws Exception {
        // b waits for a on shard 1 while a waits for c on shard 0: waits on two shards, no cycle.
        Connection a = session(fixture.connect());
        Connection b = session(fixture.connect());
        Connection c = session(fixture.connect());
        run(c, "begin");
        run(c, "update " + TABLE + " set v = 'c' where id = 12");
        run(a, "begin");
        run(a, "update " + TABLE + " set v = 'a' where id = 13");
        run(b, "begin");
        run(b, "update " + TABLE + " set v = 'b' where id = 14");

        Future<Void> aWaits = clients.submit(() -> run(a, "update " + TABLE + " set v = 'a' where id = 12"));
        Future<Void> bWaits = clients.submit(() -> run(b, "update " + TABLE + " set v = 'b' where id = 13"));
        awaitLockWait(0);
        awaitLockWait(1);
        // Long enough for several of the detector's passes to look at both waits.
        Thread.sleep(2000);
        assertFalse(aWaits.isDone(), "a waits for c");
        assertFalse(bWaits.isDone(), "b waits for a");

        run(c, "commit");
        aWaits.get(5, TimeUnit.SECONDS);
        assertFalse(bWaits.isDone(), "b waits for a until a commits");
        run(a, "commit");
        bWaits.get(5, TimeUnit.SECONDS);
        run(b, "commit");

        assertOnShard(0, 12, "a");
        assertOnShard(1, 13, "b");
        assertOnShard(2, 14, "b");
    }

    private Connection session(Connection c) throws SQLException {
        opened.add(c);
        run(c, SAFETY_TIMEOUT);
        return c;
    }

    private static Void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return null;
    }

    /** The 40P01 {@code waiting} fails with, within 10 s. */
    private static ServerErrorMessage deadlock(Future<Void> waiting) throws InterruptedException, TimeoutException {
        try {
            waiting.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PSQLException && "40P01".equals(((PSQLException) cause).getSQLState())) {
                return ((PSQLException) cause).getServerErrorMessage();
            }
            throw new AssertionError("expected 40P01, got " + cause, cause);
        }
        return fail("expected 40P01, the statement completed");
    }

    private static void assertSqlState(String state, org.junit.jupiter.api.function.Executable action) {
        SqlAssertions.assertSqlState(state, action);
    }

    /** Waits until a statement on {@code shard} waits for a lock on this test's table. */
    private void awaitLockWait(int shard) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (Connection c = fixture.shard(shard); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (var rs = s.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                        + " and query like '%" + TABLE + "%'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        fail("no statement waits for a lock on shard " + shard);
    }

    private static String value(Connection c, int id) throws SQLException {
        return ResultTable.query(c, "select v from " + TABLE + " where id = " + id).value(0, 0);
    }

    /** Looks at one shard directly. */
    private void assertOnShard(int shard, int id, String expected) throws SQLException {
        try (Connection c = fixture.shard(shard)) {
            assertEquals(expected, value(c, id), () -> "row " + id + " on shard " + shard);
        }
    }
}
