package io.shardproxy.router.plan;

import io.shardproxy.merge.MergePlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Finishes a merge plan once the shards' column count is known. The router numbers hidden sort
 * columns (appended after {@code *}, whose width it cannot know) from the end: -1 is the last
 * column. This turns them into ordinary indexes.
 */
public final class MergePlans {

    private MergePlans() {
    }

    public static MergePlan resolve(MergePlan plan, int columns) {
        if (plan instanceof MergePlan.MergeSort) {
            List<MergePlan.SortKey> keys = new ArrayList<>();
            for (MergePlan.SortKey k : ((MergePlan.MergeSort) plan).keys()) {
                int c = k.column() < 0 ? columns + k.column() : k.column();
                keys.add(new MergePlan.SortKey(c, k.descending(), k.nullsFirst()));
            }
            return new MergePlan.MergeSort(keys);
        }
        if (plan instanceof MergePlan.Limit) {
            MergePlan.Limit l = (MergePlan.Limit) plan;
            return new MergePlan.Limit(resolve(l.input(), columns), l.offset(), l.count());
        }
        if (plan instanceof MergePlan.DropColumns) {
            MergePlan.DropColumns d = (MergePlan.DropColumns) plan;
            return new MergePlan.DropColumns(resolve(d.input(), columns), d.count());
        }
        if (plan instanceof MergePlan.Distinct) {
            MergePlan.Distinct d = (MergePlan.Distinct) plan;
            List<Integer> on = new ArrayList<>();
            for (int c : d.columns()) {
                on.add(c < 0 ? columns + c : c);
            }
            return new MergePlan.Distinct(resolve(d.input(), columns), on);
        }
        return plan;
    }
}
