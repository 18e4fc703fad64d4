package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;
import io.shardproxy.router.shard.PgHash;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectRoutingTest {
    private final Routing r = new Routing();

    @Test
    void equalityOnTheKeyGoesToOneShardUnchanged() {
        String sql = "SELECT * FROM tbl WHERE id = 6";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(2, sql)), q.statements());
        assertNull(q.merge());
        assertEquals(TagRule.PASSTHROUGH, q.tags());
    }

    @Test
    void negativeKeysFollowAbsMod() {
        assertEquals(List.of(1), r.shards("select * from tbl where id = -5"));
        assertEquals(List.of(3), r.shards("select * from tbl where tbl.id = '7' and info = 'x'"));
        assertEquals(List.of(1), r.shards("select * from tbl t where 9 = t.id"));
        assertEquals(List.of(2), r.shards("select * from tbl where id = 6::bigint and info like 'a%'"));
    }

    @Test
    void inListsAndAnyArraysGoToTheShardsOfTheirValues() {
        assertEquals(List.of(1, 2), r.shards("select * from tbl where id in (1, 5, 6)"));
        assertEquals(List.of(0, 3), r.shards("select * from tbl where id = any(array[4, 7, 8])"));
        assertEquals(List.of(1, 2), r.shards("select * from tbl where id = 1 or id = 2"));
    }

    @Test
    void referenceDesignPartitionPredicateNarrowsToItsShard() {
        assertEquals(List.of(3), r.shards("select * from tbl where abs(mod(id, 4)) = 3"));
        // items has 8 buckets in contiguous ranges: buckets 1 and 5 are on s0 and s2.
        assertEquals(List.of(0, 2), r.shards("select * from items where abs(mod(id, 4)) = 1 and info = 'x'"));
        assertEquals(List.of(0, 1, 2, 3), r.shards("select * from items where abs(mod(id, 3)) = 1"));
    }

    @Test
    void conditionsThatSayNothingAboutTheKeyGoEverywhere() {
        assertEquals(List.of(0, 1, 2, 3), r.shards("select * from tbl where id > 5"));
        assertEquals(List.of(0, 1, 2, 3), r.shards("select * from tbl where id = 5 or info = 'x'"));
        assertEquals(List.of(0, 1, 2, 3), r.shards("select * from tbl where not (id = 5)"));
        assertEquals(List.of(0, 1, 2, 3), r.shards("select * from tbl where id::float4 = 16777217"));
        assertEquals(List.of(0, 1, 2, 3), r.shards("select * from tbl where id = 1.5"));
        assertEquals(List.of(0, 1, 2, 3), r.shards("select * from tbl where id = 5::float4"));
    }

    @Test
    void textKeysHashWithPostgresHash() {
        int expected = PgHash.bucket(PgHash.hashTextExtended("acme", 0), 16) / 4;
        assertEquals(List.of(expected), r.shards("select * from events where tenant_id = 'acme'"));
    }

    @Test
    void fanOutConcatenatesShardRows() {
        Plan.Query q = r.query("select * from tbl");
        assertEquals(4, q.statements().size());
        assertEquals(new MergePlan.Concat(), q.merge());
        assertEquals(TagRule.SELECT_ROWS, q.tags());
    }

    @Test
    void orderByLimitOffsetSendsLimitOffsetPlusCountToEveryShard() {
        Plan.Query q = r.query("select id, info from tbl order by info desc, id limit 10 offset 5");
        assertEquals("select id, info from tbl order by info desc, id LIMIT 15", q.statements().get(0).sql());
        assertEquals(new MergePlan.Limit(new MergePlan.MergeSort(List.of(
                new MergePlan.SortKey(1, true, true), new MergePlan.SortKey(0, false, false))), 5, 10), q.merge());
    }

    @Test
    void orderByAColumnNotSelectedAddsAHiddenSortColumn() {
        Plan.Query q = r.query("select * from tbl order by crt_time desc nulls last limit 3");
        assertEquals("select * , crt_time AS \"?sort1\" from tbl order by crt_time desc nulls last LIMIT 3",
                q.statements().get(0).sql().replace("*,", "* ,"));
        assertEquals(new MergePlan.DropColumns(new MergePlan.Limit(new MergePlan.MergeSort(List.of(
                new MergePlan.SortKey(-1, true, false))), 0, 3), 1), q.merge());
    }

    @Test
    void orderByPositionAndAlias() {
        Plan.Query q = r.query("select info as i, id from tbl order by 2 desc, i");
        assertEquals(new MergePlan.MergeSort(List.of(new MergePlan.SortKey(1, true, true),
                new MergePlan.SortKey(0, false, false))), q.merge());
        assertEquals("select info as i, id from tbl order by 2 desc, i", q.statements().get(0).sql());
    }

    @Test
    void groupByTheKeyIsPushedDown() {
        Plan.Query q = r.query("select id, count(*) from tbl group by id having count(*) > 1 order by 2 desc limit 5");
        assertEquals(4, q.statements().size());
        assertTrue(q.merge() instanceof MergePlan.Limit);
    }

    @Test
    void referenceTablesJoinOnEveryShard() {
        assertEquals(List.of(0, 1, 2, 3), r.shards("select t.*, c.name from tbl t join countries c on c.code = t.info"));
        assertEquals(List.of(1), r.shards("select t.*, c.name from tbl t join countries c on c.code = t.info where t.id = 1"));
    }

    @Test
    void readsWithoutShardedTables() {
        assertEquals(List.of(ShardStatement.ANY_SHARD), r.shards("select * from countries"));
        assertEquals(List.of(0), r.shards("select 1"));
        assertEquals(List.of(0), r.shards("select version()"));
        assertEquals(List.of(0), r.shards("select relname from pg_catalog.pg_class"));
        assertEquals(List.of(0), r.shards("select * from some_local_table"));
        assertEquals(List.of(0), r.shards("SHOW server_version"));
    }

    @Test
    void joinOfTwoShardedTablesOnOneShardIsPushedDown() {
        assertEquals(List.of(1), r.shards("select * from tbl a join tbl b on a.info = b.info where a.id = 1 and b.id = 5"));
        r.refused("select * from tbl a join items b on a.id = b.id where a.id = 1 and b.id = 1", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(List.of(1), r.shards("select * from tbl where id = 5 and info in (select info from tbl where id = 1)"));
    }

    @Test
    void whatCannotBeMergedYetIsRefusedWithTheReason() {
        ShardProxyException e = r.refused("select sum(id) / count(*) from tbl", SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("aggregates"), e.getMessage());
        assertTrue(e.hint().contains("shard key"), e.hint());
        r.refused("select * from tbl a join items b on a.id = b.id", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select row_number() over (order by id) from tbl", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("with t as (select * from tbl) select * from t", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select id from tbl union all select id from items", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select * from (select * from tbl order by id limit 3) s", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select * from tbl join some_local_table l on l.x = tbl.info", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void windowPartitionedByTheKeyIsPushedDown() {
        assertEquals(4, r.shards("select id, row_number() over (partition by id order by crt_time) from tbl").size());
    }

    @Test
    void distinctIncludingTheKeyFansOut() {
        assertEquals(4, r.shards("select distinct id, info from tbl").size());
        assertEquals(4, r.shards("select distinct on (id) id, info from tbl order by id, crt_time").size());
    }

    @Test
    void shapesAreAnalyzedOnce() {
        r.plan("select * from tbl where id = 1");
        r.plan("select * from tbl where id = 2");
        r.plan("SELECT  *  FROM tbl WHERE id = 3");
        assertEquals(1, r.router.cachedShapes());
        assertEquals(List.of(3), r.shards("select * from tbl where id = 7"));
    }

    @Test
    void postgresSyntaxCalciteLacksStillRoutes() {
        assertEquals(List.of(1), r.shards("select * from tbl where id = 1 and info ~* 'x' and crt_time > now() - interval '1 day' for update"));
        assertEquals(List.of(1), r.shards("select info::text, $$a'b$$, E'\\n' from tbl where id = 1"));
        assertEquals(4, r.shards("select * from tbl where info ->> 'k' = 'v'").size());
    }

    @Test
    void tableStatementIsAQueryOverItsTable() {
        r.refused("table tbl", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select * from countries where code in (table tbl)", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(List.of(ShardStatement.ANY_SHARD), r.shards("table countries"));
        assertEquals(List.of(0), r.shards("table audit_log"));
    }

    @Test
    void unparsableStatementsNamingShardedTablesAreRefused() {
        r.refused("select * from tbl tablesample system (10)", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(List.of(0), r.shards("select * from local_t tablesample system (10)"));
    }
}
