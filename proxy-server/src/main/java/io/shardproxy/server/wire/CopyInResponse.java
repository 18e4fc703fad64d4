package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * CopyInResponse ('G'): COPY FROM STDIN has started; the client now sends CopyData, then CopyDone or CopyFail.
 *
 * <pre>
 * Byte1('G')
 * Int32      length, including itself
 * Int8       overall format: 0 text (columns must all be 0), 1 binary
 * Int16      n, the number of columns
 * Int16[n]   format code of each column
 * </pre>
 */
public record CopyInResponse(byte overallFormat, short[] columnFormats) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        Frame.copyResponse(out, MessageType.Backend.COPY_IN_RESPONSE, overallFormat, columnFormats);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyInResponse c && overallFormat == c.overallFormat
                && Arrays.equals(columnFormats, c.columnFormats);
    }

    @Override
    public int hashCode() {
        return 31 * overallFormat + Arrays.hashCode(columnFormats);
    }

    @Override
    public String toString() {
        return "CopyInResponse[overallFormat=" + overallFormat + ", columnFormats=" + Arrays.toString(columnFormats)
                + "]";
    }
}
