package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.shardproxy.merge.MergePlan.AggregateFunction.AVG;
import static io.shardproxy.merge.MergePlan.AggregateFunction.COUNT;
import static io.shardproxy.merge.MergePlan.AggregateFunction.MAX;
import static io.shardproxy.merge.MergePlan.AggregateFunction.MIN;
import static io.shardproxy.merge.MergePlan.AggregateFunction.SUM;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected texts are what PostgreSQL 15.18 returns for the same aggregate over all the rows. */
class AggregateStreamTest {

    private static final MergeOptions OPTIONS = new MergeOptions(true);

    /** One aggregate over one partial row per shard, the partials all of one type. */
    private static String combine(AggregateFunction function, int typeOid, String... partialPerShard) {
        List<Column> columns = types(typeOid);
        List<RowStream> shards = new ArrayList<>();
        for (String partial : partialPerShard) {
            shards.add(rows(columns, partial));
        }
        return only(new AggregateStream(shards, List.of(new AggregateColumn(function, 0)), OPTIONS));
    }

    /** avg from "sum|count" partials with the given sum type. */
    private static String avg(int sumTypeOid, String... sumAndCountPerShard) {
        List<Column> columns = types(sumTypeOid, PgType.INT8);
        List<RowStream> shards = new ArrayList<>();
        for (String partial : sumAndCountPerShard) {
            shards.add(rows(columns, partial));
        }
        return only(new AggregateStream(shards, List.of(new AggregateColumn(AVG, 0)), OPTIONS));
    }

    private static String only(RowStream stream) {
        byte[][] row = stream.next();
        assertEquals(1, row.length);
        assertNull(stream.next());
        return TestStream.text(row);
    }

    private static ShardProxyException failure(Runnable action) {
        return assertThrows(ShardProxyException.class, action::run);
    }

    @Test
    void countAddsPartialCounts() {
        assertEquals("9", combine(COUNT, PgType.INT8, "4", "0", "5"));
    }

