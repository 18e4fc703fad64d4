package io.shardproxy.server.admin;

import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.MergePlan.AggregateColumn;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.GroupColumn;
import io.shardproxy.merge.MergePlan.SortKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdminCommandsTest {

    @Test
    void explainRouteDescribesEveryMergeNode() {
        MergePlan group = new MergePlan.GroupAggregate(List.of(new SortKey(0, false, false)), 2,
                List.of(new GroupColumn.Key(0), new GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.AVG, 1)),
                        new GroupColumn.Aggregated(new AggregateColumn(AggregateFunction.COUNT, 2, true, null, null))));
        MergePlan plan = new MergePlan.DropColumns(new MergePlan.Limit(new MergePlan.Sort(new MergePlan.Filter(group,
                new MergePlan.Predicate.IsNull(new MergePlan.Operand.ColumnRef(1), true)),
                List.of(new SortKey(1, true, true)), 5), 0, 5), 1);
        assertEquals("limit 5 offset 0 of combine groups by column 1 nulls last with avg, count distinct, distinct over"
                + " column 3, then HAVING, then sort by column 2 desc nulls first keeping the first 5, then drop 1 hidden"
                + " column(s)", AdminCommands.describe(plan));
        assertEquals("merge-sort by column 1 nulls last, then the first row per column 1",
                AdminCommands.describe(new MergePlan.Distinct(new MergePlan.MergeSort(List.of(new SortKey(0, false, false))),
                        List.of(0))));
    }
}
