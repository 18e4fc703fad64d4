package io.shardproxy.merge;

import java.util.List;

/**
 * OFFSET and LIMIT applied to the merged rows: skips {@code offset} rows, then passes at most
 * {@code count} ({@code count < 0}: all). The shards ran LIMIT offset+count, so the skipped rows
 * are the first ones of the merged order, not of each shard. Once {@code count} rows have passed,
 * the input is not pulled again.
 */
final class LimitStream implements RowStream {

    private final RowStream input;
    private long toSkip;
    private final long count;
    private long passed;
    /** Set once no row can follow, so an exhausted input is not pulled again. */
    private boolean done;

    LimitStream(RowStream input, long offset, long count) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        this.input = input;
        this.toSkip = offset;
        this.count = count;
    }

    @Override
    public List<Column> columns() {
        return input.columns();
    }

    @Override
    public byte[][] next() {
        if (done) {
            return null;
        }
        if (count >= 0 && passed >= count) {
            done = true;
            return null;
        }
        for (; toSkip > 0; toSkip--) {
            if (input.next() == null) {
                done = true;
                return null;
            }
        }
        byte[][] row = input.next();
        if (row == null) {
            done = true;
            return null;
        }
        passed++;
        return row;
    }

    @Override
    public void close() {
        input.close();
    }
}
