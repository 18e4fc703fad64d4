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

class UpdateDeleteRoutingTest {
    private final Routing r = new Routing();

    @Test
    void updateByKeyGoesToOneShardUnchanged() {
        String sql = "UPDATE tbl SET info = 'x' WHERE id = 6";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(2, sql)), q.statements());
        assertNull(q.merge());
        assertEquals(TagRule.PASSTHROUGH, q.tags());
        assertTrue(q.write());
        assertTrue(q.transactional());
        assertFalse(q.schemaChange());
    }

    @Test
    void deleteByKeyGoesToOneShardUnchanged() {
        String sql = "delete from tbl where id = -7 and info = 'x'";
        assertEquals(List.of(new ShardStatement(3, sql)), r.query(sql).statements());
        assertEquals(List.of(3), r.shards("delete from events where tenant_id = 'acme'"));
    }

    @Test
    void inListGoesToTheShardsOfItsValuesAndCountsAddUp() {
        String sql = "delete from tbl where id in (1, 5, 6)";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(1, sql), new ShardStatement(2, sql)), q.statements());
        assertEquals(TagRule.SUM, q.tags());
        assertEquals(new MergePlan.Concat(), q.merge());
        assertEquals(List.of(0, 3), r.shards("update tbl set info = 'y' where id = any(array[4, 7])"));
        assertEquals(List.of(0, 2), r.shards("delete from items where abs(mod(id, 4)) = 1"));
    }

    @Test
    void withoutAKeyConditionEveryShardRunsItAndCountsAddUp() {
        Plan.Query q = r.query("update tbl set info = upper(info) where info like 'a%'");
        assertEquals(List.of(0, 1, 2, 3), q.statements().stream().map(ShardStatement::shard).toList());
        assertEquals(TagRule.SUM, q.tags());
        assertEquals(new MergePlan.Concat(), q.merge());
        assertEquals(List.of(0, 1, 2, 3), r.shards("delete from tbl"));
        assertEquals(List.of(0, 1, 2, 3), r.shards("delete from tbl where id > 5"));
    }

    @Test
    void updateOfTheKeyMovesRows() {
        Plan.KeyUpdate k = (Plan.KeyUpdate) r.plan("update tbl set id = 5, info = upper(info) where id = 1");
        assertEquals(List.of(new ShardStatement(1, "WITH shardproxy_moved AS (DELETE FROM tbl WHERE id = 1 RETURNING *)"
                + " SELECT 5, upper(info), tbl.* FROM shardproxy_moved AS tbl")), k.moves());
        assertEquals("tbl", k.table());
        assertEquals(List.of("id", "info"), k.columns());
        // no key condition: every shard; an alias qualifies the old row
        Plan.KeyUpdate all = (Plan.KeyUpdate) r.plan("update tbl t set id = t.id + 4");
        assertEquals(4, all.moves().size());
        assertEquals("WITH shardproxy_moved AS (DELETE FROM tbl AS t RETURNING *) SELECT t.id + 4, t.* FROM"
                + " shardproxy_moved AS t", all.moves().get(0).sql());
        r.refused("update tbl set id = 5 where id = 1 returning *", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("update tbl set id = default where id = 1", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("update tbl set id.x = 5 where id = 1", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void aQualifiedTargetColumnIsACompositeField() {
        // PostgreSQL: "SET info.f" sets field f of column info (the shard then says whether info has one).
        assertEquals(List.of(2), r.shards("update tbl set info.f = 'x' where id = 6"));
    }

    @Test
    void referenceUpdateGoesToEveryShardAndTheFirstResultStandsForAll() {
        String sql = "update countries set name = 'Deutschland' where code = 'de'";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(0, sql), new ShardStatement(1, sql),
                new ShardStatement(2, sql), new ShardStatement(3, sql)), q.statements());
        assertEquals(TagRule.FIRST, q.tags());
        assertNull(q.merge());
        assertEquals(4, r.shards("delete from countries where code = 'xx'").size());
    }

    @Test
    void referenceWriteWithValuesThatDifferPerShardIsRefused() {
        r.refused("update countries set updated = now() where code = 'de'", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("delete from countries where random() < 0.5", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void referenceUpdateReadingAShardedTableIsRefused() {
        r.refused("update countries set name = 'x' where code in (select info from tbl)", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void writeThatReadsAnotherShardedTableIsRefusedUnlessBothArePinnedToOneShard() {
        r.refused("update tbl set info = 'x' where id in (select id from items where info = 'y')",
                SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("delete from tbl where info in (select info from items where id = 1)", SqlState.FEATURE_NOT_SUPPORTED);
        // tbl id 1 and items id 2 (bucket 2 of 8) are both on s1; items id 9 (bucket 1) is on s0.
        assertEquals(List.of(1), r.shards("update tbl set info = 'x' where id = 1 and info in (select info from items where id = 2)"));
        r.refused("update tbl set info = 'x' where id = 1 and info in (select info from items where id = 9)",
                SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void writeThatReadsALocalTableIsRefusedUnlessPinnedToTheDefaultShard() {
        r.refused("delete from tbl where info in (select msg from audit_log)", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("delete from tbl where id = 1 and info in (select msg from audit_log)", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(List.of(0), r.shards("delete from tbl where id = 4 and info in (select msg from audit_log)"));
    }

    @Test
    void writeThatReadsAReferenceTableRunsWhereTheKeySays() {
        assertEquals(List.of(2), r.shards("update tbl set info = 'x' where id = 2 and info in (select code from countries)"));
        assertEquals(4, r.shards("delete from tbl where info in (select code from countries)").size());
    }

    @Test
    void returningIsKept() {
        String sql = "update tbl set info = 'x' where id in (1, 2) returning id, info";
        assertEquals(List.of(new ShardStatement(1, sql), new ShardStatement(2, sql)), r.query(sql).statements());
        String delete = "DELETE FROM tbl WHERE id = 3 RETURNING *";
        assertEquals(List.of(new ShardStatement(3, delete)), r.query(delete).statements());
    }

    @Test
    void localWriteGoesToTheDefaultShard() {
        String sql = "update audit_log set msg = 'x' where id = 7";
        assertEquals(List.of(new ShardStatement(0, sql)), r.query(sql).statements());
        assertEquals(List.of(0), r.shards("delete from audit_log"));
        r.refused("delete from audit_log where msg in (select info from tbl)", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void keyEqualToNullMatchesNoRowAndRunsOnOneShard() {
        assertEquals(1, r.shards("delete from tbl where id = null").size());
    }
}
