package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.GroupAggregate;
import io.shardproxy.merge.MergePlan.GroupColumn;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.MergePlan.AggregateFunction.COUNT;
import static io.shardproxy.merge.MergePlan.AggregateFunction.SUM;
import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupAggregateStreamTest {

    private static final SortKey FIRST = new SortKey(0, false, false);
    private static final GroupColumn KEY = new GroupColumn.Key(0);

    private static GroupColumn count(int column) {
        return new GroupColumn.Aggregated(new AggregateColumn(COUNT, column));
    }

    private static GroupColumn sum(int column) {
        return new GroupColumn.Aggregated(new AggregateColumn(SUM, column));
    }

    private static RowStream group(GroupAggregate plan, MergeOptions options, TestStream... shards) {
        return MergeEngine.merge(plan, List.of(shards), options);
    }

    @Test
    void groupsCombineAcrossShards() {
        List<Column> columns = types(PgType.INT4, PgType.INT8, PgType.INT8);
        RowStream merged = group(new GroupAggregate(List.of(FIRST), -1, List.of(KEY, count(1), sum(2))), new MergeOptions(true),
                rows(columns, "1|2|10", "3|1|5", "\\N|1|1"),
                rows(columns, "1|1|-4", "2|1|7", "\\N|2|\\N"));
        assertEquals(List.of("1|3|6", "2|1|7", "3|1|5", "\\N|3|1"), drain(merged));
        assertEquals(List.of("c0", "c1", "c2"), merged.columns().stream().map(Column::name).toList());
    }

    @Test
    void equalKeysThatPrintDifferentlyFormOneGroupShownAsTheFirst() {
        List<Column> columns = types(PgType.NUMERIC, PgType.INT8);
        RowStream merged = group(new GroupAggregate(List.of(FIRST), -1, List.of(KEY, count(1))), new MergeOptions(true),
                rows(columns, "1.0|1", "2|1"), rows(columns, "1.00|4"));
        assertEquals(List.of("1.0|5", "2|1"), drain(merged));
    }

    @Test
    void textKeysCompareByBytesEvenUnderAnotherCollation() {
        List<Column> columns = types(PgType.TEXT, PgType.INT8);
        RowStream merged = group(new GroupAggregate(List.of(FIRST), -1, List.of(KEY, count(1))), new MergeOptions(false),
                rows(columns, "B|1", "a|1"), rows(columns, "B|2", "b|1"));
        assertEquals(List.of("B|3", "a|1", "b|1"), drain(merged));
    }

    @Test
    void noKeysGiveOneRowEvenOverNoRows() {
        List<Column> columns = types(PgType.INT8, PgType.INT8);
        RowStream merged = group(new GroupAggregate(List.of(), -1, List.of(count(0), sum(1))), new MergeOptions(true),
                rows(columns), rows(columns));
        assertEquals(List.of("0|\\N"), drain(merged));
    }

    @Test
    void keysOverNoRowsGiveNoRows() {
        List<Column> columns = types(PgType.INT4, PgType.INT8);
        assertEquals(List.of(), drain(group(new GroupAggregate(List.of(FIRST), -1, List.of(KEY, count(1))),
                new MergeOptions(true), rows(columns), rows(columns))));
    }

    @Test
    void distinctCountsValuesSeenOnSeveralShardsOnce() {
        List<Column> columns = types(PgType.INT4, PgType.INT4, PgType.INT8);
        GroupColumn distinctCount = new GroupColumn.Aggregated(new AggregateColumn(COUNT, 1, true, null, null));
        GroupColumn distinctSum = new GroupColumn.Aggregated(new AggregateColumn(SUM, 1, true, null, null));
        RowStream merged = group(new GroupAggregate(List.of(FIRST), 1, List.of(KEY, distinctCount, distinctSum, count(2))),
                new MergeOptions(true),
                rows(columns, "1|5|2", "1|7|1", "2|\\N|3"),
                rows(columns, "1|5|1", "2|4|1"),
                rows(columns, "1|7|1", "1|\\N|1"));
        assertEquals(List.of("1|2|12|6", "2|1|4|4"), drain(merged));
    }

    @Test
    void groupsAreReadOneAtATime() {
        List<Column> columns = types(PgType.INT4, PgType.INT8);
        TestStream shard = rows(columns, "1|1", "1|1", "2|1", "3|1", "4|1");
        RowStream merged = group(new GroupAggregate(List.of(FIRST), -1, List.of(KEY, count(1))), new MergeOptions(true), shard);
        assertEquals("1|2", TestStream.text(merged.next()));
        assertEquals(3, shard.consumed(), "the first group and one row of look-ahead");
    }

    @Test
    void distinctAggregateWithoutGroupAggregateIsAnInternalError() {
        List<Column> columns = types(PgType.INT4);
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> MergeEngine.merge(
                new MergePlan.Aggregate(List.of(new AggregateColumn(COUNT, 0, true, null, null))), List.of(rows(columns, "1")),
                new MergeOptions(true)).next());
        assertEquals(SqlState.INTERNAL_ERROR, e.state());
    }

    @Test
    void unsupportedDistinctAggregateFailsBeforeAnyRow() {
        List<Column> columns = types(PgType.INT4, PgType.TEXT);
        TestStream shard = rows(columns, "1|a");
        GroupColumn distinctArray = new GroupColumn.Aggregated(
                new AggregateColumn(MergePlan.AggregateFunction.ARRAY_AGG, 1, true, null, null));
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> group(
                new GroupAggregate(List.of(FIRST), 1, List.of(KEY, distinctArray)), new MergeOptions(true), shard).columns());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals(0, shard.pulls);
    }
}
