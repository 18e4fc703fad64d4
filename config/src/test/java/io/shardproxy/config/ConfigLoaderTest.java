package io.shardproxy.config;

import static io.shardproxy.config.Fixtures.SHARDS;
import static io.shardproxy.config.Fixtures.USERS;
import static io.shardproxy.config.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void minimalConfigTakesEveryDefault() {
        ProxyConfig config = parse(USERS + SHARDS);

        assertEquals(ListenConfig.defaults(), config.listen());
        assertEquals(new ListenConfig("127.0.0.1", 6432, 64 * 1024 * 1024, 10_000, null), config.listen());
        assertEquals(ExecutionConfig.defaults(), config.execution());
        assertEquals(new TransactionsConfig(null, "s0", "shardproxy_meta", 30), config.transactions());
        assertEquals(List.of(new UserConfig("app", AuthMethod.TRUST, null, false)), config.users());
        assertEquals(new ShardConfig("s0", "jdbc:postgresql://127.0.0.1:5432/db", "postgres", null,
                ShardConfig.DEFAULT_POOL_SIZE), config.shards().get(0));
        assertEquals("s0", config.defaultShard().name());
        assertTrue(config.shardedTables().isEmpty());
        assertTrue(config.referenceTables().isEmpty());
    }

    @Test
    void everyWrittenValueIsKept() {
        String scram = Fixtures.scramVerifier("pw", new byte[16], 4096);
        String md5 = Fixtures.md5Secret("pw", "old");
        ProxyConfig config = parse("""
                listen:
                  host: 0.0.0.0
                  port: 0
                  max-message-bytes: 1024
                  max-clients: 5
                  tls: {cert-file: /tls/server.crt, key-file: /tls/server.key}
                users:
                  - {name: admin, auth: scram-sha-256, secret: "%s", admin: true}
                  - {name: old, auth: md5, secret: "%s"}
                shards:
                  - name: s0
                    url: jdbc:postgresql://db0.internal/app?sslmode=require
                    user: proxy
                    password: pw0
                    pool-size: 3
                execution: {fetch-size: 10, shape-cache-size: 20, relay: false}
                """.formatted(scram, md5));

        assertEquals(new ListenConfig("0.0.0.0", 0, 1024, 5, new TlsConfig("/tls/server.crt", "/tls/server.key")),
                config.listen());
        assertEquals(List.of(new UserConfig("admin", AuthMethod.SCRAM_SHA_256, scram, true),
                new UserConfig("old", AuthMethod.MD5, md5, false)), config.users());
        assertEquals(List.of(new ShardConfig("s0", "jdbc:postgresql://db0.internal/app?sslmode=require", "proxy",
                "pw0", 3)), config.shards());
        assertEquals(new ExecutionConfig(10, 20, false), config.execution());
    }

    @Test
    void transactionsSectionIsReadAndChecked() {
        ProxyConfig config = parse(USERS + SHARDS
                + "transactions: {proxy-id: edge-1, decision-shard: s1, decision-database: meta, recovery-interval: 5}\n");
        assertEquals(new TransactionsConfig("edge-1", "s1", "meta", 5), config.transactions());

        ConfigException unknownShard = assertThrows(ConfigException.class,
                () -> parse(USERS + SHARDS + "transactions: {decision-shard: s9}\n"));
        assertEquals("transactions.decision-shard", unknownShard.path());
        assertTrue(unknownShard.problem().contains("unknown shard \"s9\" (shards: s0, s1)"), unknownShard.problem());

        ConfigException badId = assertThrows(ConfigException.class,
                () -> parse(USERS + SHARDS + "transactions: {proxy-id: \"a:b\"}\n"));
        assertEquals("transactions.proxy-id", badId.path());

        ConfigException zero = assertThrows(ConfigException.class,
                () -> parse(USERS + SHARDS + "transactions: {recovery-interval: 0}\n"));
        assertEquals("transactions.recovery-interval", zero.path());
    }

    @Test
    void emptySectionsMeanDefaults() {
        ProxyConfig config = parse("listen:\nexecution:\nsharded-tables:\nreference-tables:\n" + USERS + SHARDS);

        assertEquals(ListenConfig.defaults(), config.listen());
        assertEquals(ExecutionConfig.defaults(), config.execution());
        assertTrue(config.shardedTables().isEmpty());
    }

    @Test
    void shardedTableKeepsNamesAsWrittenAndDefaultsToIntegerKeyAndOneBucketPerShard() {
        ProxyConfig config = parse(USERS + SHARDS + """
                sharded-tables:
                  - {name: public.Orders, shard-key: customerId, algorithm: hash}
                reference-tables:
                  - name: countries
                """);

        assertEquals(List.of(new ShardedTableConfig("public.Orders", "customerId", ShardingAlgorithm.HASH,
                KeyType.INTEGER, 2, List.of("s0", "s1"))), config.shardedTables());
        assertEquals(List.of(new ReferenceTableConfig("countries")), config.referenceTables());
    }

    @Test
    void modTableWithOneBucketPerShardPutsBucketKOnShardK() {
        ProxyConfig config = parse(USERS + """
                shards:
                  - {name: a, url: "jdbc:postgresql://h:1/d0", user: u}
                  - {name: b, url: "jdbc:postgresql://h:1/d1", user: u}
                  - {name: c, url: "jdbc:postgresql://h:1/d2", user: u}
                  - {name: d, url: "jdbc:postgresql://h:1/d3", user: u}
                sharded-tables:
                  - {name: tbl, shard-key: id, algorithm: mod, buckets: 4}
                """);

        assertEquals(List.of("a", "b", "c", "d"), config.shardedTables().get(0).bucketShards());
    }

    @Test
    void defaultBucketMapSplitsBucketsIntoContiguousRanges() {
        ProxyConfig config = parse(USERS + SHARDS + """
                sharded-tables:
                  - {name: t5, shard-key: id, algorithm: hash, buckets: 5}
                  - {name: t1, shard-key: id, algorithm: hash, buckets: 1}
                """);

        assertEquals(List.of("s0", "s0", "s0", "s1", "s1"), config.shardedTables().get(0).bucketShards());
        assertEquals(List.of("s0"), config.shardedTables().get(1).bucketShards());
    }

    @Test
    void explicitBucketMapAssignsEachListedRange() {
        ProxyConfig config = parse(USERS + SHARDS + """
                sharded-tables:
                  - name: t
                    shard-key: id
                    algorithm: mod
                    buckets: 6
                    bucket-map:
                      s1: "0-1, 5"
                      s0: " 2 - 3,4 "
                """);

        ShardedTableConfig table = config.shardedTables().get(0);
        assertEquals(6, table.buckets());
        assertEquals(List.of("s1", "s1", "s0", "s0", "s0", "s1"), table.bucketShards());
    }

    @Test
    void bucketMapAcceptsABareNumberForOneBucket() {
        ProxyConfig config = parse(USERS + SHARDS + """
                sharded-tables:
                  - {name: t, shard-key: id, algorithm: mod, buckets: 2, bucket-map: {s0: 1, s1: 0}}
                """);

        assertEquals(List.of("s1", "s0"), config.shardedTables().get(0).bucketShards());
    }

    @ParameterizedTest
    @CsvSource({
        "integer, INTEGER", "int, INTEGER", "int2, INTEGER", "int4, INTEGER", "int8, INTEGER",
        "smallint, INTEGER", "bigint, INTEGER", "BIGINT, INTEGER",
        "text, TEXT", "varchar, TEXT", "uuid, UUID"})
    void keyTypeAliasesMapToTheirTypeFamily(String written, KeyType expected) {
        ProxyConfig config = parse(USERS + SHARDS + """
                sharded-tables:
                  - {name: t, shard-key: k, algorithm: hash, key-type: %s}
                """.formatted(written));

        assertEquals(expected, config.shardedTables().get(0).keyType());
    }

    @Test
    void environmentReferencesResolveInAnyStringValue() {
        Map<String, String> env = Map.of("PG_HOST", "db.internal", "PG_PASSWORD", "pw", "PORT", "7000",
                "IS_ADMIN", "true");
        ProxyConfig config = parse("""
                listen: {port: "${PORT}"}
                users:
                  - {name: app, auth: trust, admin: "${IS_ADMIN}"}
                shards:
                  - name: s0
                    url: jdbc:postgresql://${PG_HOST}:5432/${PG_DB:-app}
                    user: ${PG_USER:-postgres}
                    password: ${PG_PASSWORD}
                """, env);

        assertEquals(7000, config.listen().port());
        assertTrue(config.users().get(0).admin());
        assertEquals(new ShardConfig("s0", "jdbc:postgresql://db.internal:5432/app", "postgres", "pw", 8),
                config.shards().get(0));
    }

    @Test
    void environmentDefaultAppliesWhenTheVariableIsEmptyButASetEmptyVariableWithoutDefaultIsKept() {
        ProxyConfig config = parse(USERS + """
                shards:
                  - {name: s0, url: "jdbc:postgresql://h/${DB:-app}", user: u, password: "${PW}"}
                """, Map.of("DB", "", "PW", ""));

        assertEquals("jdbc:postgresql://h/app", config.shards().get(0).url());
        assertEquals("", config.shards().get(0).password());
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("proxy.yaml"), USERS + SHARDS);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), USERS + SHARDS + "listen: {port: -1}\n");

        assertEquals(2, ConfigLoader.load(good).shards().size());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bad));
        assertEquals(bad.toString(), e.source());
        assertEquals(bad + ": listen.port: must be between 0 and 65535, got -1", e.getMessage());
    }

    @Test
    void loadOfAMissingFileSaysSo(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(missing + ": file not found", e.getMessage());
        assertEquals("", e.path());
    }
}
