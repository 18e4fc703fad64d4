package io.shardproxy.cluster;

import io.shardproxy.server.ShardProxyServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: four real PostgreSQL shards from embedded binaries, ShardProxy on
 * 127.0.0.1:6432 in front of them, a sample schema created through the proxy, and the psql
 * command to connect. Ctrl-C stops the proxy and the shards and deletes their data.
 */
public final class Demo {
    static final String USER = "demo";
    static final String PASSWORD = "demo";

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6432;
        System.out.println("Starting 4 PostgreSQL shards ...");
        PgCluster cluster = PgCluster.builder().shards(4).oracle(false).start();
        ShardProxyServer proxy;
        try {
            proxy = ShardProxyServer.start(ProxyYaml.forCluster(cluster).port(port)
                    .scramUser(USER, PASSWORD, true)
                    .sharded("tbl", "id", "mod", "integer", 4)
                    .reference("countries")
                    .config());
        } catch (RuntimeException e) {
            cluster.close();
            System.err.println("Could not start ShardProxy: " + e.getMessage());
            System.err.println("If another server uses port " + port + ", give the demo another one: ./shardproxy demo 6433");
            System.exit(1);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping ShardProxy and the shards ...");
            proxy.close();
            cluster.close();
            stop.countDown();
        }, "demo-shutdown"));
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.address().getPort() + "/shardproxy?preferQueryMode=simple";
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tbl (id int PRIMARY KEY, info text, crt_time timestamp)");
            s.execute("CREATE TABLE countries (code text PRIMARY KEY, name text)");
            s.execute("INSERT INTO countries VALUES ('DE', 'Germany'), ('FR', 'France'), ('JP', 'Japan'), ('US', 'United States')");
            s.execute("INSERT INTO tbl (id, info, crt_time) VALUES (1, 'one', '2026-01-01 10:00'), (2, 'two', '2026-01-02 10:00'),"
                    + " (3, 'three', '2026-01-03 10:00'), (4, 'four', '2026-01-04 10:00'), (5, 'five', '2026-01-05 10:00'),"
                    + " (6, 'six', '2026-01-06 10:00'), (7, 'seven', '2026-01-07 10:00'), (8, 'eight', '2026-01-08 10:00')");
        }
        System.out.println();
        System.out.println("ShardProxy is listening on 127.0.0.1:" + proxy.address().getPort() + " over 4 shards:");
        for (PgServer s : cluster.shards()) {
            System.out.println("  shard " + s.name() + "  127.0.0.1:" + s.port() + "  (psql -h 127.0.0.1 -p " + s.port()
                    + " -U postgres " + cluster.database() + ")");
        }
        System.out.println();
        System.out.println("Sample schema: tbl (sharded by id, 4 buckets, 8 rows) and countries (reference table).");
        System.out.println("Connect with:");
        System.out.println();
        System.out.println("  psql \"postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + proxy.address().getPort()
                + "/shardproxy\"");
        System.out.println();
        System.out.println("Press Ctrl-C to stop everything.");
        stop.await();
    }
}
