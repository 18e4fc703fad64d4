package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The same rows in sharded tables behind the proxy and in plain tables on the oracle; every query
 * of {@code differential-queries.sql} must give both the same answer: the same column names, type
 * OIDs and modifiers, the same text of every value, and the same order when the query orders its
 * rows. Lines marked {@value #APPROXIMATE} (float aggregates combined from shard partials) compare
 * their float columns within a relative 1e-12 and everything else exactly. The rows, made by a
 * fixed seed, are described in {@link DifferentialRows}.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialQueryTest {
    private static final String QUERIES = "differential-queries.sql";
    private static final String ITEMS = DifferentialRows.ITEMS;
    private static final String TRUST_USER = "diff_trust";
    /** A corpus line starting with this compares float columns with a relative tolerance. */
    static final String APPROXIMATE = "~ ";
    /** How far a float combined from shard partials may be from PostgreSQL's own result. */
    private static final double RELATIVE_TOLERANCE = 1e-12;
    /** real and double precision. */
    private static final Set<Integer> FLOAT_TYPES = Set.of(700, 701);

    private ProxyFixture fixture;
    private Connection proxy;
    private Connection oracle;

    @BeforeAll
    void loadTheSameRowsOnBothSides(PgCluster cluster) throws SQLException {
        // A small fetch size makes every fan-out read its shards' cursors in many batches.
        fixture = ProxyFixture.start(cluster, y -> y.fetchSize(7).trustUser(TRUST_USER, false)
                .sharded(ITEMS, "id", "mod", "integer", 4)
                .sharded(DifferentialRows.TYPES, "id", "mod", "integer", 4).reference(DifferentialRows.GROUPS));
        fixture.onEveryServer("drop table if exists " + ITEMS, "drop table if exists " + DifferentialRows.GROUPS,
                "drop table if exists " + DifferentialRows.TYPES);
        proxy = fixture.connect();
        oracle = fixture.oracle();
        List<String> load = DifferentialRows.load();
        for (String sql : load) {
            ProxyFixture.execute(proxy, sql);
            ProxyFixture.execute(oracle, sql);
        }
    }

    @AfterAll
    void stop() throws SQLException {
        try (Connection p = proxy; Connection o = oracle; Connection pb = proxyBinary; Connection ob = oracleBinary;
             ProxyFixture f = fixture) {
            // try-with-resources closes each one, skipping any a failed @BeforeAll left null
        }
    }

    @Test
    void everyShardHoldsSomeOfTheRowsAndTheProxySeesThemAll() throws SQLException {
        // Guards the comparisons below against agreeing on nothing.
        for (String table : List.of(ITEMS, DifferentialRows.TYPES)) {
            int rows = table.equals(ITEMS) ? DifferentialRows.ITEM_ROWS : DifferentialRows.TYPE_ROWS;
            for (int shard = 0; shard < fixture.shardCount(); shard++) {
                try (Connection c = fixture.shard(shard)) {
                    long n = Long.parseLong(ResultTable.query(c, "select count(*) from " + table).value(0, 0));
                    assertTrue(n > rows / 8, table + " rows on shard " + shard + ": " + n);
                }
            }
            String count = "select count(*) from " + table;
            assertEquals(Integer.toString(rows), ResultTable.query(proxy, count).value(0, 0), table);
            assertEquals(Integer.toString(rows), ResultTable.query(oracle, count).value(0, 0), table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supportedQueries")
    void proxyAnswersLikeOnePostgres(String line) throws SQLException {
        compare(line, oracle, proxy);
    }

    /**
     * The corpus again in the extended protocol, every statement server-prepared and every column
     * of a type with a binary format sent in binary: the proxy's binary encoding of merged values
     * must read back as PostgreSQL's own.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("supportedQueries")
    void proxyAnswersLikeOnePostgresInBinaryOverTheExtendedProtocol(String line) throws SQLException {
        if (oracleBinary == null) {
            oracleBinary = fixture.oracle(BINARY);
            proxyBinary = fixture.connectExtended(BINARY);
        }
        compare(line, oracleBinary, proxyBinary);
    }

    /** pgjdbc: server-prepare from the first execution, binary results for every type it decodes. */
    private static final String BINARY = "prepareThreshold=-1&binaryTransfer=true";
    private Connection oracleBinary;
    private Connection proxyBinary;

    private void compare(String line, Connection oracle, Connection proxy) throws SQLException {
        boolean approximate = line.startsWith(APPROXIMATE);
        String sql = approximate ? line.substring(APPROXIMATE.length()) : line;
        ResultTable expected = ResultTable.query(oracle, sql);
        ResultTable actual = ResultTable.query(proxy, sql);
        assertEquals(expected.columns(), actual.columns(), "column names, types and modifiers");
        Supplier<String> both = () -> "oracle:\n" + expected.describe(20) + "\nproxy:\n" + actual.describe(20);
        if (approximate) {
            assertTrue(expected.columns().stream().anyMatch(c -> FLOAT_TYPES.contains(c.oid())),
                    "a line marked approximate must have a float column");
            assertTrue(ordered(sql) || expected.rows().size() <= 1,
                    "a line marked approximate must order its rows or return at most one");
            assertEquals(expected.rows().size(), actual.rows().size(), both);
            for (int r = 0; r < expected.rows().size(); r++) {
                for (int c = 0; c < expected.columns().size(); c++) {
                    String e = expected.value(r, c);
                    String a = actual.value(r, c);
                    boolean same = FLOAT_TYPES.contains(expected.columns().get(c).oid()) ? close(e, a) : Objects.equals(e, a);
                    int row = r;
                    int column = c;
                    assertTrue(same, () -> "row " + row + " column " + column + ": " + e + " vs " + a + "\n" + both.get());
                }
            }
        } else if (ordered(sql)) {
            assertEquals(expected.rows(), actual.rows(), () -> "rows in order; " + both.get());
        } else {
            assertEquals(expected.sortedRows(), actual.sortedRows(), () -> "rows as a multiset; " + both.get());
        }
    }

    @ParameterizedTest(name = "extra_float_digits {0}")
    @ValueSource(ints = {0, -3, 3})
    void floatsTheProxyComputesFollowTheSessionsExtraFloatDigits(int digits) throws SQLException {
        String sql = "select cat, avg(f4), avg(f8), sum(f8), max(f8) from diff_types group by cat order by cat";
        try (Connection p = fixture.connect(); Connection o = fixture.oracle()) {
            ProxyFixture.execute(p, "set extra_float_digits = " + digits);
            ProxyFixture.execute(o, "set extra_float_digits = " + digits);
            ResultTable expected = ResultTable.query(o, sql);
            ResultTable actual = ResultTable.query(p, sql);
            assertEquals(expected.rows(), actual.rows(), () -> "oracle:\n" + expected.describe(20) + "\nproxy:\n"
                    + actual.describe(20));
        }
    }

    /** Equal text, or two finite floats within {@link #RELATIVE_TOLERANCE} of each other. */
    static boolean close(String expected, String actual) {
        if (Objects.equals(expected, actual)) {
            return true;
        }
        if (expected == null || actual == null) {
            return false;
        }
        double e = Double.parseDouble(expected);
        double a = Double.parseDouble(actual);
        return Double.isFinite(e) && Double.isFinite(a)
                && Math.abs(e - a) <= RELATIVE_TOLERANCE * Math.max(Math.abs(e), Math.abs(a));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "select grp, count(*) + 1 from diff_items group by grp",
        "select count(distinct grp), count(distinct qty) from diff_items",
        "select id from diff_items union select id from diff_items",
        "select id from diff_items union all select id from diff_items",
        "select grp, count(*) from diff_items group by rollup (grp)",
        "select i.id from diff_items i join diff_items j on j.id = i.id + 1",
        "select * from diff_items where id in (select id from diff_items where qty > 0)",
        "select cat, count(distinct u), count(distinct bin) from diff_types group by cat",
        "select cat, count(*) from diff_types group by cat having cat in ('alpha', 'Beta')",
        "select cat, count(*) from diff_types group by cat having count(*) between 10 and 50",
        // PostgreSQL reads '2026-02-05' as midnight in the session's zone; the proxy reads only the printed form
        "select cat, max(tz) from diff_types group by cat having max(tz) > '2026-02-05'",
        "select cat, sum(iv), avg(iv) from diff_types group by cat",
        "select string_agg(bin, '\\x2c' order by bin) from diff_types",
        "select id, i4::money as m from diff_types order by m, id",
        "select id, i2 from diff_types order by i2 fetch first 3 rows with ties",
    })
    void unsupportedShapeFailsWith0A000AndAHintBeforeAnyRow(String sql) throws IOException {
        // On the wire, so that rows sent before the error could not go unnoticed.
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, fixture.cluster().database())) {
            raw.send(RawPgClient.query(sql));
            List<RawPgClient.Message> answer = raw.readUntilReady();
            assertEquals("EZ", answer.stream().map(m -> String.valueOf(m.type())).collect(Collectors.joining()));
            assertEquals("0A000", answer.get(0).sqlState(), answer.get(0).fields().toString());
            assertNotNull(answer.get(0).fields().get('H'), "a hint says what to do instead");
            raw.send(RawPgClient.query("select 1"));
            assertEquals('T', raw.readUntilReady().get(0).type(), "the session is still usable");
        }
    }

    @Test
    void approximateComparisonAllowsOnlyTheLastDigitsOfAFloat() {
        // Guards the "~ " lines: the tolerance must not hide a real difference.
        assertTrue(close("0.30000000000000004", "0.3"));
        assertTrue(close("-1.2345678901234567e+300", "-1.2345678901234565e+300"));
        assertTrue(close("NaN", "NaN"));
        assertTrue(close(null, null));
        assertFalse(close("1.0000000001", "1"));
        assertFalse(close("NaN", "1"));
        assertFalse(close("Infinity", "1.7976931348623157e+308"));
        assertFalse(close(null, "0"));
    }

    static List<String> supportedQueries() throws IOException {
        try (InputStream in = DifferentialQueryTest.class.getResourceAsStream(QUERIES)) {
            if (in == null) {
                throw new IllegalStateException("resource " + QUERIES + " is missing");
            }
            List<String> queries = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String q = line.strip();
                if (!q.isEmpty() && !q.startsWith("--")) {
                    queries.add(q);
                }
            }
            return queries;
        }
    }

    /** True when the query has ORDER BY outside any parentheses (windows and subqueries do not count). */
    static boolean ordered(String sql) {
        String s = sql.toLowerCase(Locale.ROOT);
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && s.startsWith("order by", i)) {
                return true;
            }
        }
        return false;
    }
}
