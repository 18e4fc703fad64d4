package io.shardproxy.it.drivers;

import org.postgresql.PGConnection;
import org.postgresql.PGResultSetMetaData;
import org.postgresql.PGStatement;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The pgjdbc client of the driver matrix: the same workload as the script clients, run in this
 * JVM on a {@link Connection} and written down as a transcript, one line per observation. It uses
 * what pgjdbc users rely on: PreparedStatements past the prepare threshold (after which pgjdbc
 * switches to a named server statement and binary results), executeBatch, setFetchSize streaming
 * with autocommit off (a portal read in chunks), database and result set metadata, and every
 * type through typed setters and getters.
 *
 * <p>A line depends only on what the server answered (and on pgjdbc): no times, pids or OIDs of
 * user-defined types. Expected errors are recorded by SQLSTATE; any other exception ends the
 * run, and {@link #run} returns the lines so far with the failure.
 */
public final class JdbcWorkload {

    /** The columns of drv_types after id, in table order (the script clients list the same). */
    static final List<String> TYPE_COLUMNS = List.of("c_int2", "c_int4", "c_int8", "c_float4", "c_float8",
            "c_numeric", "c_bool", "c_text", "c_varchar", "c_bytea", "c_date", "c_time", "c_timestamp",
            "c_timestamptz", "c_interval", "c_uuid", "c_json", "c_jsonb", "c_int4_arr", "c_text_arr", "c_mood");

    static final String JSON_TEXT = "{\"b\": [1, 2.5, {\"c\": null}], \"a\": \"x \\u00e9\"}";

    /** The same edge-case literals as the script clients' LITERAL_SELECT. */
    static final String LITERAL_SELECT = "select 1::int2 as i2, 2::int4 as i4, 3::int8 as i8, 'NaN'::float4 as f4nan,"
            + " '-Infinity'::float8 as f8inf, 'NaN'::numeric as numnan, 0.000001::numeric as numsmall,"
            + " 1e20::numeric as numbig, false as b, ''::text as empty, null::text as nothing,"
            + " '\\x'::bytea as nobytes, '2000-01-01'::date as d, '00:00'::time as t,"
            + " '2000-01-01 00:00'::timestamp as ts, '1970-01-01 00:00:00+00'::timestamptz as tstz,"
            + " '1 year 2 mons 3 days -04:05:06.5'::interval as iv,"
            + " '00000000-0000-0000-0000-000000000000'::uuid as u, '[]'::json as j,"
            + " '{\"z\": 1, \"a\": [true, false, null]}'::jsonb as jb, '{{1,2},{3,4}}'::int4[] as grid,"
            + " '{}'::text[] as none, array['x', null]::text[] as tarr, 'sad'::drv_mood as mood";

    private static final List<String> PARAMETERS = List.of("client_encoding", "DateStyle", "IntervalStyle",
            "integer_datetimes", "standard_conforming_strings", "TimeZone");

    private final Connection c;
    private final long base;
    private final List<String> lines = new ArrayList<>();

    private JdbcWorkload(Connection c, long base) {
        this.c = c;
        this.base = base;
    }

    /**
     * Runs the workload on {@code c} with the ids {@code base .. base + 999999} of drv_items and
     * drv_types (deleted first), and returns the transcript; never throws for a SQL failure.
     */
    public static Transcript run(Connection c, long base) {
        JdbcWorkload w = new JdbcWorkload(c, base);
        try {
            w.all();
            return Transcript.finished(w.lines);
        } catch (SQLException | RuntimeException e) {
            return Transcript.failed(w.lines, "pgjdbc threw " + e + (e instanceof SQLException s ? " (SQLSTATE "
                    + s.getSQLState() + ")" : "") + "\n" + stackTop(e));
        }
    }

    private void all() throws SQLException {
        c.setAutoCommit(true);
        update("delete from drv_items where id between ? and ?", base, base + 999_999);
        update("delete from drv_types where id between ? and ?", base, base + 999_999);
        PGConnection pg = c.unwrap(PGConnection.class);
        out("connected", pg.getPreferQueryMode(), "prepareThreshold=" + pg.getPrepareThreshold());
        for (String name : PARAMETERS) {
            out("parameter." + name, pg.getParameterStatus(name));
        }
        parameters();
        preparedReuse();
        batches();
        transactions();
        errors();
        nulls();
        types();
        metadata();
        streaming();
        try (PreparedStatement ps = c.prepareStatement(
                "select id, name, qty, price, note from drv_items where id between ? and ? order by id")) {
            ps.setLong(1, base);
            ps.setLong(2, base + 999_999);
            List<String> rows = rows(ps.executeQuery());
            out("final.count", rows.size());
            rows.forEach(r -> out("final.row", r));
        }
        out("done", true);
    }

    private void parameters() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select ?::int + ?::int as sum, ? || 'x' as t, ?::text as nothing, ?::bool as yes")) {
            ps.setInt(1, 1);
            ps.setInt(2, 2);
            ps.setString(3, "it's");
            ps.setNull(4, Types.VARCHAR);
            ps.setBoolean(5, true);
            out("params.rows", rows(ps.executeQuery()));
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into drv_items (id, name, qty, price, note) values (?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= 10; i++) {
                ps.setLong(1, base + i);
                ps.setString(2, "item " + i);
                ps.setInt(3, i * 10);
                ps.setBigDecimal(4, new BigDecimal(i + ".25"));
                ps.setString(5, i % 3 == 0 ? "n" + i : null);
                out("insert.count", i, ps.executeUpdate());
            }
        }
        out("select.by_id", query("select id, name, qty, price, note from drv_items where id = ?", base + 3));
        try (PreparedStatement ps = c.prepareStatement("select id, name from drv_items where id = any(?) order by id")) {
            ps.setArray(1, c.createArrayOf("int8", new Long[] {base + 2, base + 5, base + 9}));
            out("select.any_array", rows(ps.executeQuery()));
        }
        try (Statement s = c.createStatement()) {
            out("statement.rows", rows(s.executeQuery(
                    "select count(*) from drv_items where id between " + base + " and " + (base + 999_999))));
        }
    }

    /** One PreparedStatement run past the threshold: pgjdbc then uses a named statement on the server. */
    private void preparedReuse() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, name, qty, price from drv_items where id = ?")) {
            PGStatement pgs = ps.unwrap(PGStatement.class);
            for (int i = 1; i <= 8; i++) {
                ps.setLong(1, base + i);
                out("prepared.execute", i, rows(ps.executeQuery()), "serverPrepared=" + pgs.isUseServerPrepare());
            }
        }
    }

    private void batches() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into drv_items (id, name, qty, price) values (?, ?, ?, ?)")) {
            for (int i = 0; i < 30; i++) {
                ps.setLong(1, base + 100 + i);
                ps.setString(2, "batch " + i);
                ps.setInt(3, i);
                ps.setBigDecimal(4, BigDecimal.valueOf(i * 25L, 2));
                ps.addBatch();
            }
            out("batch.prepared", Arrays.toString(ps.executeBatch()));
        }
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                s.addBatch("insert into drv_items (id, name, qty) values (" + (base + 200 + i) + ", 'plain " + i + "', " + i + ")");
            }
            s.addBatch("update drv_items set qty = qty + 1 where id between " + (base + 200) + " and " + (base + 204));
            out("batch.statement", Arrays.toString(s.executeBatch()));
        }
        out("batch.totals", query("select count(*), sum(qty), sum(price), min(name), max(name) from drv_items"
                + " where id between ? and ?", base + 100, base + 299));
    }

    private void transactions() throws SQLException {
        c.setAutoCommit(false);
        update("insert into drv_items (id, name, qty) values (?, 'committed', 1)", base + 400);
        update("update drv_items set qty = qty + 1000 where id = ?", base + 1);
        c.commit();
        update("insert into drv_items (id, name, qty) values (?, 'rolled back', 1)", base + 401);
        update("delete from drv_items where id = ?", base + 2);
        out("tx.inside", query("select count(*) from drv_items where id in (?, ?)", base + 401, base + 2));
        c.rollback();
        out("tx.after", query("select id, name, qty from drv_items where id in (?, ?, ?, ?) order by id",
                base + 1, base + 2, base + 400, base + 401));
        c.commit();

        // an error inside a transaction aborts it until ROLLBACK
        update("insert into drv_items (id, name) values (?, 'tx')", base + 402);
        expectError("tx.duplicate", () -> update("insert into drv_items (id, name) values (?, 'dup')", base + 1));
        expectError("tx.aborted", () -> query("select 1"));
        c.rollback();
        out("tx.aborted.after_rollback", query("select count(*) from drv_items where id = ?", base + 402));
        c.commit();
        c.setAutoCommit(true);
    }

    private void errors() throws SQLException {
        expectError("error.unique", () -> update("insert into drv_items (id, name) values (?, 'dup')", base + 3));
        expectError("error.division", () -> query("select 1 / ?::int", 0));
        expectError("error.syntax", () -> query("selec ?::int", 1));
        expectError("error.undefined_table", () -> query("select * from drv_no_such_table"));
        expectError("error.bad_param", () -> query("select ?::int", "not a number"));
        try (PreparedStatement ps = c.prepareStatement("select 10 / ?::int")) {
            for (int i = 0; i < 7; i++) {
                ps.setInt(1, i % 2);
                try {
                    out("error.prepared_division", i, rows(ps.executeQuery()));
                } catch (SQLException e) {
                    out("error.prepared_division", i, "sqlstate " + e.getSQLState());
                }
            }
        }
        out("error.after", query("select count(*) from drv_items where id between ? and ?", base, base + 999_999));
    }

    private void nulls() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into drv_types (id, " + String.join(", ", TYPE_COLUMNS)
                + ") values (?" + ", ?".repeat(TYPE_COLUMNS.size() - 1) + ", ?::drv_mood)")) {
            ps.setLong(1, base + 2);
            int[] sqlTypes = {Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.DOUBLE, Types.NUMERIC,
                Types.BOOLEAN, Types.VARCHAR, Types.VARCHAR, Types.BINARY, Types.DATE, Types.TIME, Types.TIMESTAMP,
                Types.TIMESTAMP_WITH_TIMEZONE, Types.OTHER, Types.OTHER, Types.OTHER, Types.OTHER, Types.ARRAY,
                Types.ARRAY, Types.VARCHAR};
            for (int i = 0; i < sqlTypes.length; i++) {
                ps.setNull(i + 2, sqlTypes[i]);
            }
            out("nulls.insert", ps.executeUpdate());
        }
        try (PreparedStatement ps = c.prepareStatement("select * from drv_types where id = ?")) {
            ps.setLong(1, base + 2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                StringBuilder s = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    s.append(render(v)).append(rs.wasNull() ? "(wasNull) " : " ");
                }
                out("nulls.row", s.toString().strip());
            }
        }
        out("nulls.params", query("select ?::int is null, ?::text is null, coalesce(?::text, 'fallback')", null, null, null));
    }

    /** Every type through typed setters; read back with getObject and java.time getters, 7 times. */
    private void types() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into drv_types (id, " + String.join(", ", TYPE_COLUMNS)
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?::jsonb, ?, ?, ?::drv_mood)")) {
            int i = 1;
            ps.setLong(i++, base + 1);
            ps.setShort(i++, (short) -32768);
            ps.setInt(i++, 2147483647);
            ps.setLong(i++, Long.MIN_VALUE);
            ps.setFloat(i++, 3.14f);
            ps.setDouble(i++, 2.718281828459045);
            ps.setBigDecimal(i++, new BigDecimal("-12345678901234.567890"));
            ps.setBoolean(i++, true);
            ps.setString(i++, "h\u00e9llo, \"w\u00f6rld\" \\ \u2713 tab\tend");
            ps.setString(i++, "varchar \u00fc");
            ps.setBytes(i++, new byte[] {0x00, 0x01, (byte) 0xfe, (byte) 0xff, '\\', '\'', '"'});
            ps.setObject(i++, LocalDate.of(2024, 2, 29));
            ps.setObject(i++, LocalTime.of(23, 59, 59, 999_999_000));
            ps.setObject(i++, LocalDateTime.of(1999, 12, 31, 23, 59, 59, 500_000_000));
            ps.setObject(i++, OffsetDateTime.of(2024, 2, 29, 18, 29, 59, 123_456_000, ZoneOffset.ofHoursMinutes(5, 30)));
            ps.setObject(i++, new PGInterval(0, 0, 3, 4, 5, 6.789));
            ps.setObject(i++, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
            ps.setString(i++, JSON_TEXT);
            ps.setString(i++, JSON_TEXT);
            ps.setArray(i++, c.createArrayOf("int4", new Integer[] {1, null, 3}));
            ps.setArray(i++, c.createArrayOf("text", new String[] {"a b", "c,d", null, "", "q\"uote"}));
            ps.setString(i, "happy");
            out("types.insert", ps.executeUpdate());
        }
        try (PreparedStatement ps = c.prepareStatement("select * from drv_types where id = ?")) {
            for (int run = 1; run <= 7; run++) {
                ps.setLong(1, base + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        out("types." + run + "." + md.getColumnLabel(i), render(rs.getObject(i)), string(rs, i));
                    }
                    out("types." + run + ".java_time", rs.getObject("c_date", LocalDate.class),
                            rs.getObject("c_time", LocalTime.class), rs.getObject("c_timestamp", LocalDateTime.class),
                            rs.getObject("c_timestamptz", OffsetDateTime.class));
                    out("types." + run + ".getters", rs.getShort("c_int2"), rs.getFloat("c_float4"),
                            rs.getBigDecimal("c_numeric"), HexFormat.of().formatHex(rs.getBytes("c_bytea")));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(LITERAL_SELECT)) {
            for (int run = 1; run <= 7; run++) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; (run == 1 || run == 7) && i <= md.getColumnCount(); i++) {
                        out("literal." + run + "." + md.getColumnLabel(i), render(rs.getObject(i)), string(rs, i));
                    }
                }
            }
        }
        out("types.server_side", query("select id, c_int4_arr[2] is null, array_length(c_text_arr, 1), c_jsonb->'b'->2,"
                + " c_uuid = ? from drv_types where id = ?", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), base + 1));
    }

    private void metadata() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select * from drv_types where id = ?")) {
            ps.setLong(1, base + 1);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                PGResultSetMetaData pgmd = md.unwrap(PGResultSetMetaData.class);
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out("rsmd." + md.getColumnLabel(i), md.getColumnTypeName(i), md.getColumnType(i), md.getColumnClassName(i),
                            "precision=" + md.getPrecision(i), "scale=" + md.getScale(i),
                            "nullable=" + md.isNullable(i), "base=" + pgmd.getBaseColumnName(i) + "@" + pgmd.getBaseTableName(i));
                }
            }
        }
        DatabaseMetaData dmd = c.getMetaData();
        try (ResultSet rs = dmd.getTables(null, "public", "drv_items", new String[] {"TABLE"})) {
            out("dbmd.tables", columns(rs, "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS"));
        }
        try (ResultSet rs = dmd.getColumns(null, "public", "drv_items", null)) {
            out("dbmd.columns", columns(rs, "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS",
                    "NULLABLE", "COLUMN_DEF", "ORDINAL_POSITION", "IS_NULLABLE", "IS_AUTOINCREMENT"));
        }
        try (ResultSet rs = dmd.getPrimaryKeys(null, "public", "drv_items")) {
            out("dbmd.primary_keys", columns(rs, "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"));
        }
        try (ResultSet rs = dmd.getColumns(null, "public", "drv_types", "c_%")) {
            out("dbmd.type_columns", columns(rs, "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS"));
        }
    }

    /** 20,000 rows through a portal read 1,000 at a time: pgjdbc needs autocommit off for that. */
    private void streaming() throws SQLException {
        c.setAutoCommit(false);
        for (String order : List.of("asc", "desc")) {
            try (PreparedStatement ps = c.prepareStatement("select id, v, n from drv_stream where id > ? order by id " + order)) {
                ps.setFetchSize(1000);
                ps.setInt(1, 0);
                MessageDigest digest = sha256();
                int count = 0;
                String first = null;
                String last = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String row = rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3);
                        digest.update((row + "\n").getBytes(StandardCharsets.UTF_8));
                        count++;
                        first = first == null ? row : first;
                        last = row;
                    }
                }
                out("stream.fetch_size." + order, "rows=" + count, "sha256=" + HexFormat.of().formatHex(digest.digest()),
                        "first=" + first, "last=" + last);
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private void expectError(String label, SqlAction action) throws SQLException {
        try {
            action.run();
        } catch (SQLException e) {
            if (e.getSQLState() == null) {
                throw e;
            }
            out(label, "sqlstate " + e.getSQLState());
            return;
        }
        throw new IllegalStateException(label + ": expected an error, got none");
    }

    private int update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private List<String> query(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return rows(ps.executeQuery());
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }

    /** Every row, each value rendered by {@link #render}; closes the result set. */
    private static List<String> rows(ResultSet rs) throws SQLException {
        try (rs) {
            int n = rs.getMetaData().getColumnCount();
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(render(rs.getObject(i)));
                }
                rows.add(String.join(" | ", row));
            }
            return rows;
        }
    }

    /** The named columns of every row, as text. */
    private static List<String> columns(ResultSet rs, String... names) throws SQLException {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (String name : names) {
                row.add(name + "=" + rs.getString(name));
            }
            rows.add(String.join(" ", row));
        }
        return rows;
    }

    /**
     * getString of a column, except bytea: once its value comes in binary, pgjdbc's getString
     * gives byte[].toString() ("[B@1b6d3586"), which differs on every run.
     */
    private static String string(ResultSet rs, int column) throws SQLException {
        return rs.getMetaData().getColumnType(column) == Types.BINARY ? "string=(bytea)" : "string=" + rs.getString(column);
    }

    /** A value with its Java class, so a change of type (Integer to Long, String to PGobject) shows. */
    static String render(Object v) throws SQLException {
        if (v == null) {
            return "null";
        }
        if (v instanceof byte[] bytes) {
            return "byte[](" + HexFormat.of().formatHex(bytes) + ")";
        }
        if (v instanceof Array array) {
            return "Array<" + array.getBaseTypeName() + ">" + Arrays.deepToString((Object[]) array.getArray());
        }
        if (v instanceof PGobject o) {
            return o.getClass().getSimpleName() + "<" + o.getType() + ">(" + o.getValue() + ")";
        }
        return v.getClass().getSimpleName() + "(" + v + ")";
    }

    private void out(String label, Object... values) {
        StringBuilder s = new StringBuilder(label).append(':');
        for (Object v : values) {
            s.append(' ').append(v);
        }
        lines.add(s.toString());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stackTop(Throwable e) {
        StringBuilder s = new StringBuilder();
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(8, trace.length); i++) {
            s.append("    at ").append(trace[i]).append('\n');
        }
        return s.toString();
    }
}
