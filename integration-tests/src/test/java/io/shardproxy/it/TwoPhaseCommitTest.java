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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Atomic commit across shards, checked on the shards themselves: which commits take two phases
 * (two or more shards wrote, counting a SELECT whose function wrote) and which take one; that a
 * two-phase commit leaves its decision and no prepared transaction; savepoints across shards;
 * errors that roll everything back; and recovery of prepared transactions that a proxy run left
 * behind, decided by the decision log and never touching a live run's or another program's.
 * Key k lives on shard k mod 4; the decision log is shardproxy_meta on shard 0's server.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoPhaseCommitTest {
    private static final String TABLE = "tpc_tbl";

    private ProxyFixture fixture;

    @BeforeAll
    void startProxy(PgCluster cluster) throws SQLException {
        // Recovery runs at start and then only when a test asks (RECOVER TRANSACTIONS).
        fixture = ProxyFixture.start(cluster, y -> y.sharded(TABLE, "id", "mod", "integer", 4)
                .sharded("tpc_parent", "id", "mod", "integer", 4).transactions("it-2pc", "s0", 3600));
        fixture.onEveryServer("drop table if exists " + TABLE + " cascade", "drop function if exists tpc_write(int)",
                "drop table if exists tpc_child", "drop table if exists tpc_parent");
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, v text)",
                    "insert into " + TABLE + " values (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four')",
                    "create function tpc_write(k int) returns int language sql as $$ insert into " + TABLE
                            + " values (k, 'by function') returning 1 $$");
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void twoShardsWrittenCommitInTwoPhasesAndLeaveOnlyTheirDecision() throws SQLException {
        long before = counter("two_phase_commits");
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (101, 'a')");
            run(c, "insert into " + TABLE + " values (102, 'b')");
            run(c, "commit");
        }
        assertEquals(before + 1, counter("two_phase_commits"));
        assertOnShard(1, 101, true);
        assertOnShard(2, 102, true);
        assertEquals(List.of(), preparedEverywhere());
        try (Connection meta = meta(); Statement s = meta.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from shardproxy_decisions where committed and gid like"
                     + " 'shardproxy:it-2pc:%'")) {
            rs.next();
            assertTrue(rs.getInt(1) >= 1, "the commit decision is stored");
        }
    }

    @Test
    void oneShardWrittenCommitsInOnePhaseWhateverItRead() throws SQLException {
        long twoPhase = counter("two_phase_commits");
        long onePhase = counter("one_phase_commits");
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            assertEquals("1", count(c, "id = 3"));
            assertEquals("1", count(c, "id = 4"));
            run(c, "insert into " + TABLE + " values (105, 'x')");
            run(c, "commit");
        }
        assertEquals(twoPhase, counter("two_phase_commits"));
        assertEquals(onePhase + 1, counter("one_phase_commits"));
        assertOnShard(1, 105, true);
    }

    @Test
    void aSelectWhoseFunctionWroteCountsAsAWrite() throws SQLException {
        long before = counter("two_phase_commits");
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (110, 'plain insert')");
            // key 112 lives on shard 0, which answers table-less reads
            run(c, "select tpc_write(112)");
            run(c, "commit");
        }
        assertEquals(before + 1, counter("two_phase_commits"), "the SELECT's shard wrote, so two shards did");
        assertOnShard(2, 110, true);
        assertOnShard(0, 112, true);
    }

    @Test
    void savepointsRollBackOnEveryShardIncludingOnesPinnedAfterThem() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (120, 'kept')");
            run(c, "savepoint a");
            run(c, "insert into " + TABLE + " values (121, 'undone: shard pinned after the savepoint')");
            run(c, "insert into " + TABLE + " values (124, 'undone: shard pinned before it')");
            run(c, "rollback to savepoint a");
            assertEquals("1", count(c, "id between 120 and 124"));
            run(c, "savepoint b");
            assertSqlState("23505", () -> run(c, "insert into " + TABLE + " values (2, 'duplicate')"));
            assertSqlState("25P02", () -> run(c, "select 1"));
            run(c, "rollback to b");
            run(c, "insert into " + TABLE + " values (122, 'kept after the error')");
            run(c, "release savepoint a");
            assertSqlState("3B001", () -> run(c, "rollback to savepoint b"));
            run(c, "rollback");
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (125, 'kept')");
            run(c, "savepoint c");
            run(c, "insert into " + TABLE + " values (126, 'kept too')");
            run(c, "release c");
            run(c, "commit");
            assertSqlState("25P01", () -> run(c, "savepoint outside"));
        }
        assertOnShard(0, 120, false);
        assertOnShard(1, 125, true);
        assertOnShard(2, 126, true);
        assertEquals(List.of(), preparedEverywhere());
    }

    @Test
    void jdbcSavepointsWorkOverTheExtendedProtocol() throws SQLException {
        try (Connection c = fixture.connectExtended("prepareThreshold=-1")) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement ins = c.prepareStatement("insert into " + TABLE + " values (?, ?)")) {
                ins.setInt(1, 180);
                ins.setString(2, "kept");
                ins.executeUpdate();
                java.sql.Savepoint sp = c.setSavepoint();
                ins.setInt(1, 181);
                ins.setString(2, "undone");
                ins.executeUpdate();
                c.rollback(sp);
                ins.setInt(1, 182);
                ins.setString(2, "kept");
                ins.executeUpdate();
                c.releaseSavepoint(c.setSavepoint("named"));
            }
            c.commit();
        }
        assertOnShard(0, 180, true);
        assertOnShard(1, 181, false);
        assertOnShard(2, 182, true);
    }

    @Test
    void aDuplicateKeyOnOneShardRollsBackTheWholeTransaction() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "begin");
            run(c, "insert into " + TABLE + " values (130, 'a')");
            run(c, "insert into " + TABLE + " values (131, 'b')");
            assertSqlState("23505", () -> run(c, "insert into " + TABLE + " values (3, 'duplicate')"));
            assertSqlState("25P02", () -> run(c, "insert into " + TABLE + " values (132, 'c')"));
            run(c, "commit");
            assertSqlState("23505", () -> run(c, "insert into " + TABLE + " values (140, 'a'), (141, 'b'), (4, 'dup')"));
        }
        for (int id : new int[] {130, 131, 132, 140, 141}) {
            assertOnShard(id % 4, id, false);
        }
    }

    @Test
    void recoveryCommitsWhatTheDecisionLogSaysAndRollsBackTheRest() throws SQLException {
        prepareOnShard(1, 149, "shardproxy:ghost:r1:1");
        prepareOnShard(2, 150, "shardproxy:ghost:r1:1");
        prepareOnShard(3, 151, "shardproxy:ghost:r1:2");
        try (Connection meta = meta()) {
            ProxyFixture.execute(meta, "insert into shardproxy_decisions (gid, committed) values"
                    + " ('shardproxy:ghost:r1:1', true)");
        }
        List<String> result = recover();
        assertEquals("2", result.get(0), "committed");
        assertEquals("1", result.get(1), "rolled back");
        assertOnShard(1, 149, true);
        assertOnShard(2, 150, true);
        assertOnShard(3, 151, false);
        assertEquals(List.of(), preparedEverywhere());
        try (Connection meta = meta(); Statement s = meta.createStatement();
             ResultSet rs = s.executeQuery("select committed from shardproxy_decisions"
                     + " where gid = 'shardproxy:ghost:r1:2'")) {
            assertTrue(rs.next(), "recovery records its rollback, so a late coordinator cannot commit");
            assertEquals(false, rs.getBoolean(1));
        }
    }

    @Test
    void recoveryLeavesALiveProxyRunAndOtherProgramsAlone() throws SQLException {
        try (Connection liveRun = meta()) {
            ProxyFixture.execute(liveRun, "select pg_advisory_lock(" + 0x5350 + ", hashtext('alive:r2'))");
            prepareOnShard(1, 161, "shardproxy:alive:r2:1");
            prepareOnShard(2, 162, "not-ours-1");
            try {
                List<String> result = recover();
                assertEquals("0", result.get(0));
                assertEquals("0", result.get(1));
                assertTrue(Integer.parseInt(result.get(2)) >= 1, "left to the live run");
                assertEquals(List.of("s1 shardproxy:alive:r2:1", "s2 not-ours-1"), preparedEverywhere());
            } finally {
                liveRun.close();
            }
            // The run is over: its lock is free, and with no decision its transaction rolls back.
            List<String> result = recover();
            assertEquals("1", result.get(1));
            assertOnShard(1, 161, false);
            assertEquals(List.of("s2 not-ours-1"), preparedEverywhere());
        } finally {
            try (Connection s = fixture.shard(2)) {
                ProxyFixture.execute(s, "rollback prepared 'not-ours-1'");
            }
        }
    }

    @Test
    void updatingTheShardKeyMovesTheRowAtomically() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "insert into " + TABLE + " values (170, 'a'), (171, 'b'), (175, 'c')");
            long before = counter("two_phase_commits");
            assertEquals(1, update(c, "update " + TABLE + " set id = 173, v = v || ' moved' where id = 170"));
            assertEquals(before + 1, counter("two_phase_commits"), "a delete on s2 and an insert on s1");
            assertOnShard(2, 170, false);
            assertOnShard(1, 173, true);
            assertEquals("a moved", value(c, 173));
            // every row computes its own key from its old row, as PostgreSQL would
            assertEquals(2, update(c, "update " + TABLE + " t set id = t.id + 100 where id in (171, 173)"));
            assertOnShard(3, 271, true);
            assertOnShard(1, 273, true);
            // a duplicate new key fails the whole statement: nothing moved, nothing lost
            assertSqlState("23505", () -> update(c, "update " + TABLE + " set id = 1 where id in (271, 273)"));
            assertOnShard(3, 271, true);
            assertOnShard(1, 273, true);
            assertSqlState("23502", () -> update(c, "update " + TABLE + " set id = null where id = 271"));
            assertOnShard(3, 271, true);
            // in a block that rolls back, nothing moves
            run(c, "begin");
            assertEquals(1, update(c, "update " + TABLE + " set id = 276 where id = 175"));
            assertEquals("1", count(c, "id = 276"), "the block reads the moved row");
            run(c, "rollback");
            assertOnShard(3, 175, true);
            assertOnShard(0, 276, false);
            assertSqlState("0A000", () -> update(c, "update " + TABLE + " set id = 9 where id = 175 returning *"));
            assertEquals(0, update(c, "update " + TABLE + " set id = 9 where id = 99999"));
        }
        try (Connection c = fixture.connectExtended("prepareThreshold=-1");
             java.sql.PreparedStatement ps = c.prepareStatement("update " + TABLE + " set id = ? where id = ?")) {
            ps.setInt(1, 278);
            ps.setInt(2, 175);
            assertEquals(1, ps.executeUpdate());
        }
        assertOnShard(3, 175, false);
        assertOnShard(2, 278, true);
        assertEquals(List.of(), preparedEverywhere());
    }

    @Test
    void updatingTheShardKeyOfAReferencedTableIsRefused() throws SQLException {
        try (Connection c = fixture.connect()) {
            run(c, "create table tpc_parent (id int primary key)");
            run(c, "insert into tpc_parent values (1)");
        }
        for (int i = 0; i < fixture.shardCount(); i++) {
            try (Connection s = fixture.shard(i)) {
                ProxyFixture.execute(s, "create table tpc_child (p int references tpc_parent (id))");
            }
        }
        try (Connection c = fixture.connect()) {
            assertSqlState("0A000", () -> update(c, "update tpc_parent set id = 2 where id = 1"));
        }
        assertOnShardTable(1, "tpc_parent", 1);
    }

    private void assertOnShardTable(int shard, String table, int id) throws SQLException {
        try (Connection s = fixture.shard(shard); Statement st = s.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + table + " where id = " + id)) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private static String value(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from " + TABLE
                + " where id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void prepareOnShard(int shard, int id, String gid) throws SQLException {
        try (Connection s = fixture.shard(shard)) {
            ProxyFixture.execute(s, "begin", "insert into " + TABLE + " values (" + id + ", 'prepared')",
                    "prepare transaction '" + gid + "'");
        }
    }

    /** RECOVER TRANSACTIONS: committed, rolled_back, left_to_live_proxies, problems. */
    private List<String> recover() throws SQLException {
        try (Connection c = fixture.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("recover transactions")) {
            assertTrue(rs.next());
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                row.add(rs.getString(i));
            }
            assertEquals(null, row.get(3), "problems");
            return row;
        }
    }

    private long counter(String column) throws SQLException {
        try (Connection c = fixture.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show transactions")) {
            assertTrue(rs.next());
            return rs.getLong(column);
        }
    }

    /** "shard gid" of every prepared transaction on every shard. */
    private List<String> preparedEverywhere() throws SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fixture.shardCount(); i++) {
            try (Connection s = fixture.shard(i); Statement st = s.createStatement();
                 ResultSet rs = st.executeQuery("select gid from pg_prepared_xacts order by gid")) {
                while (rs.next()) {
                    out.add("s" + i + " " + rs.getString(1));
                }
            }
        }
        return out;
    }

    private Connection meta() throws SQLException {
        return DriverManager.getConnection(fixture.cluster().shard(0).jdbcUrl("shardproxy_meta"));
    }

    private void assertOnShard(int shard, int id, boolean present) throws SQLException {
        try (Connection s = fixture.shard(shard); Statement st = s.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + TABLE + " where id = " + id)) {
            rs.next();
            assertEquals(present ? 1 : 0, rs.getInt(1), "row " + id + " on shard " + shard);
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String count(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + TABLE
                + " where " + where)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
