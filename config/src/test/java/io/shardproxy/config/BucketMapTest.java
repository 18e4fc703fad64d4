package io.shardproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BucketMapTest {

    private static final List<String> FOUR = List.of("s0", "s1", "s2", "s3");

    @Test
    void oneBucketPerShardPutsBucketKOnShardK() {
        assertEquals(FOUR, BucketMap.evenSplit(4, FOUR));
    }

    @Test
    void evenSplitGivesEachShardOneContiguousRangeOfEqualSize() {
        List<String> owners = BucketMap.evenSplit(64, FOUR);

        for (int k = 0; k < 4; k++) {
            assertEquals(Collections.nCopies(16, FOUR.get(k)), owners.subList(16 * k, 16 * (k + 1)));
        }
    }

    @Test
    void unevenSplitFollowsFloorOfBucketTimesShardsOverBuckets() {
        List<String> owners = BucketMap.evenSplit(10, FOUR);

        List<String> expected = IntStream.range(0, 10).mapToObj(b -> FOUR.get(b * 4 / 10)).toList();
        assertEquals(expected, owners);
        assertEquals(List.of("s0", "s0", "s0", "s1", "s1", "s2", "s2", "s2", "s3", "s3"), owners);
    }

    @Test
    void fewerBucketsThanShardsLeavesSomeShardsEmpty() {
        assertEquals(List.of("s0", "s2"), BucketMap.evenSplit(2, FOUR));
    }

    @Test
    void largestBucketCountDoesNotOverflow() {
        List<String> owners = BucketMap.evenSplit(ShardedTableConfig.MAX_BUCKETS, FOUR);

        assertEquals("s3", owners.get(ShardedTableConfig.MAX_BUCKETS - 1));
    }

    @Test
    void rangesAreWrittenCompactly() {
        assertEquals("2-4, 7, 9-10", BucketMap.ranges(List.of(2, 3, 4, 7, 9, 10)));
        assertEquals("0", BucketMap.ranges(List.of(0)));
    }
}
