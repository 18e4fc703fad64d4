package io.shardproxy.merge;

import java.util.List;

/**
 * How the rows of several shard streams become one result: a tree of plain values, built by the
 * router and turned into stream operators by {@link MergeEngine}. Leaves ({@link Concat},
 * {@link MergeSort}, {@link Aggregate}) consume the shard streams; the others wrap one input.
 */
public sealed interface MergePlan
        permits MergePlan.Concat, MergePlan.MergeSort, MergePlan.Aggregate, MergePlan.Limit, MergePlan.DropColumns {

    /** Shard streams one after another, in shard order. */
    record Concat() implements MergePlan {
    }

    /**
     * Each shard stream is already sorted by {@code keys} (the shard ran the ORDER BY); the
     * streams are merged through a priority queue of their heads.
     */
    record MergeSort(List<SortKey> keys) implements MergePlan {
        public MergeSort {
            keys = List.copyOf(keys);
        }
    }

    /**
     * Every shard stream yields exactly one row of partial aggregates (an aggregate query with no
     * GROUP BY); they combine into one row with one output column per element of {@code columns}.
     */
    record Aggregate(List<AggregateColumn> columns) implements MergePlan {
        public Aggregate {
            columns = List.copyOf(columns);
        }
    }

    /**
     * LIMIT and OFFSET applied in the proxy: skips {@code offset} rows, then passes at most
     * {@code count} rows; {@code count < 0} means no limit. Shards were sent LIMIT offset+count.
     */
    record Limit(MergePlan input, long offset, long count) implements MergePlan {
    }

    /** Drops the last {@code count} columns: hidden sort keys the router appended. */
    record DropColumns(MergePlan input, int count) implements MergePlan {
    }

    /**
     * One ORDER BY key.
     *
     * @param column     0-based column index in the shard rows
     * @param descending DESC
     * @param nullsFirst NULLS FIRST (PostgreSQL's default is true for DESC, false for ASC)
     */
    record SortKey(int column, boolean descending, boolean nullsFirst) {
    }

    /**
     * One output column of an {@link Aggregate}.
     *
     * @param function how partials combine
     * @param column   0-based index of the partial in the shard rows; AVG reads the partial sum
     *                 at {@code column} and the partial count at {@code column + 1}, and takes its
     *                 output name from the sum column
     */
    record AggregateColumn(AggregateFunction function, int column) {
    }

    /** Aggregates the foundation can combine from per-shard partials. */
    enum AggregateFunction {
        /** count(*) or count(x): partial counts are summed; int8. */
        COUNT,
        /** sum(x): partial sums are summed in the partial's type (int8 exact with overflow check, numeric exact, float). */
        SUM,
        /** min(x): least non-null partial by the type's ordering. */
        MIN,
        /** max(x): greatest non-null partial by the type's ordering. */
        MAX,
        /** avg(x): sum of partial sums divided by sum of partial counts, in PostgreSQL's result type and scale. */
        AVG
    }
}
