package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.value.PgArray;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.shardproxy.merge.MergePlan.AggregateFunction.ARRAY_AGG;
import static io.shardproxy.merge.MergePlan.AggregateFunction.STRING_AGG;
import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** string_agg and array_agg partials, and the array text they are read from. */
class ArrayAggregatesTest {

    private static final int TEXT_ARRAY = 1009;
    private static final int INT4_ARRAY = 1007;

    private static List<String> aggregate(AggregateColumn spec, List<Column> columns, MergeOptions options, String... perShard) {
        List<RowStream> shards = new ArrayList<>();
        for (String row : perShard) {
            shards.add(rows(columns, row));
        }
        return drain(MergeEngine.merge(new MergePlan.Aggregate(List.of(spec)), shards, options));
    }

    private static String values(byte[] array) {
        List<String> out = new ArrayList<>();
        for (PgArray.Element e : PgArray.elements(array, (byte) ',')) {
            out.add(e.value() == null ? "<null>" : new String(e.value(), StandardCharsets.UTF_8));
        }
        return String.join(" ", out);
    }

    @Test
    void arrayTextIsReadWithQuotesEscapesAndNulls() {
        assertEquals("a <null> NULL  \"q\\ b,c", values("{a,NULL,\"NULL\",\"\",\"\\\"q\\\\\",\"b,c\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", values("{}".getBytes(StandardCharsets.UTF_8)));
        assertNull(PgArray.elements("{null}".getBytes(StandardCharsets.UTF_8), (byte) ',').get(0).value());
    }

    @Test
    void multiDimensionalArraysAreRefused() {
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> aggregate(new AggregateColumn(ARRAY_AGG, 0), types(INT4_ARRAY), new MergeOptions(true), "{{1,2}}", "{{3,4}}"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    }

    @Test
    void unorderedArraysConcatenateInShardOrderKeepingTokens() {
        assertEquals(List.of("{\"a b\",NULL,c}"), aggregate(new AggregateColumn(ARRAY_AGG, 0), types(TEXT_ARRAY),
                new MergeOptions(true), "{\"a b\",NULL}", "\\N", "{c}"));
    }

    @Test
    void nullDelimiterJoinsWithNothing() {
        assertEquals(List.of("ab"), aggregate(new AggregateColumn(STRING_AGG, 0, false, null, null), types(PgType.TEXT),
                new MergeOptions(true), "a", "\\N", "b"));
    }

    @Test
    void orderedStringAggMergesByKeyAndSkipsNullValues() {
        AggregateColumn spec = new AggregateColumn(STRING_AGG, 0, false, ";", new SortKey(1, false, false));
        assertEquals(List.of("x;z;y"), aggregate(spec, types(TEXT_ARRAY, INT4_ARRAY), new MergeOptions(true),
                "{x,y}|{1,9}", "{NULL,z}|{2,3}"));
    }

    @Test
    void orderedAggregateByTextKeysNeedsBytewiseCollation() {
        AggregateColumn spec = new AggregateColumn(ARRAY_AGG, 0, false, null, new SortKey(1, false, false));
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> aggregate(spec,
                types(TEXT_ARRAY, TEXT_ARRAY), new MergeOptions(false), "{x}|{a}"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    }

    @Test
    void stringAggOverByteaIsRefused() {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> aggregate(
                new AggregateColumn(STRING_AGG, 0, false, ",", null), types(PgType.BYTEA), new MergeOptions(true), "\\x01"));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    }

    @Test
    void outputTypesAreTextForStringAggAndTheArrayTypeForArrayAgg() {
        List<Column> columns = types(TEXT_ARRAY, INT4_ARRAY);
        RowStream merged = MergeEngine.merge(new MergePlan.Aggregate(List.of(
                new AggregateColumn(STRING_AGG, 0, false, ",", new SortKey(1, false, false)),
                new AggregateColumn(ARRAY_AGG, 1))), List.of(rows(columns, "{a}|{1}")), new MergeOptions(true));
        assertEquals(PgType.TEXT, merged.columns().get(0).typeOid());
        assertEquals(INT4_ARRAY, merged.columns().get(1).typeOid());
    }
}
