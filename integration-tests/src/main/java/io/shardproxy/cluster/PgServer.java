package io.shardproxy.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server: a data directory, a TCP port on 127.0.0.1 and the postmaster started by
 * {@code pg_ctl}. Clients connect as the trusted superuser {@code postgres}.
 *
 * <p>The port is fixed once the server first starts, so a client's URL stays valid across
 * {@link #kill()} and {@link #start()}; only that first start may move to another free port when
 * another process took the chosen one in the meantime. Stopping never trusts {@code pg_ctl} alone:
 * it waits for the postmaster process itself to exit (it may already be shutting down because a
 * terminal's Ctrl-C reached it) and kills it if it will not.
 */
public final class PgServer {

    /** Settings every server gets; a cluster's own settings override them. */
    public static final Map<String, String> DEFAULT_SETTINGS = defaults();

    private static final Logger log = LoggerFactory.getLogger(PgServer.class);
    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 5;
    /** sun_path holds 108 bytes on Linux, 104 on macOS, counting the NUL. */
    private static final int MAX_SOCKET_PATH = 100;

    private final String name;
    private final PgBinaries binaries;
    private final RunAs runAs;
    private final Path dataDir;
    private final Map<String, String> settings;
    private final IntSupplier freePorts;
    /** Volatile so URLs can be read while another thread starts or stops the server. */
    private volatile int port;
    private boolean portSettled;
    private ProcessHandle postmaster;

    /**
     * A server over an existing data directory (a copy of the template). {@code freePorts} gives a
     * replacement port when {@code port} turns out to be taken at the first start; null means the
     * port is fixed.
     */
    PgServer(String name, PgBinaries binaries, RunAs runAs, Path dataDir, int port,
             Map<String, String> settings, IntSupplier freePorts) {
        this.name = name;
        this.binaries = binaries;
        this.runAs = runAs;
        this.dataDir = dataDir;
        this.port = port;
        this.settings = Map.copyOf(settings);
        this.freePorts = freePorts;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server's log (pg_ctl's {@code -l}); it grows across restarts. */
    public Path logFile() {
        return dataDir.resolve("postgresql.log");
    }

    /** A JDBC URL for {@code database} as user postgres, e.g. {@code jdbc:postgresql://127.0.0.1:5432/shardproxy?user=postgres}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database + "?user=postgres";
    }

    /** The postmaster's pid while it runs. */
    public synchronized Optional<Long> pid() {
        return Optional.ofNullable(postmaster).filter(p -> !Processes.isGone(p)).map(ProcessHandle::pid);
    }

    public synchronized boolean isRunning() {
        return postmaster != null && !Processes.isGone(postmaster);
    }

    /** Starts the server and returns once it accepts connections; does nothing if it runs. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            writeSettings();
            long logStart = logSize();
            Exec.Result result = pgCtl("-l", logFile().toString(),
                    "-w", "-t", String.valueOf(PG_CTL_TIMEOUT.toSeconds() - 10), "start");
            if (result.ok()) {
                postmaster = readPostmaster();
                portSettled = true;
                log.debug("{} started on port {} (pid {}) in {} ms", name, port, postmaster.pid(),
                        (System.nanoTime() - started) / 1_000_000);
                return;
            }
            String serverLog = logSince(logStart);
            boolean portTaken = serverLog.contains("could not create any TCP/IP sockets");
            if (portTaken && !portSettled && freePorts != null && attempt < PORT_ATTEMPTS) {
                int next = freePorts.getAsInt();
                log.debug("{}: port {} was taken, retrying on {}", name, port, next);
                port = next;
                continue;
            }
            throw new IllegalStateException(name + " did not start on port " + port
                    + (portTaken ? " (port in use)" : "") + ":\n" + result.output() + "\n" + serverLog);
        }
    }

    /** Fast shutdown: disconnects clients, rolls back open transactions, writes a checkpoint. */
    public synchronized void stop() {
        shutdown("fast");
    }

    /**
     * Immediate shutdown, the closest thing to a crash that leaves no stray processes: no
     * checkpoint, so the next {@link #start()} replays the WAL. Committed data survives;
     * prepared transactions stay prepared.
     */
    public synchronized void kill() {
        shutdown("immediate");
    }

    public synchronized void restart() {
        stop();
        start();
    }

    /** "name port url" for logs and the CLI. */
    @Override
    public String toString() {
        return name + " " + port() + " " + jdbcUrl("postgres");
    }

    private void shutdown(String mode) {
        ProcessHandle running = postmaster != null ? postmaster : readPostmasterIfAny().orElse(null);
        if (running == null || Processes.isGone(running)) {
            postmaster = null;
            return;
        }
        Exec.Result result = pgCtl("-m", mode, "-w", "-t", String.valueOf(EXIT_TIMEOUT.toSeconds()), "stop");
        if (!result.ok() && !Processes.isGone(running)) {
            // pg_ctl found no pid file (the data directory is gone, or the server is already on
            // its way down): send the same signal pg_ctl would have sent
            log.debug("{}: pg_ctl stop said: {}", name, result.output().trim());
            Exec.run(List.of("kill", "-s", mode.equals("fast") ? "INT" : "QUIT", String.valueOf(running.pid())), EXIT_TIMEOUT);
        }
        awaitExit(running);
        postmaster = null;
    }

    /** Waits for the postmaster to be gone, killing it if it takes too long. */
    private void awaitExit(ProcessHandle process) {
        if (Processes.awaitGone(process, EXIT_TIMEOUT)) {
            return;
        }
        log.warn("{}: postmaster {} ignored shutdown; killing it", name, process.pid());
        process.destroyForcibly();
        if (!Processes.awaitGone(process, EXIT_TIMEOUT)) {
            throw new IllegalStateException(name + ": postmaster " + process.pid() + " would not die");
        }
    }

    private Exec.Result pgCtl(String... args) {
        List<String> command = new ArrayList<>(List.of(binaries.bin("pg_ctl").toString(), "-D", dataDir.toString(), "-s"));
        command.addAll(List.of(args));
        return Exec.run(runAs.wrap(command), PG_CTL_TIMEOUT);
    }

    /** shardproxy.conf, included at the end of postgresql.conf: defaults, overrides, then what only this server may have. */
    private void writeSettings() {
        Map<String, String> all = new LinkedHashMap<>(DEFAULT_SETTINGS);
        all.putAll(settings);
        all.put("port", String.valueOf(port));
        String sockets = dataDir.toAbsolutePath().toString();
        // too long a path fails the start; without a socket, clients (and psql) must use TCP
        all.put("unix_socket_directories", (sockets + "/.s.PGSQL." + port).length() < MAX_SOCKET_PATH ? sockets : "");
        StringBuilder conf = new StringBuilder("# written by ShardProxy's PgServer; rewritten at every start\n");
        all.forEach((key, value) -> conf.append(key).append(" = '").append(value.replace("'", "''")).append("'\n"));
        try {
            Path file = dataDir.resolve(PgTemplate.SETTINGS_FILE);
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            runAs.own(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write settings of " + name, e);
        }
    }

    private ProcessHandle readPostmaster() {
        return readPostmasterIfAny().orElseThrow(() -> new IllegalStateException(
                name + ": pg_ctl reported a start but no live postmaster is in " + dataDir.resolve("postmaster.pid")));
    }

    /** The process named on the first line of postmaster.pid, when it still runs. */
    private Optional<ProcessHandle> readPostmasterIfAny() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile()) ? Files.size(logFile()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile().toFile(), "r")) {
            file.seek(Math.min(offset, file.length()));
            byte[] bytes = new byte[(int) Math.min(file.length() - file.getFilePointer(), 64 * 1024)];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private static Map<String, String> defaults() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("listen_addresses", "127.0.0.1");
        s.put("max_connections", "200");
        s.put("shared_buffers", "32MB");
        // logical replication (online resharding) and two-phase commit
        s.put("wal_level", "logical");
        s.put("max_wal_senders", "10");
        s.put("max_replication_slots", "10");
        s.put("max_prepared_transactions", "64");
        // tests crash the process, never the machine: nothing needs to reach the disk, but a commit
        // must reach the kernel before it returns, so synchronous_commit stays on (with it off, a
        // kill() loses the last ~600 ms of commits: WAL still in shared memory dies with the server)
        s.put("fsync", "off");
        s.put("synchronous_commit", "on");
        s.put("full_page_writes", "off");
        s.put("logging_collector", "off");
        return Collections.unmodifiableMap(s);
    }
}
