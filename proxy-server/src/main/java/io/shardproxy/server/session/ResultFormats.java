package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.Column;
import io.shardproxy.server.types.BinaryFormat;
import io.shardproxy.server.types.BinaryType;
import io.shardproxy.server.types.TypeResolver;

import java.util.ArrayList;
import java.util.List;

/**
 * Bind's result format codes: none (all text), one for every column, or one per column. The
 * shards always answer in text; a column the client wants in binary is converted here, and a
 * type the proxy cannot convert fails the Bind rather than sending wrong bytes.
 */
final class ResultFormats {

    private ResultFormats() {
    }

    /** The format of column {@code i} under {@code formats}. */
    static short format(short[] formats, int i) {
        if (formats.length == 0) {
            return 0;
        }
        return formats.length == 1 ? formats[0] : formats[i];
    }

    /** {@code columns} as described with their format codes. */
    static List<Column> withFormats(List<Column> columns, short[] formats) {
        check(columns, formats);
        if (formats.length == 0) {
            return columns;
        }
        List<Column> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            out.add(new Column(c.name(), c.tableOid(), c.attnum(), c.typeOid(), c.typlen(), c.typmod(), format(formats, i)));
        }
        return out;
    }

    /** An encoder for rows of {@code columns} (null: none returned), or null when every column is text. */
    static RowEncoder encoder(List<Column> columns, short[] formats, TypeResolver types) {
        if (columns == null) {
            if (formats.length > 1) {
                throw new ShardProxyException(SqlState.PROTOCOL_VIOLATION,
                        "bind message has " + formats.length + " result formats but query has 0 columns");
            }
            return null;
        }
        check(columns, formats);
        int n = columns.size();
        BinaryType[] binary = new BinaryType[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (format(formats, i) == 1) {
                int type = columns.get(i).typeOid();
                binary[i] = BinaryFormat.resolve(type, types);
                if (binary[i] == null) {
                    throw ShardProxyException.unsupported("binary format for result column \"" + columns.get(i).name()
                                    + "\" (type OID " + type + ") is not supported by ShardProxy",
                            "ask for this column in text format (result format code 0)");
                }
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        return row -> {
            byte[][] encoded = new byte[row.length][];
            for (int i = 0; i < row.length; i++) {
                encoded[i] = row[i] == null || i >= n || binary[i] == null ? row[i] : binary[i].encode(row[i]);
            }
            return encoded;
        };
    }

    private static void check(List<Column> columns, short[] formats) {
        if (formats.length > 1 && formats.length != columns.size()) {
            throw new ShardProxyException(SqlState.PROTOCOL_VIOLATION,
                    "bind message has " + formats.length + " result formats but query has " + columns.size() + " columns");
        }
    }
}
