package io.shardproxy.bench;

import io.shardproxy.merge.Column;
import io.shardproxy.merge.MergeEngine;
import io.shardproxy.merge.MergeOptions;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.GroupColumn.Aggregated;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.RowStream;
import io.shardproxy.merge.value.PgType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The merge operators over four in-memory shard streams of text-format rows, with the plans the
 * router builds for {@code tbl(id int4, info text, crt_time timestamp)} (printed from its plans
 * for these statements): each call builds the operator tree with {@link MergeEngine#merge} and
 * drains it into a Blackhole. Rows are dealt to the shards at random (fixed seed), so the merge
 * interleaves them as a real key spread does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MergeBench {

    private static final int SHARDS = 4;
    private static final int ROWS_PER_SHARD = 1000;
    private static final MergeOptions OPTIONS = new MergeOptions(true);
    /** {@code select *, crt_time AS "?sort1" ...}: the router appends the sort key after {@code *}. */
    private static final List<Column> TBL = List.of(
            Column.computed("id", PgType.INT4, (short) 4),
            Column.computed("info", PgType.TEXT, (short) -1),
            Column.computed("crt_time", PgType.TIMESTAMP, (short) 8),
            Column.computed("?sort1", PgType.TIMESTAMP, (short) 8));
    /** {@code order by crt_time desc} on the hidden column; NULLS FIRST is PostgreSQL's default for DESC. */
    private static final MergePlan.MergeSort BY_TIME_DESC = new MergePlan.MergeSort(List.of(new SortKey(3, true, true)));
    /** {@code select * from tbl order by crt_time desc}. */
    private static final MergePlan ORDERED = new MergePlan.DropColumns(BY_TIME_DESC, 1);
    /** {@code select * from tbl order by crt_time desc limit 10}: the shards ran LIMIT 10. */
    private static final MergePlan TOP_TEN = new MergePlan.DropColumns(new MergePlan.Limit(BY_TIME_DESC, 0, 10), 1);
    /** Partials of {@code count(*), sum(id), avg(id)}: count, sum, then avg as sum and count. */
    private static final List<Column> PARTIALS = List.of(
            Column.computed("count", PgType.INT8, (short) 8),
            Column.computed("sum", PgType.INT8, (short) 8),
            Column.computed("avg", PgType.INT8, (short) 8),
            Column.computed("count", PgType.INT8, (short) 8));
    /** {@code select count(*), sum(id), avg(id) from tbl}: a group aggregate with no keys. */
    private static final MergePlan COUNT_SUM_AVG = new MergePlan.GroupAggregate(List.of(), -1, List.of(
            new Aggregated(new AggregateColumn(AggregateFunction.COUNT, 0)),
            new Aggregated(new AggregateColumn(AggregateFunction.SUM, 1)),
            new Aggregated(new AggregateColumn(AggregateFunction.AVG, 2))));

    private final byte[][][][] sorted = new byte[SHARDS][][][];
    private final byte[][][][] firstTen = new byte[SHARDS][][][];
    private final byte[][][][] partials = new byte[SHARDS][][][];

    @Setup
    public void setUp() {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= SHARDS * ROWS_PER_SHARD; id++) {
            ids.add(id);
        }
        Collections.shuffle(ids, new Random(42));
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
        LocalDateTime start = LocalDateTime.of(2026, 11, 1, 0, 0);
        List<List<byte[][]>> shards = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            shards.add(new ArrayList<>());
        }
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            String time = start.plusNanos(i * 1_234_567_000L).format(format);
            shards.get(id % SHARDS).add(row(Integer.toString(id), "info " + id, time, time));
        }
        for (int s = 0; s < SHARDS; s++) {
            // Each shard ran the ORDER BY (text of this fixed-width format sorts as the timestamp).
            List<byte[][]> rows = shards.get(s);
            rows.sort(Comparator.comparing((byte[][] r) -> new String(r[2], StandardCharsets.US_ASCII)).reversed());
            sorted[s] = rows.toArray(new byte[0][][]);
            firstTen[s] = Arrays.copyOf(sorted[s], 10);
            long sum = rows.stream().mapToLong(r -> Long.parseLong(new String(r[0], StandardCharsets.US_ASCII))).sum();
            String n = Integer.toString(rows.size());
            partials[s] = new byte[][][] {row(n, Long.toString(sum), Long.toString(sum), n)};
        }
    }

    /**
     * {@code select * from tbl order by crt_time desc}: merge-sort of 4 shard streams of 1000 rows
     * each, all 4000 rows out without the hidden sort column.
     */
    @Benchmark
    public void mergeSort4x1000(Blackhole out) {
        drain(MergeEngine.merge(ORDERED, streams(TBL, sorted), OPTIONS), out);
    }

    /**
     * W4's top-10, {@code order by crt_time desc limit 10}: each shard ran LIMIT 10 and returned
     * 10 rows; LIMIT 10 over their merge-sort passes 10 rows.
     */
    @Benchmark
    public void topTen(Blackhole out) {
        drain(MergeEngine.merge(TOP_TEN, streams(TBL, firstTen), OPTIONS), out);
    }

    /** W3's combine: one partial row per shard of count, sum and (sum, count) for avg into one row. */
    @Benchmark
    public void aggregateCombine(Blackhole out) {
        drain(MergeEngine.merge(COUNT_SUM_AVG, streams(PARTIALS, partials), OPTIONS), out);
    }

    private static List<RowStream> streams(List<Column> columns, byte[][][][] shards) {
        List<RowStream> streams = new ArrayList<>(shards.length);
        for (byte[][][] rows : shards) {
            streams.add(RowStream.of(columns, Arrays.asList(rows)));
        }
        return streams;
    }

    private static void drain(RowStream merged, Blackhole out) {
        try (merged) {
            for (byte[][] row = merged.next(); row != null; row = merged.next()) {
                out.consume(row);
            }
        }
    }

    private static byte[][] row(String... values) {
        byte[][] row = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            row[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return row;
    }
}
