package io.shardproxy.router.analyze;

import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.SortKey;

import java.util.ArrayList;
import java.util.List;

/**
 * The merge of a GROUP BY (or aggregate, or DISTINCT) fan-out:
 * <pre>
 *   GroupAggregate(keys)  combine each group's partials from every shard, one group at a time
 *   → Filter(HAVING)      evaluated on the combined values
 *   → Sort(ORDER BY)      top-N when there is a LIMIT, else sorted with spilling
 *   → Limit, DropColumns  OFFSET here; hidden HAVING and ORDER BY columns dropped
 * </pre>
 *
 * @param keys           the group keys' shard columns, ascending as the shards sorted them
 * @param distinctColumn the shard column of the DISTINCT aggregates' argument, or -1
 * @param columns        output columns: visible ones, then {@code hidden} ones
 * @param having         the HAVING condition, or null
 * @param order          ORDER BY over output columns (empty: the group order)
 */
record GroupMerge(List<SortKey> keys, int distinctColumn, List<Output> columns, Condition having,
                  List<SortKey> order, int limitSlot, int offsetSlot, int hidden) implements MergeTemplate {

    /** An output column before binding. */
    sealed interface Output permits KeyOut, AggregateOut {
        MergePlan.GroupColumn bind(Binding b);
    }

    /** The group's value of shard column {@code column}. */
    record KeyOut(int column) implements Output {
        @Override
        public MergePlan.GroupColumn bind(Binding b) {
            return new MergePlan.GroupColumn.Key(column);
        }
    }

    /**
     * An aggregate. {@code delimiterSlot} is the slot of string_agg's delimiter (-1 none, -2 the
     * NULL constant).
     */
    record AggregateOut(AggregateFunction function, int column, boolean distinct, int delimiterSlot, SortKey order)
            implements Output {
        @Override
        public MergePlan.GroupColumn bind(Binding b) {
            String delimiter = delimiterSlot >= 0 ? b.constantText(delimiterSlot) : null;
            return new MergePlan.GroupColumn.Aggregated(
                    new MergePlan.AggregateColumn(function, column, distinct, delimiter, order));
        }
    }

    /** HAVING before binding: constants are slots of the statement. */
    sealed interface Condition permits Compare, And, Or, Not, IsNull {
        MergePlan.Predicate bind(Binding b);
    }

    record Compare(MergePlan.CompareOp op, Operand left, Operand right) implements Condition {
        @Override
        public MergePlan.Predicate bind(Binding b) {
            return new MergePlan.Predicate.Compare(op, left.bind(b), right.bind(b));
        }
    }

    record And(List<Condition> parts) implements Condition {
        @Override
        public MergePlan.Predicate bind(Binding b) {
            return new MergePlan.Predicate.And(bindAll(parts, b));
        }
    }

    record Or(List<Condition> parts) implements Condition {
        @Override
        public MergePlan.Predicate bind(Binding b) {
            return new MergePlan.Predicate.Or(bindAll(parts, b));
        }
    }

    record Not(Condition part) implements Condition {
        @Override
        public MergePlan.Predicate bind(Binding b) {
            return new MergePlan.Predicate.Not(part.bind(b));
        }
    }

    record IsNull(Operand operand, boolean negated) implements Condition {
        @Override
        public MergePlan.Predicate bind(Binding b) {
            return new MergePlan.Predicate.IsNull(operand.bind(b), negated);
        }
    }

    /** An operand: an output column, a literal slot (maybe negated), or a fixed constant. */
    record Operand(int column, int slot, boolean negate, String fixed) {
        static Operand column(int column) {
            return new Operand(column, -1, false, null);
        }

        static Operand slot(int slot, boolean negate) {
            return new Operand(-1, slot, negate, null);
        }

        /** A constant written into the shape (true, false), or NULL when {@code text} is null. */
        static Operand fixed(String text) {
            return new Operand(-1, -1, false, text);
        }

        MergePlan.Operand bind(Binding b) {
            if (column >= 0) {
                return new MergePlan.Operand.ColumnRef(column);
            }
            if (slot >= 0) {
                String text = b.constantText(slot);
                if (text == null) {
                    throw ReadAnalyzer.refuse("HAVING across shards compares with constants only");
                }
                return new MergePlan.Operand.Constant(negate ? negate(text) : text);
            }
            return new MergePlan.Operand.Constant(fixed);
        }

        private static String negate(String text) {
            return text.startsWith("-") ? text.substring(1) : "-" + text;
        }
    }

    /** Without GROUP BY keys or DISTINCT aggregates every shard returns exactly one row. */
    @Override
    public long shardRowLimit(Binding b) {
        return keys.isEmpty() && distinctColumn < 0 ? 1 : -1;
    }

    @Override
    public MergePlan bind(Binding b) {
        List<MergePlan.GroupColumn> bound = new ArrayList<>(columns.size());
        for (Output o : columns) {
            bound.add(o.bind(b));
        }
        MergePlan plan = new MergePlan.GroupAggregate(keys, distinctColumn, bound);
        if (having != null) {
            plan = new MergePlan.Filter(plan, having.bind(b));
        }
        if (!order.isEmpty()) {
            long count = MergeSpec.count(b, limitSlot, true);
            long offset = Math.max(0, MergeSpec.count(b, offsetSlot, false));
            long top = count < 0 ? -1 : (count + offset < 0 ? Long.MAX_VALUE : count + offset);
            plan = new MergePlan.Sort(plan, order, top);
        }
        return MergeSpec.finish(plan, b, limitSlot, offsetSlot, hidden);
    }

    private static List<MergePlan.Predicate> bindAll(List<Condition> parts, Binding b) {
        List<MergePlan.Predicate> out = new ArrayList<>(parts.size());
        for (Condition c : parts) {
            out.add(c.bind(b));
        }
        return out;
    }
}
