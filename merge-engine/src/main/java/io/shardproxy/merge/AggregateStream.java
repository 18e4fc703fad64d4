package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.util.ArrayList;
import java.util.List;

/**
 * An aggregate without GROUP BY: every shard returns exactly one row of partials, and they
 * combine into exactly one row, one column per {@link MergePlan.AggregateColumn}. A shard with no
 * row or with a second row means the shard did not run the rewritten statement, so it is an
 * internal error rather than something to guess around. The combiners are built on the first
 * {@link #columns()} or {@link #next()}, so unsupported partial types fail before any row.
 */
final class AggregateStream implements RowStream {

    private final List<RowStream> shards;
    private final List<MergePlan.AggregateColumn> specs;
    private final MergeOptions options;
    private List<PartialCombiner> combiners;
    private List<Column> columns;
    private int partialWidth;
    private boolean returned;

    AggregateStream(List<RowStream> shards, List<MergePlan.AggregateColumn> specs, MergeOptions options) {
        this.shards = shards;
        this.specs = specs;
        this.options = options;
    }

    @Override
    public List<Column> columns() {
        if (columns == null) {
            List<Column> partials = shards.get(0).columns();
            for (int i = 1; i < shards.size(); i++) {
                requireSameTypes(partials, shards.get(i).columns(), i);
            }
            List<PartialCombiner> built = new ArrayList<>(specs.size());
            List<Column> out = new ArrayList<>(specs.size());
            for (MergePlan.AggregateColumn spec : specs) {
                if (spec.distinct()) {
                    throw internal("a DISTINCT aggregate needs a GroupAggregate plan, whose shard rows are sorted by its argument");
                }
                PartialCombiner combiner = PartialCombiner.of(spec, partials, options);
                built.add(combiner);
                out.add(combiner.column());
            }
            partialWidth = partials.size();
            combiners = built;
            columns = List.copyOf(out);
        }
        return columns;
    }

    @Override
    public byte[][] next() {
        columns();
        if (returned) {
            return null;
        }
        returned = true;
        for (int i = 0; i < shards.size(); i++) {
            RowStream shard = shards.get(i);
            byte[][] partials = shard.next();
            if (partials == null) {
                throw internal("shard " + i + " returned no row of aggregate partials");
            }
            if (partials.length != partialWidth) {
                throw internal("shard " + i + " returned a row of " + partials.length + " partials, expected " + partialWidth);
            }
            if (shard.next() != null) {
                throw internal("shard " + i + " returned more than one row of aggregate partials");
            }
            for (PartialCombiner combiner : combiners) {
                combiner.add(partials);
            }
        }
        byte[][] row = new byte[combiners.size()][];
        for (int c = 0; c < row.length; c++) {
            row[c] = combiners.get(c).result();
        }
        return row;
    }

    private static void requireSameTypes(List<Column> first, List<Column> other, int shard) {
        if (other.size() != first.size()) {
            throw internal("shard " + shard + " returned " + other.size() + " partial columns, shard 0 " + first.size());
        }
        for (int c = 0; c < first.size(); c++) {
            if (other.get(c).typeOid() != first.get(c).typeOid()) {
                throw internal("shard " + shard + " returned partial column " + c + " as type OID "
                        + other.get(c).typeOid() + ", shard 0 as " + first.get(c).typeOid());
            }
        }
    }

    private static ShardProxyException internal(String message) {
        return new ShardProxyException(SqlState.INTERNAL_ERROR, message);
    }

    @Override
    public void close() {
        Streams.closeAll(shards);
    }
}
