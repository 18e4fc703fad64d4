package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergeSortStreamTest {

    private static final MergeOptions C_COLLATION = new MergeOptions(true);
    private static final MergeOptions OTHER_COLLATION = new MergeOptions(false);
    private static final List<Column> INT_TEXT = types(PgType.INT4, PgType.TEXT);

    private static SortKey asc(int column) {
        return new SortKey(column, false, false);
    }

    private static SortKey desc(int column) {
        return new SortKey(column, true, true);
    }

    private static RowStream sort(List<SortKey> keys, MergeOptions options, TestStream... shards) {
        return new MergeSortStream(List.of(shards), keys, options);
    }

    @Test
    void mergeSortInterleavesSortedShardsNumerically() {
        RowStream merged = sort(List.of(asc(0)), C_COLLATION,
                rows(INT_TEXT, "-5|a", "9|b", "100|c"),
                rows(INT_TEXT, "2|d", "10|e"),
                rows(INT_TEXT));
        assertEquals(List.of("-5|a", "2|d", "9|b", "10|e", "100|c"), drain(merged));
        assertNull(merged.next());
    }

    @Test
    void mergeSortKeepsShardOrderForEqualKeys() {
        RowStream merged = sort(List.of(asc(0)), C_COLLATION,
                rows(INT_TEXT, "1|s0a", "1|s0b", "2|s0c"),
                rows(INT_TEXT, "1|s1a", "2|s1b"),
                rows(INT_TEXT, "1|s2a"));
        assertEquals(List.of("1|s0a", "1|s0b", "1|s1a", "1|s2a", "2|s0c", "2|s1b"), drain(merged));
    }

    @Test
    void mergeSortPlacesNullsLastForAscending() {
        RowStream merged = sort(List.of(asc(0)), C_COLLATION,
                rows(INT_TEXT, "1|a", "\\N|b"),
                rows(INT_TEXT, "0|c", "3|d", "\\N|e"));
        assertEquals(List.of("0|c", "1|a", "3|d", "\\N|b", "\\N|e"), drain(merged));
    }

    @Test
    void mergeSortPlacesNullsFirstForDescendingWhenAsked() {
        RowStream merged = sort(List.of(desc(0)), C_COLLATION,
                rows(INT_TEXT, "\\N|a", "3|b", "1|c"),
                rows(INT_TEXT, "\\N|d", "2|e"));
        assertEquals(List.of("\\N|a", "\\N|d", "3|b", "2|e", "1|c"), drain(merged));
    }

    @Test
    void descendingReversesValuesButNotTheExplicitNullPlacement() {
        SortKey descNullsLast = new SortKey(0, true, false);
        RowStream merged = sort(List.of(descNullsLast), C_COLLATION,
                rows(INT_TEXT, "3|a", "\\N|b"),
                rows(INT_TEXT, "5|c", "1|d", "\\N|e"));
        assertEquals(List.of("5|c", "3|a", "1|d", "\\N|b", "\\N|e"), drain(merged));

        SortKey ascNullsFirst = new SortKey(0, false, true);
        merged = sort(List.of(ascNullsFirst), C_COLLATION,
                rows(INT_TEXT, "\\N|a", "3|b"),
                rows(INT_TEXT, "\\N|c", "1|d"));
        assertEquals(List.of("\\N|a", "\\N|c", "1|d", "3|b"), drain(merged));
    }

    @Test
    void mergeSortUsesLaterKeysToBreakTies() {
        RowStream merged = sort(List.of(asc(0), desc(1)), C_COLLATION,
                rows(INT_TEXT, "1|b", "2|z"),
                rows(INT_TEXT, "1|c", "1|a", "2|y"));
        assertEquals(List.of("1|c", "1|b", "1|a", "2|z", "2|y"), drain(merged));
    }

    @Test
    void mergeSortReturnsTheShardsBytesWithoutReEncoding() {
        byte[][] row = TestStream.row("1.50|x");
        RowStream merged = new MergeSortStream(
                List.of(TestStream.rows(types(PgType.NUMERIC, PgType.TEXT), List.<byte[][]>of(row))), List.of(asc(0)), C_COLLATION);
        assertSame(row, merged.next());
    }

    @Test
    void mergeSortHoldsAtMostOnePendingRowPerShard() {
        TestStream a = rows(INT_TEXT, "1|a", "4|b", "6|c", "8|d");
        TestStream b = rows(INT_TEXT, "2|e", "3|f", "5|g", "7|h");
        RowStream merged = sort(List.of(asc(0)), C_COLLATION, a, b);
        for (int returned = 1; merged.next() != null; returned++) {
            // Every row read is either returned already or the one pending head of its shard.
            assertTrue(a.consumed() + b.consumed() <= returned + 2, "read ahead after " + returned + " rows");
        }
    }

    @Test
    void mergeSortDoesNotReadPastTheRowsItReturned() {
        TestStream a = rows(INT_TEXT, "1|a", "2|b", "3|c");
        TestStream b = rows(INT_TEXT, "5|d", "6|e");
        RowStream merged = sort(List.of(asc(0)), C_COLLATION, a, b);
        merged.next();
        merged.next();
        assertEquals(2, a.consumed());
        assertEquals(1, b.consumed());
    }

    @Test
    void mergeSortWorksWhenColumnsAreAskedFirst() {
        RowStream merged = sort(List.of(asc(0)), C_COLLATION, rows(INT_TEXT, "2|a"), rows(INT_TEXT, "1|b"));
        assertEquals(INT_TEXT, merged.columns());
        assertEquals(List.of("1|b", "2|a"), drain(merged));
    }

    @Test
    void mergeSortOrdersTextByBytesUnderCCollation() {
        RowStream merged = sort(List.of(asc(1)), C_COLLATION,
                rows(INT_TEXT, "1|B", "2|é"),
                rows(INT_TEXT, "3|a", "4|z", "5|😀"));
        assertEquals(List.of("1|B", "3|a", "4|z", "2|é", "5|😀"), drain(merged));
    }

    @Test
    void mergeSortRefusesTextUnderAnotherCollationBeforeReadingRows() {
        TestStream shard = rows(INT_TEXT, "1|a");
        RowStream merged = sort(List.of(asc(1)), OTHER_COLLATION, shard);
        ShardProxyException e = assertThrows(ShardProxyException.class, merged::next);
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals(0, shard.pulls);
    }

    @Test
    void mergeSortOnUnknownTypeFailsInColumnsBeforeAnyRow() {
        TestStream shard = rows(types(PgType.MONEY), "$1.00");
        RowStream merged = sort(List.of(asc(0)), C_COLLATION, shard);
        ShardProxyException e = assertThrows(ShardProxyException.class, merged::columns);
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertTrue(e.getMessage().contains("790"), e.getMessage());
        assertEquals(0, shard.pulls);
    }

    @Test
    void mergeSortRejectsShardsThatDisagreeOnAKeyType() {
        RowStream merged = sort(List.of(asc(0)), C_COLLATION, rows(INT_TEXT), rows(types(PgType.TEXT, PgType.TEXT)));
        assertEquals(SqlState.INTERNAL_ERROR, assertThrows(ShardProxyException.class, merged::next).state());
    }

    @Test
    void mergeSortRejectsAKeyOutsideTheRow() {
        RowStream merged = sort(List.of(asc(2)), C_COLLATION, rows(INT_TEXT, "1|a"));
        assertEquals(SqlState.INTERNAL_ERROR, assertThrows(ShardProxyException.class, merged::next).state());
    }
}
