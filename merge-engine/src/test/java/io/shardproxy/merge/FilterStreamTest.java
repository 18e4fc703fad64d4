package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.CompareOp;
import io.shardproxy.merge.MergePlan.Operand;
import io.shardproxy.merge.MergePlan.Predicate;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilterStreamTest {

    private static final MergeOptions C_COLLATION = new MergeOptions(true);

    private static Predicate compare(CompareOp op, int column, String constant) {
        return new Predicate.Compare(op, new Operand.ColumnRef(column), new Operand.Constant(constant));
    }

    private static List<String> filter(TestStream input, Predicate predicate, MergeOptions options) {
        return drain(new FilterStream(input, predicate, options));
    }

    @Test
    void bigintComparesNumericallyWithADecimalConstant() {
        assertEquals(List.of("3", "10"), filter(rows(types(PgType.INT8), "2", "3", "\\N", "10"),
                compare(CompareOp.GT, 0, "2.5"), C_COLLATION));
        assertEquals(List.of("2"), filter(rows(types(PgType.INT8), "2", "3"),
                compare(CompareOp.EQ, 0, "2.0"), C_COLLATION));
    }

    @Test
    void constantOnTheLeftReadsAsTheColumnsType() {
        Predicate p = new Predicate.Compare(CompareOp.LT, new Operand.Constant("1.5"), new Operand.ColumnRef(0));
        assertEquals(List.of("1.50000001", "NaN"), filter(rows(types(PgType.NUMERIC), "1.5", "1.50000001", "NaN", "-Infinity"),
                p, C_COLLATION));
    }

    @Test
    void floatComparisonPutsNaNAboveEverythingAndZeroesEqual() {
        assertEquals(List.of("-0", "0"), filter(rows(types(PgType.FLOAT8), "-0", "0", "NaN", "1e-300"),
                compare(CompareOp.EQ, 0, "0"), C_COLLATION));
        assertEquals(List.of("NaN"), filter(rows(types(PgType.FLOAT8), "Infinity", "NaN"),
                compare(CompareOp.GT, 0, "Infinity"), C_COLLATION));
    }

    @Test
    void integerAgainstDoubleColumnComparesAsDouble() {
        Predicate p = new Predicate.Compare(CompareOp.GE, new Operand.ColumnRef(0), new Operand.ColumnRef(1));
        assertEquals(List.of("3|2.5", "2|2"), filter(rows(types(PgType.INT4, PgType.FLOAT8), "3|2.5", "2|2", "2|2.5", "\\N|1"),
                p, C_COLLATION));
    }

    @Test
    void threeValuedLogicDropsUnknownRows() {
        Predicate gt1 = compare(CompareOp.GT, 0, "1");
        Predicate isNull = new Predicate.IsNull(new Operand.ColumnRef(1), false);
        List<Column> columns = types(PgType.INT4, PgType.INT4);
        // NULL > 1 is unknown; unknown OR true is true; NOT unknown is unknown.
        assertEquals(List.of("2|5", "\\N|\\N"), filter(rows(columns, "2|5", "\\N|\\N", "0|3", "\\N|4"),
                new Predicate.Or(List.of(gt1, isNull)), C_COLLATION));
        assertEquals(List.of("0|3"), filter(rows(columns, "2|5", "\\N|\\N", "0|3"),
                new Predicate.Not(gt1), C_COLLATION));
        assertEquals(List.of("2|\\N"), filter(rows(columns, "2|\\N", "\\N|\\N", "0|\\N"),
                new Predicate.And(List.of(gt1, isNull)), C_COLLATION));
        assertEquals(List.of("2|5"), filter(rows(columns, "2|5", "3|\\N"),
                new Predicate.IsNull(new Operand.ColumnRef(1), true), C_COLLATION));
        assertEquals(List.of(), filter(rows(columns, "2|5"), compare(CompareOp.NE, 0, null), C_COLLATION));
    }

    @Test
    void boolUuidAndDateConstantsReadAsTheirTypes() {
        assertEquals(List.of("t"), filter(rows(types(PgType.BOOL), "t", "f", "\\N"), compare(CompareOp.EQ, 0, "yes"), C_COLLATION));
        assertEquals(List.of("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), filter(
                rows(types(PgType.UUID), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12"),
                compare(CompareOp.EQ, 0, "{A0EEBC999C0B4EF8BB6D6BB9BD380A11}"), C_COLLATION));
        assertEquals(List.of("2024-03-01"), filter(rows(types(PgType.DATE), "2024-01-01", "2024-03-01"),
                compare(CompareOp.GT, 0, "2024-02-01"), C_COLLATION));
    }

    @Test
    void textComparesByBytesOnlyUnderCCollation() {
        assertEquals(List.of("b", "é"), filter(rows(types(PgType.TEXT), "B", "b", "é"), compare(CompareOp.GE, 0, "a"), C_COLLATION));
        assertEquals(List.of("ab "), filter(rows(types(PgType.BPCHAR), "ab ", "abc"), compare(CompareOp.EQ, 0, "ab"), C_COLLATION));
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> filter(rows(types(PgType.TEXT), "a"), compare(CompareOp.EQ, 0, "a"), new MergeOptions(false)));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals("comparing text in HAVING across shards needs C collation", e.getMessage());
        assertFalse(e.hint().contains("COLLATE"), "COLLATE is refused across shards too: " + e.hint());
    }

    @Test
    void incomparableTypesAndBadConstantsFailBeforeAnyRow() {
        TestStream input = rows(types(PgType.INT4, PgType.TEXT), "1|a");
        ShardProxyException mixed = assertThrows(ShardProxyException.class, () -> new FilterStream(input,
                new Predicate.Compare(CompareOp.EQ, new Operand.ColumnRef(0), new Operand.ColumnRef(1)), C_COLLATION).columns());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, mixed.state());
        ShardProxyException bad = assertThrows(ShardProxyException.class,
                () -> new FilterStream(input, compare(CompareOp.EQ, 0, "abc"), C_COLLATION).columns());
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, bad.state());
        assertEquals(0, input.pulls);
    }

    @Test
    void aDateTimeConstantNotInOutputFormIsRefusedNotCalledInvalid() {
        // PostgreSQL reads '2024-02-01' as a timestamp (midnight) and as a timestamptz (midnight in
        // the session's zone); the proxy reads only the printed form, so it must refuse, not claim
        // the constant is invalid.
        for (int type : new int[] {PgType.TIMESTAMP, PgType.TIMESTAMPTZ}) {
            TestStream input = rows(types(type), type == PgType.TIMESTAMP ? "2024-03-01 00:00:00" : "2024-03-01 00:00:00+00");
            ShardProxyException e = assertThrows(ShardProxyException.class,
                    () -> new FilterStream(input, compare(CompareOp.GT, 0, "2024-02-01"), C_COLLATION).columns());
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state(), e.getMessage());
            assertEquals(0, input.pulls);
        }
        assertEquals(List.of("2024-03-01 00:00:00+00"), filter(rows(types(PgType.TIMESTAMPTZ),
                "2024-01-01 00:00:00+00", "2024-03-01 00:00:00+00"), compare(CompareOp.GT, 0, "2024-02-01 00:00:00+00"),
                C_COLLATION));
    }
}
