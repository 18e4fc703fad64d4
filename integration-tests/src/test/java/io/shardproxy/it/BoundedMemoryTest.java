package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.ProxyYaml;
import io.shardproxy.cluster.SharedClusterExtension;
import io.shardproxy.cluster.StreamReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The proxy answers results far larger than its heap: a proxy in a child JVM with a 40 MB heap
 * streams a fan-out ORDER BY of a million rows and a GROUP BY of 250,000 groups (every group made
 * of rows from all four shards) to a client that keeps no row, and is still alive afterwards. The
 * rows are loaded on the shards directly, each shard its own bucket, so loading costs no proxy
 * time. The child exits on OutOfMemoryError, so a merge that buffered the result would fail here
 * instead of slowing down.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedMemoryTest {
    private static final String TABLE = "mem_rows";
    private static final String TRUST_USER = "mem_trust";
    private static final int ROWS = 1_000_000;
    /** Buckets of {@code id mod 4}, bucket b on shard b of the shared cluster. */
    private static final int BUCKETS = 4;
    /** Groups of {@code id / 4}: ids 4g..4g+3 fall in buckets 0..3, one row of each group per shard. */
    private static final int GROUPS = ROWS / 4;
    private static final String HEAP = "-Xmx40m";

    private PgCluster cluster;
    private ChildProxy proxy;
    private int port;

    @BeforeAll
    void startASmallHeapProxyAndLoadAMillionRows(PgCluster shared, @TempDir Path dir) throws Exception {
        cluster = shared;
        dropTable();
        Path config = Files.writeString(dir.resolve("proxy.yaml"), ProxyYaml.forCluster(cluster)
                .trustUser(TRUST_USER, true).sharded(TABLE, "id", "mod", "integer", BUCKETS).yaml());
        proxy = ChildProxy.start(config, "bounded-memory-proxy", HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC");
        port = proxy.port();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + cluster.database()
                + "?preferQueryMode=simple&user=" + TRUST_USER)) {
            // Through the proxy, so every shard gets the table with the CHECK on its own bucket.
            ProxyFixture.execute(c, "create table " + TABLE + " (id int not null, k int not null)");
        }
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (int shard = 0; shard < BUCKETS; shard++) {
            // k is a permutation of 0..ROWS-1 (7919 is prime to ROWS), unrelated to the shard
            String sql = "insert into " + TABLE + " select g, (g::bigint * 7919 % " + ROWS + ")::int"
                    + " from generate_series(0, " + (ROWS - 1) + ") g where abs(mod(g, " + BUCKETS + ")) = " + shard;
            String url = cluster.shard(shard).jdbcUrl(cluster.database());
            loads.add(CompletableFuture.runAsync(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    ProxyFixture.execute(c, sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(loads.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopTheProxyAndDropTheRows() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        dropTable();
    }

    @Test
    void aFanOutOrderByOfAMillionRowsStreamsThroughA40MbHeap() {
        long[] previous = {-1};
        long rows = scan("select * from " + TABLE + " order by k", values -> {
            long k = Long.parseLong(values[1]);
            assertTrue(k > previous[0], () -> "k " + k + " after " + previous[0]);
            previous[0] = k;
        });
        // strictly increasing and ROWS of them, ending at ROWS - 1: exactly 0..ROWS-1, each once
        assertEquals(ROWS, rows);
        assertEquals(ROWS - 1, previous[0]);
        assertTrue(proxy.isAlive(), proxy::log);
    }

    @Test
    void aGroupByWith250kGroupsFromEveryShardStreamsThroughA40MbHeap() {
        BitSet seen = new BitSet(GROUPS);
        long[] sumOfSums = {0};
        long rows = scan("select id / 4 as g, count(*), sum(k) from " + TABLE + " group by id / 4", values -> {
            int g = Integer.parseInt(values[0]);
            assertTrue(g >= 0 && g < GROUPS && !seen.get(g), () -> "group " + g + " out of range or repeated");
            seen.set(g);
            assertEquals("4", values[1], () -> "rows in group " + g);
            sumOfSums[0] += Long.parseLong(values[2]);
        });
        assertEquals(GROUPS, rows);
        assertEquals(GROUPS, seen.cardinality());
        assertEquals((long) ROWS * (ROWS - 1) / 2, sumOfSums[0], "every k counted once");
        assertTrue(proxy.isAlive(), proxy::log);
    }

    @Test
    void aGroupByOrderedByAnAggregateSpillsInsteadOfFillingTheHeap() {
        // ORDER BY sum(k) is no order the shards can give: the proxy sorts 250,000 groups itself,
        // more than it keeps in memory, so it spills sorted runs to files and merges them.
        BitSet seen = new BitSet(GROUPS);
        long[] previous = {Long.MAX_VALUE};
        long rows = scan("select id / 4 as g, sum(k) as s from " + TABLE + " group by id / 4 order by s desc, g",
                values -> {
                    int g = Integer.parseInt(values[0]);
                    long s = Long.parseLong(values[1]);
                    assertTrue(s <= previous[0], () -> "sum " + s + " after " + previous[0]);
                    assertTrue(g >= 0 && g < GROUPS && !seen.get(g), () -> "group " + g + " out of range or repeated");
                    seen.set(g);
                    previous[0] = s;
                });
        assertEquals(GROUPS, rows);
        assertEquals(GROUPS, seen.cardinality());
        assertTrue(proxy.isAlive(), proxy::log);
    }

    /** Streams {@code sql} through the child proxy; a proxy that died on the way fails with its output. */
    private long scan(String sql, StreamReader.RowHandler handler) {
        try {
            return StreamReader.scan(port, TRUST_USER, cluster.database(), sql, handler);
        } catch (IOException e) {
            throw new AssertionError(e.getMessage() + "; " + proxy.log(), e);
        }
    }

    /** Reads the child's output until it names its port; keeps reading it afterwards, for failure messages. */
    private void dropTable() throws SQLException {
        for (int shard = 0; shard < cluster.shards().size(); shard++) {
            try (Connection c = DriverManager.getConnection(cluster.shard(shard).jdbcUrl(cluster.database()))) {
                ProxyFixture.execute(c, "drop table if exists " + TABLE);
            }
        }
    }
}
