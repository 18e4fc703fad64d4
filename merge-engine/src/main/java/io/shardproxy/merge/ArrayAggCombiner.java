package io.shardproxy.merge;

import io.shardproxy.merge.value.PgArray;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * array_agg(x). Unordered, the shards' arrays are concatenated in shard order
 * ({a,b} + {c} = {a,b,c}), a NULL partial being a shard without rows. Ordered ({@code order}
 * set), value and key arrays are merged by key ({@link OrderedElements}). Element tokens are
 * kept exactly as the shards printed them, so the output is what array_out prints; NULL when no
 * shard had a row. Arrays of arrays are refused (0A000). The result has the partial's array type.
 */
final class ArrayAggCombiner implements PartialCombiner {

    private final int index;
    private final byte delimiter;
    private final OrderedElements ordered;
    private final Column column;
    private final ByteArrayOutputStream joined = new ByteArrayOutputStream();
    private boolean seen;

    ArrayAggCombiner(MergePlan.AggregateColumn spec, List<Column> columns, MergeOptions options) {
        this.index = spec.column();
        this.column = PartialCombiner.partial(columns, index);
        this.delimiter = PgArray.delimiter(column.typeOid());
        this.ordered = spec.order() == null ? null : new OrderedElements(index, spec.order(), columns, options);
    }

    @Override
    public Column column() {
        return column;
    }

    @Override
    public void add(byte[][] partials) {
        if (ordered != null) {
            ordered.add(partials);
            return;
        }
        byte[] partial = partials[index];
        if (partial == null) {
            return;
        }
        byte[] content = PgArray.content(partial);
        if (content.length == 0) {
            return;
        }
        joined.write(seen ? delimiter : '{');
        joined.writeBytes(content);
        seen = true;
    }

    @Override
    public byte[] result() {
        if (ordered != null) {
            List<byte[]> tokens = new ArrayList<>();
            for (PgArray.Element element : ordered.sorted()) {
                tokens.add(element.value() == null ? null : element.token());
            }
            return tokens.isEmpty() ? null : PgArray.format(tokens, delimiter);
        }
        if (!seen) {
            return null;
        }
        joined.write('}');
        return joined.toByteArray();
    }
}
