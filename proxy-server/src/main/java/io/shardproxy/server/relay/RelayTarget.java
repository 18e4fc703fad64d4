package io.shardproxy.server.relay;

import io.shardproxy.config.ShardConfig;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Where a relay connection to one shard goes, read from the shard's JDBC URL. Only URLs whose
 * connections the relay can make the same as pgjdbc makes them qualify: one host, no
 * {@code options} or other property that changes the session, and no TLS that pgjdbc would use:
 * {@code sslmode=disable} or {@code allow}, or the default {@code prefer} on a loopback host.
 * For any other URL the shard gets no relay connections, and its statements run over JDBC.
 */
record RelayTarget(String host, int port, String database, String user, String password) {

    /** Properties that change nothing a relayed statement can see. */
    private static final Set<String> HARMLESS = Set.of("applicationname", "tcpkeepalive", "connecttimeout",
            "logintimeout", "sockettimeout", "user", "password", "sslmode", "binarytransfer", "preparethreshold",
            "assumeminserverversion", "rewritebatchedinserts");

    @Override
    public String toString() {
        return "RelayTarget[" + host + ":" + port + "/" + database + ", user=" + user + "]";
    }

    /** The target for {@code shard}, or null when its URL asks for something the relay does not do. */
    static RelayTarget of(ShardConfig shard) {
        String url = shard.url();
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) {
            return null;
        }
        String rest = url.substring(prefix.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String hostPort = rest.substring(0, slash);
        String database = decode(rest.substring(slash + 1));
        if (hostPort.isEmpty() || hostPort.contains(",") || hostPort.contains("@") || database.isEmpty()) {
            return null;
        }
        String host = hostPort;
        int port = 5432;
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = shard.user();
        String password = shard.password();
        String sslMode = "prefer";
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!HARMLESS.contains(key)) {
                return null;
            }
            if (key.equals("sslmode")) {
                sslMode = value;
            }
            if (key.equals("user") && user == null) {
                user = value;
            }
            if (key.equals("password") && password == null) {
                password = value;
            }
        }
        if (user == null || user.isEmpty()) {
            return null;
        }
        // pgjdbc's default, prefer, encrypts when the server offers TLS; relay connections never
        // do, so they go only where that changes nothing: loopback, or TLS declined outright.
        boolean plain = sslMode.equals("disable") || sslMode.equals("allow");
        if (!plain && !(sslMode.equals("prefer") && isLoopback(host))) {
            return null;
        }
        return new RelayTarget(host, port, database, user, password);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
