package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INSERT routing. Expected buckets of text and uuid keys were computed by PostgreSQL 15, e.g.
 * {@code select abs(mod(hashtextextended('acme', 0), 16))} = 14, so acme lives on s3.
 */
class InsertRoutingTest {
    private final Routing r = new Routing();

    @Test
    void singleRowGoesToItsShardUnchanged() {
        String sql = "INSERT INTO tbl (id, info) VALUES (6, 'x')";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(2, sql)), q.statements());
        assertNull(q.merge());
        assertEquals(TagRule.PASSTHROUGH, q.tags());
        assertTrue(q.write());
        assertTrue(q.transactional());
        assertFalse(q.schemaChange());
    }

    @Test
    void multiRowInsertOnOneShardIsSentUnchanged() {
        String sql = "insert into tbl (id, info) values (1, 'a'), (5, 'b'), (-9, 'c')";
        assertEquals(List.of(new ShardStatement(1, sql)), r.query(sql).statements());
    }

    @Test
    void multiRowInsertSendsEachShardOnlyItsRowsInOriginalOrder() {
        Plan.Query q = r.query("insert into tbl (id, info) values (5, 'a'), (2, 'b'), (1, 'c'), (3, 'd'), (9, 'e')");
        assertEquals(List.of(
                new ShardStatement(1, "insert into tbl (id, info) values (5, 'a'), (1, 'c'), (9, 'e')"),
                new ShardStatement(2, "insert into tbl (id, info) values (2, 'b')"),
                new ShardStatement(3, "insert into tbl (id, info) values (3, 'd')")), q.statements());
        assertEquals(new MergePlan.Concat(), q.merge());
        assertEquals(TagRule.SUM, q.tags());
        assertTrue(q.write());
    }

    @Test
    void splitInsertKeepsOnConflictDoNothingAndReturning() {
        Plan.Query q = r.query("INSERT INTO tbl (id, info)\nVALUES (4, 'a'),\n       (7, 'b') ON CONFLICT DO NOTHING RETURNING id, info");
        assertEquals(List.of(
                new ShardStatement(0, "INSERT INTO tbl (id, info)\nVALUES (4, 'a') ON CONFLICT DO NOTHING RETURNING id, info"),
                new ShardStatement(3, "INSERT INTO tbl (id, info)\nVALUES (7, 'b') ON CONFLICT DO NOTHING RETURNING id, info")),
                q.statements());
    }

    @Test
    void splitInsertKeepsRowTextExactlyAsWritten() {
        Plan.Query q = r.query("insert into tbl(info,id)values('x, (y)',1),(E'\\'', 2),(lower('Z'),5)");
        assertEquals(List.of(
                new ShardStatement(1, "insert into tbl(info,id)values('x, (y)',1), (lower('Z'),5)"),
                new ShardStatement(2, "insert into tbl(info,id)values(E'\\'', 2)")), q.statements());
    }

    @Test
    void nullKeyIsANotNullViolationNamingTheColumn() {
        ShardProxyException e = r.refused("insert into tbl (id, info) values (1, 'a'), (NULL, 'b')",
                SqlState.NOT_NULL_VIOLATION);
        assertTrue(e.getMessage().contains("\"id\""), e.getMessage());
        assertTrue(e.getMessage().contains("\"tbl\""), e.getMessage());
    }

    @Test
    void insertWithoutTheKeyColumnIsRefused() {
        ShardProxyException e = r.refused("insert into tbl (info) values ('x')", SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("shard key column id"), e.getMessage());
    }

    @Test
    void defaultKeyIsRefused() {
        ShardProxyException e = r.refused("insert into tbl (id, info) values (DEFAULT, 'x')", SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("DEFAULT"), e.getMessage());
    }

    @Test
    void expressionKeyIsRefused() {
        ShardProxyException e = r.refused("insert into tbl (id, info) values (nextval('tbl_id_seq'), 'x')",
                SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("expression"), e.getMessage());
        r.refused("insert into tbl (id, info) values (1 + 1, 'x')", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void keyThatIsNotAnIntegerConstantIsRefused() {
        r.refused("insert into tbl (id, info) values (1.5, 'x')", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into tbl (id, info) values ('abc', 'x')", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into tbl (id, info) values (5::float4, 'x')", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void insertWithoutColumnListUsesTheCatalogColumnOrder() {
        assertEquals(List.of(2), r.shards("insert into tbl values (6, 'x', now())"));
        // items is (sku, id, info): the key is the second value.
        assertEquals(List.of(2), r.shards("insert into items values (1, 5, 'x')"));
        assertEquals(List.of(0), r.shards("insert into items values (5, 1, 'x')"));
    }

    @Test
    void insertWithoutColumnListIntoATableOfUnknownColumnsIsRefused() {
        ShardProxyException e = r.refused("insert into sessions values ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')",
                SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.hint().contains("sid"), e.hint());
    }

    @Test
    void missingValueForTheKeyGoesToTheDefaultShardForPostgresToReject() {
        String sql = "insert into tbl (info, id) values ('x')";
        assertEquals(List.of(new ShardStatement(0, sql)), r.query(sql).statements());
    }

    @Test
    void onConflictDoUpdateMayNotSetTheKey() {
        r.refused("insert into tbl (id, info) values (1, 'a') on conflict (id) do update set id = excluded.id + 4",
                SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into tbl (id, info) values (1, 'a') on conflict (id) do update set info = 'b', id = 5",
                SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into tbl (id, info) values (1, 'a') on conflict (id) do update set (info, id) = ('b', 5)",
                SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void onConflictDoUpdateOfOtherColumnsIsKept() {
        String sql = "insert into tbl (id, info) values (1, 'a') on conflict (id) do update set info = excluded.info where tbl.id = 1";
        assertEquals(List.of(new ShardStatement(1, sql)), r.query(sql).statements());
    }

    @Test
    void onConflictSettingTheKeyIsRefusedEvenAfterAStatementOfTheSameShapeWasAccepted() {
        r.plan("insert into tbl (id, info) values (1, 'a') on conflict (id) do update set info = excluded.info");
        r.refused("insert into tbl (id, info) values (1, 'a') on conflict (id) do update set id = excluded.id + 4",
                SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void onConflictDoNothingIsAcceptedEvenAfterAStatementOfTheSameShapeWasRefused() {
        r.refused("insert into tbl (id, info) values (1, 'a') on conflict (id) do update set id = 5",
                SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(List.of(1), r.shards("insert into tbl (id, info) values (1, 'a') on conflict do nothing"));
    }

    @Test
    void insertSelectIntoAShardedTableIsRefused() {
        ShardProxyException e = r.refused("insert into tbl (id, info) select id, info from items",
                SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("from a query"), e.getMessage());
        r.refused("insert into tbl select * from tbl where id = 1", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void valuesReadingShardedOrLocalTablesAreRefused() {
        // Each row runs on its own shard, where a subquery sees only that shard's rows.
        ShardProxyException e = r.refused("insert into tbl (id, info) values (1, (select max(info) from tbl)), (2, 'b')",
                SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("reads tbl"), e.getMessage());
        r.refused("insert into tbl (id, info) values (2, (select max(info) from items where id = 2))",
                SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into tbl (id, info) values (1, (select max(msg) from audit_log))", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void valuesReadingReferenceTablesAreSplitLikeAnyOther() {
        Plan.Query q = r.query("insert into tbl (id, info) values (1, (select max(code) from countries)), (2, 'b')");
        assertEquals(List.of(
                new ShardStatement(1, "insert into tbl (id, info) values (1, (select max(code) from countries))"),
                new ShardStatement(2, "insert into tbl (id, info) values (2, 'b')")), q.statements());
    }

    @Test
    void referenceInsertGoesToEveryShardAndTheFirstResultStandsForAll() {
        String sql = "insert into countries (code, name) values ('de', 'Germany') returning code";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(0, sql), new ShardStatement(1, sql),
                new ShardStatement(2, sql), new ShardStatement(3, sql)), q.statements());
        assertEquals(TagRule.FIRST, q.tags());
        assertNull(q.merge());
        assertTrue(q.write());
    }

    @Test
    void referenceInsertWithValuesThatDifferPerShardIsRefused() {
        ShardProxyException e = r.refused("insert into countries (code, created) values ('de', now())",
                SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("now()"), e.getMessage());
        r.refused("insert into countries (code, weight) values ('de', random())", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into countries (code, created) values ('de', current_timestamp)", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into countries (code, id) values ('de', gen_random_uuid())", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void referenceInsertWhoseOnConflictDiffersPerShardIsRefused() {
        r.refused("insert into countries (code, name) values ('de', 'x') on conflict (code) do update set updated = now()",
                SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void referenceInsertWhoseOnConflictDiffersPerShardIsRefusedEvenAfterAPlainInsertOfTheSameShape() {
        r.plan("insert into countries (code, name) values ('de', 'x')");
        r.refused("insert into countries (code, name) values ('de', 'x') on conflict (code) do update set updated = now()",
                SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void referenceInsertReadingAShardedTableIsRefused() {
        r.refused("insert into countries (code, name) select info, info from tbl", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void localInsertGoesToTheDefaultShard() {
        String sql = "insert into audit_log (msg, at) values ('x', now())";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(0, sql)), q.statements());
        assertEquals(TagRule.PASSTHROUGH, q.tags());
        assertTrue(q.write());
        r.refused("insert into audit_log (msg) select info from tbl", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void keyLiteralsInEveryFormRouteByTheirValue() {
        assertEquals(List.of(3), r.shards("insert into tbl (id) values ('7')"));
        assertEquals(List.of(3), r.shards("insert into tbl (id) values (' 7 ')"));
        assertEquals(List.of(1), r.shards("insert into tbl (id) values (-5)"));
        assertEquals(List.of(1), r.shards("insert into tbl (id) values ('-5')"));
        assertEquals(List.of(1), r.shards("insert into tbl (id) values (int8 '5')"));
        assertEquals(List.of(1), r.shards("insert into tbl (id) values ('5'::bigint)"));
        assertEquals(List.of(1), r.shards("insert into tbl (id) values (CAST('5' AS integer))"));
        assertEquals(List.of(1), r.shards("insert into tbl (id) values (-5::int4)"));
        assertEquals(List.of(2), r.shards("insert into tbl (id) values (1_000_002)"));
        assertEquals(List.of(3), r.shards("insert into tbl (id) values (0x1F)"));
        assertEquals(List.of(0), r.shards("insert into tbl (id) values (4.0)"));
        assertEquals(List.of(0), r.shards("insert into tbl (id) values (-9223372036854775808)"));
        assertEquals(List.of(3), r.shards("insert into tbl (id) values (9223372036854775807)"));
    }

    @Test
    void aTypedLiteralKeyDoesNotConfuseALaterPlainInsertOfTheSameShape() {
        r.plan("insert into tbl (id, info) values (int8 '5', 'a'), (2, 'b')");
        Plan.Query q = r.query("insert into tbl (id, info) values (5, 'a'), (2, 'b')");
        assertEquals(List.of(
                new ShardStatement(1, "insert into tbl (id, info) values (5, 'a')"),
                new ShardStatement(2, "insert into tbl (id, info) values (2, 'b')")), q.statements());
    }

    @Test
    void textKeysHashWithPostgresHash() {
        assertEquals(List.of(3), r.shards("insert into events (tenant_id, payload) values ('acme', '{}')"));
        assertEquals(List.of(3), r.shards("insert into events (tenant_id, payload) values (E'ac\\x6De', '{}')"));
        assertEquals(List.of(3), r.shards("insert into events (tenant_id, payload) values ($$acme$$, '{}')"));
        assertEquals(List.of(3), r.shards("insert into events (tenant_id, payload) values ('acme'::text, '{}')"));
        assertEquals(List.of(2), r.shards("insert into events (tenant_id, payload) values ('o''brien', '{}')"));
        assertEquals(List.of(1), r.shards("insert into events values ('umbrella', '{}')"));
    }

    @Test
    void textKeyRowsAreSplitByHash() {
        Plan.Query q = r.query("insert into events (tenant_id) values ('acme'), ('globex'), ('umbrella'), ('hooli'), ('initech')");
        assertEquals(List.of(
                new ShardStatement(0, "insert into events (tenant_id) values ('globex'), ('hooli')"),
                new ShardStatement(1, "insert into events (tenant_id) values ('umbrella')"),
                new ShardStatement(3, "insert into events (tenant_id) values ('acme'), ('initech')")), q.statements());
    }

    @Test
    void aNumberIsNotATextKey() {
        r.refused("insert into events (tenant_id) values (42)", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void uuidKeysHashWithPostgresHashInAnyInputForm() {
        assertEquals(List.of(1), r.shards("insert into sessions (sid) values ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')"));
        assertEquals(List.of(1), r.shards("insert into sessions (sid) values ('{A0EEBC99-9C0B4EF8-BB6D6BB9BD380A11}')"));
        assertEquals(List.of(1), r.shards("insert into sessions (sid) values ('a0eebc999c0b4ef8bb6d6bb9bd380a11'::uuid)"));
        assertEquals(List.of(3), r.shards("insert into sessions (sid) values (uuid '6ba7b810-9dad-11d1-80b4-00c04fd430c8')"));
        r.refused("insert into sessions (sid) values ('not-a-uuid')", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void subqueryOverAShardedTableInReturningOrOnConflictIsRefused() {
        r.refused("insert into tbl (id, info) values (1, 'x') returning (select count(*) from tbl)",
                SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("insert into countries (code) values ('x') on conflict (code) do update set name = "
                + "(select max(info) from tbl)", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(1, r.query("insert into tbl (id, info) values (1, 'x') returning tbl.id, info").statements().size());
        assertEquals(4, r.query("insert into countries (code) values ('x') returning (select 1 from countries limit 1)")
                .statements().size());
    }
}
