package io.shardproxy.server.exec;

import io.shardproxy.merge.Column;
import io.shardproxy.merge.RowStream;
import org.postgresql.core.Field;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.Tuple;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The result of one statement on one shard: either rows (a {@link RowStream} of the shard's raw
 * text-format values, fetched through a cursor in batches of the fetch size) or just a command
 * tag. While the consumer reads one batch, the next is already being fetched on another thread,
 * so at most two batches per shard are in memory.
 */
public final class ShardResult implements RowStream {
    private final ShardConnection connection;
    private final Executor prefetcher;
    private final int fetchSize;
    private final List<Column> columns;
    private List<Tuple> batch;
    private int index;
    private ResultCursor cursor;
    private CompletableFuture<ShardConnection.Batch> pending;
    private String tag;
    private long rows;
    private boolean closed;

    ShardResult(ShardConnection connection, Executor prefetcher, int fetchSize, ShardConnection.Batch first) {
        this.connection = connection;
        this.prefetcher = prefetcher;
        this.fetchSize = fetchSize;
        this.columns = first.fields() == null ? null : columns(first.fields());
        this.batch = first.tuples();
        this.cursor = first.cursor();
        this.tag = first.tag();
        prefetch();
    }

    /** True when the statement returned rows (RowDescription); false for a bare command. */
    public boolean hasRows() {
        return columns != null;
    }

    /**
     * The shard's command tag. For a row stream it is known once the stream is exhausted; a
     * stream that needed more than one fetch reports {@code SELECT n} with the rows it returned.
     */
    public String tag() {
        if (tag == null && columns != null) {
            return "SELECT " + rows;
        }
        return tag;
    }

    public ShardConnection connection() {
        return connection;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public byte[][] next() {
        while (batch == null || index >= batch.size()) {
            if (cursor == null || closed) {
                return null;
            }
            ShardConnection.Batch b = awaitPending();
            batch = b.tuples();
            index = 0;
            cursor = b.cursor();
            prefetch();
        }
        Tuple t = batch.get(index);
        batch.set(index, null);
        index++;
        rows++;
        int n = t.fieldCount();
        byte[][] row = new byte[n][];
        for (int i = 0; i < n; i++) {
            row[i] = t.get(i);
        }
        return row;
    }

    private void prefetch() {
        if (cursor == null) {
            pending = null;
            return;
        }
        ResultCursor c = cursor;
        pending = CompletableFuture.supplyAsync(() -> connection.fetch(c, fetchSize), prefetcher);
    }

    private ShardConnection.Batch awaitPending() {
        CompletableFuture<ShardConnection.Batch> p = pending;
        pending = null;
        if (p == null) {
            return connection.fetch(cursor, fetchSize);
        }
        try {
            return p.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw connection.error(new SQLException("interrupted while fetching rows", "57014"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw connection.error(new SQLException(cause));
        }
    }

    /** Stops reading: waits for an in-flight fetch and closes the shard cursor. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<ShardConnection.Batch> p = pending;
        pending = null;
        if (p != null) {
            try {
                ShardConnection.Batch b = p.get();
                cursor = b.cursor();
            } catch (Exception ignored) {
                // the connection reports its own failure state
            }
        }
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
        batch = null;
    }

    /** True when every row was read (no cursor left open on the shard). */
    public boolean exhausted() {
        return cursor == null && (batch == null || index >= batch.size());
    }

    static List<Column> columns(Field[] fields) {
        List<Column> out = new ArrayList<>(fields.length);
        for (Field f : fields) {
            out.add(new Column(f.getColumnLabel(), f.getTableOid(), (short) f.getPositionInTable(), f.getOID(),
                    f.getLength(), f.getMod(), (short) f.getFormat()));
        }
        return out;
    }
}
