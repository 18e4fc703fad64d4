package io.shardproxy.merge;

import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DistinctStreamTest {

    @Test
    void distinctKeepsTheFirstRowOfEachRun() {
        RowStream distinct = new DistinctStream(rows(types(PgType.INT4, PgType.TEXT),
                "1|a", "1|b", "2|c", "2|c", "1|d", "\\N|e", "\\N|f"), List.of(0));
        assertEquals(List.of("1|a", "2|c", "1|d", "\\N|e"), drain(distinct));
    }

    @Test
    void distinctUsesTheTypesEquality() {
        RowStream numeric = new DistinctStream(rows(types(PgType.NUMERIC), "1.0", "1.00", "1", "NaN", "NaN"), List.of(0));
        assertEquals(List.of("1.0", "NaN"), drain(numeric));
        RowStream floats = new DistinctStream(rows(types(PgType.FLOAT8), "-0", "0", "NaN", "NaN"), List.of(0));
        assertEquals(List.of("-0", "NaN"), drain(floats));
    }

    @Test
    void distinctComparesTextByteForByteWhateverTheCollation() {
        RowStream distinct = new DistinctStream(rows(types(PgType.TEXT, PgType.INT4), "a|1", "a|1", "A|1", "a|2"),
                List.of(0, 1));
        assertEquals(List.of("a|1", "A|1", "a|2"), drain(distinct));
    }

    @Test
    void distinctOverMergedShardsThroughThePlan() {
        List<Column> columns = types(PgType.INT4);
        RowStream merged = MergeEngine.merge(new MergePlan.Distinct(new MergePlan.MergeSort(
                List.of(new MergePlan.SortKey(0, false, false))), List.of(0)),
                List.of(rows(columns, "1", "3"), rows(columns, "1", "2", "3")), new MergeOptions(false));
        assertEquals(List.of("1", "2", "3"), drain(merged));
    }
}
