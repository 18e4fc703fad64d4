package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.PgArray;
import io.shardproxy.merge.value.PgType;
import io.shardproxy.merge.value.ValueOrdering;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ORDER BY inside string_agg or array_agg across partials: each partial row carries the
 * values as {@code array_agg(x ORDER BY k)} and the keys as {@code array_agg(k ORDER BY k)}, both
 * in the same order. Elements of all partials are collected with their keys and stably sorted by
 * key, so ties keep partial order (shard order) and each partial's own order, as a k-way merge
 * would. Holds the elements of one aggregate (one group) in memory, as PostgreSQL's own ordered
 * aggregate does. Keys order by their element type's ordering; text keys only when the shards
 * collate by bytes (0A000 otherwise).
 */
final class OrderedElements {

    /** One element: its key value (null for NULL) and the value's array element. */
    private record Entry(byte[] key, PgArray.Element value) {
    }

    private final int valuesIndex;
    private final int keysIndex;
    private final byte valueDelimiter;
    private final byte keyDelimiter;
    private final Comparator<Entry> order;
    private final List<Entry> entries = new ArrayList<>();

    OrderedElements(int valuesIndex, MergePlan.SortKey key, List<Column> columns, MergeOptions options) {
        this.valuesIndex = valuesIndex;
        this.keysIndex = key.column();
        int valuesType = PartialCombiner.partial(columns, valuesIndex).typeOid();
        int keysType = PartialCombiner.partial(columns, keysIndex).typeOid();
        int keyElement = PgArray.elementType(keysType);
        if (keyElement == 0) {
            throw ShardProxyException.unsupported("ordering aggregate input by a key of " + PgType.describe(keysType)
                    + " elements across shards is not supported", null);
        }
        this.valueDelimiter = PgArray.delimiter(valuesType);
        this.keyDelimiter = PgArray.delimiter(keysType);
        Comparator<byte[]> values = ValueOrdering.forType(keyElement, options.bytewiseText());
        Comparator<byte[]> directed = key.descending() ? values.reversed() : values;
        Comparator<byte[]> withNulls = key.nullsFirst() ? Comparator.nullsFirst(directed) : Comparator.nullsLast(directed);
        this.order = Comparator.comparing(Entry::key, withNulls);
    }

    /** Takes the value and key arrays of one partial row; both NULL means the partial had no rows. */
    void add(byte[][] partials) {
        byte[] values = partials[valuesIndex];
        byte[] keys = partials[keysIndex];
        if (values == null && keys == null) {
            return;
        }
        if (values == null || keys == null) {
            throw internal("one of the value and key arrays of an ordered aggregate is NULL, the other is not");
        }
        List<PgArray.Element> v = PgArray.elements(values, valueDelimiter);
        List<PgArray.Element> k = PgArray.elements(keys, keyDelimiter);
        if (v.size() != k.size()) {
            throw internal("an ordered aggregate's value array has " + v.size() + " elements, its key array " + k.size());
        }
        for (int i = 0; i < v.size(); i++) {
            entries.add(new Entry(k.get(i).value(), v.get(i)));
        }
    }

    /** Every value element taken so far, in key order. */
    List<PgArray.Element> sorted() {
        entries.sort(order);
        List<PgArray.Element> out = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            out.add(entry.value());
        }
        return out;
    }

    private static ShardProxyException internal(String message) {
        return new ShardProxyException(SqlState.INTERNAL_ERROR, message);
    }
}
