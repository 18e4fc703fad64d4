package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The same rows in a sharded table behind the proxy and in one table on the oracle; every query
 * of {@code differential-queries.sql} must give both the same answer: the same column names, type
 * OIDs and modifiers, the same text of every value, and the same order when the query orders its
 * rows. The rows are made by a fixed seed: NULLs in every column but the key, ties, negative
 * numbers (and keys), mixed case, non-ASCII text (including characters whose UTF-8 and UTF-16
 * orders differ), timestamps.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialQueryTest {
    private static final String QUERIES = "differential-queries.sql";
    private static final String ITEMS = "diff_items";
    private static final String GROUPS = "diff_groups";
    private static final String TRUST_USER = "diff_trust";
    private static final String CREATE_ITEMS = "create table " + ITEMS + " (id int primary key, grp int, name text,"
            + " price numeric(10,2), qty int, big bigint, score float8, created timestamp, flag boolean, amount numeric,"
            + " seen timestamptz)";
    private static final String CREATE_GROUPS = "create table " + GROUPS + " (grp int primary key, label text)";
    /** Lowest id; ids run from here, 400 of them, so a quarter are negative. */
    private static final int FIRST_ID = -150;
    private static final int ROWS = 400;
    private static final String[] NAMES = {"apple", "Apple", "APPLE", "banana", "Banana", "Äpfel", "éclair", "zebra",
        "Zebra", "日本語", "naïve", "", "a b", "z", "😀 smile", "ｚ fullwidth", "O'Brien", "50%"};

    /** Numbers of many scales, for a numeric column without a type modifier. */
    private static final String[] AMOUNTS = {"1", "0.5", "123.456", "-7.0001", "1e-10", "99999999999999999999.9",
        "-0.000", "2.50", "3", "1000000", "0.333333333333333333333"};

    private ProxyFixture fixture;
    private Connection proxy;
    private Connection oracle;

    @BeforeAll
    void loadTheSameRowsOnBothSides(PgCluster cluster) throws SQLException {
        // A small fetch size makes every fan-out read its shards' cursors in many batches.
        fixture = ProxyFixture.start(cluster, y -> y.fetchSize(7).trustUser(TRUST_USER, false)
                .sharded(ITEMS, "id", "mod", "integer", 4).reference(GROUPS));
        fixture.onEveryServer("drop table if exists " + ITEMS, "drop table if exists " + GROUPS);
        proxy = fixture.connect();
        oracle = fixture.oracle();
        List<String> load = new ArrayList<>(List.of(CREATE_ITEMS, CREATE_GROUPS,
                "insert into " + GROUPS + " values (0, 'g zero'), (1, 'g one'), (2, 'g two'), (3, 'g three'),"
                        + " (4, 'four'), (5, 'g five'), (6, 'six')"));
        load.addAll(itemInserts(new Random(20261101)));
        for (String sql : load) {
            ProxyFixture.execute(proxy, sql);
            ProxyFixture.execute(oracle, sql);
        }
    }

    @AfterAll
    void stop() throws SQLException {
        try (Connection p = proxy; Connection o = oracle; ProxyFixture f = fixture) {
            // try-with-resources closes each one, skipping any a failed @BeforeAll left null
        }
    }

    @Test
    void everyShardHoldsSomeOfTheRowsAndTheProxySeesThemAll() throws SQLException {
        // Guards the comparisons below against agreeing on nothing.
        for (int shard = 0; shard < fixture.shardCount(); shard++) {
            try (Connection c = fixture.shard(shard)) {
                long n = Long.parseLong(ResultTable.query(c, "select count(*) from " + ITEMS).value(0, 0));
                assertTrue(n > ROWS / 8, "rows on shard " + shard + ": " + n);
            }
        }
        assertEquals(Integer.toString(ROWS), ResultTable.query(proxy, "select count(*) from " + ITEMS).value(0, 0));
        assertEquals(Integer.toString(ROWS), ResultTable.query(oracle, "select count(*) from " + ITEMS).value(0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supportedQueries")
    void proxyAnswersLikeOnePostgres(String sql) throws SQLException {
        ResultTable expected = ResultTable.query(oracle, sql);
        ResultTable actual = ResultTable.query(proxy, sql);
        assertEquals(expected.columns(), actual.columns(), "column names, types and modifiers");
        if (ordered(sql)) {
            assertEquals(expected.rows(), actual.rows(), () -> "rows in order; oracle:\n" + expected.describe(20)
                    + "\nproxy:\n" + actual.describe(20));
        } else {
            assertEquals(expected.sortedRows(), actual.sortedRows(), "rows as a multiset");
        }
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

    /** INSERTs of the rows, 50 to a statement, so the proxy splits each across the shards. */
    private static List<String> itemInserts(Random random) {
        List<String> inserts = new ArrayList<>();
        StringBuilder sql = null;
        for (int i = 0; i < ROWS; i++) {
            if (i % 50 == 0) {
                if (sql != null) {
                    inserts.add(sql.toString());
                }
                sql = new StringBuilder("insert into " + ITEMS
                        + " (id, grp, name, price, qty, big, score, created, flag, amount, seen) values ");
            } else {
                sql.append(", ");
            }
            int id = FIRST_ID + i;
            sql.append('(').append(id)
                    .append(", ").append(orNull(random, 10, random.nextInt(8)))
                    .append(", ").append(orNull(random, 10, quote(NAMES[random.nextInt(NAMES.length)])))
                    .append(", ").append(orNull(random, 15, random.nextInt(4) == 0
                            ? List.of("0.00", "9.99", "-1.50").get(random.nextInt(3))
                            : (random.nextInt(55_001) - 5_000) / 100.0))
                    .append(", ").append(orNull(random, 10, random.nextInt(121) - 20))
                    .append(", ").append(orNull(random, 10, random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1000)))
                    .append(", ").append(orNull(random, 10, random.nextInt(5) == 0 ? "0.1" : Double.toString(random.nextGaussian() * 1e3)))
                    .append(", ").append(orNull(random, 10, quote(String.format("2026-%02d-%02d %02d:%02d:%02d",
                            1 + random.nextInt(3), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(2) * 30, 0))))
                    .append(", ").append(orNull(random, 20, random.nextBoolean()))
                    .append(", ").append(orNull(random, 10, AMOUNTS[random.nextInt(AMOUNTS.length)]))
                    .append(", ").append(orNull(random, 10, quote(String.format("2026-03-%02d %02d:%02d:00%+03d",
                            1 + random.nextInt(28), random.nextInt(24), random.nextInt(4) * 15, random.nextInt(25) - 12))))
                    .append(')');
        }
        inserts.add(sql.toString());
        return inserts;
    }

    private static String orNull(Random random, int nullPercent, Object value) {
        return random.nextInt(100) < nullPercent ? "null" : value.toString();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
