package io.shardproxy.merge;

import java.util.List;

/**
 * The shard streams one after another, in shard order. A shard is read only once every shard
 * before it is exhausted, so an early LIMIT never touches the later shards.
 */
final class ConcatStream implements RowStream {

    private final List<RowStream> shards;
    private int current;

    ConcatStream(List<RowStream> shards) {
        this.shards = shards;
    }

    /** All shards ran the same statement; the first one's description stands for all. */
    @Override
    public List<Column> columns() {
        return shards.get(0).columns();
    }

    @Override
    public byte[][] next() {
        while (current < shards.size()) {
            byte[][] row = shards.get(current).next();
            if (row != null) {
                return row;
            }
            current++;
        }
        return null;
    }

    @Override
    public void close() {
        Streams.closeAll(shards);
    }
}
