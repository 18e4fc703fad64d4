package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;
import io.shardproxy.merge.Column;

import java.util.List;

/**
 * RowDescription ('T'): the columns of the rows that follow, or of what a described statement or
 * portal would return.
 *
 * <pre>
 * Byte1('T')
 * Int32      length, including itself
 * Int16      n, the number of fields
 * n times:
 *   String   column name
 *   Int32    table OID, or 0
 *   Int16    attribute number in that table, or 0
 *   Int32    data type OID
 *   Int16    type size (negative = variable width)
 *   Int32    type modifier
 *   Int16    format code: 0 text, 1 binary (0 in a statement Describe: not known yet)
 * </pre>
 */
public record RowDescription(List<Column> columns) implements BackendMessage {

    public RowDescription {
        columns = List.copyOf(columns);
    }

    @Override
    public void encode(ByteBuf out) {
        int lengthAt = Frame.begin(out, MessageType.Backend.ROW_DESCRIPTION);
        Frame.count(out, columns.size(), "column count");
        for (Column column : columns) {
            Frame.cstring(out, column.name());
            out.writeInt(column.tableOid());
            out.writeShort(column.attnum());
            out.writeInt(column.typeOid());
            out.writeShort(column.typlen());
            out.writeInt(column.typmod());
            out.writeShort(column.format());
        }
        Frame.end(out, lengthAt);
    }
}
