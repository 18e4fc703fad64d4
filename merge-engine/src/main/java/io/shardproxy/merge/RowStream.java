package io.shardproxy.merge;

import java.util.List;

/**
 * A pull stream of rows in PostgreSQL text format. Rows are {@code byte[][]}: one element per
 * column, the text-format bytes of the value exactly as the server sent them, or null for SQL NULL.
 * A stream may block in {@link #columns()} and {@link #next()} while its source produces rows;
 * callers run it off any event loop. Errors are thrown as unchecked exceptions.
 */
public interface RowStream extends AutoCloseable {

    /** The result's columns; known before the first row. */
    List<Column> columns();

    /** The next row, or null when the stream is exhausted. */
    byte[][] next();

    /** Releases the source (e.g. closes a shard cursor). Idempotent. */
    @Override
    void close();

    /** A result already in memory: {@code rows} handed out in order, never changed. */
    static RowStream of(List<Column> columns, List<byte[][]> rows) {
        return new RowStream() {
            private int next;

            @Override
            public List<Column> columns() {
                return columns;
            }

            @Override
            public byte[][] next() {
                return next < rows.size() ? rows.get(next++) : null;
            }

            @Override
            public void close() {
            }
        };
    }
}
