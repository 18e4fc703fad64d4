package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COPY through the proxy with pgjdbc's CopyManager, against one PostgreSQL holding the same data:
 * rows routed by key, errors naming the client's line and leaving nothing behind, COPY TO of a
 * sharded table and of merged queries.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CopyTest {
    private static final String TABLE = "copy_items";
    private static final String REF = "copy_ref";
    private static final String TRUST_USER = "copy_trust";

    private ProxyFixture fixture;

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.trustUser(TRUST_USER, false).sharded(TABLE, "id", "mod", "integer", 4)
                .reference(REF));
        fixture.onEveryServer("drop table if exists " + TABLE, "drop table if exists " + REF);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int8 primary key, name text, qty int4,"
                    + " price numeric(10,2), note text)", "create table " + REF + " (code text primary key, label text)");
        }
        try (Connection c = fixture.oracle()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int8 primary key, name text, qty int4,"
                    + " price numeric(10,2), note text)", "create table " + REF + " (code text primary key, label text)");
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "delete from " + TABLE, "delete from " + REF);
        }
        try (Connection c = fixture.oracle()) {
            ProxyFixture.execute(c, "delete from " + TABLE, "delete from " + REF);
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static long copyIn(Connection c, String sql, String data) throws SQLException, IOException {
        return new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class))
                .copyIn(sql, new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
    }

    private static String copyOut(Connection c, String sql) throws SQLException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class)).copyOut(sql, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Rows 1..n in COPY text format, with awkward values. */
    private static String textRows(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append(i).append('\t').append("item\\t").append(i).append('\t').append(i % 7).append('\t')
                    .append(i * 1.5).append('\t').append(i % 5 == 0 ? "\\N" : "ünï\\\\cødé ✓ " + i).append('\n');
        }
        return sb.toString();
    }

    private void assertSameRows() throws SQLException {
        String q = "select * from " + TABLE + " order by id";
        try (Connection p = fixture.connect(); Connection o = fixture.oracle()) {
            ResultTable expected = ResultTable.query(o, q);
            assertEquals(expected.rows(), ResultTable.query(p, q).rows());
        }
    }

    private long countOnEveryShard(String table) throws SQLException {
        long total = 0;
        for (int i = 0; i < fixture.shardCount(); i++) {
            try (Connection s = fixture.shard(i)) {
                total += Long.parseLong(ResultTable.query(s, "select count(*) from " + table).value(0, 0));
            }
        }
        return total;
    }

    @Test
    void copyFromStdinRoutesEveryRowToItsShard() throws Exception {
        String data = textRows(2000);
        try (Connection p = fixture.connect(); Connection o = fixture.oracle()) {
            assertEquals(2000, copyIn(p, "COPY " + TABLE + " FROM STDIN", data));
            copyIn(o, "COPY " + TABLE + " FROM STDIN", data);
        }
        assertSameRows();
        for (int i = 0; i < fixture.shardCount(); i++) {
            try (Connection s = fixture.shard(i)) {
                assertEquals("500", ResultTable.query(s, "select count(*) from " + TABLE).value(0, 0), "shard " + i);
                assertEquals("0", ResultTable.query(s, "select count(*) from " + TABLE + " where id % 4 <> " + i)
                        .value(0, 0), "rows on shard " + i + " that belong elsewhere");
            }
        }
    }

    @Test
    void csvWithAHeaderQuotedNewlinesAndAColumnList() throws Exception {
        String data = "id,note,name\n1,\"line one\nline two\",\"a, b\"\n2,,\"\"\"quoted\"\"\"\n3,\"\",x\n";
        String sql = "COPY " + TABLE + " (id, note, name) FROM STDIN WITH (FORMAT csv, HEADER true)";
        try (Connection p = fixture.connect(); Connection o = fixture.oracle()) {
            assertEquals(3, copyIn(p, sql, data));
            copyIn(o, sql, data);
        }
        assertSameRows();
    }

    @Test
    void aMalformedRowFailsTheWholeCopyNamingItsLineAndLeavesNothing() throws Exception {
        String data = textRows(40) + "41\tx\tnot-a-number\t1\tz\n" + textRows(3).replace("1\t", "101\t");
        String sql = "COPY " + TABLE + " FROM STDIN";
        PSQLException expected;
        try (Connection o = fixture.oracle()) {
            expected = assertThrows(PSQLException.class, () -> copyIn(o, sql, data));
        }
        try (Connection p = fixture.connect()) {
            PSQLException actual = assertThrows(PSQLException.class, () -> copyIn(p, sql, data));
            assertEquals(expected.getSQLState(), actual.getSQLState());
            assertEquals(expected.getServerErrorMessage().getMessage(), actual.getServerErrorMessage().getMessage());
            assertEquals(expected.getServerErrorMessage().getWhere(), actual.getServerErrorMessage().getWhere(),
                    "the context names the client's line");
            assertEquals(List.of(List.of("0")), ResultTable.query(p, "select count(*) from " + TABLE).rows());
        }
        assertEquals(0, countOnEveryShard(TABLE), "no partial data on any shard");
    }

    @Test
    void theErrorReportedIsTheOneOnTheEarliestLineWhoeverFindsIt() throws Exception {
        String badValue = "3\tx\tthree\t1\tz\n";
        String malformed = "8\tx\t1\t1\tz\textra\n";
        for (String data : List.of(textRows(2) + badValue + textRows(4).replaceAll("(?m)^", "10") + malformed,
                textRows(2) + malformed + textRows(4).replaceAll("(?m)^", "10") + badValue)) {
            String sql = "COPY " + TABLE + " FROM STDIN";
            PSQLException expected;
            try (Connection o = fixture.oracle()) {
                expected = assertThrows(PSQLException.class, () -> copyIn(o, sql, data));
            }
            try (Connection p = fixture.connect()) {
                PSQLException actual = assertThrows(PSQLException.class, () -> copyIn(p, sql, data));
                assertEquals(expected.getServerErrorMessage().getMessage(), actual.getServerErrorMessage().getMessage());
                assertEquals(expected.getServerErrorMessage().getWhere(), actual.getServerErrorMessage().getWhere());
            }
        }
        assertEquals(0, countOnEveryShard(TABLE));
    }

    @Test
    void errorsTheProxyFindsItselfMatchPostgres() throws Exception {
        for (String data : List.of("1\tx\t1\t1\tz\textra\n", "1\tx\t1\n", "\\N\tx\t1\t1\tz\n")) {
            String sql = "COPY " + TABLE + " FROM STDIN";
            PSQLException expected;
            try (Connection o = fixture.oracle()) {
                expected = assertThrows(PSQLException.class, () -> copyIn(o, sql, data));
            }
            try (Connection p = fixture.connect()) {
                PSQLException actual = assertThrows(PSQLException.class, () -> copyIn(p, sql, data));
                assertEquals(expected.getSQLState(), actual.getSQLState(), data);
                assertEquals(expected.getServerErrorMessage().getMessage(), actual.getServerErrorMessage().getMessage());
                assertEquals(List.of(List.of("1")), ResultTable.query(p, "select 1").rows(), "the session goes on");
            }
        }
        assertEquals(0, countOnEveryShard(TABLE));
    }

    @Test
    void clientCopyFailRollsBackEveryShard() throws Exception {
        try (Connection p = fixture.connect()) {
            CopyIn in = new CopyManager(p.unwrap(org.postgresql.core.BaseConnection.class)).copyIn("COPY " + TABLE + " FROM STDIN");
            byte[] rows = textRows(100).getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(rows, 0, rows.length);
            in.flushCopy();
            in.cancelCopy();
            assertEquals(List.of(List.of("0")), ResultTable.query(p, "select count(*) from " + TABLE).rows());
        }
        assertEquals(0, countOnEveryShard(TABLE));
    }

    @Test
    void aClientThatGoesAwayMidCopyLeavesNothingAndNoConnectionHeld() throws Exception {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, fixture.cluster().database())) {
            raw.send(Wire.messages().query("COPY " + TABLE + " FROM STDIN").copyData(textRows(300)).bytes());
            assertEquals('G', raw.read().type(), "CopyInResponse");
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int active = 0;
            for (int s = 0; s < fixture.shardCount(); s++) {
                active += fixture.server().services().pools().state(s).active();
            }
            if (active == 0) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, active + " shard connections still held");
            Thread.sleep(50);
        }
        assertEquals(0, countOnEveryShard(TABLE));
    }

    @Test
    void copyInsideATransactionRollsBackWithIt() throws Exception {
        try (Connection p = fixture.connect()) {
            p.setAutoCommit(false);
            copyIn(p, "COPY " + TABLE + " FROM STDIN", textRows(50));
            assertEquals(List.of(List.of("50")), ResultTable.query(p, "select count(*) from " + TABLE).rows(),
                    "the block sees its own rows");
            p.rollback();
            assertEquals(List.of(List.of("0")), ResultTable.query(p, "select count(*) from " + TABLE).rows());
            copyIn(p, "COPY " + TABLE + " FROM STDIN", textRows(10));
            p.commit();
        }
        assertEquals(10, countOnEveryShard(TABLE));
    }

    @Test
    void referenceTableCopyLoadsEveryShard() throws Exception {
        String data = "a\tAlpha\nb\tBeta\nc\t\\N\n";
        try (Connection p = fixture.connect()) {
            assertEquals(3, copyIn(p, "COPY " + REF + " FROM STDIN", data));
        }
        for (int i = 0; i < fixture.shardCount(); i++) {
            try (Connection s = fixture.shard(i)) {
                assertEquals("3", ResultTable.query(s, "select count(*) from " + REF).value(0, 0), "shard " + i);
            }
        }
        try (Connection p = fixture.connect()) {
            assertEquals(data, copyOut(p, "COPY " + REF + " TO STDOUT"));
        }
    }

    @Test
    void copyToStdoutOfAShardedTableHasEveryRowOnce() throws Exception {
        String data = textRows(300);
        try (Connection p = fixture.connect(); Connection o = fixture.oracle()) {
            copyIn(p, "COPY " + TABLE + " FROM STDIN", data);
            copyIn(o, "COPY " + TABLE + " FROM STDIN", data);
            for (String sql : List.of("COPY " + TABLE + " TO STDOUT", "COPY " + TABLE + " (name, id) TO STDOUT WITH (FORMAT csv, HEADER)")) {
                List<String> expected = lines(copyOut(o, sql));
                List<String> actual = lines(copyOut(p, sql));
                assertEquals(expected.get(0).startsWith("name") ? expected.get(0) : "", actual.get(0).startsWith("name") ? actual.get(0) : "",
                        "one header line, first");
                expected.sort(null);
                actual.sort(null);
                assertEquals(expected, actual, sql);
            }
        }
    }

    @Test
    void copyOfAMergedQueryEqualsPostgresByteForByte() throws Exception {
        String data = textRows(500);
        try (Connection p = fixture.connect(); Connection o = fixture.oracle()) {
            copyIn(p, "COPY " + TABLE + " FROM STDIN", data);
            copyIn(o, "COPY " + TABLE + " FROM STDIN", data);
            for (String sql : List.of(
                    "COPY (SELECT id, name, note FROM " + TABLE + " ORDER BY id) TO STDOUT",
                    "COPY (SELECT qty, count(*), sum(price), avg(price) FROM " + TABLE + " GROUP BY qty ORDER BY qty) TO STDOUT WITH (FORMAT csv, HEADER)",
                    "COPY (SELECT * FROM " + TABLE + " ORDER BY price DESC, id LIMIT 17) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)",
                    "COPY (SELECT name FROM " + TABLE + " WHERE id = 42) TO STDOUT",
                    "COPY (SELECT note FROM " + TABLE + " ORDER BY id) TO STDOUT WITH (NULL 'none', DELIMITER '|')")) {
                assertEquals(copyOut(o, sql), copyOut(p, sql), sql);
            }
        }
    }

    @Test
    void binaryCopyRoundTrips() throws Exception {
        try (Connection p = fixture.connect(); Connection o = fixture.oracle()) {
            copyIn(o, "COPY " + TABLE + " FROM STDIN", textRows(120));
            ByteArrayOutputStream binary = new ByteArrayOutputStream();
            new CopyManager(o.unwrap(org.postgresql.core.BaseConnection.class))
                    .copyOut("COPY (SELECT * FROM " + TABLE + " ORDER BY id) TO STDOUT (FORMAT binary)", binary);
            long n = new CopyManager(p.unwrap(org.postgresql.core.BaseConnection.class))
                    .copyIn("COPY " + TABLE + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(binary.toByteArray()));
            assertEquals(120, n);
            assertSameRows();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            new CopyManager(p.unwrap(org.postgresql.core.BaseConnection.class))
                    .copyOut("COPY (SELECT * FROM " + TABLE + " WHERE id = 7) TO STDOUT (FORMAT binary)", back);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            new CopyManager(o.unwrap(org.postgresql.core.BaseConnection.class))
                    .copyOut("COPY (SELECT * FROM " + TABLE + " WHERE id = 7) TO STDOUT (FORMAT binary)", expected);
            assertTrue(Arrays.equals(expected.toByteArray(), back.toByteArray()));
        }
    }

    @Test
    void copyToOrFromAServerFileIsRefusedWithAHint() throws SQLException {
        try (Connection p = fixture.connect()) {
            PSQLException e = assertThrows(PSQLException.class,
                    () -> ProxyFixture.execute(p, "COPY " + TABLE + " FROM '/tmp/x.csv'"));
            assertEquals("0A000", e.getSQLState());
            assertNotNull(e.getServerErrorMessage().getHint());
        }
    }

    @Test
    void copyInTheExtendedProtocolAndCopyFailAnswerAsPostgres() throws IOException {
        byte[] work = Wire.messages()
                .parse("", "COPY " + TABLE + " (id, name) FROM STDIN").bind("", "", new short[0]).describePortal("")
                .execute("", 0).copyData("1\tone\n2\t").copyData("two\n3\tthree\n").copyDone().sync()
                .query("COPY " + TABLE + " (id, name) FROM STDIN").copyData("7\tseven\n").copyFail("client says no")
                .query("SELECT id, name FROM " + TABLE + " ORDER BY id")
                .query("COPY (SELECT id, name FROM " + TABLE + " ORDER BY id DESC) TO STDOUT").bytes();
        List<String> expected;
        PgCluster cluster = fixture.cluster();
        try (RawPgClient oracle = RawPgClient.loggedIn(cluster.oracle().port(), "postgres", cluster.database())) {
            expected = exchange(oracle, work, 4);
        }
        try (RawPgClient proxy = RawPgClient.loggedIn(fixture.port(), TRUST_USER, cluster.database())) {
            assertEquals(String.join("\n", expected), String.join("\n", exchange(proxy, work, 4)));
        }
        assertTrue(expected.contains("C COPY 3"), expected.toString());
    }

    private static List<String> exchange(RawPgClient c, byte[] bytes, int readyCount) throws IOException {
        c.send(bytes);
        List<RawPgClient.Message> all = new ArrayList<>();
        for (int i = 0; i < readyCount; i++) {
            all.addAll(c.readUntilReady());
        }
        return Wire.normalize(all);
    }

    private static List<String> lines(String text) {
        return new ArrayList<>(Arrays.asList(text.split("\n")));
    }
}
