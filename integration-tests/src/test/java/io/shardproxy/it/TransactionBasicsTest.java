package io.shardproxy.it;

import static io.shardproxy.it.SqlAssertions.assertSqlState;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Transaction blocks over several shards: a block reads its own writes, ROLLBACK leaves nothing
 * on any shard and COMMIT keeps everything; after an error every statement gets 25P02 until the
 * block ends; a multi-statement Query is one implicit block, as in PostgreSQL. SET is per
 * session: statement_timeout cancels shard statements of the session that set it and of no other.
 * Each test uses keys of its own; key k lives on shard k mod 4.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionBasicsTest {
    private static final String TABLE = "tx_basics_tbl";

    private ProxyFixture fixture;

    @BeforeAll
    void startProxy(PgCluster cluster) throws SQLException {
        // Two connections per shard, so sessions run one after another reuse the same shard connections.
        fixture = ProxyFixture.start(cluster, y -> y.poolSize(2).sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, v text)",
                    "insert into " + TABLE + " values (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four')");
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void rollbackLeavesNothingOnEitherShardAfterTheBlockReadItsOwnWrites() throws SQLException {
        try (Connection c = fixture.connect(); Connection other = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (101, 'a')");
            run(c, "insert into " + TABLE + " values (102, 'b')");
            assertEquals("2", count(c, "id in (101, 102)"), "the block sees its own writes");
            assertEquals("0", count(other, "id in (101, 102)"), "no one else sees them before COMMIT");
            run(c, "rollback");
            assertEquals("0", count(c, "id in (101, 102)"));
        }
        assertOnShard(1, 101, false);
        assertOnShard(2, 102, false);
    }

    @Test
    void commitKeepsTheRowsOfBothShards() throws SQLException {
        try (Connection c = fixture.connect(); Connection other = fixture.connect()) {
            run(c, "BEGIN");
            run(c, "insert into " + TABLE + " values (201, 'a')");
            run(c, "insert into " + TABLE + " values (202, 'b')");
            run(c, "COMMIT");
            assertEquals("2", count(other, "id in (201, 202)"));
        }
        assertOnShard(1, 201, true);
        assertOnShard(2, 202, true);
    }

    @Test
    void jdbcAutoCommitOffRollsBackAndCommitsAcrossShards() throws SQLException {
        try (Connection c = fixture.connect()) {
            c.setAutoCommit(false);
            run(c, "insert into " + TABLE + " values (251, 'a'), (252, 'b')");
            c.rollback();
            assertEquals("0", count(c, "id in (251, 252)"));
            run(c, "insert into " + TABLE + " values (253, 'a'), (254, 'b')");
            c.commit();
        }
        assertOnShard(1, 253, true);
        assertOnShard(2, 254, true);
        assertOnShard(3, 251, false);
    }

    @Test
    void errorInBlockGives25P02UntilRollback() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (301, 'a')");
            assertSqlState("22012", () -> run(c, "select 1 / (id - id) from " + TABLE + " where id = 2"));
            assertSqlState("25P02", () -> run(c, "select 1"));
            assertSqlState("25P02", () -> run(c, "insert into " + TABLE + " values (302, 'b')"));
            run(c, "rollback");
            assertEquals("0", count(c, "id in (301, 302)"));
        }
        assertOnShard(1, 301, false);
    }

    @Test
    void commitOfAFailedBlockRollsBack() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (311, 'a')");
            assertSqlState("23505", () -> run(c, "insert into " + TABLE + " values (1, 'duplicate')"));
            run(c, "commit");
            assertEquals("0", count(c, "id = 311"));
            assertEquals("1", count(c, "id = 1"), "the session is usable again");
        }
    }

    @Test
    void multiStatementQueryThatFailsRollsBackAllOfIt() throws SQLException {
        try (Connection c = fixture.connect()) {
            assertSqlState("22012", () -> run(c, "insert into " + TABLE + " values (401, 'a'); insert into " + TABLE
                    + " values (402, 'b'); select 1/0"));
            assertEquals("0", count(c, "id in (401, 402)"));
        }
        assertOnShard(1, 401, false);
        assertOnShard(2, 402, false);
    }

    @Test
    void multiStatementQueryThatSucceedsCommitsAllOfIt() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "insert into " + TABLE + " values (411, 'a'); insert into " + TABLE + " values (412, 'b')");
            assertEquals("2", count(c, "id in (411, 412)"));
        }
        assertOnShard(3, 411, true);
        assertOnShard(0, 412, true);
    }

    @Test
    void statementTimeoutCancelsShardStatementsOfTheSessionThatSetIt() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "set statement_timeout = '100ms'");
            assertSqlState("57014", () -> run(c, "select pg_sleep(5) from " + TABLE + " where id = 1"));
            assertSqlState("57014", () -> run(c, "select pg_sleep(5) from " + TABLE));
            run(c, "begin");
            assertSqlState("57014", () -> run(c, "select pg_sleep(5) from " + TABLE + " where id = 3"));
            run(c, "rollback");
            run(c, "reset statement_timeout");
            run(c, "select pg_sleep(0.2) from " + TABLE + " where id = 1");
        }
    }

    @Test
    void statementTimeoutOfOneSessionDoesNotReachAnother() throws SQLException {
        List<Connection> opened = new ArrayList<>();
        try (Connection setter = fixture.connect()) {
            run(setter, "set statement_timeout = '50ms'");
            assertEquals(List.of(List.of("50ms")), ResultTable.query(setter, "show statement_timeout").rows());
            // Use every shard in both sessions, several times, so the other session's statements
            // run on the very shard connections the first session used.
            for (int round = 0; round < 3; round++) {
                assertSqlState("57014", () -> run(setter, "select pg_sleep(1) from " + TABLE));
                Connection other = fixture.connect();
                opened.add(other);
                assertEquals(List.of(List.of("0")), ResultTable.query(other, "show statement_timeout").rows());
                run(other, "select pg_sleep(0.1) from " + TABLE + " where id <= 4");
                run(other, "select pg_sleep(0.1) from " + TABLE + " where id = 2");
            }
        } finally {
            for (Connection c : opened) {
                c.close();
            }
        }
    }

    @Test
    void setInsideABlockWorksWhileBlocksHoldEveryConnectionToTheShard() throws SQLException {
        try (Connection a = fixture.connect(); Connection b = fixture.connect()) {
            // Both pooled connections to shard 0 are now pinned, one by each block.
            for (Connection c : List.of(a, b)) {
                run(c, "begin");
                run(c, "insert into " + TABLE + " values (" + (c == a ? 500 : 504) + ", 'pinned')");
            }
            run(a, "set work_mem = '8MB'");
            assertEquals(List.of(List.of("8MB")), ResultTable.query(a, "show work_mem").rows());
            run(a, "rollback");
            run(b, "rollback");
        }
    }

    @Test
    void clientGoneInsideABlockLeavesNothingAndGivesItsShardConnectionsBack() throws SQLException {
        // More blocks than the pool has connections to shard 1: each must be given back.
        for (int i = 0; i < 4; i++) {
            Connection c = fixture.connect();
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (" + (601 + 4 * i) + ", 'abandoned')");
            c.close();
        }
        try (Connection a = fixture.connect(); Connection b = fixture.connect()) {
            // Pinning shard 1 in two blocks needs both of its connections back in the pool.
            for (Connection c : List.of(a, b)) {
                run(c, "begin");
                assertEquals("0", count(c, "id in (601, 605, 609, 613)"));
            }
            run(a, "rollback");
            run(b, "rollback");
        }
        assertOnShard(1, 601, false);
    }

    @Test
    void setInsideARolledBackBlockIsUndone() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (508, 'x')");
            run(c, "set statement_timeout = '50ms'");
            run(c, "rollback");
            assertEquals(List.of(List.of("0")), ResultTable.query(c, "show statement_timeout").rows());
            run(c, "select pg_sleep(0.1) from " + TABLE + " where id = 1");
        }
    }

    @Test
    void sessionCharacteristicsSetInsideABlockApplyToLaterTransactions() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "select * from " + TABLE + " where id = 1");
            run(c, "set session characteristics as transaction isolation level serializable, read only");
            assertEquals("read committed", ResultTable.query(c, "show transaction_isolation").value(0, 0),
                    "the running transaction keeps its isolation level");
            run(c, "commit");
            run(c, "begin");
            assertEquals("serializable", ResultTable.query(c, "show transaction_isolation").value(0, 0));
            assertEquals("on", ResultTable.query(c, "show transaction_read_only").value(0, 0));
            run(c, "commit");
        }
    }

    @Test
    void setConfigWhoseSettingWouldOutliveItsStatementIsRefusedAndLeaksToNoOne() throws SQLException {
        try (Connection c = fixture.connect(); Connection other = fixture.connect()) {
            // Before the refusal, the setting stayed on the pooled shard connection the statement
            // ran on, for whichever session borrowed it next.
            assertSqlState("0A000", () -> run(c, "select set_config('search_path', 'pg_catalog', false)"));
            assertSqlState("0A000", () -> run(c, "select id, set_config('search_path', 'pg_catalog', false) from "
                    + TABLE + " where id = 1"));
            for (int round = 0; round < 3; round++) {
                for (int id = 1; id <= 4; id++) {
                    assertEquals("\"$user\", public", ResultTable.query(other,
                            "select current_setting('search_path') from " + TABLE + " where id = " + id).value(0, 0));
                }
            }
            // A transaction-local setting ends with its statement's transaction: it runs.
            assertEquals("x", ResultTable.query(c, "select set_config('app.y', 'x', true)").value(0, 0));
            assertEquals("x", ResultTable.query(c, "select set_config('app.y', 'x', true) from " + TABLE
                    + " where id = 3").value(0, 0));
            // In a block it would reach one shard of the block only: refused, the block fails.
            run(c, "begin");
            run(c, "select v from " + TABLE + " where id = 2");
            assertSqlState("0A000", () -> run(c, "select set_config('app.y', 'x', true)"));
            assertSqlState("25P02", () -> run(c, "select 1"));
            run(c, "rollback");
            assertEquals("1", count(c, "id = 1"), "the session is usable again");
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String count(Connection c, String where) throws SQLException {
        return ResultTable.query(c, "select count(*) from " + TABLE + " where " + where).value(0, 0);
    }

    /** Looks at one shard directly: is the row with {@code id} there? */
    private void assertOnShard(int shard, int id, boolean expected) throws SQLException {
        try (Connection c = fixture.shard(shard)) {
            assertEquals(expected ? "1" : "0", count(c, "id = " + id), () -> "row " + id + " on shard " + shard);
        }
    }
}
