package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * ParameterDescription ('t'): the parameter types of a described statement; RowDescription or
 * NoData follows.
 *
 * <pre>
 * Byte1('t')
 * Int32      length, including itself
 * Int16      n, the number of parameters
 * Int32[n]   parameter type OIDs
 * </pre>
 */
public record ParameterDescription(int[] types) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.PARAMETER_DESCRIPTION);
        out.writeInt(4 + 2 + 4 * types.length);
        Frame.count(out, types.length, "parameter count");
        for (int type : types) {
            out.writeInt(type);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterDescription p && Arrays.equals(types, p.types);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(types);
    }

    @Override
    public String toString() {
        return "ParameterDescription" + Arrays.toString(types);
    }
}
