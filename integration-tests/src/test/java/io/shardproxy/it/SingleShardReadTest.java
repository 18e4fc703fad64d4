package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A single-shard read in autocommit runs in one round trip when its result fits in the fetch size
 * (100 here), and runs again streamed when it does not: the client gets every row either way,
 * whatever the size (below, at and above the fetch size). A read that calls a function that
 * might write is never run twice.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleShardReadTest {
    private static final String TABLE = "ssr_tbl";

    private ProxyFixture fixture;

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.fetchSize(100).sharded(TABLE, "tenant", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE, "drop table if exists ssr_calls",
                "drop function if exists ssr_count(int)");
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (tenant int not null, seq int not null, v text)");
        }
        // Tenants 1, 5 and 9 live on shard 1.
        try (Connection s = fixture.shard(1)) {
            ProxyFixture.execute(s, "insert into " + TABLE + " select 1, g, 'r' || g from generate_series(1, 350) g",
                    "insert into " + TABLE + " select 5, g, 'r' || g from generate_series(1, 100) g",
                    "insert into " + TABLE + " select 9, g, 'r' || g from generate_series(1, 99) g");
        }
        // A function that writes, on every shard: each call leaves a row behind.
        for (int i = 0; i < fixture.shardCount(); i++) {
            try (Connection s = fixture.shard(i)) {
                ProxyFixture.execute(s, "create table ssr_calls (n int)",
                        "create function ssr_count(n int) returns int language sql as"
                                + " $$ insert into ssr_calls values (n) returning n $$");
            }
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyRowArrivesBelowAtAndAboveTheFetchSize() throws SQLException {
        try (Connection c = fixture.connect()) {
            assertRows(c, 9, 99);
            assertRows(c, 5, 100);
            assertRows(c, 1, 350);
        }
        try (Connection c = fixture.connectExtended("prepareThreshold=-1")) {
            assertRows(c, 9, 99);
            assertRows(c, 5, 100);
            assertRows(c, 1, 350);
        }
    }

    @Test
    void aReadThatCallsAFunctionRunsOnce() throws SQLException {
        try (Connection c = fixture.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select ssr_count(seq) from " + TABLE + " where tenant = 1")) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertEquals(350, n);
        }
        try (Connection s = fixture.shard(1); Statement st = s.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from ssr_calls")) {
            rs.next();
            assertEquals(350, rs.getInt(1), "each row's call ran once");
        }
    }

    private static void assertRows(Connection c, int tenant, int expected) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select seq, v from " + TABLE + " where tenant = " + tenant
                     + " order by seq")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertEquals(n, rs.getInt(1));
                assertEquals("r" + n, rs.getString(2));
            }
            assertEquals(expected, n, "rows of tenant " + tenant);
        }
    }
}
