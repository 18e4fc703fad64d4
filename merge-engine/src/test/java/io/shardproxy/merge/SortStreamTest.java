package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SortStreamTest {

    private static final List<Column> INT_TEXT = types(PgType.INT4, PgType.TEXT);
    private static final SortKey BY_INT = new SortKey(0, false, false);

    @TempDir
    Path spill;

    private MergeOptions memoryRows(int rows) {
        return new MergeOptions(true, rows, spill);
    }

    private static List<String> sorted(RowStream input, List<SortKey> keys, long limit, MergeOptions options) {
        try (RowStream sort = new SortStream(input, keys, limit, options)) {
            return drain(sort);
        }
    }

    private long spillFiles() throws IOException {
        try (Stream<Path> files = Files.list(spill)) {
            return files.count();
        }
    }

    @Test
    void sortIsStableForEqualKeys() {
        assertEquals(List.of("1|b", "1|d", "2|a", "3|c", "\\N|e"), sorted(
                rows(INT_TEXT, "2|a", "1|b", "3|c", "1|d", "\\N|e"), List.of(BY_INT), -1, memoryRows(100)));
    }

    @Test
    void sortHonoursDescendingAndNullsFirst() {
        assertEquals(List.of("\\N|e", "10|c", "9|a", "-1|b"), sorted(
                rows(INT_TEXT, "9|a", "-1|b", "10|c", "\\N|e"), List.of(new SortKey(0, true, true)), -1, memoryRows(100)));
    }

    @Test
    void topNKeepsTheEarliestOfEqualRows() {
        assertEquals(List.of("1|b", "1|d", "1|f"), sorted(
                rows(INT_TEXT, "2|a", "1|b", "3|c", "1|d", "1|f", "1|g"), List.of(BY_INT), 3,
                memoryRows(100)));
    }

    @Test
    void limitZeroReadsNothing() {
        TestStream input = rows(INT_TEXT, "1|a");
        assertEquals(List.of(), sorted(input, List.of(BY_INT), 0, memoryRows(100)));
        assertEquals(0, input.pulls);
        assertEquals(1, input.closes);
    }

    @Test
    void spillingSortIsStableAndDeletesItsFiles() throws IOException {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            input.add((i * 7 % 5) + "|r" + i);
        }
        List<String> expected = new ArrayList<>(input);
        expected.sort((a, b) -> Integer.compare(a.charAt(0), b.charAt(0)));
        RowStream sort = new SortStream(rows(INT_TEXT, input.toArray(new String[0])), List.of(BY_INT), -1, memoryRows(7));
        List<String> out = new ArrayList<>();
        out.add(TestStream.text(sort.next()));
        assertTrue(spillFiles() > 0, "a budget of 7 rows spills 50 rows");
        out.addAll(drain(sort));
        assertEquals(expected, out);
        assertEquals(0, spillFiles(), "exhausted runs are deleted");
        sort.close();
    }

    @Test
    void closingAPartlyReadSpillingSortDeletesItsFiles() throws IOException {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            input.add((40 - i) + "|r" + i);
        }
        RowStream sort = new SortStream(rows(INT_TEXT, input.toArray(new String[0])), List.of(BY_INT), -1, memoryRows(3));
        assertEquals("1|r39", TestStream.text(sort.next()));
        assertTrue(spillFiles() > SortRuns.MAX_FAN_IN / 10);
        sort.close();
        assertEquals(0, spillFiles());
    }

    @Test
    void manyRunsAreCompactedAndStillStable() throws IOException {
        int n = 3 * SortRuns.MAX_FAN_IN * 2 + 5;
        List<String> input = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            input.add((i % 3) + "|" + i);
        }
        List<String> expected = new ArrayList<>(input);
        expected.sort((a, b) -> Integer.compare(a.charAt(0), b.charAt(0)));
        assertEquals(expected, sorted(rows(INT_TEXT, input.toArray(new String[0])), List.of(BY_INT), -1, memoryRows(2)));
        assertEquals(0, spillFiles());
    }

    @Test
    void limitAboveTheMemoryBudgetSpillsAndStopsEarly() throws IOException {
        assertEquals(List.of("1|d", "2|a", "3|b", "4|c"), sorted(
                rows(INT_TEXT, "2|a", "3|b", "4|c", "1|d", "5|e", "6|f"), List.of(BY_INT), 4, memoryRows(2)));
        assertEquals(0, spillFiles());
    }

    @Test
    void textKeysNeedBytewiseCollation() {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> new SortStream(
                rows(INT_TEXT, "1|a"), List.of(new SortKey(1, false, false)), -1, new MergeOptions(false)).next());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    }

    @Test
    void sortsTwoMillionRowsWithinTheMemoryBudgetAndLeavesNoFiles() throws IOException {
        int total = 2_000_000;
        RowStream generated = new RowStream() {
            private int produced;

            @Override
            public List<Column> columns() {
                return INT_TEXT;
            }

            @Override
            public byte[][] next() {
                if (produced == total) {
                    return null;
                }
                int i = produced++;
                // Keys 0..total/2-1 in scrambled order, each twice (7919 is coprime with total/2).
                long key = (i * 7919L) % (total / 2);
                return new byte[][] {Long.toString(key).getBytes(), Integer.toString(i).getBytes()};
            }

            @Override
            public void close() {
            }
        };
        try (RowStream sort = new SortStream(generated, List.of(BY_INT), -1, memoryRows(10_000))) {
            long previousKey = -1;
            long previousId = -1;
            int count = 0;
            for (byte[][] row = sort.next(); row != null; row = sort.next()) {
                long key = Long.parseLong(new String(row[0]));
                long id = Long.parseLong(new String(row[1]));
                assertTrue(key > previousKey || (key == previousKey && id > previousId), "order at row " + count);
                previousKey = key;
                previousId = id;
                count++;
            }
            assertEquals(total, count);
            assertNull(sort.next());
        }
        assertEquals(0, spillFiles());
    }
}
