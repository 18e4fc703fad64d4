package io.shardproxy.config;

import static io.shardproxy.config.Fixtures.SHARDS;
import static io.shardproxy.config.Fixtures.USERS;
import static io.shardproxy.config.Fixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors in sharded-tables, reference-tables and bucket maps. */
class TableErrorsTest {

    private static ConfigException tableFailure(String tables) {
        return failure(USERS + SHARDS + tables);
    }

    /** A 4-bucket mod table on s0 and s1 with the given bucket-map lines. */
    private static ConfigException bucketMapFailure(String entries) {
        return tableFailure("""
                sharded-tables:
                  - name: tbl
                    shard-key: id
                    algorithm: mod
                    buckets: 4
                    bucket-map:
                """ + entries);
    }

    @Test
    void missingShardKeyIsAnError() {
        ConfigException e = tableFailure("sharded-tables:\n  - {name: tbl, algorithm: mod}\n");

        assertEquals("sharded-tables[0].shard-key", e.path());
        assertEquals("test.yaml: sharded-tables[0].shard-key: required key is missing", e.getMessage());
    }

    @Test
    void emptyShardKeyIsAnError() {
        ConfigException e = tableFailure("sharded-tables:\n  - {name: tbl, shard-key: \" \", algorithm: mod}\n");

        assertEquals("test.yaml: sharded-tables[0].shard-key: must not be empty", e.getMessage());
    }

    @Test
    void missingAlgorithmIsAnError() {
        assertEquals("test.yaml: sharded-tables[0].algorithm: required key is missing",
                tableFailure("sharded-tables:\n  - {name: tbl, shard-key: id}\n").getMessage());
    }

    @Test
    void unknownAlgorithmListsTheAllowedOnes() {
        assertEquals("test.yaml: sharded-tables[0].algorithm: unknown value \"range\" (allowed: mod, hash)",
                tableFailure("sharded-tables:\n  - {name: tbl, shard-key: id, algorithm: range}\n").getMessage());
    }

    @Test
    void unknownKeyTypeListsTheAcceptedTypeNames() {
        assertEquals("test.yaml: sharded-tables[0].key-type: unknown value \"numeric\" (allowed: integer, int, int2,"
                + " int4, int8, smallint, bigint, text, varchar, uuid)",
                tableFailure("sharded-tables:\n  - {name: t, shard-key: id, algorithm: hash, key-type: numeric}\n")
                        .getMessage());
    }

    @Test
    void modWithTextKeyIsAnError() {
        ConfigException e = tableFailure("sharded-tables:\n  - {name: t, shard-key: id, algorithm: mod, key-type: text}\n");

        assertEquals("sharded-tables[0].key-type", e.path());
        assertEquals("test.yaml: sharded-tables[0].key-type: algorithm mod needs an integer shard key, got text"
                + " (use algorithm: hash for text and uuid keys)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -4})
    void bucketCountBelowOneIsAnError(int buckets) {
        ConfigException e = tableFailure("sharded-tables:\n  - {name: t, shard-key: id, algorithm: mod, buckets: "
                + buckets + "}\n");

        assertEquals("sharded-tables[0].buckets", e.path());
        assertEquals("test.yaml: sharded-tables[0].buckets: must be between 1 and 65536, got " + buckets,
                e.getMessage());
    }

    @Test
    void bucketCountAboveTheLimitIsAnError() {
        assertEquals("test.yaml: sharded-tables[0].buckets: must be between 1 and 65536, got 1000000",
                tableFailure("sharded-tables:\n  - {name: t, shard-key: id, algorithm: mod, buckets: 1000000}\n")
                        .getMessage());
    }

    @Test
    void tableBothShardedAndReferenceIsAnError() {
        ConfigException e = tableFailure("""
                sharded-tables:
                  - {name: tbl, shard-key: id, algorithm: mod}
                reference-tables:
                  - name: countries
                  - name: tbl
                """);

        assertEquals("reference-tables[1].name", e.path());
        assertEquals("test.yaml: reference-tables[1].name: table \"tbl\" is also declared at sharded-tables[0].name;"
                + " a table is either sharded or a reference table, not both", e.getMessage());
    }

    @Test
    void duplicateShardedTableIsAnError() {
        ConfigException e = tableFailure("""
                sharded-tables:
                  - {name: tbl, shard-key: id, algorithm: mod}
                  - {name: tbl, shard-key: other, algorithm: hash}
                """);

        assertEquals("sharded-tables[1].name", e.path());
        assertEquals("test.yaml: sharded-tables[1].name: duplicate table \"tbl\" (also at sharded-tables[0].name)",
                e.getMessage());
    }

    @Test
    void duplicateReferenceTableIsAnError() {
        assertEquals("test.yaml: reference-tables[1].name: duplicate table \"public.countries\" (also at"
                + " reference-tables[0].name)",
                tableFailure("reference-tables:\n  - name: public.countries\n  - name: public.countries\n")
                        .getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b.c", ".tbl", "public.", "\\\"Tbl\\\"", "my table"})
    void malformedTableNameIsAnError(String name) {
        ConfigException e = tableFailure("reference-tables:\n  - name: \"" + name + "\"\n");

        assertEquals("test.yaml: reference-tables[0].name: malformed table name \"" + name.replace("\\", "")
                + "\" (expected table or schema.table, without quotes, in lower case unless the table was created"
                + " with a quoted name)", e.getMessage());
    }

    @Test
    void bucketMapWithUnknownShardIsAnError() {
        ConfigException e = bucketMapFailure("      s0: \"0-1\"\n      s9: \"2-3\"\n");

        assertEquals("sharded-tables[0].bucket-map.s9", e.path());
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s9: unknown shard \"s9\" (shards: s0, s1)",
                e.getMessage());
    }

    @Test
    void bucketMapWithBucketOnTwoShardsIsAnError() {
        ConfigException e = bucketMapFailure("      s0: \"0-2\"\n      s1: \"2-3\"\n");

        assertEquals("sharded-tables[0].bucket-map.s1", e.path());
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: bucket 2 is already assigned to shard s0",
                e.getMessage());
    }

