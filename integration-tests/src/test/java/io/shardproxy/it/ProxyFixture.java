package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.ProxyYaml;
import io.shardproxy.server.ShardProxyServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * One proxy (on an ephemeral port) over the shared cluster for one test class, and pgjdbc
 * connections to it, to each shard directly and to the oracle. The proxy always knows the SCRAM
 * admin user {@value #USER}; a class adds its tables and any other users through the
 * {@link ProxyYaml} it is handed.
 *
 * <p>{@link #connect} uses {@code preferQueryMode=simple}, so a test's SQL reaches the proxy as
 * written; {@link #connectExtended} opens one in pgjdbc's default (extended) mode.
 */
final class ProxyFixture implements AutoCloseable {
    static final String USER = "it_app";
    static final String PASSWORD = "it-app-secret";

    private final PgCluster cluster;
    private final ShardProxyServer proxy;

    private ProxyFixture(PgCluster cluster, ShardProxyServer proxy) {
        this.cluster = cluster;
        this.proxy = proxy;
    }

    /** Starts a proxy over {@code cluster} with the tables and users {@code setup} adds. */
    static ProxyFixture start(PgCluster cluster, UnaryOperator<ProxyYaml> setup) {
        ProxyYaml yaml = setup.apply(ProxyYaml.forCluster(cluster).scramUser(USER, PASSWORD, true));
        return new ProxyFixture(cluster, ShardProxyServer.start(yaml.config()));
    }

    PgCluster cluster() {
        return cluster;
    }

    ShardProxyServer server() {
        return proxy;
    }

    int port() {
        return proxy.address().getPort();
    }

    /** The proxy's JDBC URL in simple query mode. */
    String url() {
        return baseUrl() + "?preferQueryMode=simple";
    }

    /** The proxy's JDBC URL with pgjdbc's defaults (extended query protocol). */
    String baseUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + cluster.database();
    }

    /** A connection to the proxy as the admin user {@value #USER}. */
    Connection connect() throws SQLException {
        return connect(USER, PASSWORD);
    }

    Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(url(), credentials(user, password));
    }

    /** A connection to the proxy in pgjdbc's default mode, which uses the extended query protocol. */
    Connection connectExtended() throws SQLException {
        return DriverManager.getConnection(baseUrl(), credentials(USER, PASSWORD));
    }

    /**
     * A connection to the proxy in pgjdbc's extended mode with extra URL parameters, e.g.
     * {@code prepareThreshold=-1} (server-prepared from the first use, binary results).
     */
    Connection connectExtended(String urlParameters) throws SQLException {
        return DriverManager.getConnection(baseUrl() + "?" + urlParameters, credentials(USER, PASSWORD));
    }

    /** A direct connection to the oracle with extra URL parameters. */
    Connection oracle(String urlParameters) throws SQLException {
        return DriverManager.getConnection(cluster.oracle().jdbcUrl(cluster.database()) + "&" + urlParameters);
    }

    /** A direct connection to shard {@code index}, bypassing the proxy. */
    Connection shard(int index) throws SQLException {
        return DriverManager.getConnection(cluster.shard(index).jdbcUrl(cluster.database()));
    }

    int shardCount() {
        return cluster.shards().size();
    }

    /** A direct connection to the oracle: one unsharded PostgreSQL that holds every row. */
    Connection oracle() throws SQLException {
        return DriverManager.getConnection(cluster.oracle().jdbcUrl(cluster.database()));
    }

    /** Runs {@code sql} directly on every shard and the oracle, e.g. to drop a table left by an earlier run. */
    void onEveryServer(String... sql) throws SQLException {
        for (int i = 0; i < shardCount(); i++) {
            try (Connection c = shard(i)) {
                execute(c, sql);
            }
        }
        try (Connection c = oracle()) {
            execute(c, sql);
        }
    }

    /**
     * The most bytes the proxy held for its clients, sampled every 50 ms until the figure stops
     * changing (10 samples alike) or 10 s pass: what a client that stopped reading costs.
     */
    long peakPendingClientBytes() throws InterruptedException {
        long peak = 0;
        long previous = -1;
        int stableSamples = 0;
        for (int i = 0; i < 200 && stableSamples < 10; i++) {
            long pending = proxy.pendingClientBytes();
            peak = Math.max(peak, pending);
            stableSamples = pending == previous ? stableSamples + 1 : 0;
            previous = pending;
            Thread.sleep(50);
        }
        return peak;
    }

    static void execute(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static Properties credentials(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    @Override
    public void close() {
        proxy.close();
    }
}
