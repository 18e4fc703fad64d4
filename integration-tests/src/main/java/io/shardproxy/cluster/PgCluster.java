package io.shardproxy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of real PostgreSQL servers for tests and demos: {@code shards} sharded servers plus, when
 * asked, one standalone "oracle" server with the same settings that holds all the rows and gives
 * the expected answer. Each server has the database {@link #database()}.
 *
 * <p>Everything lives in one fresh directory ({@link #baseDir()}); {@link #close()} stops every
 * server and deletes that directory. A JVM shutdown hook does the same, so Ctrl-C or a plain
 * {@code kill} leaves neither processes nor files behind; a cluster whose JVM was killed outright
 * is stopped and deleted by the next cluster started in the same parent directory.
 *
 * <pre>{@code
 * try (PgCluster cluster = PgCluster.builder().shards(4).oracle(true).start()) {
 *     String url = cluster.shard(0).jdbcUrl(cluster.database());
 * }
 * }</pre>
 */
public final class PgCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgCluster.class);
    static final String DIR_PREFIX = "shardproxy-cluster-";
    public static final String BASE_DIR_PROPERTY = "shardproxy.pg.baseDir";
    public static final String BASE_DIR_ENV = "SHARDPROXY_PG_BASE_DIR";

    private final Path baseDir;
    private final String database;
    private final RunAs runAs;
    private final PgBinaries binaries;
    private final List<PgServer> shards;
    private final PgServer oracle;
    private final Thread shutdownHook;
    private boolean closed;

    private PgCluster(Builder builder) {
        long started = System.nanoTime();
        this.database = builder.database;
        this.runAs = RunAs.detect();
        this.binaries = PgBinaries.install(runAs);
        Path template = PgTemplate.ensure(binaries, runAs, database, builder.initdbOptions);
        OrphanReaper.reap(builder.parentDir, binaries, runAs);
        this.baseDir = OrphanReaper.createOwnedDir(builder.parentDir, DIR_PREFIX);
        runAs.own(baseDir);
        this.shutdownHook = new Thread(this::closeFromHook, "shardproxy-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        List<String> names = new ArrayList<>();
        for (int i = 0; i < builder.shards; i++) {
            names.add("shard-" + i);
        }
        if (builder.oracle) {
            names.add("oracle");
        }
        List<Integer> ports = builder.basePort > 0 ? fixedPorts(builder.basePort, names.size()) : freePorts(names.size());
        List<PgServer> servers = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            servers.add(new PgServer(names.get(i), binaries, runAs, baseDir.resolve(names.get(i)), ports.get(i),
                    builder.settings, builder.basePort > 0 ? null : () -> freePorts(1).get(0)));
        }
        this.shards = List.copyOf(servers.subList(0, builder.shards));
        this.oracle = builder.oracle ? servers.get(builder.shards) : null;
        try {
            inParallel(servers, server -> {
                long copyStart = System.nanoTime();
                FileTrees.copy(template, server.dataDir(), runAs::own);
                log.debug("{}: template copied in {} ms", server.name(), (System.nanoTime() - copyStart) / 1_000_000);
                server.start();
            });
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        log.debug("{} servers up in {} ms under {} ({})", servers.size(), (System.nanoTime() - started) / 1_000_000, baseDir, runAs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The sharded servers, {@code shard-0} first. */
    public List<PgServer> shards() {
        return shards;
    }

    public PgServer shard(int index) {
        return shards.get(index);
    }

    public boolean hasOracle() {
        return oracle != null;
    }

    /** The standalone server that holds the whole data set; present only when built with {@code oracle(true)}. */
    public PgServer oracle() {
        if (oracle == null) {
            throw new IllegalStateException("this cluster was built without an oracle server");
        }
        return oracle;
    }

    /** Shards, then the oracle if any. */
    public List<PgServer> servers() {
        List<PgServer> all = new ArrayList<>(shards);
        if (oracle != null) {
            all.add(oracle);
        }
        return List.copyOf(all);
    }

    /** The database created on every server. */
    public String database() {
        return database;
    }

    public Path baseDir() {
        return baseDir;
    }

    public RunAs runAs() {
        return runAs;
    }

    public PgBinaries binaries() {
        return binaries;
    }

    /**
     * Stops every server (fast shutdown, all at once) and deletes {@link #baseDir()}. Idempotent;
     * synchronized so that a second caller (the shutdown hook, say) returns only once all is gone.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself, or while the JVM exits: nothing to unregister
        }
        List<RuntimeException> failures = new ArrayList<>();
        try {
            inParallel(servers(), PgServer::stop);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            FileTrees.delete(baseDir);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
        log.debug("cluster in {} stopped and deleted", baseDir);
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            // logging may already be shut down; stderr is what is left
            System.err.println("shardproxy: could not clean up the cluster in " + baseDir + ": " + e);
        }
    }

    /** Runs {@code action} for every server at once and rethrows the first failure after all have finished. */
    private static void inParallel(List<PgServer> servers, Consumer<PgServer> action) {
        if (servers.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(servers.size(), runnable -> {
            Thread thread = new Thread(runnable, "shardproxy-cluster");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (PgServer server : servers) {
                futures.add(CompletableFuture.runAsync(() -> action.accept(server), pool));
            }
            RuntimeException failure = null;
            for (CompletableFuture<Void> future : futures) {
                try {
                    future.join();
                } catch (CompletionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException
                            ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Ports the OS considers free now. All sockets stay open until every port is picked, so the
     * list has no duplicates; another process may still take one before PostgreSQL binds it, which
     * {@link PgServer#start()} survives by moving to another port.
     */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
            }
            List<Integer> ports = new ArrayList<>();
            sockets.forEach(s -> ports.add(s.getLocalPort()));
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("could not find free ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a never-accepting socket does not fail in practice
                }
            }
        }
    }

    private static List<Integer> fixedPorts(int basePort, int count) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(basePort + i);
        }
        return ports;
    }

    /**
     * The system property {@code shardproxy.pg.baseDir} or the environment variable
     * {@code SHARDPROXY_PG_BASE_DIR} when set; else {@code /dev/shm} when it is a writable tmpfs with
     * at least 2 GB free; else {@code java.io.tmpdir}. Memory first because a server starts from a
     * copy of ~1,300 template files, and creating files on a virtual machine's disk can cost a
     * millisecond each (measured: 1.9 s for 1,270 empty files on ext4, 0.04 s on tmpfs).
     */
    public static Path defaultParentDir() {
        String configured = System.getProperty(BASE_DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(BASE_DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm) && Files.getFileStore(shm).getUsableSpace() >= (2L << 30)) {
                return shm;
            }
        } catch (IOException e) {
            // fall through to the temp dir
        }
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }

    /** Settings for a cluster; {@link #start()} builds it and returns once every server accepts connections. */
    public static final class Builder {
        private int shards = 4;
        private boolean oracle;
        private Path parentDir = defaultParentDir();
        private String database = "shardproxy";
        private int basePort;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private List<String> initdbOptions = List.of();

        private Builder() {
        }

        /** Number of sharded servers (default 4). */
        public Builder shards(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("shards must be >= 0: " + count);
            }
            this.shards = count;
            return this;
        }

        /** Whether to add the standalone "oracle" server (default no). */
        public Builder oracle(boolean withOracle) {
            this.oracle = withOracle;
            return this;
        }

        /** Where the cluster's own fresh directory is made; see {@link #defaultParentDir()}. */
        public Builder baseDir(Path parent) {
            this.parentDir = Objects.requireNonNull(parent).toAbsolutePath();
            return this;
        }

        /** The database created on every server (default {@code shardproxy}). */
        public Builder database(String name) {
            if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("bad database name: " + name);
            }
            this.database = name;
            return this;
        }

        /**
         * Fixed ports: shards get {@code port}, {@code port+1}, ..., the oracle the next one. Default:
         * free ports chosen by the OS. A fixed port that is taken fails the start.
         */
        public Builder basePort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port: " + port);
            }
            this.basePort = port;
            return this;
        }

        /** A postgresql.conf setting for every server, over {@link PgServer#DEFAULT_SETTINGS}. */
        public Builder setting(String name, String value) {
            settings.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /**
         * initdb options for every server, after the defaults ({@code -E UTF8 --locale=C ...}), e.g.
         * {@code --locale-provider=icu --icu-locale=en-US} for an ICU default collation. Servers
         * start from a template made once per set of options.
         */
        public Builder initdbOptions(String... options) {
            this.initdbOptions = List.of(options);
            return this;
        }

        public PgCluster start() {
            return new PgCluster(this);
        }
    }
}
