package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import io.shardproxy.config.ConfigLoader;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.Router;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.server.copy.CopyFormatException;
import io.shardproxy.server.copy.CopyInRouter;
import io.shardproxy.server.copy.CopyKeyReader;
import io.shardproxy.server.copy.CopyLayout;
import io.shardproxy.server.copy.CopyOutConcat;
import io.shardproxy.server.copy.CopyRow;
import io.shardproxy.server.copy.CopyRowEncoder;
import io.shardproxy.server.copy.CopyRowSplitter;
import io.shardproxy.server.copy.RowSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The COPY core (io.shardproxy.server.copy and the router's COPY analysis) against a live
 * PostgreSQL, with no proxy in between:
 *
 * <ul>
 *   <li>COPY TO: the encoder's lines for generated rows of awkward values are byte for byte the
 *       server's COPY TO STDOUT output, for text and CSV with many options.</li>
 *   <li>COPY FROM: thousands of generated inputs (valid, malformed, cut at random) go through
 *       the splitter and key reader and through the server's COPY FROM STDIN. When the server
 *       accepts, the proxy finds the same rows and keys; when it rejects for a reason the proxy
 *       must find itself (framing, field counts, quoting, encoding, NULL key), the proxy fails with
 *       the same SQLSTATE, message and CONTEXT; otherwise the proxy routes the failing row to a
 *       shard; and in every case the rows before the failing line load on the server as the proxy
 *       split them.</li>
 *   <li>Options: a corpus of COPY statements is accepted or rejected by the router exactly as the
 *       server accepts or rejects it.</li>
 *   <li>Shards: COPY FROM routed by {@link CopyInRouter} into four real shards holds the rows one
 *       server holds, and a shard's error names the client's line; COPY TO of four shards through
 *       {@link CopyOutConcat} equals one server's output.</li>
 * </ul>
 *
 * A failure names the random seed that reproduces it.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyFormatTest {
    private static final String YAML = String.join("\n",
            "users:",
            "  - {name: app, auth: trust}",
            "shards:",
            "  - {name: s0, url: 'jdbc:postgresql://127.0.0.1:1/x0', user: postgres}",
            "  - {name: s1, url: 'jdbc:postgresql://127.0.0.1:1/x1', user: postgres}",
            "  - {name: s2, url: 'jdbc:postgresql://127.0.0.1:1/x2', user: postgres}",
            "  - {name: s3, url: 'jdbc:postgresql://127.0.0.1:1/x3', user: postgres}",
            "sharded-tables:",
            "  - {name: cf_copy, shard-key: id, algorithm: hash, key-type: text, buckets: 8}",
            "  - {name: ci_copy, shard-key: id, algorithm: mod, buckets: 4}",
            "  - {name: cr_copy, shard-key: id, algorithm: mod, buckets: 4}",
            "");
    private static final Map<String, List<String>> COLUMNS = Map.of(
            "cf_copy", List.of("id", "b", "c"), "ci_copy", List.of("id", "b"), "cr_copy", List.of("id", "b", "c"));
    /** Errors PostgreSQL raises while it reads a row's line and fields: the proxy must raise them itself. */
    private static final Pattern PROXY_ERRORS = Pattern.compile(
            "literal (newline|carriage return) found in data|unquoted (newline|carriage return) found in data"
                    + "|end-of-copy marker.*|extra data after last expected column|unterminated CSV quoted field"
                    + "|invalid byte sequence for encoding.*|null value in column \"id\".*");
    private static final Pattern LINE = Pattern.compile(", line (\\d+)");

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private Router router;
    private Connection oracle;
    private int oracleVersion;
    private CopyManager oracleCopy;
    private final List<Connection> shards = new ArrayList<>();

    @BeforeAll
    void connect(PgCluster cluster) throws SQLException {
        router = new Router(ConfigLoader.parse(YAML, "copy.yaml", Map.of()), new Catalog() {
            @Override
            public List<String> columns(String table) {
                return COLUMNS.get(table);
            }

            @Override
            public boolean isAggregate(String function) {
                return Set.of("count", "sum", "min", "max").contains(function);
            }

            @Override
            public List<Integer> describe(String query) {
                return List.of(25);
            }
        });
        // -Dshardproxy.copy.oracle=<jdbc url> compares with another server, e.g. a PostgreSQL 18.
        oracle = DriverManager.getConnection(System.getProperty("shardproxy.copy.oracle",
                cluster.oracle().jdbcUrl(cluster.database())));
        oracleVersion = serverVersion();
        oracleCopy = oracle.unwrap(PGConnection.class).getCopyAPI();
        exec(oracle, "drop table if exists cf_copy, ci_copy, cr_copy, ct_copy",
                "create table cf_copy (id text not null, b text, c text, seq bigserial)",
                "create table ci_copy (id bigint, b text, seq bigserial)",
                "create table cr_copy (id bigint not null, b text, c int)",
                "create table ct_copy (id int, t text, n numeric, ts timestamp, f float8, j jsonb, a int[])");
        for (int s = 0; s < 4; s++) {
            Connection c = DriverManager.getConnection(cluster.shard(s).jdbcUrl(cluster.database()));
            exec(c, "drop table if exists cr_copy",
                    "create table cr_copy (id bigint not null, b text, c int, "
                            + "constraint shardproxy_bucket_check check (abs(mod(id, 4)) = " + s + "))");
            shards.add(c);
        }
    }

    @AfterAll
    void disconnect() throws SQLException {
        if (oracle != null) {
            exec(oracle, "drop table if exists cf_copy, ci_copy, cr_copy, ct_copy");
            oracle.close();
        }
        for (Connection c : shards) {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            exec(c, "drop table if exists cr_copy");
            c.close();
        }
    }

    // ------------------------------------------------------------------ COPY TO

    private static final String[] AWKWARD = {"", "plain", "tab\there", "new\nline", "cr\rhere", "crlf\r\n",
        "back\\slash", "\\N", "\\.", "N", "NA", "NUL", "q\"uote", "ap'os", "com,ma", "semi;colon", "pi|pe",
        "\u00e9t\u00e9", "\u65e5\u672c\u8a9e", "\ud83d\ude00", "\u0001ctl\u001f", "\b\f\u000b", " lead and trail ",
        "\"", "\\", ",", "\n"};

    private String awkward() {
        if (random.nextInt(12) == 0) {
            StringBuilder sb = new StringBuilder();
            int n = 100 + random.nextInt(3000);
            while (sb.length() < n) {
                sb.append(AWKWARD[random.nextInt(AWKWARD.length)]);
            }
            return sb.toString();
        }
        return AWKWARD[random.nextInt(AWKWARD.length)] + (random.nextBoolean() ? AWKWARD[random.nextInt(AWKWARD.length)] : "");
    }

    @Test
    void encoderWritesExactlyWhatPostgresWrites() throws Exception {
        exec(oracle, "truncate ct_copy");
        try (PreparedStatement ps = oracle.prepareStatement("insert into ct_copy values (?, ?, ?, ?, ?, ?::jsonb, ?::int[])")) {
            for (int i = 0; i < 400; i++) {
                ps.setInt(1, i);
                ps.setString(2, random.nextInt(8) == 0 ? null : awkward());
                ps.setBigDecimal(3, random.nextInt(5) == 0 ? null : new java.math.BigDecimal(random.nextGaussian() * 1e6)
                        .setScale(random.nextInt(6), java.math.RoundingMode.HALF_UP));
                ps.setTimestamp(4, new java.sql.Timestamp(random.nextLong() % 4_000_000_000_000L));
                ps.setDouble(5, random.nextGaussian());
                ps.setString(6, random.nextInt(4) == 0 ? null : "{\"k\": " + quoteJson(awkward()) + "}");
                ps.setString(7, random.nextInt(4) == 0 ? null : "{1,NULL," + random.nextInt() + "}");
                ps.addBatch();
            }
            ps.executeBatch();
        }
        String[] options = {"", "(header)", "(delimiter '|', null 'NULL')", "(delimiter ',', null '')",
            "(delimiter E'\\x01')", "(format csv)", "(format csv, header)", "(format csv, null 'NA', header true)",
            "(format csv, force_quote *)", "(format csv, force_quote (t, j))", "(format csv, quote '''', escape '\\')",
            "(format csv, delimiter '|', quote '!', escape '^')", "(format csv, delimiter E'\\t', null '\\N')",
            "csv header force quote id", "with null as 'x' delimiter as ';'"};
        String[] queries = {"select * from ct_copy order by id", "select t from ct_copy order by id",
            "select t as \"we,ird\", id as \"\\.\", t as \"q\"\"uote\" from ct_copy order by id",
            "select t as \"NA\" from ct_copy where t is not null order by id"};
        for (String q : queries) {
            List<String> names = new ArrayList<>();
            List<byte[][]> rows = new ArrayList<>();
            try (Statement st = oracle.createStatement(); ResultSet rs = st.executeQuery(q)) {
                int n = rs.getMetaData().getColumnCount();
                for (int i = 1; i <= n; i++) {
                    names.add(rs.getMetaData().getColumnLabel(i));
                }
                while (rs.next()) {
                    byte[][] row = new byte[n][];
                    for (int i = 1; i <= n; i++) {
                        String v = rs.getString(i);
                        row[i - 1] = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
                    }
                    rows.add(row);
                }
            }
            for (String o : options) {
                String copy = "copy (" + q + ") to stdout " + o;
                if (copy.contains("force_quote (t, j)") && !names.contains("j")) {
                    continue;
                }
                if (copy.contains("force quote id") && !names.contains("id")) {
                    continue;
                }
                ByteArrayOutputStream server = new ByteArrayOutputStream();
                oracleCopy.copyOut(copy, server);
                Plan.CopyOptions opts = ((Plan.Copy) plan(copy.replace("ct_copy", "ci_copy"))).options();
                CopyRowEncoder encoder = CopyRowEncoder.create(opts, names);
                ByteArrayOutputStream mine = new ByteArrayOutputStream();
                byte[] header = encoder.header();
                if (header != null) {
                    mine.writeBytes(header);
                }
                for (byte[][] r : rows) {
                    mine.writeBytes(encoder.encode(r));
                }
                assertEquals(server.toString(StandardCharsets.UTF_8), mine.toString(StandardCharsets.UTF_8),
                        copy + " (seed " + seed + ")");
                assertArrayEquals(server.toByteArray(), mine.toByteArray(), copy);
            }
        }
    }

    private static String quoteJson(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ------------------------------------------------------------------ COPY FROM

    /** One COPY FROM variant: its options and how a generator writes rows for it. */
    private record Variant(String options, boolean csv, char delimiter, String nullString, char quote, char escape,
                           String header) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant("", false, '\t', "\\N", '"', '"', null),
            new Variant("(delimiter '|', null 'NUL')", false, '|', "NUL", '"', '"', null),
            new Variant("(header match)", false, '\t', "\\N", '"', '"', "id\tb\tc"),
            new Variant("(format csv)", true, ',', "", '"', '"', null),
            new Variant("(format csv, header)", true, ',', "", '"', '"', "anything,\"at \"\"all\n\",x"),
            new Variant("(format csv, delimiter ';', quote '''', escape '\\', null 'NA')", true, ';', "NA", '\'', '\\', null),
            new Variant("(format csv, force_not_null (id))", true, ',', "", '"', '"', null),
            new Variant("(format csv, force_null (id, b))", true, ',', "", '"', '"', null),
            new Variant("with (format csv, header match)", true, ',', "", '"', '"', "id,b,c"));

    /** What one side made of an input: the rows' keys and their lines, or an error. */
    private record Outcome(List<Object> keys, List<Long> lines, List<byte[]> raw, String state, String message,
                           String context) {
        boolean ok() {
            return state == null;
        }

        long errorLine() {
            if (context == null) {
                return 0;
            }
            Matcher m = LINE.matcher(context);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }

        @Override
        public String toString() {
            return ok() ? "rows " + keys : state + " " + message + " / " + context;
        }
    }

    @Test
    void splitterAndKeysAgreeWithPostgresCopyFrom() throws Exception {
        oracle.setAutoCommit(false);
        try {
            int compared = 0;
            int failedOnServer = 0;
            for (int n = 0; n < 2500; n++) {
                Variant v = VARIANTS.get(random.nextInt(VARIANTS.size()));
                byte[] data = generate(v);
                String sql = "copy cf_copy (id, b, c) from stdin " + v.options();
                Outcome server = server(sql, data);
                Outcome proxy = proxy(sql, data);
                String what = "seed " + seed + ", " + sql + ", data [" + show(data) + "]: server " + server
                        + ", proxy " + proxy;
                if (server.ok()) {
                    assertTrue(proxy.ok(), what);
                    assertEquals(server.keys(), proxy.keys().stream().filter(java.util.Objects::nonNull).toList(), what);
                } else {
                    failedOnServer++;
                    long line = server.errorLine();
                    if (PROXY_ERRORS.matcher(server.message()).matches()) {
                        assertEquals(server.state() + " " + server.message() + " / " + server.context(),
                                proxy.state() + " " + proxy.message() + " / " + proxy.context(), what);
                    } else if (!proxy.ok()) {
                        assertTrue(proxy.errorLine() > line, "the proxy failed before the server: " + what);
                    }
                    // The rows before the failing line load on the server exactly as the proxy split them.
                    ByteArrayOutputStream prefix = new ByteArrayOutputStream();
                    List<Object> keys = new ArrayList<>();
                    for (int i = 0; i < proxy.lines().size(); i++) {
                        if (proxy.lines().get(i) < line) {
                            prefix.writeBytes(proxy.raw().get(i));
                            if (proxy.keys().get(i) != null) {
                                keys.add(proxy.keys().get(i));
                            }
                        }
                    }
                    if (!keys.isEmpty()) {
                        Outcome again = server(sql, prefix.toByteArray());
                        assertTrue(again.ok(), "prefix " + again + ": " + what);
                        assertEquals(again.keys(), keys, "prefix: " + what);
                    }
                }
                compared++;
            }
            assertTrue(failedOnServer > 200 && compared - failedOnServer > 200,
                    "a corpus with both outcomes: " + failedOnServer + " of " + compared + " failed");
        } finally {
            oracle.rollback();
            oracle.setAutoCommit(true);
        }
    }

    private byte[] generate(Variant v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String eol = pick("\n", "\n", "\n", "\r\n", "\r\n", "\r");
        if (v.header() != null) {
            write(out, v.header() + eol);
        }
        int rows = random.nextInt(7);
        for (int r = 0; r < rows; r++) {
            StringBuilder line = new StringBuilder();
            int fields = random.nextInt(10) == 0 ? 2 + 2 * random.nextInt(2) : 3;
            for (int f = 0; f < fields; f++) {
                if (f > 0) {
                    line.append(v.delimiter());
                }
                String value = random.nextInt(9) == 0 ? null : awkward();
                line.append(encode(v, value, random.nextInt(10) == 0));
            }
            if (random.nextInt(12) == 0) {
                line.insert(random.nextInt(line.length() + 1), pick("\\", "\"", "'", "\r", "\n", "\\.", "\\x", "\\0",
                        "\\xff", String.valueOf(v.delimiter())));
            }
            String end = random.nextInt(25) == 0 ? pick("\n", "\r\n", "\r") : eol;
            write(out, line.toString());
            if (r < rows - 1 || random.nextInt(4) > 0) {
                write(out, end);
            }
            if (random.nextInt(30) == 0) {
                out.writeBytes(pick(new byte[][] {{(byte) 0xff}, {(byte) 0xc3, '('}, {(byte) 0xe2, (byte) 0x82}, {0}}));
            }
        }
        switch (random.nextInt(12)) {
            case 0:
                write(out, "\\." + eol + "ignored\tafter");
                break;
            case 1:
                write(out, "\\.");
                break;
            case 2:
                write(out, "\\.x" + eol);
                break;
            case 3:
                write(out, "\\." + pick("\n", "\r", "\r\n"));
                break;
            default:
                break;
        }
        return out.toByteArray();
    }

    /** A value as a generator writes it: escaped (text) or quoted (CSV) as a writer would, or raw. */
    private String encode(Variant v, String value, boolean raw) {
        if (value == null) {
            return v.nullString();
        }
        if (raw) {
            return value;
        }
        if (!v.csv()) {
            StringBuilder sb = new StringBuilder();
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '\\': sb.append("\\\\"); break;
                    case '\n': sb.append(random.nextBoolean() ? "\\n" : "\\012"); break;
                    case '\r': sb.append(random.nextBoolean() ? "\\r" : "\\x0d"); break;
                    case '\t': sb.append("\\t"); break;
                    default:
                        if (c == v.delimiter()) {
                            sb.append('\\');
                        }
                        sb.append(c);
                }
            }
            return sb.toString();
        }
        boolean quote = random.nextInt(5) == 0 || value.isEmpty() || value.equals(v.nullString())
                || value.indexOf(v.delimiter()) >= 0 || value.indexOf(v.quote()) >= 0 || value.contains("\n")
                || value.contains("\r") || value.startsWith("\\.");
        if (!quote) {
            return value;
        }
        StringBuilder sb = new StringBuilder().append(v.quote());
        for (char c : value.toCharArray()) {
            if (c == v.quote() || c == v.escape()) {
                sb.append(v.escape());
            }
            sb.append(c);
        }
        return sb.append(v.quote()).toString();
    }

    private Outcome server(String sql, byte[] data) throws SQLException {
        try (Statement st = oracle.createStatement()) {
            st.execute("savepoint s");
        }
        try {
            CopyIn in = oracleCopy.copyIn(sql);
            int p = 0;
            while (p < data.length) {
                int n = Math.min(data.length - p, 1 + random.nextInt(40));
                in.writeToCopy(data, p, n);
                p += n;
            }
            in.endCopy();
            List<Object> keys = new ArrayList<>();
            try (Statement st = oracle.createStatement();
                 ResultSet rs = st.executeQuery("select id from cf_copy order by seq")) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return new Outcome(keys, null, null, null, null, null);
        } catch (PSQLException e) {
            ServerErrorMessage m = e.getServerErrorMessage();
            assertNotNull(m, e.toString());
            return new Outcome(null, null, null, m.getSQLState(), m.getMessage(), m.getWhere());
        } finally {
            try (Statement st = oracle.createStatement()) {
                st.execute("rollback to savepoint s");
            }
        }
    }

    private Outcome proxy(String sql, byte[] data) {
        Plan.Copy plan = (Plan.Copy) plan(sql);
        CopyLayout layout = CopyLayout.of(plan, oracleVersion);
        CopyKeyReader reader = CopyKeyReader.of(plan, layout);
        CopyRowSplitter splitter = CopyRowSplitter.create(layout);
        List<Object> keys = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        RowSink sink = r -> {
            lines.add(r.line());
            raw.add(Arrays.copyOfRange(r.data(), r.offset(), r.offset() + r.rawLength()));
            keys.add(r.header() ? null : reader.read(r));
        };
        try {
            int p = 0;
            while (p < data.length) {
                int n = Math.min(data.length - p, 1 + random.nextInt(random.nextBoolean() ? 3 : 64));
                splitter.feed(data, p, n, sink);
                p += n;
            }
            splitter.finish(sink);
            return new Outcome(keys, lines, raw, null, null, null);
        } catch (CopyFormatException e) {
            return new Outcome(keys, lines, raw, e.sqlState(), e.getMessage(), e.context());
        }
    }

    // ------------------------------------------------------------------ integers and options

    @Test
    void integerKeysAreReadAsInt8inReadsThem() throws Exception {
        List<String> inputs = new ArrayList<>(List.of("0", "-0", "+5", " 12 ", "\t7\n", "0x1F", "0X1f", "-0x10", "0o17",
                "0O17", "0b101", "0B11", "1_000", "1__0", "1_", "_1", "0x_1", "0_1", "00", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "0x7fffffffffffffff",
                "0x8000000000000000", "-0x8000000000000000", "1.0", "1e3", "", " ", "-", "+", "0x", "0b2", "1 2",
                "\u00a01", "\u20091", "\u0b67", "١", "+-1", "0x1_F", "0o1_7", "0b1_0", "1_000_000", "12abc"));
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            String alphabet = "0123456789_-+ xXoObBaf\t";
            int n = 1 + random.nextInt(8);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            inputs.add(sb.toString());
        }
        Plan.Copy plan = (Plan.Copy) plan("copy ci_copy (id, b) from stdin (format csv)");
        CopyLayout layout = CopyLayout.of(plan, 170011);
        CopyKeyReader reader = CopyKeyReader.of(plan, layout);
        for (String s : inputs) {
            Object server;
            try (PreparedStatement ps = oracle.prepareStatement("select ?::int8")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    server = rs.getLong(1);
                }
            } catch (PSQLException e) {
                server = CopyKeyReader.ANY_SHARD;
            }
            String csv = "\"" + s.replace("\"", "\"\"") + "\",x\n";
            Object[] mine = new Object[1];
            CopyRowSplitter splitter = CopyRowSplitter.create(layout);
            RowSink sink = r -> mine[0] = reader.read(r);
            splitter.feed(csv.getBytes(StandardCharsets.UTF_8), sink);
            splitter.finish(sink);
            assertEquals(server, mine[0], "int8in('" + s.replace("\t", "\\t").replace("\n", "\\n") + "')");
        }
    }

    @Test
    void optionsAreAcceptedAndRejectedAsPostgresDoes() throws Exception {
        List<String> options = new ArrayList<>(List.of("", "(format csv)", "(format 'csv')", "(format CSV)",
                "(format \"CSV\")", "(format binary)", "(format text, format csv)", "(format)", "(format xml)",
                "(delimiter '|')", "(delimiter 'ab')", "(delimiter '')", "(delimiter E'\\n')", "(delimiter '\\')",
                "(delimiter 'a')", "(format csv, delimiter 'a')", "(delimiter '1')", "(format csv, delimiter 1)",
                "(delimiter '\u00e9')", "(null 'x|y', delimiter '|')", "(null E'\\r')", "(header)", "(header true)",
                "(header 1)", "(header 2)", "(header 'on')", "(header off)", "(header match)", "(header 'MATCH')",
                "(header maybe)", "(quote '''')", "(format csv, quote '''')", "(format csv, quote '')",
                "(format csv, quote ',')", "(format csv, escape '\\')", "(escape 'x')", "(format csv, escape 'xy')",
                "(format csv, null '\"')", "(format csv, force_quote (id))", "(format csv, force_quote *)",
                "(format csv, force_not_null (id))", "(format csv, force_not_null *)", "(force_not_null (id))",
                "(format csv, force_null (id))", "(format csv, force_null *)", "(format csv, force_null id)",
                "(format csv, force_quote id)", "(freeze)", "(freeze true)", "(freeze 'yes')", "(freeze 2)",
                "(default '\\D')", "(default '\\D', null '\\D')", "(default 'a|b', delimiter '|')",
                "(format csv, default '\"')", "(format binary, default 'x')", "(format binary, null 'x')",
                "(format binary, delimiter ',')", "(format binary, header)", "(encoding 'latin1')",
                "(encoding 'LATIN-1')", "(encoding 'nope')", "(encoding 'UTF-8')", "(encoding 'win1252')",
                "(encoding 'sjis')", "(on_error ignore)", "(on_error stop)", "(on_error 'IGNORE')", "(on_error skip)",
                "(format binary, on_error ignore)", "(log_verbosity verbose)", "(log_verbosity silent)",
                "(reject_limit 1)", "(on_error ignore, reject_limit 5)", "(on_error ignore, reject_limit 0)",
                "(on_error ignore, reject_limit 'x')", "(on_error ignore, reject_limit)", "(foo)", "(foo 1)", "(null 'a', null 'b')", "(quote 'a', quote 'b')",
                "(force_null (id), force_null (t))", "(\"format\" 'csv')", "(FORMAT CSV, HEADER MATCH)",
                "with csv header", "with csv header quote as '''' escape as '\\' force not null id, t",
                "csv force not null *", "csv force null t", "csv force quote *", "binary", "with delimiter as '|' null as ''",
                "delimiters '|'", "using delimiters ';'", "csv quote '\"' escape '\"' encoding 'utf8'",
                "(delimiter -1)", "(header -1)", "(header 0.5)", "(delimiter 1.5)", "(null 1)", "(format csv, quote 1)"));
        for (String dir : List.of("from stdin", "to stdout")) {
            for (String o : options) {
                String sql = "copy ct_copy " + dir + " " + o;
                String server = serverVerdict(sql);
                String mine;
                try {
                    plan(sql);
                    mine = "ok";
                } catch (ShardProxyException e) {
                    mine = e.state().code() + " " + e.getMessage();
                }
                if (oracleVersion < 180000 && (o.contains("reject_limit") || o.contains("silent"))) {
                    // PostgreSQL 18's options: the router takes them, a PostgreSQL 17 shard refuses them itself.
                    assertTrue(mine.equals("ok") || !server.equals("ok"), sql + ": server " + server + ", proxy " + mine);
                } else if (server.startsWith("42601 syntax error")) {
                    // A statement the router cannot read goes to the default shard, which says the same.
                    assertTrue(mine.equals("ok") || mine.startsWith("0A000"), sql + ": server " + server + ", proxy " + mine);
                } else {
                    assertEquals(server, mine, sql + " (seed " + seed + ")");
                }
            }
        }
    }

    /** What the server says to a COPY statement: "ok", or SQLSTATE and message. */
    private String serverVerdict(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(oracle.getMetaData().getURL(), "postgres", "")) {
            c.setAutoCommit(false);
            CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
            try {
                if (sql.contains(" from stdin")) {
                    CopyIn in = cm.copyIn(sql);
                    in.cancelCopy();
                } else {
                    cm.copyOut(sql, new ByteArrayOutputStream());
                }
                return "ok";
            } catch (PSQLException e) {
                ServerErrorMessage m = e.getServerErrorMessage();
                if (m != null && m.getMessage().startsWith("COPY from stdin failed")) {
                    return "ok";
                }
                return m == null ? e.getMessage() : m.getSQLState() + " " + m.getMessage();
            } finally {
                c.rollback();
            }
        }
    }

    // ------------------------------------------------------------------ real shards

    @Test
    void routedCopyLoadsTheShardsLikeOneServerAndNamesTheClientsLines() throws Exception {
        for (int round = 0; round < 40; round++) {
            String options = pick("", "(format csv)", "(format csv, header)", "(format binary)", "(delimiter '|')");
            boolean csv = options.contains("csv");
            boolean binary = options.contains("binary");
            int rows = 1 + random.nextInt(300);
            int bad = random.nextInt(3) == 0 ? 1 + random.nextInt(rows) : -1;
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            if (binary) {
                java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(19).put("PGCOPY\n".getBytes(StandardCharsets.ISO_8859_1))
                        .put((byte) 0xff).put("\r\n".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0).putInt(0).putInt(0);
                data.writeBytes(h.array());
            } else if (options.contains("header")) {
                write(data, "id,b,c\n");
            }
            for (int r = 1; r <= rows; r++) {
                long id = random.nextInt(2000) - 1000;
                String b = random.nextInt(10) == 0 ? "multi\nline" : "row " + r;
                String c = r == bad ? "notanumber" : Integer.toString(random.nextInt(100));
                if (binary) {
                    byte[] bb = b.getBytes(StandardCharsets.UTF_8);
                    java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(2 + 12 + 4 + bb.length + 8);
                    t.putShort((short) 3).putInt(8).putLong(id).putInt(bb.length).put(bb);
                    if (r == bad) {
                        t.putInt(2).putShort((short) 1); // an int4 of two bytes: the server rejects it
                    } else {
                        t.putInt(4).putInt(Integer.parseInt(c));
                    }
                    data.write(t.array(), 0, t.position());
                } else if (csv) {
                    write(data, id + ",\"" + b + "\"," + c + "\n");
                } else {
                    String d = options.contains("|") ? "|" : "\t";
                    write(data, id + d + b.replace("\n", "\\n") + d + c + "\n");
                }
            }
            if (binary) {
                data.write(0xff);
                data.write(0xff);
            }
            String sql = "copy cr_copy (id, b, c) from stdin " + options;
            byte[] bytes = data.toByteArray();
            // One server.
            exec(oracle, "truncate cr_copy");
            String serverError = null;
            try {
                CopyIn in = oracleCopy.copyIn(sql);
                in.writeToCopy(bytes, 0, bytes.length);
                in.endCopy();
            } catch (PSQLException e) {
                ServerErrorMessage m = e.getServerErrorMessage();
                serverError = m.getSQLState() + " " + m.getMessage() + " / " + m.getWhere();
            }
            // Four shards, rows routed by the proxy's core.
            Plan.Copy plan = (Plan.Copy) plan(sql);
            CopyLayout layout = CopyLayout.of(plan, serverVersion());
            List<CopyIn> ins = new ArrayList<>();
            for (Connection s : shards) {
                exec(s, "truncate cr_copy");
                s.setAutoCommit(false);
                ins.add(s.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
            }
            Map<Integer, SQLException> shardErrors = new HashMap<>();
            CopyInRouter router = new CopyInRouter(plan, layout, 4, (s, b, off, len) -> {
                try {
                    if (!shardErrors.containsKey(s)) {
                        ins.get(s).writeToCopy(b, off, len);
                    }
                } catch (SQLException e) {
                    shardErrors.put(s, e);
                }
            }, 256, 1 << 16);
            int p = 0;
            while (p < bytes.length) {
                int n = Math.min(bytes.length - p, 1 + random.nextInt(500));
                router.feed(bytes, p, n);
                p += n;
            }
            router.finish();
            for (int s = 0; s < 4; s++) {
                try {
                    if (!shardErrors.containsKey(s)) {
                        ins.get(s).endCopy();
                    } else if (ins.get(s).isActive()) {
                        ins.get(s).cancelCopy();
                    }
                } catch (SQLException e) {
                    shardErrors.putIfAbsent(s, e);
                }
            }
            String proxyError = null;
            long best = Long.MAX_VALUE;
            for (Map.Entry<Integer, SQLException> e : shardErrors.entrySet()) {
                ServerErrorMessage m = e.getValue() instanceof PSQLException
                        ? ((PSQLException) e.getValue()).getServerErrorMessage() : null;
                if (m == null) {
                    fail("not a server error: " + e.getValue());
                }
                String context = router.lines(e.getKey()).rewriteContext(m.getWhere(), "cr_copy", "s" + e.getKey());
                Matcher lm = LINE.matcher(String.valueOf(context));
                long line = lm.find() ? Long.parseLong(lm.group(1)) : Long.MAX_VALUE - 1;
                if (line < best) {
                    best = line;
                    proxyError = m.getSQLState() + " " + m.getMessage() + " / " + context;
                }
            }
            String what = "seed " + seed + ", round " + round + ", " + sql;
            assertEquals(serverError, proxyError, what);
            if (serverError == null) {
                List<String> one = rows(oracle, "select id, b, c from cr_copy order by id, b, c");
                List<String> all = new ArrayList<>();
                for (Connection s : shards) {
                    s.commit();
                    all.addAll(rows(s, "select id, b, c from cr_copy"));
                }
                all.sort(null);
                List<String> sortedOne = new ArrayList<>(one);
                sortedOne.sort(null);
                assertEquals(sortedOne, all, what);
            }
            for (Connection s : shards) {
                s.rollback();
                s.setAutoCommit(true);
            }
        }
    }

    @Test
    void concatenatedShardOutputEqualsOneServersOutput() throws Exception {
        exec(oracle, "truncate cr_copy");
        for (Connection s : shards) {
            exec(s, "truncate cr_copy");
        }
        for (int i = 0; i < 200; i++) {
            long id = random.nextInt(10_000) - 5000;
            String b = random.nextInt(6) == 0 ? null : awkward();
            String insert = "insert into cr_copy values (?, ?, ?)";
            for (Connection c : List.of(oracle, shards.get((int) Math.abs(id % 4)))) {
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    ps.setLong(1, id);
                    ps.setString(2, b);
                    ps.setInt(3, i);
                    ps.executeUpdate();
                }
            }
        }
        for (String o : List.of("", "(header)", "(format csv, header)", "(format csv, force_quote *)", "(format binary)",
                "(format csv, header, delimiter ';')")) {
            String sql = "copy cr_copy (id, b, c) to stdout " + o;
            ByteArrayOutputStream server = new ByteArrayOutputStream();
            oracleCopy.copyOut(sql, server);
            ByteArrayOutputStream mine = new ByteArrayOutputStream();
            CopyOutConcat concat = new CopyOutConcat(((Plan.Copy) plan(sql)).options(), mine::writeBytes);
            for (Connection s : shards) {
                CopyOut out = s.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
                byte[] m;
                while ((m = out.readFromCopy()) != null) {
                    concat.data(m);
                }
                concat.endShard();
            }
            concat.finish();
            if (o.contains("binary")) {
                assertEquals(tuples(server.toByteArray()), tuples(mine.toByteArray()), sql);
                assertArrayEquals(Arrays.copyOf(server.toByteArray(), 19), Arrays.copyOf(mine.toByteArray(), 19));
            } else {
                List<String> a = new ArrayList<>(List.of(server.toString(StandardCharsets.UTF_8).split("\n", -1)));
                List<String> b = new ArrayList<>(List.of(mine.toString(StandardCharsets.UTF_8).split("\n", -1)));
                if (o.contains("header")) {
                    assertEquals(a.remove(0), b.remove(0), sql);
                }
                a.sort(null);
                b.sort(null);
                assertEquals(a, b, sql + " (seed " + seed + ")");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<String> tuples(byte[] binary) {
        Plan.Copy p = (Plan.Copy) plan("copy cr_copy (id, b, c) from stdin (format binary)");
        List<String> out = new ArrayList<>();
        CopyRowSplitter s = CopyRowSplitter.create(CopyLayout.of(p, 170011));
        RowSink sink = (CopyRow r) -> {
            if (!r.header()) {
                out.add(Arrays.toString(Arrays.copyOfRange(r.data(), r.offset(), r.offset() + r.length())));
            }
        };
        s.feed(binary, sink);
        s.finish(sink);
        assertTrue(s.ended());
        out.sort(null);
        return out;
    }

    private int serverVersion() throws SQLException {
        try (Statement st = oracle.createStatement(); ResultSet rs = st.executeQuery("show server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return out;
    }

    private Plan plan(String sql) {
        return router.plan(router.split(sql).get(0));
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String show(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (byte b : data) {
            int c = b & 0xff;
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
