package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.PgServer;
import io.shardproxy.cluster.SharedClusterExtension;
import io.shardproxy.config.ConfigLoader;
import io.shardproxy.server.ShardProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Two shards that are databases of one PostgreSQL server, as in a small deployment (and the peers
 * benchmark): a transaction that writes on both commits in two phases although prepared
 * transaction ids are unique per server; and concurrent writes of one reference-table row never
 * deadlock across the shards (the first shard's lock is taken before any other's).
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedServerShardsTest {
    private PgServer server;
    private ShardProxyServer proxy;

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        server = cluster.shard(0);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"))) {
            ProxyFixture.execute(c, "drop database if exists sss_a", "drop database if exists sss_b",
                    "create database sss_a", "create database sss_b");
        }
        String yaml = String.join("\n",
                "listen: {host: 127.0.0.1, port: 0}",
                "users:",
                "  - {name: app, auth: trust, admin: true}",
                "shards:",
                "  - {name: s0, url: 'jdbc:postgresql://127.0.0.1:" + server.port() + "/sss_a', user: postgres}",
                "  - {name: s1, url: 'jdbc:postgresql://127.0.0.1:" + server.port() + "/sss_b', user: postgres}",
                "sharded-tables:",
                "  - {name: accounts, shard-key: id, algorithm: mod, buckets: 2}",
                "reference-tables:",
                "  - {name: rates}",
                "transactions: {proxy-id: it-shared, recovery-interval: 3600}",
                "");
        proxy = ShardProxyServer.start(ConfigLoader.parse(yaml, "shared-server.yaml", Map.of()));
        try (Connection c = connect()) {
            ProxyFixture.execute(c, "create table accounts (id int primary key, balance int)",
                    "create table rates (k int primary key, v int)", "insert into rates values (1, 0)");
        }
    }

    @AfterAll
    void stop() throws SQLException {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"))) {
            ProxyFixture.execute(c, "drop database if exists sss_a with (force)",
                    "drop database if exists sss_b with (force)");
        }
    }

    @Test
    void aTransactionOnBothShardsOfOneServerCommitsInTwoPhases() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("begin");
            s.execute("insert into accounts values (1, 100)");
            s.execute("insert into accounts values (2, 100)");
            s.execute("commit");
            try (ResultSet rs = s.executeQuery("select count(*), sum(balance) from accounts")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
                assertEquals(200, rs.getInt(2));
            }
        }
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_prepared_xacts")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void concurrentWritesOfAReferenceRowDoNotDeadlockAcrossShards() throws Exception {
        int clients = 4;
        int updates = 50;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                done.add(pool.submit(() -> {
                    try (Connection c = connect(); Statement s = c.createStatement()) {
                        s.execute("set statement_timeout = '20s'");
                        for (int n = 0; n < updates; n++) {
                            s.execute("update rates set v = v + 1 where k = 1");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String db : new String[] {"sss_a", "sss_b"}) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(db)); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select v from rates where k = 1")) {
                rs.next();
                assertEquals(clients * updates, rs.getInt(1), "every update on " + db);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.address().getPort() + "/"
                + "shardproxy?preferQueryMode=simple&user=app");
    }
}
