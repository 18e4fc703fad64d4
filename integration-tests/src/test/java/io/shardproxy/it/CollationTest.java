package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Text order across shards is the shards' collation or nothing. Shards whose databases collate
 * with ICU (en-US, where 'a' &lt; 'B') get a refusal (0A000, before any row) for every merge that
 * would have to order text, while integer order, grouping by text (equal text is equal bytes
 * under a deterministic collation) and text order within one shard still answer exactly like an
 * oracle with the same collation.
 * Shards that collate with C get text in byte order ('B' &lt; 'a' &lt; 'b', accents and other
 * scripts after ASCII), exactly like a C-collated oracle.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollationTest {
    private static final String TABLE = "coll_words";
    private static final String TRUST_USER = "coll_trust";
    private static final String[] WORDS = {"B", "a", "b", "A", "apple", "Apple", "éclair", "eclair", "Éclair", "Zebra",
        "zebra", "Äpfel", "apfel", "naïve", "naive", "Straße", "strasse", "日本語", "中文", "Ωmega", "ωmega", "Привет",
        "😀", "ｚ", "", " lead", "a b", "a-b", "ab"};

    private PgCluster icuCluster;
    private ProxyFixture icu;
    private ProxyFixture c;

    @BeforeAll
    void loadTheSameWordsBehindBothProxies(PgCluster shared) throws SQLException {
        // en-US through ICU orders case and accents by locale; lc_ctype stays C, as initdb needs a libc locale.
        icuCluster = PgCluster.builder().shards(2).oracle(true)
                .initdbOptions("--locale-provider=icu", "--icu-locale=en-US").start();
        icu = ProxyFixture.start(icuCluster, y -> y.trustUser(TRUST_USER, false).sharded(TABLE, "id", "mod", "integer", 2));
        c = ProxyFixture.start(shared, y -> y.trustUser(TRUST_USER, false).sharded(TABLE, "id", "mod", "integer", 4));
        c.onEveryServer("drop table if exists " + TABLE);
        for (ProxyFixture f : List.of(icu, c)) {
            try (Connection proxy = f.connect(); Connection oracle = f.oracle()) {
                for (String sql : load()) {
                    ProxyFixture.execute(proxy, sql);
                    ProxyFixture.execute(oracle, sql);
                }
            }
        }
    }

    @AfterAll
    void stop() {
        try (PgCluster cluster = icuCluster; ProxyFixture i = icu; ProxyFixture s = c) {
            // closes each one, skipping any a failed @BeforeAll left null
        }
    }

    @Test
    void theIcuShardsReallyCollateByLocaleAndTheSharedOnesByBytes() throws SQLException {
        // Guards the tests below: with the same collation on both clusters they would prove nothing.
        String firstTwo = "select distinct w from " + TABLE + " where w in ('a', 'B') order by w";
        try (Connection oracle = icu.oracle(); Connection shard = icu.shard(1)) {
            assertEquals(List.of(List.of("a"), List.of("B")), ResultTable.query(oracle, firstTwo).rows());
            assertEquals("i", ResultTable.query(shard,
                    "select datlocprovider from pg_database where datname = current_database()").value(0, 0));
        }
        try (Connection oracle = c.oracle()) {
            assertEquals(List.of(List.of("B"), List.of("a")), ResultTable.query(oracle, firstTwo).rows());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "select id, w from coll_words order by w, id",
        "select w from coll_words order by w desc",
        "select id, w from coll_words order by lower(w), id",
        "select w, count(*) from coll_words group by w order by w",
        "select distinct w from coll_words order by w",
        "select min(w), max(w) from coll_words",
        "select n, max(w) from coll_words group by n",
        "select n, string_agg(w, ',' order by w) from coll_words group by n",
    })
    void textOrderAcrossIcuShardsIsRefusedBeforeAnyRow(String sql) throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(icu.port(), TRUST_USER, icuCluster.database())) {
            raw.send(RawPgClient.query(sql));
            List<RawPgClient.Message> answer = raw.readUntilReady();
            assertEquals("EZ", answer.stream().map(m -> String.valueOf(m.type())).collect(Collectors.joining()),
                    () -> answer.get(0).fields().toString());
            assertEquals("0A000", answer.get(0).sqlState(), answer.get(0).fields().toString());
            assertTrue(answer.get(0).fields().containsKey('H'), "a hint says what to do instead");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "select id, w from coll_words order by n, id",
        "select id, w from coll_words order by id desc limit 7",
        "select w, count(*), sum(n) from coll_words group by w",
        "select distinct w from coll_words",
        "select count(distinct w), count(*) from coll_words",
        "select n, count(distinct w) from coll_words group by n order by n",
        "select w, count(*) from coll_words group by w having count(*) > 1",
        "select distinct on (n) n, w, id from coll_words order by n, id",
        // one shard (odd ids are bucket 1): pushed down whole, so the shard's own collation orders
        "select id, w from coll_words where id in (1, 3, 5, 7, 9, 11, 13) order by w, id",
    })
    void integerOrderTextGroupingAndOneShardTextOrderOnIcuShardsMatchAnIcuOracle(String sql) throws SQLException {
        assertSameAnswer(icu, sql);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "select id, w from coll_words order by w, id",
        "select id, w from coll_words order by w desc nulls last, id",
        "select w, count(*) from coll_words group by w order by w desc",
        "select distinct w from coll_words order by w",
        "select min(w), max(w) from coll_words",
        "select n, string_agg(w, ',' order by w) from coll_words group by n order by n",
    })
    void textOrderAcrossCShardsMatchesACOracle(String sql) throws SQLException {
        assertSameAnswer(c, sql);
    }

    private static void assertSameAnswer(ProxyFixture fixture, String sql) throws SQLException {
        try (Connection proxy = fixture.connect(); Connection oracle = fixture.oracle()) {
            ResultTable expected = ResultTable.query(oracle, sql);
            ResultTable actual = ResultTable.query(proxy, sql);
            assertTrue(expected.rows().size() > 0, "the oracle found rows");
            assertEquals(expected.columns(), actual.columns());
            if (DifferentialQueryTest.ordered(sql)) {
                assertEquals(expected.rows(), actual.rows());
            } else {
                assertEquals(expected.sortedRows(), actual.sortedRows());
            }
        }
    }

    /** Each word three times under different ids (so on different shards), with NULLs among them. */
    private static List<String> load() {
        List<String> rows = new ArrayList<>();
        int id = -20;
        for (int copy = 0; copy < 3; copy++) {
            for (String w : WORDS) {
                rows.add("(" + id + ", '" + w + "', " + (id * 7 % 5) + ")");
                id++;
            }
            rows.add("(" + id + ", null, null)");
            id++;
        }
        return List.of("create table " + TABLE + " (id int primary key, w text, n int)",
                "insert into " + TABLE + " values " + String.join(", ", rows));
    }
}
