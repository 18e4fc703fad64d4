package io.shardproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped example (config/shardproxy.example.yaml) loads and says what its comments say. */
class ExampleConfigTest {

    /** Tests run with the module directory as working directory. */
    private static final Path EXAMPLE = Path.of("shardproxy.example.yaml");

    private static ProxyConfig example() throws Exception {
        return ConfigLoader.parse(Files.readString(EXAMPLE), EXAMPLE.toString(), Map.of());
    }

    @Test
    void exampleLoadsWithTheProcessEnvironment() {
        ProxyConfig config = ConfigLoader.load(EXAMPLE);

        assertEquals(4, config.shards().size());
    }

    @Test
    void exampleHasFourShardsOnConsecutivePorts() throws Exception {
        ProxyConfig config = example();

        assertEquals(List.of("s0", "s1", "s2", "s3"), config.shards().stream().map(ShardConfig::name).toList());
        for (int i = 0; i < 4; i++) {
            ShardConfig shard = config.shards().get(i);
            assertEquals("jdbc:postgresql://127.0.0.1:" + (5432 + i) + "/shardproxy", shard.url());
            assertEquals("postgres", shard.password(), "the ${PG_PASSWORD:-postgres} default");
        }
    }

    @Test
    void exampleDemoUsersAllHaveThePasswordFromTheComments() throws Exception {
        ProxyConfig config = example();

        UserConfig admin = config.users().get(0);
        UserConfig app = config.users().get(1);
        UserConfig report = config.users().get(2);
        assertEquals(3, config.users().size());
        assertTrue(admin.admin());
        assertTrue(Fixtures.scramMatches(admin.secret(), "secret"));
        assertTrue(Fixtures.scramMatches(app.secret(), "secret"));
        assertEquals(Fixtures.md5Secret("secret", "report"), report.secret());
    }

    @Test
    void exampleTablesMatchTheReferenceDesign() throws Exception {
        ProxyConfig config = example();

        ShardedTableConfig tbl = config.shardedTables().get(0);
        assertEquals(new ShardedTableConfig("tbl", "id", ShardingAlgorithm.MOD, KeyType.INTEGER, 4,
                List.of("s0", "s1", "s2", "s3")), tbl);
        ShardedTableConfig events = config.shardedTables().get(1);
        assertEquals(ShardingAlgorithm.HASH, events.algorithm());
        assertEquals(KeyType.TEXT, events.keyType());
        List<String> evenSplit = Stream.of("s0", "s1", "s2", "s3")
                .flatMap(s -> Collections.nCopies(16, s).stream()).toList();
        assertEquals(evenSplit, events.bucketShards(), "the map is the default split written out");
        assertEquals(List.of(new ReferenceTableConfig("countries")), config.referenceTables());
        assertEquals(ExecutionConfig.defaults(), config.execution());
        assertEquals(TransactionsConfig.defaults("s0"), config.transactions());
        assertEquals(ListenConfig.defaults(), config.listen());
    }

    @Test
    void testScramHelperAgreesWithAnIndependentImplementation() {
        // Computed with Python's hashlib.pbkdf2_hmac and hmac, salt "0123456789abcdef".
        assertEquals("SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$bpSY5Ze9NUH+I35LC3gVq+DpBfK46iXBxvhAKqVu9pE="
                + ":VpYlBuxyzeCI1KnctrefdljpB1mk3Gp7sBI/t11+NkQ=",
                Fixtures.scramVerifier("secret", "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        4096));
    }
}
