package io.shardproxy.merge;

import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Splits random data sets across 1-6 shards at random and checks that the merged answer equals the
 * answer computed over the whole set directly, with reference orderings and arithmetic written
 * independently of the engine ({@link ReferenceValues}). The seed is new each run and printed in
 * every failure; rerun one with {@code -Dmerge.seed=<seed>}.
 */
class MergePropertyTest {

    private static final long SEED = Long.getLong("merge.seed", System.nanoTime());
    private static final int TRIALS = 300;
    private static final MergeOptions OPTIONS = new MergeOptions(true);

    private static String context(int trial) {
        return "seed " + SEED + ", trial " + trial;
    }

    /** Row layout for sort tests: id ("s<shard>r<row>"), k1 of the kind under test, k2 int4. */
    private static List<Column> sortColumns(ReferenceValues.Kind kind) {
        return List.of(Column.computed("id", PgType.TEXT, (short) -1),
                Column.computed("k1", kind.typeOid(), (short) -1),
                Column.computed("k2", PgType.INT4, (short) 4));
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sortedMergeWithLimitAndOffsetEqualsSortingTheWholeSet() {
        for (int trial = 0; trial < TRIALS; trial++) {
            Random random = new Random(SEED + trial);
            ReferenceValues.Kind kind = ReferenceValues.KINDS.get(trial % ReferenceValues.KINDS.size());
            int shardCount = 1 + random.nextInt(6);
            int rowCount = random.nextInt(60);

            List<String[]> whole = new ArrayList<>();
            for (int i = 0; i < rowCount; i++) {
                whole.add(new String[] {null, kind.random(random), ReferenceValues.INT4.random(random)});
            }
            List<SortKey> keys = new ArrayList<>();
            keys.add(new SortKey(1, random.nextBoolean(), random.nextBoolean()));
            if (random.nextBoolean()) {
                keys.add(new SortKey(2, random.nextBoolean(), random.nextBoolean()));
            }
            Comparator<String[]> reference = referenceOrder(keys, kind);
            long offset = random.nextInt(4) == 0 ? 0 : random.nextInt(rowCount + 3);
            long count = random.nextInt(4) == 0 ? -1 : random.nextInt(rowCount + 3);

            // Each shard gets a random subset, runs ORDER BY and LIMIT offset+count itself.
            List<List<String[]>> shards = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                shards.add(new ArrayList<>());
            }
            for (String[] row : whole) {
                shards.get(random.nextInt(shardCount)).add(row);
            }
            Map<String, String[]> byId = new HashMap<>();
            List<RowStream> streams = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                List<String[]> shard = shards.get(s);
                shard.sort(reference);
                long shardLimit = count < 0 ? shard.size() : Math.min(shard.size(), offset + count);
                List<byte[][]> sent = new ArrayList<>();
                for (int r = 0; r < shardLimit; r++) {
                    String[] row = shard.get(r);
                    row[0] = "s" + s + "r" + r;
                    byId.put(row[0], row);
                    sent.add(new byte[][] {bytes(row[0]), bytes(row[1]), bytes(row[2])});
                }
                streams.add(TestStream.rows(sortColumns(kind), sent));
            }

            MergePlan plan = new MergePlan.Limit(new MergePlan.DropColumns(new MergePlan.MergeSort(keys), 2), offset, count);
            List<String[]> merged = new ArrayList<>();
            try (RowStream stream = MergeEngine.merge(plan, streams, OPTIONS)) {
                assertEquals(1, stream.columns().size(), context(trial));
                for (byte[][] row = stream.next(); row != null; row = stream.next()) {
                    assertEquals(1, row.length, context(trial));
                    merged.add(byId.get(text(row[0])));
                }
            }

            List<String[]> expected = new ArrayList<>(whole);
            expected.sort(reference);
            int from = (int) Math.min(offset, expected.size());
            int to = count < 0 ? expected.size() : (int) Math.min(expected.size(), offset + count);
            expected = expected.subList(from, to);

            String where = context(trial) + ", " + kind + ", keys " + keys + ", offset " + offset + ", count " + count
                    + ", shards " + shardCount;
            assertEquals(expected.size(), merged.size(), where);
            for (int i = 0; i < merged.size(); i++) {
                assertEquals(0, reference.compare(expected.get(i), merged.get(i)),
                        where + ": row " + i + " is " + String.join("|", merged.get(i)) + ", expected keys of "
                                + String.join("|", expected.get(i)));
                if (i > 0 && reference.compare(merged.get(i - 1), merged.get(i)) == 0) {
                    assertTrue(shardOf(merged.get(i - 1)) <= shardOf(merged.get(i)), where + ": ties out of shard order");
                }
            }
        }
    }

    private static int shardOf(String[] row) {
        return Integer.parseInt(row[0].substring(1, row[0].indexOf('r')));
    }

    private static Comparator<String[]> referenceOrder(List<SortKey> keys, ReferenceValues.Kind kind) {
        Comparator<String[]> order = (a, b) -> 0;
        for (SortKey key : keys) {
            Comparator<String> values = key.column() == 1 ? kind.order() : ReferenceValues.INT4.order();
            if (key.descending()) {
                values = values.reversed();
            }
            values = key.nullsFirst() ? Comparator.nullsFirst(values) : Comparator.nullsLast(values);
            Comparator<String> finalValues = values;
            order = order.thenComparing((String[] row) -> row[key.column()], finalValues);
        }
        return order;
    }

    @Test
    void concatWithLimitEqualsTheShardsInOrder() {
        for (int trial = 0; trial < TRIALS; trial++) {
            Random random = new Random(SEED + trial);
            int shardCount = 1 + random.nextInt(6);
            List<String> all = new ArrayList<>();
            List<RowStream> streams = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                List<byte[][]> rows = new ArrayList<>();
                for (int r = random.nextInt(8); r > 0; r--) {
                    String value = ReferenceValues.INT4.random(random);
                    rows.add(new byte[][] {bytes(value)});
                    all.add(value == null ? TestStream.NULL : value);
                }
                streams.add(TestStream.rows(TestStream.types(PgType.INT4), rows));
            }
            long offset = random.nextInt(5);
            long count = random.nextInt(3) == 0 ? -1 : random.nextInt(10);
            List<String> merged = TestStream.drain(
                    MergeEngine.merge(new MergePlan.Limit(new MergePlan.Concat(), offset, count), streams, OPTIONS));
            int from = (int) Math.min(offset, all.size());
            int to = count < 0 ? all.size() : (int) Math.min(all.size(), offset + count);
            assertEquals(all.subList(from, to), merged, context(trial));
        }
    }

    @Test
    void aggregatesEqualTheAggregatesOfTheWholeSet() {
        for (int trial = 0; trial < TRIALS; trial++) {
            Random random = new Random(SEED + trial);
            ReferenceValues.Kind kind = ReferenceValues.KINDS.get(trial % ReferenceValues.KINDS.size());
            int shardCount = 1 + random.nextInt(6);
            List<String> whole = new ArrayList<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                whole.add(kind.random(random));
            }
            List<List<String>> shards = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                shards.add(new ArrayList<>());
            }
            for (String value : whole) {
                shards.get(random.nextInt(shardCount)).add(value);
            }

            // The router's rewrite: count(x), sum(x), min(x), max(x), sum(x), count(x) (for avg).
            int sumType = kind.sumTypeOid();
            boolean summable = sumType != 0;
            List<Column> partials = List.of(
                    Column.computed("count", PgType.INT8, (short) 8),
                    Column.computed("sum", summable ? sumType : PgType.INT8, (short) -1),
                    Column.computed("min", kind.typeOid(), (short) -1),
                    Column.computed("max", kind.typeOid(), (short) -1),
                    Column.computed("avg", summable ? sumType : PgType.INT8, (short) -1),
                    Column.computed("count", PgType.INT8, (short) 8));
            List<RowStream> streams = new ArrayList<>();
            for (List<String> shard : shards) {
                String sum = summable ? kind.sum(shard) : null;
                String count = Long.toString(shard.stream().filter(v -> v != null).count());
                streams.add(TestStream.rows(partials, List.<byte[][]>of(new byte[][] {
                    bytes(count), bytes(sum), bytes(kind.min(shard)), bytes(kind.max(shard)), bytes(sum), bytes(count)})));
            }
            List<AggregateColumn> columns = new ArrayList<>(List.of(
                    new AggregateColumn(AggregateFunction.COUNT, 0),
                    new AggregateColumn(AggregateFunction.MIN, 2),
                    new AggregateColumn(AggregateFunction.MAX, 3)));
            if (summable) {
                columns.add(new AggregateColumn(AggregateFunction.SUM, 1));
                columns.add(new AggregateColumn(AggregateFunction.AVG, 4));
            }
            byte[][] row;
            try (RowStream stream = MergeEngine.merge(new MergePlan.Aggregate(columns), streams, OPTIONS)) {
                row = stream.next();
                assertEquals(null, stream.next(), context(trial));
            }

            String where = context(trial) + ", " + kind + ", shards " + shardCount + ", values " + whole;
            assertEquals(Long.toString(whole.stream().filter(v -> v != null).count()), text(row[0]), where);
            assertSameValue(kind, kind.min(whole), text(row[1]), where + ", min");
            assertSameValue(kind, kind.max(whole), text(row[2]), where + ", max");
            if (summable) {
                assertEquals(kind.sum(whole), text(row[3]), where + ", sum");
                assertEquals(kind.avg(whole), text(row[4]), where + ", avg");
            }
        }
    }

    /** min/max may return either of two texts of one value (1.0, 1.00; one instant at two offsets). */
    private static void assertSameValue(ReferenceValues.Kind kind, String expected, String actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
        } else {
            assertEquals(0, kind.order().compare(expected, actual), where + ": " + actual + " vs " + expected);
        }
    }

    @Test
    void referenceAvgAgreesWithPostgresExamples() {
        // Guards the reference itself: outputs printed by PostgreSQL 15.18.
        assertEquals("5.0000000000000000", ReferenceNumericAvg.postgresAvg(new BigDecimal("45"), 9));
        assertEquals("0.000113333333333333333333", ReferenceNumericAvg.postgresAvg(new BigDecimal("0.00034"), 3));
        assertEquals("370370371.66666667", ReferenceNumericAvg.postgresAvg(new BigDecimal("1111111115"), 3));
        assertEquals("-6.5000000000000000", ReferenceNumericAvg.postgresAvg(new BigDecimal("-13"), 2));
        assertEquals("0.00000000000000000000", ReferenceNumericAvg.postgresAvg(new BigDecimal("0.000"), 2));
        assertEquals("61728394506172839450617283946",
                ReferenceNumericAvg.postgresAvg(new BigDecimal("123456789012345678901234567891"), 2));
    }

    /** Shard rows for GROUP BY g (int4): (g, count(*), count(x), sum(x)), or per (g, x) with x second. */
    private static List<byte[][]> groupPartials(List<String[]> rows, boolean byValue) {
        Comparator<String> ints = Comparator.nullsLast(Comparator.comparingLong(Long::parseLong));
        Map<List<String>, long[]> groups = new java.util.TreeMap<>((a, b) -> {
            int c = ints.compare(a.get(0), b.get(0));
            return c != 0 || a.size() == 1 ? c : ints.compare(a.get(1), b.get(1));
        });
        for (String[] row : rows) {
            List<String> key = byValue ? java.util.Arrays.asList(row[0], row[1]) : java.util.Collections.singletonList(row[0]);
            long[] acc = groups.computeIfAbsent(key, k -> new long[] {0, 0, 0});
            acc[0]++;
            if (row[1] != null) {
                acc[1]++;
                acc[2] += Long.parseLong(row[1]);
            }
        }
        List<byte[][]> out = new ArrayList<>();
        for (Map.Entry<List<String>, long[]> e : groups.entrySet()) {
            long[] acc = e.getValue();
            String sum = acc[1] == 0 ? null : Long.toString(acc[2]);
            out.add(byValue
                    ? new byte[][] {bytes(e.getKey().get(0)), bytes(e.getKey().get(1)), bytes(Long.toString(acc[0])),
                        bytes(Long.toString(acc[1])), bytes(sum)}
                    : new byte[][] {bytes(e.getKey().get(0)), bytes(Long.toString(acc[0])), bytes(Long.toString(acc[1])), bytes(sum)});
        }
        return out;
    }

    @Test
    void groupAggregateEqualsGroupingTheWholeSet() {
        for (int trial = 0; trial < TRIALS; trial++) {
            Random random = new Random(SEED + trial);
            int shardCount = 1 + random.nextInt(6);
            boolean distinct = random.nextBoolean();
            List<String[]> whole = new ArrayList<>();
            for (int i = random.nextInt(80); i > 0; i--) {
                String g = random.nextInt(6) == 0 ? null : Integer.toString(random.nextInt(5));
                whole.add(new String[] {g, ReferenceValues.INT4.random(random)});
            }
            List<List<String[]>> parts = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                parts.add(new ArrayList<>());
            }
            for (String[] row : whole) {
                parts.get(random.nextInt(shardCount)).add(row);
            }
            List<Column> columns = distinct
                    ? TestStream.types(PgType.INT4, PgType.INT4, PgType.INT8, PgType.INT8, PgType.INT8)
                    : TestStream.types(PgType.INT4, PgType.INT8, PgType.INT8, PgType.INT8);
            List<RowStream> streams = new ArrayList<>();
            for (List<String[]> part : parts) {
                streams.add(TestStream.rows(columns, groupPartials(part, distinct)));
            }
            int base = distinct ? 2 : 1;
            List<MergePlan.GroupColumn> out = new ArrayList<>(List.of(new MergePlan.GroupColumn.Key(0),
                    new MergePlan.GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.COUNT, base)),
                    new MergePlan.GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.COUNT, base + 1)),
                    new MergePlan.GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.SUM, base + 2))));
            if (distinct) {
                out.add(new MergePlan.GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.COUNT, 1, true, null, null)));
                out.add(new MergePlan.GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.SUM, 1, true, null, null)));
            }
            MergePlan plan = new MergePlan.GroupAggregate(List.of(new SortKey(0, false, false)), distinct ? 1 : -1, out);
            List<String> merged = TestStream.drain(MergeEngine.merge(plan, streams, OPTIONS));

            List<String> expected = new ArrayList<>();
            for (byte[][] group : groupPartials(whole, false)) {
                StringBuilder row = new StringBuilder(TestStream.text(group));
                if (distinct) {
                    java.util.TreeSet<Long> values = new java.util.TreeSet<>();
                    for (String[] r : whole) {
                        if (java.util.Objects.equals(r[0], text(group[0])) && r[1] != null) {
                            values.add(Long.parseLong(r[1]));
                        }
                    }
                    row.append('|').append(values.size()).append('|')
                            .append(values.isEmpty() ? TestStream.NULL : Long.toString(values.stream().mapToLong(Long::longValue).sum()));
                }
                expected.add(row.toString());
            }
            assertEquals(expected, merged, context(trial) + ", shards " + shardCount + ", distinct " + distinct);
        }
    }

    @Test
    void sortWithSpillingEqualsStablySortingTheConcatenation() throws java.io.IOException {
        java.nio.file.Path spill = java.nio.file.Files.createTempDirectory("merge-property-sort");
        try {
            for (int trial = 0; trial < TRIALS; trial++) {
                Random random = new Random(SEED + trial);
                ReferenceValues.Kind kind = ReferenceValues.KINDS.get(trial % ReferenceValues.KINDS.size());
                int shardCount = 1 + random.nextInt(6);
                List<String[]> all = new ArrayList<>();
                List<RowStream> streams = new ArrayList<>();
                for (int s = 0; s < shardCount; s++) {
                    List<byte[][]> rows = new ArrayList<>();
                    for (int r = random.nextInt(25); r > 0; r--) {
                        String[] row = {"s" + s + "r" + r, kind.random(random), ReferenceValues.INT4.random(random)};
                        all.add(row);
                        rows.add(new byte[][] {bytes(row[0]), bytes(row[1]), bytes(row[2])});
                    }
                    streams.add(TestStream.rows(sortColumns(kind), rows));
                }
                List<SortKey> keys = new ArrayList<>();
                keys.add(new SortKey(1 + random.nextInt(2), random.nextBoolean(), random.nextBoolean()));
                if (random.nextBoolean()) {
                    keys.add(new SortKey(keys.get(0).column() == 1 ? 2 : 1, random.nextBoolean(), random.nextBoolean()));
                }
                long limit = random.nextInt(3) == 0 ? random.nextInt(all.size() + 3) : -1;
                MergeOptions options = new MergeOptions(true, 1 + random.nextInt(7), spill);
                List<String> ids = new ArrayList<>();
                try (RowStream stream = MergeEngine.merge(new MergePlan.Sort(new MergePlan.Concat(), keys, limit), streams, options)) {
                    for (byte[][] row = stream.next(); row != null; row = stream.next()) {
                        ids.add(text(row[0]));
                    }
                }
                List<String[]> expected = new ArrayList<>(all);
                expected.sort(referenceOrder(keys, kind));
                List<String> expectedIds = new ArrayList<>();
                for (String[] row : expected.subList(0, limit < 0 ? expected.size() : (int) Math.min(limit, expected.size()))) {
                    expectedIds.add(row[0]);
                }
                String where = context(trial) + ", " + kind + ", keys " + keys + ", limit " + limit + ", memory " + options.sortMemoryRows();
                assertEquals(expectedIds, ids, where);
                try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(spill)) {
                    assertEquals(0, left.count(), where + ": temporary files left");
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(spill);
        }
    }

    @Test
    void distinctAfterMergeSortEqualsDistinctOfTheWholeSet() {
        for (int trial = 0; trial < TRIALS; trial++) {
            Random random = new Random(SEED + trial);
            ReferenceValues.Kind kind = ReferenceValues.KINDS.get(trial % ReferenceValues.KINDS.size());
            int shardCount = 1 + random.nextInt(6);
            List<SortKey> keys = List.of(new SortKey(1, false, false));
            Comparator<String[]> order = referenceOrder(keys, kind);
            List<String[]> all = new ArrayList<>();
            List<RowStream> streams = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                List<String[]> shard = new ArrayList<>();
                for (int r = random.nextInt(20); r > 0; r--) {
                    shard.add(new String[] {"s" + s + "r" + r, kind.random(random), "0"});
                }
                shard.sort(order);
                all.addAll(shard);
                List<byte[][]> rows = new ArrayList<>();
                for (String[] row : shard) {
                    rows.add(new byte[][] {bytes(row[0]), bytes(row[1]), bytes(row[2])});
                }
                streams.add(TestStream.rows(sortColumns(kind), rows));
            }
            List<String> merged = new ArrayList<>();
            MergePlan plan = new MergePlan.Distinct(new MergePlan.MergeSort(keys), List.of(1));
            try (RowStream stream = MergeEngine.merge(plan, streams, OPTIONS)) {
                for (byte[][] row = stream.next(); row != null; row = stream.next()) {
                    merged.add(text(row[1]));
                }
            }
            all.sort(order);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (i == 0 || order.compare(all.get(i - 1), all.get(i)) != 0) {
                    expected.add(all.get(i)[1]);
                }
            }
            String where = context(trial) + ", " + kind + ", shards " + shardCount;
            assertEquals(expected.size(), merged.size(), where + ": " + merged + " vs " + expected);
            for (int i = 0; i < expected.size(); i++) {
                assertSameValue(kind, expected.get(i), merged.get(i), where + ", row " + i);
            }
        }
    }

    /** A random HAVING condition over (count int8, total numeric) and its reference evaluation. */
    private static MergePlan.Predicate randomPredicate(Random random, int depth) {
        int pick = depth > 1 ? 3 + random.nextInt(4) : random.nextInt(7);
        if (pick == 0) {
            return new MergePlan.Predicate.Not(randomPredicate(random, depth + 1));
        }
        if (pick == 1 || pick == 2) {
            List<MergePlan.Predicate> parts = List.of(randomPredicate(random, depth + 1), randomPredicate(random, depth + 1));
            return pick == 1 ? new MergePlan.Predicate.And(parts) : new MergePlan.Predicate.Or(parts);
        }
        if (pick == 3) {
            return new MergePlan.Predicate.IsNull(new MergePlan.Operand.ColumnRef(random.nextInt(2)), random.nextBoolean());
        }
        MergePlan.CompareOp op = MergePlan.CompareOp.values()[random.nextInt(6)];
        String constant = random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(41) - 20, random.nextInt(2)).toPlainString();
        MergePlan.Operand column = new MergePlan.Operand.ColumnRef(random.nextInt(2));
        MergePlan.Operand value = new MergePlan.Operand.Constant(constant);
        return random.nextBoolean() ? new MergePlan.Predicate.Compare(op, column, value) : new MergePlan.Predicate.Compare(op, value, column);
    }

    private static Boolean reference(MergePlan.Predicate p, String[] row) {
        if (p instanceof MergePlan.Predicate.Not not) {
            Boolean b = reference(not.part(), row);
            return b == null ? null : !b;
        }
        if (p instanceof MergePlan.Predicate.And and) {
            Boolean a = reference(and.parts().get(0), row);
            Boolean b = reference(and.parts().get(1), row);
            return Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b) ? Boolean.FALSE : a == null || b == null ? null : Boolean.TRUE;
        }
        if (p instanceof MergePlan.Predicate.Or or) {
            Boolean a = reference(or.parts().get(0), row);
            Boolean b = reference(or.parts().get(1), row);
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b) ? Boolean.TRUE : a == null || b == null ? null : Boolean.FALSE;
        }
        if (p instanceof MergePlan.Predicate.IsNull isNull) {
            return (row[((MergePlan.Operand.ColumnRef) isNull.operand()).column()] == null) != isNull.negated();
        }
        MergePlan.Predicate.Compare c = (MergePlan.Predicate.Compare) p;
        String left = c.left() instanceof MergePlan.Operand.ColumnRef l ? row[l.column()] : ((MergePlan.Operand.Constant) c.left()).text();
        String right = c.right() instanceof MergePlan.Operand.ColumnRef r ? row[r.column()] : ((MergePlan.Operand.Constant) c.right()).text();
        if (left == null || right == null) {
            return null;
        }
        int cmp = new BigDecimal(left).compareTo(new BigDecimal(right));
        switch (c.op()) {
            case EQ: return cmp == 0;
            case NE: return cmp != 0;
            case LT: return cmp < 0;
            case LE: return cmp <= 0;
            case GT: return cmp > 0;
            default: return cmp >= 0;
        }
    }

    @Test
    void filterKeepsExactlyTheRowsWhoseConditionIsTrue() {
        for (int trial = 0; trial < TRIALS; trial++) {
            Random random = new Random(SEED + trial);
            List<Column> columns = TestStream.types(PgType.INT8, PgType.NUMERIC);
            List<String[]> rows = new ArrayList<>();
            for (int i = random.nextInt(30); i > 0; i--) {
                String count = random.nextInt(8) == 0 ? null : Integer.toString(random.nextInt(41) - 20);
                String total = random.nextInt(8) == 0 ? null : BigDecimal.valueOf(random.nextInt(401) - 200, random.nextInt(3)).toPlainString();
                rows.add(new String[] {count, total});
            }
            MergePlan.Predicate predicate = randomPredicate(random, 0);
            List<byte[][]> input = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (String[] row : rows) {
                input.add(new byte[][] {bytes(row[0]), bytes(row[1])});
                if (Boolean.TRUE.equals(reference(predicate, row))) {
                    expected.add(TestStream.text(new byte[][] {bytes(row[0]), bytes(row[1])}));
                }
            }
            List<String> merged = TestStream.drain(MergeEngine.merge(new MergePlan.Filter(new MergePlan.Concat(), predicate),
                    List.of(TestStream.rows(columns, input)), OPTIONS));
            assertEquals(expected, merged, context(trial) + ", predicate " + predicate);
        }
    }
}
