package io.shardproxy.router;

import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.GroupColumn;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.TagRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GROUP BY without the shard key, aggregates without GROUP BY, and DISTINCT: every shard returns
 * its groups sorted by the group keys (text with COLLATE "C") with partial aggregates, and the
 * proxy combines equal groups as a stream.
 */
class GroupRoutingTest {
    private final Routing r = new Routing();

    private static GroupColumn key(int column) {
        return new GroupColumn.Key(column);
    }

    private static GroupColumn agg(AggregateFunction f, int column) {
        return new GroupColumn.Aggregated(new AggregateColumn(f, column));
    }

    @Test
    void groupByATextKeyAsksShardsForSortedGroupsWithPartials() {
        Plan.Query q = r.query("select info, count(*) from tbl group by info");
        assertEquals(4, q.statements().size());
        assertEquals("SELECT info, count(*) AS \"count\" from tbl GROUP BY (info) ORDER BY (info) COLLATE \"C\"",
                q.statements().get(0).sql());
        assertEquals(new MergePlan.GroupAggregate(List.of(new SortKey(0, false, false)), -1,
                List.of(key(0), agg(AggregateFunction.COUNT, 1))), q.merge());
        assertEquals(TagRule.SELECT_ROWS, q.tags());
    }

    @Test
    void nonTextKeysAreNotGivenACollation() {
        assertEquals("SELECT id % 10 as bucket, sum((id)) AS \"sum\" from tbl where info <> 'x' GROUP BY (id % 10) "
                        + "ORDER BY (id % 10)",
                r.sentSql("select id % 10 as bucket, sum(id) from tbl where info <> 'x' group by 1"));
    }

    @Test
    void avgOrderByAggregateAndLimitBecomeATopNSortAfterTheGroups() {
        Plan.Query q = r.query("select info, avg(id) from tbl group by info order by 2 desc limit 3 offset 1");
        assertEquals("SELECT info, sum((id)) AS \"avg\", count((id)) from tbl GROUP BY (info) ORDER BY (info) COLLATE \"C\"",
                q.statements().get(0).sql());
        assertEquals(new MergePlan.Limit(new MergePlan.Sort(new MergePlan.GroupAggregate(List.of(new SortKey(0, false, false)),
                -1, List.of(key(0), agg(AggregateFunction.AVG, 1))), List.of(new SortKey(1, true, true)), 4), 1, 3), q.merge());
    }

    @Test
    void havingIsEvaluatedAfterCombiningWithHiddenAggregatesDropped() {
        Plan.Query q = r.query("select info from tbl group by info having count(*) > 5 and max(id) is not null");
        assertEquals("SELECT info, count(*) AS \"?count\", max((id)) AS \"?max\" from tbl GROUP BY (info) "
                + "ORDER BY (info) COLLATE \"C\"", q.statements().get(0).sql());
        MergePlan.Predicate having = new MergePlan.Predicate.And(List.of(
                new MergePlan.Predicate.Compare(MergePlan.CompareOp.GT, new MergePlan.Operand.ColumnRef(1),
                        new MergePlan.Operand.Constant("5")),
                new MergePlan.Predicate.IsNull(new MergePlan.Operand.ColumnRef(2), true)));
        assertEquals(new MergePlan.DropColumns(new MergePlan.Filter(new MergePlan.GroupAggregate(
                List.of(new SortKey(0, false, false)), -1,
                List.of(key(0), agg(AggregateFunction.COUNT, 1), agg(AggregateFunction.MAX, 2))), having), 2), q.merge());
    }

    @Test
    void havingConstantsComeFromEachStatementsLiterals() {
        Plan.Query q = r.query("select info from tbl group by info having count(*) >= 42");
        assertTrue(q.merge().toString().contains("Constant[text=42]"), q.merge().toString());
        Plan.Query other = r.query("select info from tbl group by info having count(*) >= 7");
        assertTrue(other.merge().toString().contains("Constant[text=7]"), other.merge().toString());
    }

    @Test
    void aggregatesWithoutGroupByAreOneGroup() {
        Plan.Query q = r.query("select count(*), sum(id), avg(id+id) from tbl");
        assertEquals("SELECT count(*) AS \"count\", sum((id)) AS \"sum\", sum((id+id)) AS \"avg\", count((id+id)) from tbl",
                q.statements().get(0).sql());
        assertEquals(new MergePlan.GroupAggregate(List.of(), -1, List.of(agg(AggregateFunction.COUNT, 0),
                agg(AggregateFunction.SUM, 1), agg(AggregateFunction.AVG, 2))), q.merge());
    }

    @Test
    void filterAndAliasCarryIntoEveryPartial() {
        assertEquals("SELECT sum((id)) FILTER (WHERE (id > 2)) AS \"a\", count((id)) FILTER (WHERE (id > 2)), "
                        + "max((info)) AS \"max\" from tbl",
                r.sentSql("select avg(id) filter (where id > 2) as a, max(info) from tbl"));
    }

