package io.shardproxy.merge;

import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LimitStreamTest {

    private static final List<Column> INTS = types(PgType.INT4);

    @Test
    void limitSkipsOffsetAcrossShards() {
        // ORDER BY 1 LIMIT 2 OFFSET 3: every shard ran LIMIT 5; the offset applies to the merged order.
        RowStream merged = new LimitStream(new MergeSortStream(
                List.of(rows(INTS, "1", "4", "5", "8", "9"), rows(INTS, "2", "3", "6", "7")),
                List.of(new MergePlan.SortKey(0, false, false)), new MergeOptions(true)), 3, 2);
        assertEquals(List.of("4", "5"), drain(merged));
    }

    @Test
    void limitStopsPullingOnceCountIsReached() {
        TestStream shard = rows(INTS, "1", "2", "3", "4");
        RowStream limited = new LimitStream(shard, 1, 2);
        assertEquals(List.of("2", "3"), drain(limited));
        assertNull(limited.next());
        assertEquals(3, shard.pulls);
    }

    @Test
    void negativeCountMeansNoLimit() {
        assertEquals(List.of("3", "4"), drain(new LimitStream(rows(INTS, "1", "2", "3", "4"), 2, -1)));
    }

    @Test
    void limitZeroReturnsNothingAndReadsNothing() {
        TestStream shard = rows(INTS, "1");
        assertEquals(List.of(), drain(new LimitStream(shard, 5, 0)));
        assertEquals(0, shard.pulls);
    }

    @Test
    void offsetBeyondTheRowsReturnsNothingAndStopsReading() {
        TestStream shard = rows(INTS, "1", "2");
        RowStream limited = new LimitStream(shard, 5, 10);
        assertNull(limited.next());
        assertNull(limited.next());
        assertEquals(3, shard.pulls);
    }

    @Test
    void limitPassesColumnsAndCloseThrough() {
        TestStream shard = rows(INTS, "1");
        RowStream limited = new LimitStream(shard, 0, 1);
        assertEquals(INTS, limited.columns());
        limited.close();
        assertEquals(1, shard.closes);
    }
}
