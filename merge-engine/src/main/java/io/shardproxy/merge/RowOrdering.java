package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.ValueOrdering;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ORDER BY of a MergeSort as a comparator of rows. DESC reverses the order of values only:
 * where NULLs go is {@link MergePlan.SortKey#nullsFirst()}, whatever the direction.
 */
final class RowOrdering {

    private RowOrdering() {
    }

    /**
     * Resolves each key's value comparator from the column's type.
     *
     * @throws ShardProxyException 0A000 for a key type that cannot be ordered here
     */
    static Comparator<byte[][]> of(List<MergePlan.SortKey> keys, List<Column> columns, MergeOptions options) {
        List<Comparator<byte[][]>> parts = new ArrayList<>(keys.size());
        for (MergePlan.SortKey key : keys) {
            if (key.column() < 0 || key.column() >= columns.size()) {
                throw new ShardProxyException(SqlState.INTERNAL_ERROR,
                        "sort key column " + key.column() + " is outside the shard rows' " + columns.size() + " columns");
            }
            Comparator<byte[]> values = ValueOrdering.forType(columns.get(key.column()).typeOid(), options.bytewiseText());
            parts.add(keyOrder(key, values));
        }
        return (a, b) -> {
            for (Comparator<byte[][]> part : parts) {
                int c = part.compare(a, b);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static Comparator<byte[][]> keyOrder(MergePlan.SortKey key, Comparator<byte[]> values) {
        int column = key.column();
        int nullSign = key.nullsFirst() ? -1 : 1;
        boolean descending = key.descending();
        return (a, b) -> {
            byte[] x = a[column];
            byte[] y = b[column];
            if (x == null || y == null) {
                return x == y ? 0 : x == null ? nullSign : -nullSign;
            }
            int c = values.compare(x, y);
            return descending ? Integer.compare(0, c) : c;
        };
    }
}