    @Test
    void limitOfAnAggregateIsAppliedInTheProxy() {
        Plan.Query q = r.query("select count(*) from tbl limit 0");
        assertEquals("SELECT count(*) AS \"count\" from tbl ", q.statements().get(0).sql());
        assertTrue(q.merge() instanceof MergePlan.Limit);
    }

    @Test
    void countDistinctGroupsTheShardsByItsArgument() {
        Plan.Query q = r.query("select count(distinct info), count(*) from tbl");
        assertEquals("SELECT (info) AS \"count\", count(*) AS \"count\" from tbl GROUP BY (info) ORDER BY (info) COLLATE \"C\"",
                q.statements().get(0).sql());
        assertEquals(new MergePlan.GroupAggregate(List.of(), 0, List.of(
                new GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.COUNT, 0, true, null, null)),
                agg(AggregateFunction.COUNT, 1))), q.merge());
    }

    @Test
    void distinctBecomesGroupsOfAllColumns() {
        Plan.Query q = r.query("select distinct info, crt_time from tbl order by 2 desc");
        assertEquals("SELECT info, crt_time from tbl GROUP BY (info), (crt_time) ORDER BY (info) COLLATE \"C\", (crt_time)",
                q.statements().get(0).sql());
        assertEquals(new MergePlan.Sort(new MergePlan.GroupAggregate(List.of(new SortKey(0, false, false),
                new SortKey(1, false, false)), -1, List.of(key(0), key(1))), List.of(new SortKey(1, true, true)), -1),
                q.merge());
    }

    @Test
    void distinctOnWithoutTheKeyMergeSortsAndKeepsTheFirstRowPerKey() {
        Plan.Query q = r.query("select distinct on (info) info, id from tbl order by info, id desc");
        assertEquals("select distinct on (info) info, id from tbl order by info, id desc", q.statements().get(0).sql());
        assertEquals(new MergePlan.Distinct(new MergePlan.MergeSort(List.of(new SortKey(0, false, false),
                new SortKey(1, true, true))), List.of(0)), q.merge());
        r.refused("select distinct on (info) info, id from tbl", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void varianceUsesExactPartialsForIntegersAndFloatPartialsForFloats() {
        assertEquals("SELECT count((id)) AS \"stddev\", sum((id)), sum(((id))::numeric * ((id))::numeric), "
                        + "count((score)) AS \"variance\", sum(((score))::float8), "
                        + "regr_sxx(((score))::float8, ((score))::float8) from tbl",
                r.sentSql("select stddev(id), variance(score) from tbl"));
    }

    @Test
    void orderedStringAggFetchesValueAndKeyArrays() {
        Plan.Query q = r.query("select info, string_agg(info, ', ' order by id desc) from tbl group by info");
        assertEquals("SELECT info, array_agg((info) order by id desc) AS \"string_agg\", array_agg((id) order by id desc) "
                + "from tbl GROUP BY (info) ORDER BY (info) COLLATE \"C\"", q.statements().get(0).sql());
        assertTrue(q.merge().toString().contains("parameter=, "), q.merge().toString());
        assertTrue(q.merge().toString().contains("order=SortKey[column=2, descending=true, nullsFirst=true]"),
                q.merge().toString());
    }

    @Test
    void twoVariableAggregatesFetchTheRegressionState() {
        assertEquals("SELECT regr_count((id), (score)) AS \"corr\", sum(((score))::float8) FILTER (WHERE (id) IS NOT NULL "
                        + "AND (score) IS NOT NULL), sum(((id))::float8) FILTER (WHERE (id) IS NOT NULL AND (score) IS NOT "
                        + "NULL), regr_sxx((id), (score)), regr_syy((id), (score)), regr_sxy((id), (score)) from tbl",
                r.sentSql("select corr(id, score) from tbl"));
    }

    @Test
    void groupByTheKeyIsStillPushedDownWhole() {
        String sql = "select id, count(*) from tbl group by id";
        assertEquals(sql, r.sentSql(sql));
    }

    @Test
    void whatCannotBeCombinedYetIsRefused() {
        r.refused("select info, count(*) + 1 from tbl group by info", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select info, count(*) from tbl group by rollup (info)", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select *, count(*) from tbl group by info", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select count(distinct info), count(distinct id) from tbl", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select info from tbl group by info having count(*) > sum(id) + 1", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("select info, rank() over (order by count(*)) from tbl group by info", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void smallFanOutsAreMarkedSoShardsNeedNoCursor() {
        assertEquals(13, r.query("select * from tbl order by crt_time desc limit 10 offset 3").rowLimit());
        assertEquals(1, r.query("select count(*), avg(id) from tbl").rowLimit());
        assertEquals(-1, r.query("select * from tbl").rowLimit());
        assertEquals(-1, r.query("select info, count(*) from tbl group by info").rowLimit());
        assertEquals(-1, r.query("select count(distinct info) from tbl").rowLimit());
    }
}
