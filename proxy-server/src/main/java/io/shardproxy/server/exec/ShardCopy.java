package io.shardproxy.server.exec;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;

import java.sql.SQLException;

/**
 * A COPY running on one shard connection, through pgjdbc's copy API: COPY FROM STDIN takes the
 * bytes the proxy writes, COPY TO STDOUT gives the shard's CopyData messages one by one. A shard's
 * error comes out as a {@link ShardError} with all its fields, as for statements.
 */
public final class ShardCopy {
    private final ShardConnection connection;
    private final CopyOperation operation;

    private ShardCopy(ShardConnection connection, CopyOperation operation) {
        this.connection = connection;
        this.operation = operation;
    }

    /** Starts {@code sql} (a COPY ... FROM STDIN) on {@code c}; the shard checks it before any data. */
    static ShardCopy in(ShardConnection c, String sql) {
        try {
            return new ShardCopy(c, new CopyManager(c.pg()).copyIn(sql));
        } catch (SQLException e) {
            throw c.error(e);
        }
    }

    /** Starts {@code sql} (a COPY ... TO STDOUT) on {@code c}. */
    static ShardCopy out(ShardConnection c, String sql) {
        try {
            return new ShardCopy(c, new CopyManager(c.pg()).copyOut(sql));
        } catch (SQLException e) {
            throw c.error(e);
        }
    }

    public ShardConnection connection() {
        return connection;
    }

    /** The columns of each row, as the shard's CopyInResponse or CopyOutResponse says. */
    public int fieldCount() {
        return operation.getFieldCount();
    }

    /** 0 text (text or CSV), 1 binary. */
    public int format() {
        return operation.getFormat();
    }

    public int fieldFormat(int field) {
        return operation.getFieldFormat(field);
    }

    /** COPY FROM: the next bytes of data, as they are (rows need not be whole). */
    public void write(byte[] data, int offset, int length) {
        try {
            ((CopyIn) operation).writeToCopy(data, offset, length);
        } catch (SQLException e) {
            throw connection.error(e);
        }
    }

    /** COPY FROM: ends the data (CopyDone) and returns the rows the shard loaded. */
    public long end() {
        try {
            return ((CopyIn) operation).endCopy();
        } catch (SQLException e) {
            throw connection.error(e);
        }
    }

    /** COPY TO: the shard's next CopyData, or null when its output is complete. */
    public byte[] read() {
        try {
            return ((CopyOut) operation).readFromCopy();
        } catch (SQLException e) {
            throw connection.error(e);
        }
    }

    /** Rows handled so far (COPY TO: sent by the shard). */
    public long rows() {
        return operation.getHandledRowCount();
    }

    /** Abandons the COPY (CopyFail), best effort: the shard rolls back what this COPY loaded. */
    public void cancel() {
        if (!operation.isActive()) {
            return;
        }
        try {
            operation.cancelCopy();
        } catch (SQLException ignored) {
            // the expected answer to CopyFail is an error; a broken connection is evicted on release
        }
    }
}
