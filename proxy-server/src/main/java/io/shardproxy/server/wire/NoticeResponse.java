package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * NoticeResponse ('N'): a warning or notice; it never changes the message flow. Same fields as
 * {@link ErrorResponse}.
 *
 * <pre>
 * Byte1('N')
 * Int32      length, including itself
 * { Byte1 field type (see {@link ErrorField}), String value }*
 * Byte1(0)   terminator
 * </pre>
 *
 * @param fields field type to value, in sending order; S, C and M are required
 */
public record NoticeResponse(Map<Byte, String> fields) implements BackendMessage {
    public static final String WARNING = "WARNING";
    public static final String NOTICE = "NOTICE";
    public static final String INFO = "INFO";

    public NoticeResponse {
        ErrorField.validate(fields);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** S, V, C, M with the given values, e.g. {@code of(WARNING, "01000", "...")}. */
    public static NoticeResponse of(String severity, String sqlState, String message) {
        return new NoticeResponse(ErrorResponse.fields(severity, sqlState, message));
    }

    @Override
    public void encode(ByteBuf out) {
        ErrorField.writeMessage(out, MessageType.Backend.NOTICE_RESPONSE, fields);
    }
}
