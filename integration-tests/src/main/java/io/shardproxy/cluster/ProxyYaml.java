package io.shardproxy.cluster;

import io.shardproxy.config.ConfigLoader;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.server.auth.PasswordTool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a proxy config for a running {@link PgCluster}: one shard per server, users, and the
 * table rules given. Used by the demo, the benchmarks and the integration tests, so they all
 * describe shards the same way.
 */
public final class ProxyYaml {
    private final PgCluster cluster;
    private int port;
    private final List<String> users = new ArrayList<>();
    private final List<String> sharded = new ArrayList<>();
    private final List<String> reference = new ArrayList<>();
    private int poolSize = 8;
    private String tlsCert;
    private String tlsKey;
    private int fetchSize = 1000;
    private int maxMessageBytes;
    private String shardPassword;
    private String shardUrlProperties;
    private String transactions;
    private String shardUser = "postgres";
    private Boolean relay;

    private ProxyYaml(PgCluster cluster) {
        this.cluster = cluster;
    }

    public static ProxyYaml forCluster(PgCluster cluster) {
        return new ProxyYaml(cluster);
    }

    /** Listen port; 0 (the default) takes any free port. */
    public ProxyYaml port(int port) {
        this.port = port;
        return this;
    }

    /** The largest frontend message the proxy accepts; 0 (the default) leaves the proxy's default. */
    public ProxyYaml maxMessageBytes(int bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    /** A {@code password} for every shard; the embedded servers trust local connections and ignore it. */
    public ProxyYaml shardPassword(String password) {
        this.shardPassword = password;
        return this;
    }

    /** The role the proxy connects to the shards as; {@code postgres} (trusted) by default. */
    public ProxyYaml shardUser(String user) {
        this.shardUser = user;
        return this;
    }

    /** {@code execution.relay}: on or off; the proxy's default (on) when never called. */
    public ProxyYaml relay(boolean on) {
        this.relay = on;
        return this;
    }

    /** JDBC URL properties for every shard, e.g. {@code connectTimeout=5}, without the {@code ?}. */
    public ProxyYaml shardUrlProperties(String properties) {
        this.shardUrlProperties = properties;
        return this;
    }

    /** Serve TLS with this PEM certificate chain and PKCS#8 PEM key. */
    public ProxyYaml tls(String certFile, String keyFile) {
        this.tlsCert = certFile;
        this.tlsKey = keyFile;
        return this;
    }

    public ProxyYaml poolSize(int size) {
        this.poolSize = size;
        return this;
    }

    public ProxyYaml fetchSize(int size) {
        this.fetchSize = size;
        return this;
    }

    public ProxyYaml trustUser(String name, boolean admin) {
        users.add("  - {name: " + name + ", auth: trust, admin: " + admin + "}");
        return this;
    }

    public ProxyYaml scramUser(String name, String password, boolean admin) {
        users.add("  - {name: " + name + ", auth: scram-sha-256, secret: '" + PasswordTool.scramVerifier(password)
                + "', admin: " + admin + "}");
        return this;
    }

    public ProxyYaml md5User(String name, String password, boolean admin) {
        users.add("  - {name: " + name + ", auth: md5, secret: '" + PasswordTool.md5(name, password)
                + "', admin: " + admin + "}");
        return this;
    }

    /** A sharded table: {@code algorithm} mod or hash, {@code keyType} integer, text or uuid. */
    public ProxyYaml sharded(String table, String key, String algorithm, String keyType, int buckets) {
        sharded.add("  - {name: " + table + ", shard-key: " + key + ", algorithm: " + algorithm + ", key-type: "
                + keyType + ", buckets: " + buckets + "}");
        return this;
    }

    /** A sharded table by integer key with an explicit {@code bucketMap}, e.g. {@code "{s0: '0', s1: '1'}"}. */
    public ProxyYaml shardedOn(String table, String key, int buckets, String bucketMap) {
        sharded.add("  - {name: " + table + ", shard-key: " + key + ", algorithm: mod, buckets: " + buckets
                + ", bucket-map: " + bucketMap + "}");
        return this;
    }

    /** The transactions section: this proxy's id, where decisions are kept, seconds between recovery passes. */
    public ProxyYaml transactions(String proxyId, String decisionShard, int recoveryInterval) {
        this.transactions = "transactions: {proxy-id: " + proxyId + ", decision-shard: " + decisionShard
                + ", recovery-interval: " + recoveryInterval + "}";
        return this;
    }

    public ProxyYaml reference(String table) {
        reference.add("  - {name: " + table + "}");
        return this;
    }

    public String yaml() {
        StringBuilder y = new StringBuilder();
        y.append("listen:\n  host: 127.0.0.1\n  port: ").append(port).append('\n');
        if (maxMessageBytes > 0) {
            y.append("  max-message-bytes: ").append(maxMessageBytes).append('\n');
        }
        if (tlsCert != null) {
            y.append("  tls: {cert-file: '").append(tlsCert).append("', key-file: '").append(tlsKey).append("'}\n");
        }
        y.append("users:\n");
        users.forEach(u -> y.append(u).append('\n'));
        y.append("shards:\n");
        for (int i = 0; i < cluster.shards().size(); i++) {
            PgServer s = cluster.shard(i);
            y.append("  - {name: s").append(i).append(", url: 'jdbc:postgresql://127.0.0.1:").append(s.port())
                    .append('/').append(cluster.database())
                    .append(shardUrlProperties == null ? "" : "?" + shardUrlProperties)
                    .append("', user: ").append(shardUser).append(", ")
                    .append(shardPassword == null ? "" : "password: '" + shardPassword.replace("'", "''") + "', ")
                    .append("pool-size: ").append(poolSize).append("}\n");
        }
        if (!sharded.isEmpty()) {
            y.append("sharded-tables:\n");
            sharded.forEach(t -> y.append(t).append('\n'));
        }
        if (!reference.isEmpty()) {
            y.append("reference-tables:\n");
            reference.forEach(t -> y.append(t).append('\n'));
        }
        y.append("execution:\n  fetch-size: ").append(fetchSize).append('\n');
        if (relay != null) {
            y.append("  relay: ").append(relay).append('\n');
        }
        if (transactions != null) {
            y.append(transactions).append('\n');
        }
        return y.toString();
    }

    public ProxyConfig config() {
        return ConfigLoader.parse(yaml(), "generated.yaml", Map.of());
    }
}
