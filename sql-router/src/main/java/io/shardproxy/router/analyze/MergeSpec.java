package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;

import java.util.ArrayList;
import java.util.List;

/**
 * The unbound merge of a fan-out read: everything but the values that come from this statement's
 * literals (LIMIT, OFFSET, ORDER BY positions).
 *
 * @param aggregates non-empty for an aggregate query without GROUP BY: one combined row
 * @param sort       ORDER BY keys (empty when unordered or aggregate)
 * @param hidden     sort columns appended to the shard SQL and dropped from the client's rows
 * @param limitSlot  slot holding LIMIT's count, or -1
 * @param offsetSlot slot holding OFFSET's count, or -1
 * @param distinctOn for DISTINCT ON: how many leading sort keys it names (their rows collapse to
 *                   the first), else 0
 */
record MergeSpec(List<MergePlan.AggregateColumn> aggregates, List<Sort> sort, int hidden, int limitSlot, int offsetSlot,
                 int distinctOn) implements MergeTemplate {

    MergeSpec(List<MergePlan.AggregateColumn> aggregates, List<Sort> sort, int hidden, int limitSlot, int offsetSlot) {
        this(aggregates, sort, hidden, limitSlot, offsetSlot, 0);
    }

    /**
     * One ORDER BY key: a column index, a hidden column (index counted from the end, -1 = last),
     * or a positional reference whose number is in a slot.
     */
    record Sort(int column, int positionalSlot, boolean descending, boolean nullsFirst) {
    }

    @Override
    public MergePlan bind(Binding b) {
        MergePlan plan;
        if (!aggregates.isEmpty()) {
            plan = new MergePlan.Aggregate(aggregates);
        } else if (sort.isEmpty()) {
            plan = new MergePlan.Concat();
        } else {
            List<MergePlan.SortKey> keys = new ArrayList<>(sort.size());
            for (Sort s : sort) {
                int column = s.column();
                if (s.positionalSlot() >= 0) {
                    column = position(b, s.positionalSlot()) - 1;
                }
                keys.add(new MergePlan.SortKey(column, s.descending(), s.nullsFirst()));
            }
            plan = new MergePlan.MergeSort(keys);
            if (distinctOn > 0) {
                List<Integer> on = new ArrayList<>();
                for (int k = 0; k < distinctOn; k++) {
                    on.add(keys.get(k).column());
                }
                plan = new MergePlan.Distinct(plan, on);
            }
        }
        return finish(plan, b, limitSlot, offsetSlot, hidden);
    }

    /** LIMIT and OFFSET applied in the proxy, then the hidden columns dropped. */
    static MergePlan finish(MergePlan plan, Binding b, int limitSlot, int offsetSlot, int hidden) {
        long count = count(b, limitSlot, true);
        long offset = count(b, offsetSlot, false);
        if (count >= 0 || offset > 0) {
            plan = new MergePlan.Limit(plan, Math.max(0, offset), count);
        }
        if (hidden > 0) {
            plan = new MergePlan.DropColumns(plan, hidden);
        }
        return plan;
    }

    @Override
    public long shardRowLimit(Binding b) {
        return aggregates.isEmpty() ? shardLimit(b) : 1;
    }

    /** The count shards are sent: LIMIT offset+count, or -1 for none. */
    long shardLimit(Binding b) {
        long count = count(b, limitSlot, true);
        if (count < 0) {
            return -1;
        }
        long offset = Math.max(0, count(b, offsetSlot, false));
        long sum = count + offset;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static int position(Binding b, int slot) {
        Long v = b.isNumber(slot) ? b.longValue(slot) : null;
        if (v == null) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR, "non-integer constant in ORDER BY");
        }
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR, "ORDER BY position " + v + " is not in select list");
        }
        return v.intValue();
    }

    /** A LIMIT or OFFSET count from its slot; -1 when absent. */
    static long count(Binding b, int slot, boolean limit) {
        if (slot < 0) {
            return -1;
        }
        Long v = b.longValue(slot);
        if (v == null) {
            throw ShardProxyException.unsupported(
                    (limit ? "LIMIT" : "OFFSET") + " across shards must be an integer constant",
                    "write the count as a plain integer");
        }
        if (v < 0) {
            throw limit
                    ? new ShardProxyException(SqlState.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, "LIMIT must not be negative")
                    : new ShardProxyException(SqlState.INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE, "OFFSET must not be negative");
        }
        return v;
    }
}
