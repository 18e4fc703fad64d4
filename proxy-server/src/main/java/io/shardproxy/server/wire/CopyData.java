package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * CopyData ('d'): a chunk of COPY data, the same message in both directions (COPY FROM STDIN from
 * the client, COPY TO STDOUT from the proxy). Chunks need not align with rows.
 *
 * <pre>
 * Byte1('d')
 * Int32      length, including itself
 * Byte[n]    data
 * </pre>
 */
public record CopyData(byte[] data) implements FrontendMessage, BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.COPY_DATA);
        out.writeInt(4 + data.length);
        out.writeBytes(data);
    }

    static CopyData read(BodyReader body) {
        return new CopyData(body.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyData c && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CopyData[" + data.length + " bytes]";
    }
}
