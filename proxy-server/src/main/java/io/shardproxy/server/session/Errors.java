package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.server.exec.ShardError;
import io.shardproxy.server.wire.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where anything thrown while serving a client becomes an ErrorResponse. A shard's
 * error keeps its SQLSTATE and every field; its position is moved to point into the client's query
 * string, or dropped when the shard ran rewritten SQL where the position would mislead.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    /**
     * @param positionOffset characters before the statement in the client's query string, or -1
     *                       when the shard's SQL differed from the client's statement
     */
    static ErrorResponse toResponse(Throwable t, int positionOffset) {
        Throwable e = unwrap(t);
        if (e instanceof ShardError) {
            Map<Byte, String> fields = new LinkedHashMap<>(((ShardError) e).fields());
            String severity = fields.get((byte) 'V');
            if ("FATAL".equals(severity) || "PANIC".equals(severity)) {
                // The shard connection ended, not the client's session.
                fields.put((byte) 'S', ErrorResponse.ERROR);
                fields.put((byte) 'V', ErrorResponse.ERROR);
            }
            String p = fields.get((byte) 'P');
            if (p != null) {
                if (positionOffset < 0) {
                    fields.remove((byte) 'P');
                } else {
                    fields.put((byte) 'P', Integer.toString(Integer.parseInt(p) + positionOffset));
                }
            }
            return new ErrorResponse(fields);
        }
        if (e instanceof ShardProxyException) {
            return ErrorResponse.of((ShardProxyException) e);
        }
        if (e instanceof io.shardproxy.server.copy.CopyFormatException) {
            return new ErrorResponse(((io.shardproxy.server.copy.CopyFormatException) e).fields());
        }
        if (e instanceof StackOverflowError) {
            return ErrorResponse.of(new ShardProxyException(SqlState.STATEMENT_TOO_COMPLEX, "stack depth limit exceeded",
                    null, "the statement nests too deeply for ShardProxy to analyze; write it with less nesting"));
        }
        if (e instanceof ClientGoneException) {
            return ErrorResponse.of(ErrorResponse.ERROR, SqlState.CONNECTION_FAILURE.code(), "client connection closed");
        }
        LOG.error("internal error", e);
        return ErrorResponse.of(ErrorResponse.ERROR, SqlState.INTERNAL_ERROR.code(),
                "internal error in ShardProxy: " + e);
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The SQLSTATE an error will carry. */
    static String sqlState(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof ShardError) {
            return ((ShardError) e).sqlState();
        }
        if (e instanceof ShardProxyException) {
            return ((ShardProxyException) e).state().code();
        }
        if (e instanceof io.shardproxy.server.copy.CopyFormatException) {
            return ((io.shardproxy.server.copy.CopyFormatException) e).sqlState();
        }
        return SqlState.INTERNAL_ERROR.code();
    }
}
