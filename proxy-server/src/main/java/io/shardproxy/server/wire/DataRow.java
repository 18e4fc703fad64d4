package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * DataRow ('D'): one result row, values already in the column's wire format (text or binary).
 * The hot path calls {@link #encode(ByteBuf, byte[][])} directly and skips the record.
 *
 * <pre>
 * Byte1('D')
 * Int32      length, including itself
 * Int16      n, the number of column values
 * n times:
 *   Int32    value length, -1 for NULL (no bytes follow)
 *   Byte[k]  value
 * </pre>
 *
 * {@link #toString()} shows value sizes, never values.
 *
 * @param values one element per column; null is SQL NULL
 */
public record DataRow(byte[][] values) implements BackendMessage {

    @Override
    public void encode(ByteBuf out) {
        encode(out, values);
    }

    /** Appends one DataRow for {@code values} (null elements are NULL) without allocating. */
    /** The values of a DataRow frame (type byte, length, body), as the shard sent them. */
    public static byte[][] values(ByteBuf frame) {
        int i = frame.readerIndex() + 5;
        int n = frame.getUnsignedShort(i);
        i += 2;
        byte[][] values = new byte[n][];
        for (int k = 0; k < n; k++) {
            int length = frame.getInt(i);
            i += 4;
            if (length >= 0) {
                byte[] v = new byte[length];
                frame.getBytes(i, v);
                values[k] = v;
                i += length;
            }
        }
        return values;
    }

    public static void encode(ByteBuf out, byte[][] values) {
        int length = 4 + 2;
        for (byte[] value : values) {
            length += 4 + (value == null ? 0 : value.length);
        }
        out.ensureWritable(1 + length);
        out.writeByte(MessageType.Backend.DATA_ROW);
        out.writeInt(length);
        Frame.count(out, values.length, "column count");
        for (byte[] value : values) {
            if (value == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(value.length);
                out.writeBytes(value);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataRow d && Arrays.deepEquals(values, d.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DataRow[");
        for (int i = 0; i < values.length; i++) {
            s.append(i > 0 ? ", " : "").append(values[i] == null ? "NULL" : values[i].length + " bytes");
        }
        return s.append(']').toString();
    }
}
