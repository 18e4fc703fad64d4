package io.shardproxy.merge;

import java.util.List;

/**
 * How the rows of several shard streams become one result: a tree of plain values, built by the
 * router and turned into stream operators by {@link MergeEngine}. Leaves ({@link Concat},
 * {@link MergeSort}, {@link Aggregate}) consume the shard streams; the others wrap one input.
 */
public sealed interface MergePlan
        permits MergePlan.Concat, MergePlan.MergeSort, MergePlan.Aggregate, MergePlan.Limit, MergePlan.DropColumns,
        MergePlan.GroupAggregate, MergePlan.Distinct, MergePlan.Sort, MergePlan.Filter {

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
     * GROUP BY across shards, streamed. A leaf: every shard stream is sorted by {@code keys} (the
     * shards ran {@code GROUP BY ... ORDER BY ...}, text keys with {@code COLLATE "C"} so that
     * every shard orders them byte-wise) and, when {@code distinctColumn >= 0}, then by that
     * column. The operator merge-sorts the shard streams and combines each run of rows with equal
     * keys into one output row, holding one group at a time.
     *
     * <p>With no keys there is exactly one group, and exactly one output row even when no shard
     * returns a row (an aggregate without GROUP BY over an empty input).
     *
     * @param keys           the group key columns of the shard rows, with the order the shards used
     * @param distinctColumn column holding the argument of DISTINCT aggregates (the shards grouped
     *                       by it too), or -1
     * @param columns        the output columns, in order
     */
    record GroupAggregate(List<SortKey> keys, int distinctColumn, List<GroupColumn> columns) implements MergePlan {
        public GroupAggregate {
            keys = List.copyOf(keys);
            columns = List.copyOf(columns);
        }
    }

    /** One output column of a {@link GroupAggregate}. */
    sealed interface GroupColumn permits GroupColumn.Key, GroupColumn.Aggregated {
        /** The group's value of the key in shard column {@code column} (its first row's bytes). */
        record Key(int column) implements GroupColumn {
        }

        /** An aggregate combined over the group. */
        record Aggregated(AggregateColumn aggregate) implements GroupColumn {
        }
    }

    /**
     * DISTINCT and DISTINCT ON: keeps the first row of each run of rows equal on {@code columns}
     * (input ordered so that equal rows are adjacent). Equality is the type's equality; text is
     * compared byte-wise, which is equality under every deterministic collation.
     */
    record Distinct(MergePlan input, List<Integer> columns) implements MergePlan {
        public Distinct {
            columns = List.copyOf(columns);
        }
    }

    /**
     * Sorts the whole input in the proxy (ORDER BY after GROUP BY or DISTINCT when the shards'
     * order is not the one asked for). {@code limit >= 0} keeps only the first {@code limit}
     * rows (a bounded top-N heap); otherwise rows are sorted in memory up to
     * {@link MergeOptions#sortMemoryRows()} and spilled to temporary files beyond. Stable: rows
     * that compare equal keep their input order.
     */
    record Sort(MergePlan input, List<SortKey> keys, long limit) implements MergePlan {
        public Sort {
            keys = List.copyOf(keys);
        }
    }

    /** HAVING evaluated in the proxy: keeps the rows for which {@code predicate} is true. */
    record Filter(MergePlan input, Predicate predicate) implements MergePlan {
    }

    /**
     * A condition on a row, with SQL's three-valued logic (a comparison with NULL is unknown, and
     * unknown rows are dropped).
     */
    sealed interface Predicate permits Predicate.Compare, Predicate.And, Predicate.Or, Predicate.Not, Predicate.IsNull {
        /** {@code left op right}; a constant is read as a value of the other side's column type. */
        record Compare(CompareOp op, Operand left, Operand right) implements Predicate {
        }

        record And(List<Predicate> parts) implements Predicate {
            public And {
                parts = List.copyOf(parts);
            }
        }

        record Or(List<Predicate> parts) implements Predicate {
            public Or {
                parts = List.copyOf(parts);
            }
        }

        record Not(Predicate part) implements Predicate {
        }

        /** {@code operand IS NULL}, or IS NOT NULL when {@code negated}. */
        record IsNull(Operand operand, boolean negated) implements Predicate {
        }
    }

    /** Comparison operators. */
    enum CompareOp { EQ, NE, LT, LE, GT, GE }

    /** A value in a {@link Predicate}. */
    sealed interface Operand permits Operand.ColumnRef, Operand.Constant {
        /** The row's value in column {@code column}. */
        record ColumnRef(int column) implements Operand {
        }

        /** A literal, as PostgreSQL text input for the type it is compared with; null is SQL NULL. */
        record Constant(String text) implements Operand {
        }
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
     * One aggregate of an {@link Aggregate} or {@link GroupAggregate}.
     *
     * @param function  how partials combine; each function's partial layout is on its constant
     * @param column    0-based index of the first partial in the shard rows; the output column
     *                  takes its name from this column
     * @param distinct  the aggregate runs over the distinct values of the group's distinct
     *                  column (GroupAggregate only); {@code column} is then that column
     * @param parameter a constant argument: the delimiter of an ordered STRING_AGG, else null
     * @param order     the ORDER BY inside an ordered STRING_AGG or ARRAY_AGG (its column is
     *                  the partial holding the sort keys), else null
     */
    record AggregateColumn(AggregateFunction function, int column, boolean distinct, String parameter, SortKey order) {

        /** A plain aggregate: not DISTINCT, no parameter, no ORDER BY inside. */
        public AggregateColumn(AggregateFunction function, int column) {
            this(function, column, false, null, null);
        }
    }

    /**
     * Aggregates combined from per-shard partials. The partial layout each one reads, starting at
     * {@link AggregateColumn#column()}, is given in brackets; the router asks the shards for
     * exactly these.
     */
    enum AggregateFunction {
        /** count(*) or count(x) [count int8]: counts are summed; int8. Distinct: non-null distinct values. */
        COUNT,
        /** sum(x) [sum]: summed in the partial's type (int8 exact with overflow check, numeric exact, float). */
        SUM,
        /** min(x) [value]: least non-null partial by the type's ordering. */
        MIN,
        /** max(x) [value]: greatest non-null partial by the type's ordering. */
        MAX,
        /** avg(x) [sum, count]: total sum over total count, in PostgreSQL's result type and scale. */
        AVG,
        /**
         * var_pop(x): exact form [count int8, sum int8|numeric, sum of squares numeric] combined
         * in numeric as PostgreSQL's numeric_stddev_internal does (result numeric); float form
         * [count int8, sum float8, Sxx float8 (regr_sxx(x, x))] combined as float8_combine
         * (result float8). The sum partial's type picks the form.
         */
        VAR_POP,
        /** var_samp(x), variance(x): as VAR_POP, divided by n - 1. */
        VAR_SAMP,
        /** stddev_pop(x): the square root of VAR_POP. */
        STDDEV_POP,
        /** stddev_samp(x), stddev(x): the square root of VAR_SAMP. */
        STDDEV_SAMP,
        /** bool_and(x), every(x) [bool]. */
        BOOL_AND,
        /** bool_or(x) [bool]. */
        BOOL_OR,
        /**
         * string_agg(x, delimiter): unordered [string_agg text] concatenated in shard order with
         * the delimiter ({@code parameter}) between non-null partials; ordered
         * ([values array, keys array], {@code order} set) merged element by element by key.
         */
        STRING_AGG,
        /** array_agg(x): unordered [array] concatenated in shard order; ordered as STRING_AGG. */
        ARRAY_AGG,
        /**
         * The two-variable aggregates, all from [N int8, Sx, Sy, Sxx, Syy, Sxy float8] (the
         * shards' regr_count, sum(x), sum(y), regr_sxx, regr_syy, regr_sxy over rows where both
         * are non-null), combined as float8_regr_combine and finished as PostgreSQL's float.c.
         */
        CORR,
        /** covar_pop(y, x). */
        COVAR_POP,
        /** covar_samp(y, x). */
        COVAR_SAMP,
        /** regr_avgx(y, x). */
        REGR_AVGX,
        /** regr_avgy(y, x). */
        REGR_AVGY,
        /** regr_count(y, x) (int8). */
        REGR_COUNT,
        /** regr_intercept(y, x). */
        REGR_INTERCEPT,
        /** regr_r2(y, x). */
        REGR_R2,
        /** regr_slope(y, x). */
        REGR_SLOPE,
        /** regr_sxx(y, x). */
        REGR_SXX,
        /** regr_sxy(y, x). */
        REGR_SXY,
        /** regr_syy(y, x). */
        REGR_SYY
    }
}
