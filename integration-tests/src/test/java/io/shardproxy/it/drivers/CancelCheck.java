package io.shardproxy.it.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * pgjdbc's Statement.cancel() on a running {@code pg_sleep(10)}: the statement must fail with
 * 57014 within 2 s of the cancel, and the connection must answer a plain and a prepared query
 * afterwards. The cancel is sent only once some server reports the sleep as active, so it never
 * races the statement's start.
 */
public final class CancelCheck {
    private static final String PROBE = "select pg_sleep(10) as drv_cancel_probe";

    private CancelCheck() {
    }

    /** Runs the check on {@code e}; {@code servers} are direct connections to where the sleep can run. */
    public static void cancelSleep(Endpoint e, Map<String, String> properties, List<Supplier<Connection>> servers)
            throws SQLException, InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection c = e.connect(properties); Statement s = c.createStatement()) {
            Future<?> sleeping = executor.submit(() -> s.execute(PROBE));
            awaitRunning(sleeping, servers);
            long cancelled = System.nanoTime();
            s.cancel();
            SQLException error;
            try {
                sleeping.get(5, TimeUnit.SECONDS);
                throw new AssertionError("pg_sleep(10) finished although it was cancelled");
            } catch (ExecutionException done) {
                assertTrue(done.getCause() instanceof SQLException, () -> "not an SQLException: " + done.getCause());
                error = (SQLException) done.getCause();
            } catch (TimeoutException stillRunning) {
                throw new AssertionError("pg_sleep(10) still runs 5 s after Statement.cancel()");
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
            assertEquals("57014", error.getSQLState(), () -> "SQLSTATE of " + error);
            assertTrue(millis < 2000, "cancel took " + millis + " ms");
            try (ResultSet rs = s.executeQuery("select 41 + 1")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1), "the connection answers after the cancel");
            }
            try (PreparedStatement ps = c.prepareStatement("select ?::int * 2")) {
                ps.setInt(1, 21);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(42, rs.getInt(1), "a prepared statement works after the cancel");
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** Polls pg_stat_activity until some server runs the probe; fails if it ended early or never ran. */
    private static void awaitRunning(Future<?> sleeping, List<Supplier<Connection>> servers)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (sleeping.isDone()) {
                try {
                    sleeping.get();
                    throw new AssertionError("pg_sleep(10) returned at once");
                } catch (ExecutionException e) {
                    throw new AssertionError("pg_sleep(10) failed before it was cancelled: " + e.getCause(), e.getCause());
                }
            }
            for (Supplier<Connection> server : servers) {
                try (Connection c = server.get(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where state = 'active'"
                             + " and query like '%drv_cancel_probe%' and pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no server ran pg_sleep(10) within 10 s");
    }
}
