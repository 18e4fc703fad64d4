package io.shardproxy.merge;

import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.GroupColumn;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.merge.PostgresVerifiedCases.Case;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.shardproxy.merge.MergePlan.AggregateFunction.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The merge of partials PostgreSQL 17.11 computed on parts of a table gives exactly what
 * PostgreSQL computed on the whole table ({@link PostgresVerifiedCases}): variance and stddev in
 * numeric and float8, the regression family, bool_and/bool_or, ordered and unordered string_agg
 * and array_agg, DISTINCT aggregates, and GROUP BY with text, numeric and no keys.
 */
class PostgresVerifiedTest {

    static List<Case> cases() {
        return PostgresVerifiedCases.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mergedPartialsEqualPostgresOverTheWholeTable(Case c) {
        List<Column> columns = TestStream.types(Arrays.stream(c.types().split(" ")).mapToInt(Integer::parseInt).toArray());
        List<RowStream> shards = new ArrayList<>();
        for (List<String> part : c.partials()) {
            shards.add(TestStream.rows(columns, part.toArray(new String[0])));
        }
        assertEquals(c.expected(), TestStream.drain(MergeEngine.merge(plan(c.plan()), shards, new MergeOptions(true))));
    }

    private static AggregateColumn plain(AggregateFunction function, int column) {
        return new AggregateColumn(function, column);
    }

    private static GroupColumn aggregated(AggregateColumn column) {
        return new GroupColumn.Aggregated(column);
    }

    private static GroupColumn distinct(AggregateFunction function, int column) {
        return aggregated(new AggregateColumn(function, column, true, null, null));
    }

    /** The plans the partial queries were written for (column numbers are theirs). */
    private static MergePlan plan(PostgresVerifiedCases.Plan plan) {
        SortKey byFirst = new SortKey(0, false, false);
        switch (plan) {
            case VARIANCE:
                // count(x), sum(x), sum(x::numeric * x::numeric) | count(x), sum(x::float8), regr_sxx(x, x)
                return new MergePlan.Aggregate(List.of(plain(VAR_POP, 0), plain(VAR_SAMP, 0), plain(STDDEV_POP, 0),
                        plain(STDDEV_SAMP, 0)));
            case REGRESSION: {
                // regr_count(y, x), sum(x), sum(y) (both non-null), regr_sxx, regr_syy, regr_sxy
                List<AggregateColumn> all = new ArrayList<>();
                for (AggregateFunction f : List.of(CORR, COVAR_POP, COVAR_SAMP, REGR_AVGX, REGR_AVGY, REGR_COUNT,
                        REGR_INTERCEPT, REGR_R2, REGR_SLOPE, REGR_SXX, REGR_SXY, REGR_SYY)) {
                    all.add(plain(f, 0));
                }
                return new MergePlan.Aggregate(all);
            }
            case STRINGS:
                // array_agg(s ORDER BY k), array_agg(k ORDER BY k), the same DESC, the same ASC again
                return new MergePlan.Aggregate(List.of(
                        new AggregateColumn(STRING_AGG, 0, false, ", ", new SortKey(1, false, false)),
                        new AggregateColumn(STRING_AGG, 2, false, null, new SortKey(3, true, true)),
                        new AggregateColumn(ARRAY_AGG, 4, false, null, new SortKey(5, false, false))));
            case UNORDERED_STRINGS:
                // array_agg(s), string_agg(s, '-'), string_agg(s, NULL)
                return new MergePlan.Aggregate(List.of(plain(ARRAY_AGG, 0),
                        new AggregateColumn(STRING_AGG, 1, false, "-", null),
                        new AggregateColumn(STRING_AGG, 2, false, null, null)));
            case BOOL:
                return new MergePlan.Aggregate(List.of(plain(BOOL_AND, 0), plain(BOOL_OR, 1)));
            case DISTINCT:
                // g, x, count(*), sum(x) GROUP BY g, x ORDER BY g, x
                return new MergePlan.GroupAggregate(List.of(byFirst), 1, List.of(new GroupColumn.Key(0),
                        distinct(COUNT, 1), distinct(SUM, 1), distinct(AVG, 1), distinct(MIN, 1),
                        aggregated(plain(COUNT, 2)), aggregated(plain(SUM, 3))));
            case DISTINCT_NO_KEYS:
                // g, x, count(*) GROUP BY g, x ORDER BY x
                return new MergePlan.GroupAggregate(List.of(), 1, List.of(distinct(VAR_SAMP, 1),
                        distinct(STDDEV_POP, 1), distinct(COUNT, 1), aggregated(plain(COUNT, 2))));
            case TEXT_GROUPS:
                // g, count(*), sum(x), count(x) GROUP BY g ORDER BY g COLLATE "C"
                return new MergePlan.GroupAggregate(List.of(byFirst), -1, List.of(new GroupColumn.Key(0),
                        aggregated(plain(COUNT, 1)), aggregated(plain(AVG, 2))));
            case NUMERIC_GROUPS:
                // g, count(*), sum(x) GROUP BY g ORDER BY g
                return new MergePlan.GroupAggregate(List.of(byFirst), -1, List.of(aggregated(plain(COUNT, 1)),
                        aggregated(plain(SUM, 2))));
            default:
                // count(x), sum(x), max(x), sum(x), count(x), bool_and(x > 0), array_agg(x),
                // string_agg(x::text, ','), count(x), sum(x), sum(x*x), regr_count(x, x), sum(x),
                // sum(x), regr_sxx(x, x), regr_syy(x, x), regr_sxy(x, x); no GROUP BY
                return new MergePlan.GroupAggregate(List.of(), -1, List.of(aggregated(plain(COUNT, 0)),
                        aggregated(plain(SUM, 1)), aggregated(plain(MAX, 2)), aggregated(plain(AVG, 3)),
                        aggregated(plain(BOOL_AND, 5)), aggregated(plain(ARRAY_AGG, 6)),
                        aggregated(new AggregateColumn(STRING_AGG, 7, false, ",", null)), aggregated(plain(VAR_POP, 8)),
                        aggregated(plain(REGR_COUNT, 11)), aggregated(plain(CORR, 11))));
        }
    }
}
