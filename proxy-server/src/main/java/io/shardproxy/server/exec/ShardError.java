package io.shardproxy.server.exec;

import io.shardproxy.error.SqlState;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a shard reported, carrying the shard's ErrorResponse (or NoticeResponse) fields
 * unchanged, keyed by their protocol field type byte. When the failure was not a server message
 * (the connection broke), the fields say so with SQLSTATE 08006.
 */
public final class ShardError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String shard;
    private final transient Map<Byte, String> fields;

    public ShardError(String shard, Map<Byte, String> fields, Throwable cause) {
        super(fields.get((byte) 'M'), cause);
        this.shard = shard;
        this.fields = fields;
    }

    /** The fields of the shard's message, in protocol order. */
    public Map<Byte, String> fields() {
        return fields;
    }

    public String shard() {
        return shard;
    }

    public String sqlState() {
        return fields.get((byte) 'C');
    }

    /**
     * True when the shard connection itself failed: no server message (08xxx), or a FATAL one,
     * after which the server closes the connection (its backend was terminated, the server shuts
     * down).
     */
    public boolean connectionLost() {
        String severity = fields.get((byte) 'V');
        return sqlState() != null && sqlState().startsWith("08") || "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    static ShardError of(String shard, SQLException e) {
        ServerErrorMessage m = e instanceof PSQLException ? ((PSQLException) e).getServerErrorMessage() : null;
        if (m != null) {
            return new ShardError(shard, fields(m), e);
        }
        Map<Byte, String> f = new LinkedHashMap<>();
        f.put((byte) 'S', "ERROR");
        f.put((byte) 'V', "ERROR");
        String state = e.getSQLState() != null ? e.getSQLState() : "08006";
        f.put((byte) 'C', state);
        f.put((byte) 'M', "shard " + shard + ": " + e.getMessage());
        return new ShardError(shard, f, e);
    }

    /**
     * The 40P01 a shard statement's cancel {@code canceled} (57014) stands for when the deadlock
     * detector sent it, with PostgreSQL's message, {@code detail} naming the waits, and the
     * shard's context (which row the statement waited for).
     */
    static ShardError deadlock(String shard, ShardError canceled, String detail) {
        Map<Byte, String> f = new LinkedHashMap<>();
        f.put((byte) 'S', "ERROR");
        f.put((byte) 'V', "ERROR");
        f.put((byte) 'C', SqlState.DEADLOCK_DETECTED.code());
        f.put((byte) 'M', "deadlock detected");
        f.put((byte) 'D', detail);
        f.put((byte) 'H', "ShardProxy found this cycle of lock waits across shards, which no single shard can see,"
                + " and cancelled this transaction's wait on shard " + shard + "; roll back and retry the transaction");
        String where = canceled.fields().get((byte) 'W');
        if (where != null) {
            f.put((byte) 'W', where);
        }
        return new ShardError(shard, f, canceled);
    }

    /** Every field of a server message, in the order PostgreSQL sends them. */
    static Map<Byte, String> fields(ServerErrorMessage m) {
        Map<Byte, String> f = new LinkedHashMap<>();
        put(f, 'S', m.getSeverity());
        put(f, 'V', m.getSeverity());
        put(f, 'C', m.getSQLState());
        put(f, 'M', m.getMessage());
        put(f, 'D', m.getDetail());
        put(f, 'H', m.getHint());
        if (m.getPosition() > 0) {
            put(f, 'P', Integer.toString(m.getPosition()));
        }
        if (m.getInternalPosition() > 0) {
            put(f, 'p', Integer.toString(m.getInternalPosition()));
        }
        put(f, 'q', m.getInternalQuery());
        put(f, 'W', m.getWhere());
        put(f, 's', m.getSchema());
        put(f, 't', m.getTable());
        put(f, 'c', m.getColumn());
        put(f, 'd', m.getDatatype());
        put(f, 'n', m.getConstraint());
        put(f, 'F', m.getFile());
        if (m.getLine() > 0) {
            put(f, 'L', Integer.toString(m.getLine()));
        }
        put(f, 'R', m.getRoutine());
        return f;
    }

    private static void put(Map<Byte, String> f, char type, String value) {
        if (value != null) {
            f.put((byte) type, value);
        }
    }
}
