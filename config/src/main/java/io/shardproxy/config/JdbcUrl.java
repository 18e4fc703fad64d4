package io.shardproxy.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one shard URL form the proxy accepts: {@code jdbc:postgresql://host[:port]/database[?props]}
 * with a single host (a name, an IPv4 address or a bracketed IPv6 address). pgjdbc also accepts
 * several hosts and host-less forms; a shard is exactly one server, so those are refused here.
 * Problems show the URL only through {@link ShardConfig#redact(String)}.
 */
final class JdbcUrl {

    static final String FORM = "jdbc:postgresql://host[:port]/database";

    private static final Pattern URL = Pattern.compile(
            "jdbc:postgresql://(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?/([^/?#\\s]+)(\\?[^#\\s]*)?");

    private JdbcUrl() {
    }

    /** The problem with {@code url} as a shard URL, or null when it is one. */
    static String problem(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return "malformed JDBC URL \"" + ShardConfig.redact(url) + "\" (expected " + FORM + ")";
        }
        if (m.group(2) != null) {
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                return "port " + port + " in JDBC URL \"" + ShardConfig.redact(url) + "\" is out of range (1..65535)";
            }
        }
        return null;
    }
}
