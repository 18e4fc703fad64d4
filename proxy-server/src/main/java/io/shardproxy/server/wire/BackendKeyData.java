package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * BackendKeyData ('K'): what a client needs to cancel this session's queries with a CancelRequest.
 * Sent once, after AuthenticationOk. {@link #toString()} hides the key.
 *
 * <pre>
 * Byte1('K')
 * Int32(12)  length
 * Int32      process id
 * Int32      secret key
 * </pre>
 */
public record BackendKeyData(int processId, int secretKey) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.BACKEND_KEY_DATA);
        out.writeInt(12);
        out.writeInt(processId);
        out.writeInt(secretKey);
    }

    @Override
    public String toString() {
        return "BackendKeyData[processId=" + processId + "]";
    }
}
