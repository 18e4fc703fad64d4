package io.shardproxy.it;

import org.postgresql.jdbc.PgResultSet;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What a client sees of one query result, reduced to comparable values: each column's name, type
 * OID, type name and precision/scale (from the type modifier), and every value as the text
 * PostgreSQL sent ({@code getString}), null as null. Two results are the same answer when their
 * columns are equal and their rows are equal in order ({@link #rows()}) or as a multiset
 * ({@link #sortedRows()}).
 */
record ResultTable(List<Column> columns, List<List<String>> rows) {

    /** One column as RowDescription describes it; precision and scale come from the typmod. */
    record Column(String name, int oid, String typeName, int precision, int scale) {
        @Override
        public String toString() {
            return name + " " + typeName + "(oid " + oid + ", " + precision + "," + scale + ")";
        }
    }

    /** Runs {@code sql} on {@code c} and reads the whole result. */
    static ResultTable query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return of(rs);
        }
    }

    static ResultTable of(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        PgResultSet pg = rs.unwrap(PgResultSet.class);
        int n = md.getColumnCount();
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            columns.add(new Column(md.getColumnLabel(i), pg.getColumnOID(i), md.getColumnTypeName(i),
                    md.getPrecision(i), md.getScale(i)));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            String[] row = new String[n];
            for (int i = 1; i <= n; i++) {
                // pgjdbc's getString of a bytea read in binary is the array's identity, not its value.
                row[i - 1] = columns.get(i - 1).oid() == BYTEA ? hex(rs.getBytes(i)) : rs.getString(i);
            }
            rows.add(Arrays.asList(row));
        }
        return new ResultTable(List.copyOf(columns), rows);
    }

    private static final int BYTEA = 17;

    /** A bytea as PostgreSQL prints it (hex format). */
    private static String hex(byte[] value) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(2 + 2 * value.length).append("\\x");
        for (byte b : value) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** The rows in a canonical order, for comparing results whose order is unspecified. */
    List<List<String>> sortedRows() {
        List<List<String>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(ResultTable::rowKey));
        return sorted;
    }

    /** The value in row {@code row}, column {@code column}, both from 0. */
    String value(int row, int column) {
        return rows.get(row).get(column);
    }

    private static String rowKey(List<String> row) {
        StringBuilder key = new StringBuilder();
        for (String v : row) {
            // a prefix keeps null apart from the text "null"
            key.append(v == null ? "N" : "V" + v).append('\u0000');
        }
        return key.toString();
    }

    /** A short rendering for assertion messages: columns, then up to {@code limit} rows. */
    String describe(int limit) {
        StringBuilder sb = new StringBuilder(columns.toString());
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            sb.append("\n  ").append(rows.get(i));
        }
        if (rows.size() > limit) {
            sb.append("\n  ... ").append(rows.size() - limit).append(" more");
        }
        return sb.toString();
    }
}
