package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * ParameterStatus ('S'): the current value of a run-time parameter the client tracks
 * (server_version, client_encoding, DateStyle, TimeZone, integer_datetimes, standard_conforming_strings
 * ...): after authentication, and again whenever one changes.
 *
 * <pre>
 * Byte1('S')
 * Int32      length, including itself
 * String     parameter name
 * String     value
 * </pre>
 */
public record ParameterStatus(String name, String value) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        int lengthAt = Frame.begin(out, MessageType.Backend.PARAMETER_STATUS);
        Frame.cstring(out, name);
        Frame.cstring(out, value);
        Frame.end(out, lengthAt);
    }
}
