package io.shardproxy.merge;

import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ConcatStreamTest {

    private static final List<Column> COLUMNS = types(PgType.TEXT, PgType.INT4);

    @Test
    void concatReturnsShardsOneAfterAnotherInShardOrder() {
        RowStream concat = new ConcatStream(List.of(rows(COLUMNS, "b|2", "a|1"), rows(COLUMNS), rows(COLUMNS, "c|\\N")));
        assertEquals(List.of("b|2", "a|1", "c|\\N"), drain(concat));
        assertNull(concat.next());
    }

    @Test
    void concatReadsAShardOnlyOnceThePreviousIsExhausted() {
        TestStream first = rows(COLUMNS, "a|1", "b|2");
        TestStream second = rows(COLUMNS, "c|3");
        RowStream concat = new ConcatStream(List.of(first, second));
        concat.next();
        concat.next();
        assertEquals(0, second.pulls);
        assertEquals("c|3", TestStream.text(concat.next()));
        assertEquals(3, first.pulls);
    }

    @Test
    void concatDescribesColumnsAsTheFirstShardDoes() {
        TestStream second = rows(types(PgType.INT8, PgType.INT8));
        assertEquals(COLUMNS, new ConcatStream(List.of(rows(COLUMNS), second)).columns());
    }

    @Test
    void concatReturnsTheShardsRowArraysUnchanged() {
        byte[][] row = TestStream.row("a|1");
        assertSame(row, new ConcatStream(List.of(TestStream.rows(COLUMNS, List.<byte[][]>of(row)))).next());
    }
}
