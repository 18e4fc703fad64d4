package io.shardproxy.it;

import static io.shardproxy.it.SqlAssertions.assertSqlState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference design's transcript, replayed through the proxy with pgjdbc: a table sharded by
 * {@code id} mod 4 over four shards, rows 1..9, the reads and writes of the transcript, and then a
 * look at each shard directly. Every write also goes to the oracle, so each read can be compared
 * with what one PostgreSQL holding the same rows answers, whatever order the tests run in.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceTranscriptTest {
    private static final String TABLE = "transcript_tbl";
    private static final String CREATE = "create table " + TABLE + " (id int primary key, info text, crt_time timestamp)";

    private ProxyFixture fixture;
    private Connection proxy;
    private Connection oracle;

    @BeforeAll
    void createAndFillTheTable(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        proxy = fixture.connect();
        oracle = fixture.oracle();
        bothExecute(CREATE);
        for (int id = 1; id <= 4; id++) {
            assertEquals(1, bothUpdate("insert into " + TABLE + " values (" + id + ", 'test" + id
                    + "', '2026-01-0" + id + " 10:00:00')"), "single-row insert of id " + id);
        }
        StringBuilder multi = new StringBuilder("insert into " + TABLE + " (id, info, crt_time) values ");
        for (int id = 5; id <= 9; id++) {
            multi.append(id > 5 ? ", " : "").append('(').append(id).append(", 'test").append(id)
                    .append("', '2026-01-0").append(id).append(" 10:00:00.123456')");
        }
        assertEquals(5, bothUpdate(multi.toString()), "one insert of five rows over four shards");
    }

    @AfterAll
    void stop() throws SQLException {
        try (Connection p = proxy; Connection o = oracle; ProxyFixture f = fixture) {
            // try-with-resources closes each one, skipping any a failed @BeforeAll left null
        }
    }

    @Test
    void insertWithoutShardKeyFailsWith23502NamingTheColumn() {
        ServerErrorMessage e = assertSqlState("23502",
                () -> update(proxy, "insert into " + TABLE + " values (null, 'no key', '2026-02-01')"));
        assertTrue(e.getMessage().contains("\"id\""), e.getMessage());
    }

    @Test
    void multiRowInsertWithOneNullShardKeyInsertsNothing() throws SQLException {
        assertSqlState("23502", () -> update(proxy, "insert into " + TABLE
                + " values (101, 'kept?', '2026-02-01'), (null, 'no key', '2026-02-01'), (102, 'kept?', '2026-02-01')"));
        assertEquals(List.of(List.of("0")),
                ResultTable.query(proxy, "select count(*) from " + TABLE + " where id in (101, 102)").rows());
    }

    @Test
    void selectStarReturnsTheOraclesRows() throws SQLException {
        assertSameRows("select * from " + TABLE);
    }

    @Test
    void selectByIdReturnsTheRowFromItsShardOnly() throws SQLException {
        assertSameRows("select * from " + TABLE + " where id = 3");
        ResultTable route = ResultTable.query(proxy, "explain route select * from " + TABLE + " where id = 3");
        assertEquals(1, route.rows().size(), route.describe(10));
        assertEquals("s3", route.value(0, 1));
    }

    @Test
    void countSumAndAvgEqualTheOraclesAnswerExactly() throws SQLException {
        String sql = "select count(*), sum(id), avg(id+id) from " + TABLE;
        ResultTable expected = ResultTable.query(oracle, sql);
        ResultTable actual = ResultTable.query(proxy, sql);
        assertEquals(expected.columns(), actual.columns());
        assertEquals(List.of("int8", "int8", "numeric"),
                actual.columns().stream().map(ResultTable.Column::typeName).toList());
        assertEquals(expected.rows(), actual.rows());
    }

    @Test
    void updateAndDeleteByIdReportTheRowsTheyChanged() throws SQLException {
        assertEquals(1, bothUpdate("update " + TABLE + " set info = 'updated', crt_time = '2026-03-01' where id = 1"));
        assertEquals(0, bothUpdate("update " + TABLE + " set info = 'nobody' where id = 1000"));
        bothUpdate("insert into " + TABLE + " values (200, 'to delete', '2026-03-02')");
        assertEquals(1, bothUpdate("delete from " + TABLE + " where id = 200"));
        assertEquals(0, bothUpdate("delete from " + TABLE + " where id = 200"));
        assertSameRows("select * from " + TABLE + " where id = 1");
        assertSameRows("select * from " + TABLE);
    }

    @Test
    void everyShardHoldsOnlyRowsOfItsBucketAndTogetherTheyHoldTheOraclesRows() throws SQLException {
        List<List<String>> union = new ArrayList<>();
        for (int shard = 0; shard < fixture.shardCount(); shard++) {
            try (Connection c = fixture.shard(shard)) {
                ResultTable rows = ResultTable.query(c, "select * from " + TABLE);
                ResultTable strangers = ResultTable.query(c, "select id from " + TABLE + " where abs(mod(id, 4)) <> " + shard);
                assertEquals(List.of(), strangers.rows(), "rows of other buckets on shard " + shard);
                union.addAll(rows.rows());
            }
        }
        ResultTable all = new ResultTable(List.of(), union);
        assertEquals(ResultTable.query(oracle, "select * from " + TABLE).sortedRows(), all.sortedRows());
    }

    @Test
    void everyShardCarriesTheBucketCheckConstraint() throws SQLException {
        for (int shard = 0; shard < fixture.shardCount(); shard++) {
            try (Connection c = fixture.shard(shard)) {
                ResultTable checks = ResultTable.query(c, "select conname, pg_get_constraintdef(oid) from pg_constraint"
                        + " where conrelid = '" + TABLE + "'::regclass and contype = 'c'");
                assertEquals(1, checks.rows().size(), checks.describe(5));
                assertEquals("shardproxy_bucket_check", checks.value(0, 0));
                assertEquals("CHECK ((abs(mod(id, 4)) = " + shard + "))", checks.value(0, 1));
            }
        }
    }

    @Test
    void aRowOfAnotherBucketInsertedDirectlyOnAShardFailsWith23514() throws SQLException {
        for (int shard = 0; shard < fixture.shardCount(); shard++) {
            int wrongId = 1000 + (shard + 1) % 4;
            try (Connection c = fixture.shard(shard)) {
                ServerErrorMessage e = assertSqlState("23514",
                        () -> update(c, "insert into " + TABLE + " values (" + wrongId + ", 'wrong shard', now())"));
                assertEquals("shardproxy_bucket_check", e.getConstraint());
            }
        }
    }

    private void assertSameRows(String sql) throws SQLException {
        ResultTable expected = ResultTable.query(oracle, sql);
        ResultTable actual = ResultTable.query(proxy, sql);
        assertEquals(expected.columns(), actual.columns(), sql);
        assertEquals(expected.sortedRows(), actual.sortedRows(), sql);
    }

    private void bothExecute(String sql) throws SQLException {
        ProxyFixture.execute(proxy, sql);
        ProxyFixture.execute(oracle, sql);
    }

    /** Runs a write through the proxy and on the oracle; both must report the same row count. */
    private int bothUpdate(String sql) throws SQLException {
        int viaProxy = update(proxy, sql);
        assertEquals(update(oracle, sql), viaProxy, () -> "row count of " + sql);
        return viaProxy;
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }
}
