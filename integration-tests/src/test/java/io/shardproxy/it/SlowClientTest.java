package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading in the middle of a large fan-out result costs the proxy a bounded
 * amount of memory: workers wait for the channel to become writable instead of queueing the
 * result. The client then reads on and gets every row.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientTest {
    private static final String TABLE = "slow_client_tbl";
    private static final int ROWS_PER_SHARD_ROW = 20_000;
    /** The channel's high water mark (256 KiB) plus one batch (32 KiB), with room to spare. */
    private static final long BOUND = 1024 * 1024;

    private ProxyFixture fixture;

    @BeforeAll
    void startProxy(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.trustUser("raw", false).fetchSize(100)
                .sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key)",
                    "insert into " + TABLE + " values (0), (1), (2), (3)");
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void proxyBuffersABoundedAmountForAClientThatStopsReading() throws Exception {
        // 4 shards x 20,000 rows of ~1 KB: an 80 MB result.
        String sql = "select id, g, repeat('x', 1000) from " + TABLE + ", generate_series(1, " + ROWS_PER_SHARD_ROW
                + ") g";
        try (RawPgClient c = RawPgClient.loggedIn(fixture.port(), "raw", fixture.cluster().database())) {
            c.send(RawPgClient.query(sql));
            assertEquals('T', c.read().type(), "RowDescription first");
            long peak = fixture.peakPendingClientBytes();
            assertTrue(peak <= BOUND, "proxy queued " + peak + " bytes for a client that stopped reading");
            long rows = 0;
            RawPgClient.Message m;
            while ((m = c.read()).type() == 'D') {
                rows++;
            }
            assertEquals('C', m.type());
            assertEquals(4L * ROWS_PER_SHARD_ROW, rows);
            assertEquals('Z', c.read().type());
        }
    }

    @Test
    void otherClientsAreServedWhileOneClientStallsAResult() throws Exception {
        String sql = "select id, g, repeat('x', 1000) from " + TABLE + ", generate_series(1, " + ROWS_PER_SHARD_ROW
                + ") g";
        try (RawPgClient stalled = RawPgClient.loggedIn(fixture.port(), "raw", fixture.cluster().database());
             Connection other = fixture.connect()) {
            stalled.send(RawPgClient.query(sql));
            assertEquals('T', stalled.read().type());
            for (int i = 0; i < 20; i++) {
                assertEquals("4", ResultTable.query(other, "select count(*) from " + TABLE).value(0, 0));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
