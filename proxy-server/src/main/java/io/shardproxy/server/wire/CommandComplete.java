package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * CommandComplete ('C'): a statement finished.
 *
 * <pre>
 * Byte1('C')
 * Int32      length, including itself
 * String     command tag: "SELECT rows", "INSERT 0 rows", "UPDATE rows", "DELETE rows", "BEGIN" ...
 * </pre>
 */
public record CommandComplete(String tag) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        int lengthAt = Frame.begin(out, MessageType.Backend.COMMAND_COMPLETE);
        Frame.cstring(out, tag);
        Frame.end(out, lengthAt);
    }
}
