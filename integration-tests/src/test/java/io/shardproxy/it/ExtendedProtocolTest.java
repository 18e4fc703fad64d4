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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shardproxy.it.Wire.formats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extended query protocol, differentially: each test sends the same bytes to one unsharded
 * PostgreSQL (the oracle) and to the proxy over four shards, and the two answers must be the
 * same message for message (see {@link Wire#normalize} for the little that is masked).
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExtendedProtocolTest {
    private static final String TABLE = "ext_items";
    private static final String TRUST_USER = "ext_trust";
    private static final int ROWS = 40;

    private ProxyFixture fixture;
    private PgCluster cluster;

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        this.cluster = cluster;
        fixture = ProxyFixture.start(cluster, y -> y.trustUser(TRUST_USER, false).sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        String create = "create table " + TABLE + " (id int8 primary key, name text, qty int4, price numeric(10,2),"
                + " ok bool, ts timestamptz, d date, u uuid, tags text[], doc jsonb, f8 float8, b bytea)";
        StringBuilder insert = new StringBuilder("insert into " + TABLE + " values ");
        for (int i = 1; i <= ROWS; i++) {
            insert.append(i > 1 ? ", " : "").append('(').append(i).append(", 'item ").append(i).append("', ")
                    .append(i % 7).append(", ").append(i * 1.25).append(", ").append(i % 2 == 0).append(", ")
                    .append("'2024-01-").append(1 + i % 28).append(" 10:").append(10 + i).append(":00+02', ")
                    .append("'2020-02-").append(1 + i % 28).append("', '").append(new UUID(i, i * 31L)).append("', ")
                    .append("'{a,b").append(i).append("}', '{\"k\": ").append(i).append("}', ").append(i / 3.0)
                    .append(", '\\x0").append(i % 10).append("ff')");
        }
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, create, insert.toString());
        }
        try (Connection c = fixture.oracle()) {
            ProxyFixture.execute(c, create, insert.toString());
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Sends {@code wire} to both and returns the proxy's normalized answer after asserting it equals the oracle's. */
    private List<String> same(Wire wire) throws IOException {
        byte[] bytes = wire.bytes();
        int syncs = countSyncs(bytes);
        List<String> expected;
        try (RawPgClient oracle = RawPgClient.loggedIn(cluster.oracle().port(), "postgres", cluster.database())) {
            expected = Wire.normalize(exchange(oracle, bytes, syncs));
        }
        List<String> actual;
        try (RawPgClient proxy = RawPgClient.loggedIn(fixture.port(), TRUST_USER, cluster.database())) {
            actual = Wire.normalize(exchange(proxy, bytes, syncs));
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual));
        return actual;
    }

    private static List<RawPgClient.Message> exchange(RawPgClient c, byte[] bytes, int syncs) throws IOException {
        c.send(bytes);
        List<RawPgClient.Message> all = new ArrayList<>();
        for (int i = 0; i < syncs; i++) {
            all.addAll(c.readUntilReady());
        }
        return all;
    }

    private static int countSyncs(byte[] bytes) {
        int n = 0;
        int i = 0;
        while (i < bytes.length) {
            if (bytes[i] == 'S' || bytes[i] == 'Q') {
                n++;
            }
            int len = ((bytes[i + 1] & 0xff) << 24) | ((bytes[i + 2] & 0xff) << 16) | ((bytes[i + 3] & 0xff) << 8)
                    | (bytes[i + 4] & 0xff);
            i += 1 + len;
        }
        return n;
    }

    @Test
    void pointSelectByATextParameter() throws IOException {
        List<String> answer = same(Wire.messages().run("SELECT id, name, qty, price FROM " + TABLE + " WHERE id = $1", "7").sync());
        assertTrue(answer.contains("D 7 | item 7 | 0 | 8.75"), answer.toString());
    }

    @Test
    void namedStatementReusedWithManyKeys() throws IOException {
        Wire w = Wire.messages().parse("by_id", "SELECT name, ts, d FROM " + TABLE + " WHERE id = $1", 20)
                .describeStatement("by_id");
        for (int k = 1; k <= 12; k++) {
            w.bind("", "by_id", new short[0], Integer.toString(k)).execute("", 0);
        }
        List<String> answer = same(w.sync());
        assertEquals(12, answer.stream().filter(l -> l.startsWith("D ")).count());
    }

    @Test
    void describeStatementGivesTheInferredParameterTypes() throws IOException {
        same(Wire.messages().parse("", "SELECT name, $3::text AS t FROM " + TABLE + " WHERE id = $1 AND qty > $2")
                .describeStatement("").sync());
        same(Wire.messages().parse("s", "UPDATE " + TABLE + " SET qty = qty WHERE id = $1 AND name = $2", 0, 1043)
                .describeStatement("s").sync());
    }

    @Test
    void rowLimitSuspendsThePortalAndTheNextExecuteResumesIt() throws IOException {
        List<String> answer = same(Wire.messages().parse("", "SELECT id, name FROM " + TABLE + " WHERE id <= 12 ORDER BY id")
                .bind("", "", new short[0]).describePortal("")
                .execute("", 5).execute("", 5).execute("", 5).execute("", 5).sync());
        assertEquals(2, answer.stream().filter(l -> l.equals("s ")).count(), answer.toString());
        // Exactly as many rows as the limit left: suspended, then an empty completion.
        same(Wire.messages().parse("", "SELECT id FROM " + TABLE + " WHERE id <= 6 ORDER BY id DESC")
                .bind("", "", new short[0]).execute("", 3).execute("", 3).execute("", 3).sync());
    }

    @Test
    void suspendedPortalEndsAtSyncOutsideATransaction() throws IOException {
        same(Wire.messages().parse("", "SELECT id FROM " + TABLE + " ORDER BY id").bind("p", "", new short[0])
                .execute("p", 2).sync().execute("p", 2).sync().query("SELECT 1"));
    }

    @Test
    void statementsBeforeOneSyncShareATransaction() throws IOException {
        same(Wire.messages()
                .run("INSERT INTO " + TABLE + " (id, name) VALUES ($1, $2)", "1001", "a")
                .run("INSERT INTO " + TABLE + " (id, name) VALUES ($1, $2)", "1002", "b")
                .run("SELECT id, name FROM " + TABLE + " WHERE id > 1000 ORDER BY id")
                .run("DELETE FROM " + TABLE + " WHERE id > $1", "1000").sync());
    }

    @Test
    void anErrorSkipsToSyncAndRollsBackWhatCameBefore() throws IOException {
        same(Wire.messages()
                .run("INSERT INTO " + TABLE + " (id, name) VALUES ($1, $2)", "2001", "a")
                .run("SELECT 1 / (qty - qty) FROM " + TABLE + " WHERE id = $1", "3")
                .run("INSERT INTO " + TABLE + " (id, name) VALUES ($1, $2)", "2002", "b")
                .sync()
                .run("SELECT count(*) FROM " + TABLE + " WHERE id > 2000").sync());
    }

    @Test
    void binaryResultsForEveryCommonType() throws IOException {
        String columns = "id, name, qty, price, ok, ts, d, u, tags, doc, f8, b, qty::int2 AS q2, f8::float4 AS f4,"
                + " name::varchar AS vc, d - date '2020-01-01' + interval '1 day 02:03:04' AS iv, ts::timestamp AS tsz,"
                + " doc::json AS js, ARRAY[qty, qty + 1] AS ints, ts::time AS tm";
        same(Wire.messages().parse("", "SELECT " + columns + " FROM " + TABLE + " WHERE id = $1")
                .bind("", "", formats(1), "9").describePortal("").execute("", 0).sync());
        same(Wire.messages().parse("", "SELECT " + columns + " FROM " + TABLE + " ORDER BY id")
                .bind("", "", formats(1), new String[0]).describePortal("").execute("", 0).sync());
    }

    @Test
    void mixedPerColumnResultFormats() throws IOException {
        same(Wire.messages().parse("", "SELECT id, name, price FROM " + TABLE + " WHERE id IN ($1, $2) ORDER BY id")
                .bind("", "", formats(1, 0, 1), "3", "4").describePortal("").execute("", 0).sync());
    }

    @Test
    void binaryParametersRouteByTheirValues() throws IOException {
        for (long id : new long[] {1, 2, 3, 4, 38}) {
            same(Wire.messages().parse("", "SELECT id, name FROM " + TABLE + " WHERE id = $1", 20)
                    .bind("", "", formats(1), new byte[][] {Wire.int8(id)}, formats()).execute("", 0).sync());
        }
        same(Wire.messages().parse("", "SELECT id FROM " + TABLE + " WHERE id = $1 AND qty = $2", 20, 23)
                .bind("", "", formats(1, 1), new byte[][] {Wire.int8(14), Wire.int4(0)}, formats()).execute("", 0).sync());
    }

    @Test
    void binaryParameterWithAnInferredType() throws IOException {
        // No type in Parse: the driver described the statement to learn int8, then bound binary.
        same(Wire.messages().parse("q", "SELECT name FROM " + TABLE + " WHERE id = $1").describeStatement("q")
                .bind("", "q", formats(1), new byte[][] {Wire.int8(11)}, formats()).execute("", 0).sync());
    }

    @Test
    void protocolErrorsMatchPostgres() throws IOException {
        same(Wire.messages().parse("", "SELECT $1::int + $2::int").bind("", "", new short[0], "1").execute("", 0).sync()
                .run("SELECT 1").sync());
        same(Wire.messages().parse("dup", "SELECT 1").parse("dup", "SELECT 2").sync()
                .bind("", "nope", new short[0]).sync()
                .execute("nope", 0).sync()
                .describeStatement("nope").sync()
                .describePortal("nope").sync()
                .parse("", "SELECT 1; SELECT 2").sync()
                .closeStatement("dup").bind("", "dup", new short[0]).sync()
                .closeStatement("never").closePortal("never").sync());
    }

    @Test
    void parseReportsWhatPostgresReportsWhenItParses() throws IOException {
        same(Wire.messages().parse("", "SELECT $1").sync()
                .parse("", "SELECT no_such_column FROM " + TABLE).sync()
                .parse("", "SELECT * FROM no_such_table WHERE id = $1").sync()
                .parse("", "SELEC 1").sync());
    }

    @Test
    void emptyQueryAndUtilityStatements() throws IOException {
        same(Wire.messages().parse("", "").bind("", "", new short[0]).describePortal("").execute("", 0).sync()
                .parse("", "SET application_name = 'x'").describeStatement("").bind("", "", new short[0])
                .describePortal("").execute("", 0).execute("", 0).sync()
                .parse("", "SHOW search_path").describeStatement("").bind("", "", new short[0]).execute("", 0).sync());
    }

    @Test
    void namedPortalFetchedAcrossSyncsInsideATransaction() throws IOException {
        same(Wire.messages().run("BEGIN").sync()
                .parse("", "SELECT id FROM " + TABLE + " WHERE id <= 10 ORDER BY id").bind("c1", "", new short[0])
                .execute("c1", 3).sync()
                .execute("c1", 3).sync()
                .run("SELECT count(*) FROM " + TABLE).sync()
                .execute("c1", 0).sync()
                .run("COMMIT").sync()
                .execute("c1", 1).sync());
    }

    @Test
    void aggregatesWithALimitParameter() throws IOException {
        same(Wire.messages().run("SELECT qty % 3 AS g, count(*), sum(price), avg(price), max(name) FROM " + TABLE
                + " GROUP BY 1 ORDER BY 1 LIMIT $1", "2").sync());
        same(Wire.messages().run("SELECT count(*) FROM " + TABLE + " WHERE qty = $1 OR name = $2", "3", "item 1").sync());
    }

    @Test
    void multiRowInsertWithParametersAcrossShards() throws IOException {
        same(Wire.messages()
                .run("INSERT INTO " + TABLE + " (id, name, qty) VALUES ($1, $2, $3), ($4, $5, $6), ($7, $2, $6) RETURNING id, name",
                        "3001", "x", "1", "3002", "y", "2", "3003")
                .sync()
                .run("SELECT id, name, qty FROM " + TABLE + " WHERE id > 3000 ORDER BY id").sync()
                .run("DELETE FROM " + TABLE + " WHERE id > 3000").sync());
    }

    @Test
    void aNullShardKeyFailsTheInsertAsTheNotNullConstraintWould() throws IOException {
        same(Wire.messages().run("INSERT INTO " + TABLE + " (id, name) VALUES ($1, $2)", null, "x").sync()
                .run("SELECT name FROM " + TABLE + " WHERE id = $1", (String) null).sync());
    }

    @Test
    void transactionFailedInsideABlockNeeds25P02UntilRollback() throws IOException {
        // A runtime error: PostgreSQL folds "1 / 0" while planning, at Bind, where no proxy can.
        same(Wire.messages().query("BEGIN")
                .run("SELECT 1 / (qty - qty) FROM " + TABLE + " WHERE id = $1", "2").sync()
                .run("SELECT 1").sync()
                .parse("", "SELECT 2").sync()
                .run("ROLLBACK").sync()
                .run("SELECT 3").sync());
    }

    @Test
    void flushSendsWhatIsReadyBeforeSync() throws IOException {
        byte[] first = Wire.messages().run("SELECT name FROM " + TABLE + " WHERE id = $1", "5").flush().bytes();
        List<String> expected;
        try (RawPgClient oracle = RawPgClient.loggedIn(cluster.oracle().port(), "postgres", cluster.database())) {
            expected = untilCommandComplete(oracle, first);
        }
        try (RawPgClient proxy = RawPgClient.loggedIn(fixture.port(), TRUST_USER, cluster.database())) {
            assertEquals(expected, untilCommandComplete(proxy, first));
            proxy.send(Wire.messages().sync().bytes());
            assertEquals("Z", String.valueOf(proxy.read().type()));
        }
    }

    private static List<String> untilCommandComplete(RawPgClient c, byte[] bytes) throws IOException {
        c.send(bytes);
        List<RawPgClient.Message> got = new ArrayList<>();
        RawPgClient.Message m;
        do {
            m = c.read();
            got.add(m);
        } while (m.type() != 'C' && m.type() != 'E');
        return Wire.normalize(got);
    }

    @Test
    void textParameterValuesWithQuotesAndUnicode() throws IOException {
        same(Wire.messages()
                .run("INSERT INTO " + TABLE + " (id, name) VALUES ($1, $2)", "4001", "it's \"quoted\" \\ ünïcødé ✓")
                .run("SELECT name, length(name), $1 || name FROM " + TABLE + " WHERE id = 4001", "→")
                .run("DELETE FROM " + TABLE + " WHERE id = $1", "4001").sync());
    }

    @Test
    void sqlPrepareExecuteAndDeallocate() throws IOException {
        same(Wire.messages()
                .query("PREPARE by_id (int8) AS SELECT id, name, price FROM " + TABLE + " WHERE id = $1")
                .query("EXECUTE by_id(5)")
                .query("EXECUTE by_id (6); EXECUTE by_id('7')")
                .query("EXECUTE by_id(3 + 4)")
                .query("EXECUTE by_id(NULL)")
                .query("EXECUTE by_id(1, 2)")
                .query("PREPARE by_id AS SELECT 1")
                .query("PREPARE fanout (int, text) AS SELECT count(*), max(name) FROM " + TABLE + " WHERE qty = $1 OR name = $2")
                .query("EXECUTE fanout(2, 'item 1')")
                .query("PREPARE ins AS INSERT INTO " + TABLE + " (id, name) VALUES ($1, $2), ($3, $2) RETURNING id")
                .query("EXECUTE ins(5001, 'p', 5002)")
                .query("DELETE FROM " + TABLE + " WHERE id > 5000")
                .query("DEALLOCATE by_id")
                .query("EXECUTE by_id(5)")
                .query("DEALLOCATE PREPARE nope")
                .query("DEALLOCATE ALL")
                .query("EXECUTE fanout(1, 'x')")
                .query("PREPARE bad (no_such_type) AS SELECT $1"));
    }

    @Test
    void sqlPreparedStatementsAndProtocolOnesShareANamespace() throws IOException {
        same(Wire.messages()
                .query("PREPARE shared (int8) AS SELECT name FROM " + TABLE + " WHERE id = $1")
                .bind("", "shared", new short[0], "8").describePortal("").execute("", 0).sync()
                .parse("proto", "SELECT qty FROM " + TABLE + " WHERE id = $1", 20).sync()
                .query("EXECUTE proto(9)")
                .query("DEALLOCATE proto")
                .bind("", "proto", new short[0], "9").sync());
    }

    @Test
    void cursorsMoveForwardThroughMergedRows() throws IOException {
        same(Wire.messages()
                .query("DECLARE early CURSOR FOR SELECT 1")
                .query("BEGIN")
                .query("DECLARE c CURSOR FOR SELECT id, name FROM " + TABLE + " WHERE id <= 15 ORDER BY id DESC")
                .query("FETCH 3 FROM c")
                .query("FETCH NEXT IN c; FETCH c")
                .query("MOVE 3 c")
                .query("FETCH FORWARD 2 FROM c")
                .query("FETCH ALL FROM c")
                .query("FETCH c")
                .query("MOVE ALL c")
                .query("DECLARE c CURSOR FOR SELECT 1")
                .query("CLOSE c")
                .query("FETCH c")
                .query("ROLLBACK")
                .query("BEGIN")
                .query("DECLARE a NO SCROLL CURSOR WITHOUT HOLD FOR SELECT qty, count(*) FROM " + TABLE + " GROUP BY qty ORDER BY qty")
                .query("DECLARE b CURSOR FOR SELECT name FROM " + TABLE + " WHERE id = 4")
                .query("FETCH 2 FROM a; FETCH ALL FROM b")
                .query("CLOSE ALL")
                .query("FETCH a")
                .query("COMMIT"));
    }

    @Test
    void cursorsInTheExtendedProtocolWithParametersAndBinaryRows() throws IOException {
        // What psycopg 3 sends for a server-side cursor.
        same(Wire.messages()
                .query("BEGIN")
                .parse("", "DECLARE \"cur\" CURSOR FOR SELECT id, name, price, ts FROM " + TABLE
                        + " WHERE id > $1 AND qty <> $2 ORDER BY id")
                .bind("", "", new short[0], "20", "3").describePortal("").execute("", 0).sync()
                .parse("", "FETCH FORWARD 4 FROM \"cur\"").bind("", "", formats(1), new String[0])
                .describePortal("").execute("", 0).sync()
                .parse("", "FETCH FORWARD 100 FROM \"cur\"").bind("", "", formats(0, 1, 0, 1), new String[0])
                .describePortal("").execute("", 0).sync()
                .parse("", "CLOSE \"cur\"").bind("", "", new short[0]).execute("", 0).sync()
                .query("COMMIT"));
    }

    @Test
    void sessionSettingsApplyToEveryShardStatementAndAreReported() throws IOException {
        same(Wire.messages()
                .run("SET TimeZone = 'Asia/Kathmandu'").sync()
                .run("SELECT id, ts FROM " + TABLE + " WHERE id = $1", "6").sync()
                .run("SELECT id, ts FROM " + TABLE + " WHERE id <= $1 ORDER BY ts", "5").sync()
                .run("SHOW TimeZone").sync()
                .parse("", "SET statement_timeout = '2s'").bind("", "", new short[0]).execute("", 0).sync()
                .run("SELECT current_setting('statement_timeout'), current_setting('TimeZone') FROM " + TABLE
                        + " WHERE id = $1", "7").sync()
                .run("RESET TimeZone").sync()
                .run("SELECT ts FROM " + TABLE + " WHERE id = $1", "6").sync()
                .run("SET search_path = nope, public").sync()
                .run("SELECT count(*) FROM " + TABLE).sync()
                .run("SET no_such_setting = 1").sync()
                .run("SET TimeZone = 'Nowhere/Else'").sync()
                .run("DISCARD ALL").sync()
                .run("SHOW statement_timeout").sync());
    }

    @Test
    void aBinaryFormatTheProxyCannotEncodeFailsTheBindWithAHint() throws IOException {
        try (RawPgClient proxy = RawPgClient.loggedIn(fixture.port(), TRUST_USER, cluster.database())) {
            List<RawPgClient.Message> answer = exchange(proxy, Wire.messages()
                    .parse("", "SELECT id, price::money AS m FROM " + TABLE + " WHERE id = $1")
                    .bind("", "", formats(1), "3").describePortal("").execute("", 0).sync()
                    .run("SELECT price::money FROM " + TABLE + " WHERE id = $1", "3").sync().bytes(), 2);
            List<String> lines = Wire.normalize(answer);
            assertEquals("1 ", lines.get(0));
            assertTrue(lines.get(1).startsWith("E ERROR 0A000 binary format for result column \"m\""), lines.get(1));
            assertEquals("Z I", lines.get(2));
            RawPgClient.Message error = answer.get(1);
            assertTrue(error.fields().get('H').contains("text format"), error.fields().toString());
            assertTrue(lines.contains("D $3.75"), "text format still works: " + lines);
        }
    }

    @Test
    void aSettingARollbackUndoesIsNeitherKeptNorReported() throws IOException {
        same(Wire.messages()
                .query("BEGIN")
                .query("SET TimeZone = 'America/Sao_Paulo'")
                .query("SELECT ts FROM " + TABLE + " WHERE id = 4")
                .query("ROLLBACK")
                .query("SELECT ts FROM " + TABLE + " WHERE id = 4")
                .query("SET DateStyle = 'ISO, DMY'; SELECT 1 / 0")
                .query("SHOW DateStyle")
                .query("SET application_name = 'kept'; SET TimeZone = 'Asia/Tokyo'")
                .query("RESET application_name")
                // RESET ALL reports in PostgreSQL's hash order; with one parameter changed, order is moot.
                .query("RESET ALL")
                .query("SHOW TimeZone"));
    }

    @Test
    void resetReturnsToTheStartupPacketsSettings() throws IOException {
        String[] settings = {"TimeZone", "Pacific/Auckland", "application_name", "from-startup",
                "options", "-c statement_timeout=4s"};
        byte[] work = Wire.messages()
                .query("SET TimeZone = 'UTC'; SET statement_timeout = '1s'; SET application_name = 'changed'")
                .query("SHOW TimeZone; SHOW statement_timeout")
                .query("RESET TimeZone; RESET statement_timeout; RESET application_name")
                .query("SHOW TimeZone; SHOW statement_timeout; SELECT ts FROM " + TABLE + " WHERE id = 9")
                .query("SET TimeZone = 'UTC'")
                .query("RESET ALL")
                .query("SHOW TimeZone; SHOW statement_timeout").bytes();
        List<String> expected;
        try (RawPgClient oracle = RawPgClient.connect(cluster.oracle().port())) {
            oracle.send(startupMessage("postgres", settings));
            oracle.readUntilReady();
            expected = Wire.normalize(exchange(oracle, work, 7));
        }
        try (RawPgClient proxy = RawPgClient.connect(fixture.port())) {
            proxy.send(startupMessage(TRUST_USER, settings));
            proxy.readUntilReady();
            assertEquals(String.join("\n", expected), String.join("\n", Wire.normalize(exchange(proxy, work, 7))));
        }
    }

    /** A StartupMessage for {@code user} on the test database with more name/value pairs. */
    private byte[] startupMessage(String user, String... pairs) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("user", user, "database", cluster.database()));
        all.addAll(List.of(pairs));
        for (String p : all) {
            body.writeBytes(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        byte[] b = body.toByteArray();
        return java.nio.ByteBuffer.allocate(8 + b.length).putInt(8 + b.length).putInt(196608).put(b).array();
    }
}
