package io.shardproxy.bench;

import io.shardproxy.merge.Column;
import io.shardproxy.merge.RowStream;

import java.util.List;

/**
 * One shard's result held in memory: text-format rows handed out in order, as a shard stream
 * would after the network. Cheap to create, so each measured merge gets fresh streams over the
 * same rows; the rows themselves are shared and never changed.
 */
final class ShardRows implements RowStream {

    private final List<Column> columns;
    private final byte[][][] rows;
    private int position;

    ShardRows(List<Column> columns, byte[][][] rows) {
        this.columns = columns;
        this.rows = rows;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public byte[][] next() {
        return position < rows.length ? rows[position++] : null;
    }

    @Override
    public void close() {
    }
}
