package io.shardproxy.merge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A shard stream over inline rows, recording how it is used: rows pulled, close calls. Rows are
 * written as in {@code rows("a|1", "b|\\N")}: fields split on '|', {@code \N} is SQL NULL (as in
 * COPY), an empty field is the empty string.
 */
final class TestStream implements RowStream {

    static final String NULL = "\\N";

    private final List<Column> columns;
    private final List<byte[][]> rows;
    private int position;
    int pulls;
    int closes;
    RuntimeException failOnClose;

    TestStream(List<Column> columns, List<byte[][]> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /** Columns c0, c1, ... of the given type OIDs. */
    static List<Column> types(int... typeOids) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < typeOids.length; i++) {
            columns.add(Column.computed("c" + i, typeOids[i], (short) -1));
        }
        return List.copyOf(columns);
    }

    static TestStream rows(List<Column> columns, String... rows) {
        List<byte[][]> parsed = new ArrayList<>();
        for (String row : rows) {
            parsed.add(row(row));
        }
        return new TestStream(columns, parsed);
    }

    static TestStream rows(List<Column> columns, List<byte[][]> rows) {
        return new TestStream(columns, new ArrayList<>(rows));
    }

    static byte[][] row(String row) {
        String[] fields = row.split("\\|", -1);
        byte[][] values = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            values[i] = fields[i].equals(NULL) ? null : fields[i].getBytes(StandardCharsets.UTF_8);
        }
        return values;
    }

    /** A row back in the inline notation. */
    static String text(byte[][] row) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.append('|');
            }
            out.append(row[i] == null ? NULL : new String(row[i], StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** Every remaining row of a stream, in the inline notation. */
    static List<String> drain(RowStream stream) {
        List<String> out = new ArrayList<>();
        for (byte[][] row = stream.next(); row != null; row = stream.next()) {
            out.add(text(row));
        }
        return out;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public byte[][] next() {
        if (closes > 0) {
            throw new IllegalStateException("read after close");
        }
        pulls++;
        return position < rows.size() ? rows.get(position++) : null;
    }

    /** Rows handed out so far. */
    int consumed() {
        return position;
    }

    @Override
    public void close() {
        closes++;
        if (failOnClose != null) {
            throw failOnClose;
        }
    }
}
