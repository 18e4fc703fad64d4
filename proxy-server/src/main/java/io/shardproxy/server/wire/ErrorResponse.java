package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;
import io.shardproxy.error.ShardProxyException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ErrorResponse ('E'). The fields go out in the map's order; PostgreSQL sends S, V, C, M first.
 *
 * <pre>
 * Byte1('E')
 * Int32      length, including itself
 * { Byte1 field type (see {@link ErrorField}), String value }*
 * Byte1(0)   terminator
 * </pre>
 *
 * @param fields field type to value, in sending order; S, C and M are required
 */
public record ErrorResponse(Map<Byte, String> fields) implements BackendMessage {
    /** Severity of an error that aborts the current statement. */
    public static final String ERROR = "ERROR";
    /** Severity of an error that ends the session (authentication failures, protocol violations). */
    public static final String FATAL = "FATAL";

    public ErrorResponse {
        ErrorField.validate(fields);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** An ERROR for an exception the proxy raised itself: S, V, C, M, then D and H when present. */
    public static ErrorResponse of(ShardProxyException e) {
        return of(ERROR, e);
    }

    /** As {@link #of(ShardProxyException)} with the given severity, e.g. {@link #FATAL}. */
    public static ErrorResponse of(String severity, ShardProxyException e) {
        Map<Byte, String> fields = fields(severity, e.state().code(),
                e.getMessage() == null ? e.state().name() : e.getMessage());
        if (e.detail() != null) {
            fields.put(ErrorField.DETAIL, e.detail());
        }
        if (e.hint() != null) {
            fields.put(ErrorField.HINT, e.hint());
        }
        return new ErrorResponse(fields);
    }

    /** S, V, C, M with the given values. */
    public static ErrorResponse of(String severity, String sqlState, String message) {
        return new ErrorResponse(fields(severity, sqlState, message));
    }

    /** The SQLSTATE. */
    public String code() {
        return fields.get(ErrorField.CODE);
    }

    /** The primary message. */
    public String message() {
        return fields.get(ErrorField.MESSAGE);
    }

    @Override
    public void encode(ByteBuf out) {
        ErrorField.writeMessage(out, MessageType.Backend.ERROR_RESPONSE, fields);
    }

    /** Mutable S, V, C, M map, shared with {@link NoticeResponse}. */
    static Map<Byte, String> fields(String severity, String sqlState, String message) {
        Map<Byte, String> fields = new LinkedHashMap<>();
        fields.put(ErrorField.SEVERITY, severity);
        fields.put(ErrorField.SEVERITY_NONLOCALIZED, severity);
        fields.put(ErrorField.CODE, sqlState);
        fields.put(ErrorField.MESSAGE, message);
        return fields;
    }
}
