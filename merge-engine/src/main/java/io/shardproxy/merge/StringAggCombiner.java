package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.value.PgArray;
import io.shardproxy.merge.value.PgType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * string_agg(x, delimiter). Unordered, the partials are the shards' own string_agg texts, joined
 * in shard order with the delimiter between non-null partials. Ordered ({@code order} set), the
 * partials are value and key arrays merged by key ({@link OrderedElements}), and the non-null
 * values joined with the delimiter. A NULL delimiter joins with nothing, as PostgreSQL does. NULL
 * when there is no non-null value. Result text; string_agg over bytea is refused (0A000).
 */
final class StringAggCombiner implements PartialCombiner {

    private final int index;
    private final byte[] delimiter;
    private final OrderedElements ordered;
    private final Column column;
    private final ByteArrayOutputStream joined = new ByteArrayOutputStream();
    private boolean seen;

    StringAggCombiner(MergePlan.AggregateColumn spec, List<Column> columns, MergeOptions options) {
        this.index = spec.column();
        Column partial = PartialCombiner.partial(columns, index);
        this.delimiter = spec.parameter() == null ? new byte[0] : spec.parameter().getBytes(StandardCharsets.UTF_8);
        int type = partial.typeOid();
        if (spec.order() == null) {
            if (type == PgType.BYTEA) {
                throw unsupported();
            }
            PartialCombiner.partialOfType(columns, index, PgType.TEXT, "string_agg");
            this.ordered = null;
        } else {
            if (type == 1001) {
                throw unsupported();
            }
            if (PgArray.elementType(type) == 0) {
                PartialCombiner.partialOfType(columns, index, 1009, "ordered string_agg values");
            }
            this.ordered = new OrderedElements(index, spec.order(), columns, options);
        }
        this.column = Column.computed(partial.name(), PgType.TEXT, (short) -1);
    }

    private static ShardProxyException unsupported() {
        return ShardProxyException.unsupported("string_agg(bytea) across shards is not supported yet",
                "aggregate the text form, e.g. string_agg(encode(x, 'hex'), ...)");
    }

    @Override
    public Column column() {
        return column;
    }

    @Override
    public void add(byte[][] partials) {
        if (ordered != null) {
            ordered.add(partials);
        } else if (partials[index] != null) {
            append(partials[index]);
        }
    }

    private void append(byte[] text) {
        if (seen) {
            joined.writeBytes(delimiter);
        }
        joined.writeBytes(text);
        seen = true;
    }

    @Override
    public byte[] result() {
        if (ordered != null) {
            for (PgArray.Element element : ordered.sorted()) {
                if (element.value() != null) {
                    append(element.value());
                }
            }
        }
        return seen ? joined.toByteArray() : null;
    }
}
