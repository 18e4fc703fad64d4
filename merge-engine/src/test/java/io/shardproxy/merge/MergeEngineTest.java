package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergeEngineTest {

    private static final MergeOptions OPTIONS = new MergeOptions(true);
    /** id, name, hidden sort key appended by the router. */
    private static final List<Column> ROWS = types(PgType.INT4, PgType.TEXT, PgType.INT8);

    @Test
    void mergeBuildsTheOperatorTreeOfThePlan() {
        // SELECT id, name FROM t ORDER BY score DESC LIMIT 2 OFFSET 1, score appended as a hidden column.
        MergePlan plan = new MergePlan.Limit(
                new MergePlan.DropColumns(new MergePlan.MergeSort(List.of(new SortKey(2, true, true))), 1), 1, 2);
        RowStream merged = MergeEngine.merge(plan, List.of(
                rows(ROWS, "1|a|90", "2|b|50", "3|c|10"),
                rows(ROWS, "4|d|70", "5|e|60", "6|f|5")), OPTIONS);
        assertEquals(ROWS.subList(0, 2), merged.columns());
        assertEquals(List.of("4|d", "5|e"), drain(merged));
    }

    @Test
    void concatPlanWithLimitReadsOnlyTheShardsItNeeds() {
        TestStream first = rows(ROWS, "1|a|1", "2|b|2");
        TestStream second = rows(ROWS, "3|c|3");
        RowStream merged = MergeEngine.merge(new MergePlan.Limit(new MergePlan.Concat(), 0, 2),
                List.of(first, second), OPTIONS);
        assertEquals(List.of("1|a|1", "2|b|2"), drain(merged));
        assertEquals(0, second.pulls);
    }

    @Test
    void aggregatePlanCombinesOneRowPerShard() {
        MergePlan plan = new MergePlan.Aggregate(List.of(new AggregateColumn(AggregateFunction.COUNT, 0)));
        List<Column> count = types(PgType.INT8);
        assertEquals(List.of("6"), drain(MergeEngine.merge(plan, List.of(rows(count, "2"), rows(count, "4")), OPTIONS)));
    }

    @Test
    void closingTheMergedStreamClosesEveryShardEvenIfOneCloseFails() {
        TestStream a = rows(ROWS, "1|a|1");
        TestStream b = rows(ROWS, "2|b|2");
        TestStream c = rows(ROWS, "3|c|3");
        RuntimeException first = new IllegalStateException("shard a lost");
        RuntimeException second = new IllegalStateException("shard b lost");
        a.failOnClose = first;
        b.failOnClose = second;
        RowStream merged = MergeEngine.merge(
                new MergePlan.Limit(new MergePlan.DropColumns(new MergePlan.MergeSort(List.of(new SortKey(0, false, false))), 1), 0, 1),
                List.of(a, b, c), OPTIONS);
        merged.next();
        RuntimeException thrown = assertThrows(RuntimeException.class, merged::close);
        assertSame(first, thrown);
        assertSame(second, thrown.getSuppressed()[0]);
        assertEquals(List.of(1, 1, 1), List.of(a.closes, b.closes, c.closes));
    }

    @Test
    void everyLeafOperatorClosesEveryShard() {
        List<MergePlan> leaves = List.of(new MergePlan.Concat(),
                new MergePlan.MergeSort(List.of(new SortKey(0, false, false))),
                new MergePlan.Aggregate(List.of(new AggregateColumn(AggregateFunction.MAX, 0))));
        for (MergePlan leaf : leaves) {
            TestStream a = rows(ROWS, "1|a|1");
            TestStream b = rows(ROWS, "2|b|2");
            MergeEngine.merge(leaf, List.of(a, b), OPTIONS).close();
            assertEquals(List.of(1, 1), List.of(a.closes, b.closes), leaf.toString());
        }
    }

    @Test
    void unknownTypeOidFailsBeforeAnyRowIsRead() {
        List<Column> intervals = types(PgType.MONEY);
        for (boolean columnsFirst : new boolean[] {true, false}) {
            TestStream a = rows(intervals, "$1.00");
            TestStream b = rows(intervals, "$2.00");
            RowStream merged = MergeEngine.merge(
                    new MergePlan.Limit(new MergePlan.MergeSort(List.of(new SortKey(0, false, false))), 0, 10),
                    List.of(a, b), OPTIONS);
            ShardProxyException e = assertThrows(ShardProxyException.class, columnsFirst ? merged::columns : merged::next);
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
            assertTrue(e.getMessage().contains("type OID 790"), e.getMessage());
            assertEquals(0, a.pulls + b.pulls);
        }
    }

    @Test
    void mergeWithoutShardsIsAnInternalError() {
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> MergeEngine.merge(new MergePlan.Concat(), List.of(), OPTIONS));
        assertEquals(SqlState.INTERNAL_ERROR, e.state());
    }

    @Test
    void anInvalidPlanClosesTheShardsBeforeFailing() {
        TestStream a = rows(ROWS, "1|a|1");
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> MergeEngine.merge(new MergePlan.Limit(new MergePlan.Concat(), -1, 5), List.of(a), OPTIONS));
        assertEquals(SqlState.INTERNAL_ERROR, e.state());
        assertEquals(1, a.closes);
    }
}