    @Test
    void bucketMapListingABucketTwiceForOneShardIsAnError() {
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s0: bucket 1 is listed twice",
                bucketMapFailure("      s0: \"0-1, 1\"\n      s1: \"2-3\"\n").getMessage());
    }

    @Test
    void bucketMapWithBucketsMissingNamesThem() {
        ConfigException e = tableFailure("""
                sharded-tables:
                  - name: tbl
                    shard-key: id
                    algorithm: hash
                    buckets: 10
                    bucket-map: {s0: "0-1, 5", s1: "3, 7-8"}
                """);

        assertEquals("sharded-tables[0].bucket-map", e.path());
        assertEquals("test.yaml: sharded-tables[0].bucket-map: buckets 2, 4, 6, 9 are not assigned to any shard"
                + " (each bucket in 0-9 needs exactly one shard)", e.getMessage());
    }

    @Test
    void bucketMapWithOneBucketMissingNamesIt() {
        assertEquals("test.yaml: sharded-tables[0].bucket-map: bucket 3 is not assigned to any shard (each bucket"
                + " in 0-3 needs exactly one shard)", bucketMapFailure("      s0: \"0-1\"\n      s1: 2\n").getMessage());
    }

    @Test
    void bucketMapWithBucketOutOfRangeIsAnError() {
        ConfigException e = bucketMapFailure("      s0: \"0-1\"\n      s1: \"2-4\"\n");

        assertEquals("sharded-tables[0].bucket-map.s1", e.path());
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: bucket 4 is out of range: the table has 4 buckets,"
                + " numbered 0-3", e.getMessage());
    }

    @Test
    void bucketMapWithHugeBucketNumberIsOutOfRange() {
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: bucket 99999999999 is out of range: the table has"
                + " 4 buckets, numbered 0-3",
                bucketMapFailure("      s0: \"0-3\"\n      s1: \"99999999999\"\n").getMessage());
    }

    @Test
    void bucketMapWithNegativeNumberIsAnError() {
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: must be at least 0, got -1",
                bucketMapFailure("      s0: \"0-3\"\n      s1: -1\n").getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2..3", "2-", "x", "2-3-4", "2;3", "-1"})
    void bucketMapWithMalformedRangeIsAnError(String range) {
        ConfigException e = bucketMapFailure("      s0: \"0-1\"\n      s1: \"" + range + "\"\n");

        assertEquals("sharded-tables[0].bucket-map.s1", e.path());
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: malformed bucket range \"" + range + "\" in \""
                + range + "\" (expected bucket numbers and ranges like \"0-3, 8, 10-11\")", e.getMessage());
    }

    @Test
    void bucketMapWithEmptyEntryInListIsMalformed() {
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: malformed bucket range \"\" in \"2,,3\" (expected"
                + " bucket numbers and ranges like \"0-3, 8, 10-11\")",
                bucketMapFailure("      s0: \"0-1\"\n      s1: \"2,,3\"\n").getMessage());
    }

    @Test
    void bucketMapWithBackwardsRangeIsAnError() {
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: bucket range \"3-2\" runs backwards (write 2-3)",
                bucketMapFailure("      s0: \"0-1\"\n      s1: \"3-2\"\n").getMessage());
    }

    @Test
    void bucketMapWithNoBucketsForAShardIsAnError() {
        assertEquals("test.yaml: sharded-tables[0].bucket-map.s1: no buckets given (expected bucket numbers and"
                + " ranges like \"0-3, 8, 10-11\"; leave the shard out if it has none)",
                bucketMapFailure("      s0: \"0-3\"\n      s1: \"\"\n").getMessage());
    }
}
