package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.shard.ShardingRule;

import java.util.Arrays;

/**
 * COPY FROM STDIN into a sharded table (ROUTE_ROWS), from the client's CopyData chunks to each
 * shard's bytes: splits the data into rows ({@link CopyRowSplitter}), reads each row's key
 * ({@link CopyKeyReader}) and appends the row, exactly as the client sent it, line ending
 * included, to its shard's batch. The header line (or binary file header) goes to every shard,
 * so HEADER and HEADER MATCH behave as in PostgreSQL; binary data gets its trailer on every shard
 * at the end. The end-of-data marker is never sent: each shard's data ends with its CopyDone.
 *
 * <p>Memory: the splitter's longest row plus one batch per shard, whatever the input size. Each
 * shard's {@link LineMap} renumbers the lines in that shard's errors to the client's lines.
 *
 * <pre>{@code
 * CopyInRouter router = new CopyInRouter(plan, layout, shardCount, (shard, b, off, n) -> copyIn[shard].writeToCopy(b, off, n));
 * for each CopyData d: router.feed(d.data(), 0, d.data().length);   // CopyFormatException: CopyFail everywhere
 * on CopyDone:         router.finish();                              // then endCopy() on every shard
 * }</pre>
 *
 * Before the first chunk, the session checks that every shard's CopyInResponse has
 * {@code plan.columns().size()} columns: fewer means the table has generated columns, which the
 * catalog's column list includes and COPY leaves out, so the key's position would be wrong.
 *
 * <p>Not thread-safe: one session feeds it, in order.
 */
public final class CopyInRouter {
    /** Default bytes a shard's batch collects before it is written. */
    public static final int DEFAULT_BATCH = 64 * 1024;
    /** Default bytes of each shard's line map. */
    public static final int DEFAULT_LINE_MAP = 1 << 20;

    /** Where routed bytes go: the session writes them to the shard's COPY. */
    @FunctionalInterface
    public interface ShardOutput {
        void write(int shard, byte[] data, int offset, int length);
    }

    private final CopyRowSplitter splitter;
    private final CopyKeyReader keys;
    private final ShardingRule rule;
    private final boolean binary;
    private final boolean csv;
    private final ShardOutput out;
    private final int batchBytes;
    private final byte[][] batch;
    private final int[] batchLength;
    private final long[] rows;
    private final LineMap[] lines;
    /** Per shard: whether it has read a line ending yet (PostgreSQL counts quoted newlines by it). */
    private final Boolean[] lfEnding;
    private final RowSink sink = this::route;
    private Boolean clientLfEnding;

    public CopyInRouter(Plan.Copy plan, CopyLayout layout, int shardCount, ShardOutput out) {
        this(plan, layout, shardCount, out, DEFAULT_BATCH, DEFAULT_LINE_MAP);
    }

    public CopyInRouter(Plan.Copy plan, CopyLayout layout, int shardCount, ShardOutput out, int batchBytes,
                        int lineMapBytes) {
        if (plan.mode() != Plan.CopyMode.ROUTE_ROWS) {
            throw new IllegalArgumentException("not a ROUTE_ROWS plan: " + plan.mode());
        }
        this.splitter = CopyRowSplitter.create(layout);
        this.keys = CopyKeyReader.of(plan, layout);
        this.rule = plan.rule();
        this.binary = layout.binary();
        this.csv = layout.csv();
        this.out = out;
        this.batchBytes = batchBytes;
        this.batch = new byte[shardCount][];
        this.batchLength = new int[shardCount];
        this.rows = new long[shardCount];
        this.lines = new LineMap[shardCount];
        this.lfEnding = new Boolean[shardCount];
        for (int s = 0; s < shardCount; s++) {
            batch[s] = new byte[Math.min(batchBytes, 8192)];
            lines[s] = new LineMap(lineMapBytes);
        }
    }

    /** The next CopyData chunk; throws CopyFormatException for data PostgreSQL would reject here. */
    public void feed(byte[] chunk, int offset, int length) {
        splitter.feed(chunk, offset, length, sink);
    }

    /** The client's CopyDone: routes the last row, adds the binary trailer, writes every batch. */
    public void finish() {
        splitter.finish(sink);
        if (binary) {
            byte[] trailer = {(byte) 0xff, (byte) 0xff};
            for (int s = 0; s < batch.length; s++) {
                append(s, trailer, 0, 2);
            }
        }
        for (int s = 0; s < batch.length; s++) {
            flush(s);
        }
    }

    /**
     * After a malformed row: sends every row routed so far, so that the shards check them too and
     * an error of theirs on an earlier line can be the one reported, as PostgreSQL reports the
     * first bad line.
     */
    public void flushRouted() {
        for (int s = 0; s < batch.length; s++) {
            flush(s);
        }
    }

    /** True once the data's end marker was read: the session may stop reading CopyData early. */
    public boolean ended() {
        return splitter.ended();
    }

    /** Data rows sent to shard {@code shard} (the header not counted). */
    public long rows(int shard) {
        return rows[shard];
    }

    /** The line map of shard {@code shard}. */
    public LineMap lines(int shard) {
        return lines[shard];
    }

    private void route(CopyRow row) {
        if (row.header()) {
            for (int s = 0; s < batch.length; s++) {
                append(s, row.data(), row.offset(), row.rawLength());
                if (!binary) {
                    lines[s].add(row.line(), shardLines(s, row));
                }
            }
            return;
        }
        Object key = keys.read(row);
        int shard = key == CopyKeyReader.ANY_SHARD ? 0 : rule.shardOf(key);
        append(shard, row.data(), row.offset(), row.rawLength());
        lines[shard].add(row.line(), binary ? 1 : shardLines(shard, row));
        rows[shard]++;
    }

    /**
     * The lines a row takes in the shard's stream: one, plus in CSV the newlines inside its quotes
     * that PostgreSQL counts, which depend on the line ending the shard has seen so far: until its
     * first line ending every carriage return counts, then only the ending's own character.
     */
    private long shardLines(int shard, CopyRow row) {
        if (row.eolLength() > 0 && clientLfEnding == null) {
            clientLfEnding = row.eolLength() == 1 && row.data()[row.offset() + row.length()] == '\n';
        }
        long n = 1;
        if (csv) {
            Boolean lf = lfEnding[shard];
            n += lf == null ? row.quotedCr() : lf ? row.quotedLf() : row.quotedCr();
        }
        if (row.eolLength() > 0) {
            lfEnding[shard] = clientLfEnding;
        }
        return n;
    }

    private void append(int shard, byte[] data, int offset, int length) {
        if (batchLength[shard] + length > batch[shard].length) {
            if (batchLength[shard] > 0 && batchLength[shard] + length > batchBytes) {
                flush(shard);
            }
            if (length > batch[shard].length - batchLength[shard]) {
                if (length >= batchBytes) {
                    out.write(shard, data, offset, length); // a row larger than a batch goes out on its own
                    return;
                }
                batch[shard] = Arrays.copyOf(batch[shard], Math.min(batchBytes,
                        Math.max(batch[shard].length * 2, batchLength[shard] + length)));
            }
        }
        System.arraycopy(data, offset, batch[shard], batchLength[shard], length);
        batchLength[shard] += length;
        if (batchLength[shard] >= batchBytes) {
            flush(shard);
        }
    }

    private void flush(int shard) {
        if (batchLength[shard] > 0) {
            out.write(shard, batch[shard], 0, batchLength[shard]);
            batchLength[shard] = 0;
        }
    }
}