    @Test
    void countOverflowsLikePostgres() {
        ShardProxyException e = failure(() -> combine(COUNT, PgType.INT8, "9223372036854775807", "1"));
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state());
    }

    @Test
    void sumOfBigintPartialsOverflowsLikePostgres() {
        assertEquals("9223372036854775807", combine(SUM, PgType.INT8, "9223372036854775806", "1"));
        ShardProxyException e = failure(() -> combine(SUM, PgType.INT8, "9223372036854775807", "1"));
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state());
        assertEquals("bigint out of range", e.getMessage());
    }

    @Test
    void sumOfNumericPartialsKeepsTheLargestScale() {
        assertEquals("3.750", combine(SUM, PgType.NUMERIC, "1.50", "2.250"));
        assertEquals("9223372036854775808", combine(SUM, PgType.NUMERIC, "9223372036854775807", "1"));
        assertEquals("0.0", combine(SUM, PgType.NUMERIC, "-1.5", "1.5"));
    }

    @Test
    void sumOfNumericSpecialValuesFollowsPostgres() {
        assertEquals("NaN", combine(SUM, PgType.NUMERIC, "Infinity", "-Infinity"));
        assertEquals("Infinity", combine(SUM, PgType.NUMERIC, "Infinity", "2.5"));
        assertEquals("NaN", combine(SUM, PgType.NUMERIC, "NaN", "Infinity"));
    }

    @Test
    void sumSkipsNullPartialsAndIsNullWhenAllAre() {
        assertEquals("5", combine(SUM, PgType.INT8, "\\N", "5", "\\N"));
        assertEquals("\\N", combine(SUM, PgType.INT8, "\\N", "\\N"));
        assertEquals("\\N", combine(SUM, PgType.NUMERIC, "\\N"));
        assertEquals("\\N", combine(SUM, PgType.FLOAT8, "\\N", "\\N"));
    }

    @Test
    void sumOfDoublePartialsPrintsShortestDigits() {
        assertEquals("0.30000000000000004", combine(SUM, PgType.FLOAT8, "0.1", "0.2"));
        assertEquals("NaN", combine(SUM, PgType.FLOAT8, "Infinity", "-Infinity"));
        assertEquals("-0", combine(SUM, PgType.FLOAT8, "-0"));
        assertEquals("0", combine(SUM, PgType.FLOAT8, "-0", "0"));
        assertEquals("1e+16", combine(SUM, PgType.FLOAT8, "5e+15", "5e+15"));
    }

    @Test
    void sumOfRealPartialsStaysInSinglePrecision() {
        // In double precision the same sum would print 0.30000000447034836.
        assertEquals("0.3", combine(SUM, PgType.FLOAT4, "0.1", "0.2"));
    }

    @Test
    void sumOfDoublePartialsOverflowsLikePostgres() {
        ShardProxyException e = failure(() -> combine(SUM, PgType.FLOAT8, "1e+308", "1e+308"));
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state());
        assertEquals("value out of range: overflow", e.getMessage());
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                failure(() -> combine(SUM, PgType.FLOAT4, "3e+38", "3e+38")).state());
    }

    @Test
    void sumOfMoneyOrIntervalIsRefusedBeforeAnyRow() {
        TestStream shard = rows(types(PgType.MONEY), "$1.00");
        RowStream sum = new AggregateStream(List.of(shard), List.of(new AggregateColumn(SUM, 0)), OPTIONS);
        ShardProxyException e = failure(sum::columns);
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals("sum(money) across shards is not supported yet", e.getMessage());
        assertEquals(0, shard.pulls);
        assertEquals("sum(interval) across shards is not supported yet",
                failure(() -> combine(SUM, PgType.INTERVAL, "1 day")).getMessage());
    }

    @Test
    void minAndMaxCompareByTypeAndReturnTheShardsBytes() {
        byte[][] small = TestStream.row("9");
        byte[][] large = TestStream.row("12.250");
        List<Column> columns = types(PgType.NUMERIC);
        RowStream max = new AggregateStream(
                List.of(TestStream.rows(columns, List.<byte[][]>of(small)), TestStream.rows(columns, List.<byte[][]>of(large))),
                List.of(new AggregateColumn(MAX, 0)), OPTIONS);
        assertSame(large[0], max.next()[0]);
        assertEquals("9", combine(MIN, PgType.NUMERIC, "12.250", "9", "\\N"));
        assertEquals("-5", combine(MIN, PgType.INT4, "10", "-5", "9"));
    }

    @Test
    void minAndMaxFollowPostgresSpecialValueOrder() {
        assertEquals("NaN", combine(MAX, PgType.FLOAT8, "Infinity", "NaN", "1"));
        assertEquals("-Infinity", combine(MIN, PgType.FLOAT8, "Infinity", "NaN", "-Infinity"));
        assertEquals("NaN", combine(MAX, PgType.NUMERIC, "Infinity", "NaN"));
        assertEquals("0044-03-15 BC", combine(MIN, PgType.DATE, "0001-01-01", "0044-03-15 BC"));
        assertEquals("2024-01-02 08:34:05.5+05:30",
                combine(MAX, PgType.TIMESTAMPTZ, "2024-01-02 03:04:05+01", "2024-01-02 08:34:05.5+05:30"));
    }

    @Test
    void minAndMaxAreNullWhenEveryPartialIs() {
        assertEquals("\\N", combine(MIN, PgType.INT4, "\\N", "\\N"));
        assertEquals("\\N", combine(MAX, PgType.TEXT, "\\N"));
    }

    @Test
    void minOfTextNeedsCCollation() {
        RowStream min = new AggregateStream(List.of(rows(types(PgType.TEXT), "a")),
                List.of(new AggregateColumn(MIN, 0)), new MergeOptions(false));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, failure(min::next).state());
    }

    @Test
    void minOfAnUnknownTypeFailsBeforeAnyRowNamingTheOid() {
        TestStream shard = rows(types(1266), "03:04:05+01");
        RowStream min = new AggregateStream(List.of(shard), List.of(new AggregateColumn(MIN, 0)), OPTIONS);
        ShardProxyException e = failure(min::next);
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertTrue(e.getMessage().contains("1266"), e.getMessage());
        assertEquals(0, shard.pulls);
    }

    @Test
    void avgOfIntegersHasPostgresScale() {
        // avg(x) for x in 1..9, split 1..4 | 5..9, and avg(x+x) likewise.
        assertEquals("5.0000000000000000", avg(PgType.INT8, "10|4", "35|5"));
        assertEquals("10.0000000000000000", avg(PgType.INT8, "20|4", "70|5"));
        assertEquals("1.5000000000000000", avg(PgType.INT8, "1|1", "2|1"));
        assertEquals("370370371.66666667", avg(PgType.NUMERIC, "1111111110|2", "5|1"));
    }

    @Test
    void avgOfNumericsKeepsTheInputScale() {
        assertEquals("1.8750000000000000", avg(PgType.NUMERIC, "1.25|1", "2.5|1"));
        assertEquals("6172.8395000000000000", avg(PgType.NUMERIC, "12345.678|1", "0.001|1"));
        assertEquals("0.00000000000000000000", avg(PgType.NUMERIC, "0.000|1", "0|1"));
        assertEquals("NaN", avg(PgType.NUMERIC, "NaN|1", "2|1"));
        assertEquals("Infinity", avg(PgType.NUMERIC, "Infinity|1", "2|1"));
    }

    @Test
    void avgSkipsShardsWithoutRowsAndIsNullWithoutAny() {
        assertEquals("2.0000000000000000", avg(PgType.INT8, "\\N|0", "4|2"));
        assertEquals("\\N", avg(PgType.INT8, "\\N|0", "\\N|0"));
        assertEquals("\\N", avg(PgType.FLOAT8, "\\N|0"));
    }

    @Test
    void avgOfDoubleIsDouble() {
        assertEquals("1.5", avg(PgType.FLOAT8, "1|1", "2|1"));
        assertEquals("0.23333333333333336", avg(PgType.FLOAT8, "0.30000000000000004|2", "0.4|1"));
        assertEquals("0", avg(PgType.FLOAT8, "-0|1"));
    }

    @Test
    void avgOutputIsNumericOrDoubleNamedAfterTheSumColumn() {
        List<Column> partials = List.of(Column.computed("avg", PgType.INT8, (short) 8),
                Column.computed("count", PgType.INT8, (short) 8));
        RowStream avg = new AggregateStream(List.of(rows(partials, "3|2")), List.of(new AggregateColumn(AVG, 0)), OPTIONS);
        assertEquals(List.of(Column.computed("avg", PgType.NUMERIC, (short) -1)), avg.columns());

        partials = List.of(Column.computed("a", PgType.FLOAT8, (short) 8), Column.computed("count", PgType.INT8, (short) 8));
        avg = new AggregateStream(List.of(rows(partials, "3|2")), List.of(new AggregateColumn(AVG, 0)), OPTIONS);
        assertEquals(List.of(Column.computed("a", PgType.FLOAT8, (short) 8)), avg.columns());
    }

    @Test
    void avgOfRealIsRefusedWithAHint() {
        ShardProxyException e = failure(() -> avg(PgType.FLOAT4, "1.5|1"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals("cast the argument to double precision", e.hint());
    }

    @Test
    void aggregateReturnsOneColumnPerSpecInOrder() {
        List<Column> partials = List.of(
                Column.computed("count", PgType.INT8, (short) 8),
                Column.computed("sum", PgType.NUMERIC, (short) -1),
                Column.computed("avg", PgType.NUMERIC, (short) -1),
                Column.computed("count", PgType.INT8, (short) 8),
                Column.computed("max", PgType.TIMESTAMP, (short) 8));
        RowStream aggregate = new AggregateStream(
                // x = 1.0, 0.5 on shard 0 and 2 on shard 1; PostgreSQL's avg(x) is 1.16666666666666666667.
                List.of(rows(partials, "2|1.5|1.5|2|2024-01-01 00:00:00"), rows(partials, "1|2|2|1|2023-01-01 00:00:00")),
                List.of(new AggregateColumn(MAX, 4), new AggregateColumn(AVG, 2), new AggregateColumn(COUNT, 0),
                        new AggregateColumn(SUM, 1)),
                OPTIONS);
        assertEquals(List.of("max", "avg", "count", "sum"), aggregate.columns().stream().map(Column::name).toList());
        assertEquals("2024-01-01 00:00:00|1.16666666666666666667|3|3.5", TestStream.text(aggregate.next()));
        assertNull(aggregate.next());
    }

    @Test
    void aShardWithoutAPartialRowIsAnInternalError() {
        List<Column> columns = types(PgType.INT8);
        RowStream count = new AggregateStream(List.of(rows(columns, "1"), rows(columns)),
                List.of(new AggregateColumn(COUNT, 0)), OPTIONS);
        assertEquals(SqlState.INTERNAL_ERROR, failure(count::next).state());
    }

    @Test
    void aShardWithTwoPartialRowsIsAnInternalError() {
        List<Column> columns = types(PgType.INT8);
        RowStream count = new AggregateStream(List.of(rows(columns, "1", "2")),
                List.of(new AggregateColumn(COUNT, 0)), OPTIONS);
        assertEquals(SqlState.INTERNAL_ERROR, failure(count::next).state());
    }

    @Test
    void partialsOfTheWrongTypeAreAnInternalError() {
        assertEquals(SqlState.INTERNAL_ERROR, failure(() -> combine(COUNT, PgType.INT4, "1")).state());
        assertEquals(SqlState.INTERNAL_ERROR, failure(() -> combine(AVG, PgType.INT8, "1")).state());
    }
}
