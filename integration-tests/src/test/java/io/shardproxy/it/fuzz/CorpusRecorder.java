package io.shardproxy.it.fuzz;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records the fuzz corpus: real clients (pgjdbc in extended and simple mode, psql, pgbench) talk
 * to a real PostgreSQL server through a {@link RecordingRelay}, and every client connection's bytes
 * become one {@link CorpusStream} file. The startup/authentication phase with SCRAM and md5 is
 * recorded against the proxy itself (the shards trust every local connection).
 *
 * <p>Run it through {@code ProtocolFuzzTest#recordCorpus} with {@code -Dfuzz.record=true}; it
 * rewrites {@code src/test/resources/fuzz/recorded/}. The workloads use only the tables
 * {@link #TABLE} and pgbench's, which the fuzz test also creates through the proxy, and nothing
 * that sleeps or grows with a digit flipped (no pg_sleep, no generate_series over large ranges).
 */
public final class CorpusRecorder {
    /** The table every workload uses: {@value}. The fuzz proxy shards it by id. */
    public static final String TABLE = "fuzz_items";
    public static final String CREATE_TABLE = "create table " + TABLE
            + " (id int primary key, name text, qty int, price numeric(10,2), data bytea, created timestamp)";

    /** Where a client connects: host 127.0.0.1, a port, a database, a user and its password (or null). */
    public record Target(int port, String database, String user, String password) {
    }

    private final Path outDir;
    private final String psql;
    private final String pgbench;
    private final List<String> written = new ArrayList<>();

    public CorpusRecorder(Path outDir, String psql, String pgbench) {
        this.outDir = outDir;
        this.psql = psql;
        this.pgbench = pgbench;
    }

    /** The stream names written so far. */
    public List<String> written() {
        return List.copyOf(written);
    }

    /** pgjdbc in its default (extended) mode, server-prepared statements, binary transfer of parameters. */
    public void pgjdbcExtended(Target server) throws Exception {
        record("pgjdbc-extended", server, List.of(
                "pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION + " in extended mode, prepareThreshold=1:",
                "prepared select/insert/update/delete, batch insert, fetchSize cursor in a transaction,",
                "bytea and int parameters, an error inside a transaction, savepoint, rollback"),
                relay -> {
                    try (Connection c = connect(relay, server, "prepareThreshold=1")) {
                        jdbcWorkload(c);
                    }
                });
        record("pgjdbc-extended-binary", server, List.of(
                "pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION
                        + " in extended mode, prepareThreshold=-1 (binary parameters and results from the first use)"),
                relay -> {
                    try (Connection c = connect(relay, server, "prepareThreshold=-1")) {
                        jdbcWorkload(c);
                    }
                });
    }

    /** pgjdbc with preferQueryMode=simple: the same workload as Query messages. */
    public void pgjdbcSimple(Target server) throws Exception {
        record("pgjdbc-simple", server, List.of(
                "pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION
                        + " with preferQueryMode=simple: the extended workload as Query messages"),
                relay -> {
                    try (Connection c = connect(relay, server, "preferQueryMode=simple")) {
                        jdbcWorkload(c);
                    }
                });
    }

    /** Authentication through the proxy: pgjdbc (simple mode) as a SCRAM user and as an md5 user. */
    public void pgjdbcAuth(String name, Target proxy) throws Exception {
        record(name, proxy, List.of("pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION
                        + " (preferQueryMode=simple) logging in to ShardProxy as " + proxy.user() + ", two queries"),
                relay -> {
                    try (Connection c = connect(relay, proxy, "preferQueryMode=simple");
                         Statement s = c.createStatement()) {
                        s.executeQuery("select 1").close();
                        s.executeQuery("select count(*) from " + TABLE + " where id = 1").close();
                    }
                });
    }

    /** psql running a script: queries, a transaction, an error, \copy and COPY from stdin, \d. */
    public void psqlScript(String name, Target server) throws Exception {
        String script = String.join("\n",
                "\\set ON_ERROR_STOP off",
                "select id, name from " + TABLE + " where id = 1;",
                "insert into " + TABLE + " (id, name, qty) values (901, 'psql', 1);",
                "begin;",
                "update " + TABLE + " set qty = qty + 1 where id = 901;",
                "select qty from " + TABLE + " where id = 901;",
                "commit;",
                "select 1/0;",
                "\\copy " + TABLE + " (id, name, qty) from stdin",
                "902\tcopied one\t2",
                "903\tcopied two\t3",
                "\\.",
                "copy " + TABLE + " (id, name, qty) from stdin;",
                "904\tcopy four\t4",
                "905\tcopy five\t5",
                "\\.",
                "\\copy (select id, name from " + TABLE + " where id between 901 and 905 order by id) to stdout",
                "\\d " + TABLE,
                "delete from " + TABLE + " where id between 901 and 905;",
                "");
        Path file = Files.createTempFile("fuzz-psql-", ".sql");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            record(name, server, List.of("psql " + version(psql) + " -X -f script: select, insert, a transaction,"
                            + " an error, \\copy from stdin, COPY from stdin, \\copy to stdout, \\d; user " + server.user()),
                    relay -> run(server, List.of(psql, "-X", "-q", "-h", "127.0.0.1", "-p", Integer.toString(relay),
                            "-U", server.user(), "-d", server.database(), "-f", file.toString())));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** psql -c with one short query, for the startup and authentication phase (SSLRequest first). */
    public void psqlLogin(String name, Target server) throws Exception {
        record(name, server, List.of("psql " + version(psql) + " -X -c 'select 1' as " + server.user()
                        + " (sslmode=prefer: SSLRequest answered 'N' first)"),
                relay -> run(server, List.of(psql, "-X", "-q", "-h", "127.0.0.1", "-p", Integer.toString(relay),
                        "-U", server.user(), "-d", server.database(), "-c", "select 1")));
    }

    /** pgbench's TPC-B-like transactions in one protocol mode; the tables must exist (pgbench -i). */
    public void pgbench(Target server, String mode) throws Exception {
        record("pgbench-" + mode, server, List.of("pgbench " + version(pgbench) + " -n -t 3 -M " + mode
                        + " (built-in TPC-B-like script)"),
                relay -> run(server, List.of(pgbench, "-n", "-t", "3", "-M", mode, "-h", "127.0.0.1",
                        "-p", Integer.toString(relay), "-U", server.user(), server.database())));
    }

    /** pgbench -i -s 1 straight to the server (not recorded: 100,000 rows of COPY). */
    public void pgbenchInit(Target server) throws Exception {
        run(server, List.of(pgbench, "-i", "-q", "-s", "1", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                "-U", server.user(), server.database()));
    }

    private interface Workload {
        void run(int relayPort) throws Exception;
    }

    private void record(String name, Target server, List<String> comments, Workload workload) throws Exception {
        try (RecordingRelay relay = new RecordingRelay(server.port())) {
            workload.run(relay.port());
            List<RecordingRelay.Recording> recordings = relay.finished();
            int n = 0;
            for (RecordingRelay.Recording r : recordings) {
                byte[] bytes = r.clientBytes();
                if (bytes.length == 0) {
                    continue;
                }
                String streamName = recordings.size() == 1 ? name : name + "-" + (++n);
                List<String> c = new ArrayList<>(comments);
                c.add("recorded through RecordingRelay by CorpusRecorder (ProtocolFuzzTest#recordCorpus), "
                        + bytes.length + " client bytes");
                CorpusStream s = CorpusStream.fromRecording(streamName, c, bytes);
                s.write(outDir);
                written.add(streamName);
            }
        }
    }

    private static void jdbcWorkload(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("select id, name, qty, price, data, created from "
                + TABLE + " where id = ?")) {
            for (int id = 1; id <= 3; id++) {
                select.setInt(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(2);
                    }
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("insert into " + TABLE
                + " (id, name, qty, price, data, created) values (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 4; i++) {
                insert.setInt(1, 801 + i);
                insert.setString(2, "batch ü " + i);
                insert.setInt(3, i);
                insert.setBigDecimal(4, new BigDecimal("12.5" + i));
                insert.setBytes(5, new byte[] {(byte) i, 0, (byte) 0xff, 0x7f});
                insert.setTimestamp(6, Timestamp.valueOf("2026-11-0" + (i + 1) + " 10:00:00"));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        c.setAutoCommit(false);
        try (PreparedStatement cursor = c.prepareStatement("select id, name from " + TABLE
                + " where id between ? and ? order by id")) {
            cursor.setFetchSize(2);
            cursor.setInt(1, 1);
            cursor.setInt(2, 900);
            try (ResultSet rs = cursor.executeQuery()) {
                while (rs.next()) {
                    rs.getInt(1);
                }
            }
        }
        try (PreparedStatement update = c.prepareStatement("update " + TABLE + " set qty = qty + ? where id = ?")) {
            update.setInt(1, 10);
            update.setInt(2, 801);
            update.executeUpdate();
        }
        c.commit();
        try (Statement s = c.createStatement()) {
            s.execute("savepoint sp1");
            try {
                s.executeQuery("select 1/0").close();
            } catch (SQLException expected) {
                s.execute("rollback to savepoint sp1");
            }
            s.executeQuery("select count(*) from " + TABLE).close();
        }
        c.rollback();
        c.setAutoCommit(true);
        try (PreparedStatement delete = c.prepareStatement("delete from " + TABLE + " where id = any(?)")) {
            delete.setArray(1, c.createArrayOf("int4", new Object[] {801, 802, 803, 804}));
            delete.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.executeQuery("select 'done', now()::date, 1.5::float8, null::text").close();
        }
    }

    private static Connection connect(int relayPort, Target t, String properties) throws SQLException {
        return DriverManager.getConnection(url(relayPort, t, properties), props(t));
    }

    private static String url(int relayPort, Target t, String properties) {
        return "jdbc:postgresql://127.0.0.1:" + relayPort + "/" + t.database() + "?" + properties;
    }

    private static java.util.Properties props(Target t) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", t.user());
        if (t.password() != null) {
            p.setProperty("password", t.password());
        }
        return p;
    }

    private static void run(Target server, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("PGSERVICE");
        env.put("PGSSLMODE", "prefer");
        env.put("PGGSSENCMODE", "disable");
        if (server.password() != null) {
            env.put("PGPASSWORD", server.password());
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish");
        }
        if (p.exitValue() != 0 && !command.get(0).endsWith("psql")) {
            throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static String version(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return v.replaceAll("^\\S+ ", "");
        } catch (IOException | InterruptedException e) {
            return "(unknown version)";
        }
    }
}
