package io.shardproxy.server.exec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ParameterStatus values a client gets at startup, taken from the default shard (so
 * server_version and the rest describe the servers behind the proxy), with the values that
 * describe the client's own session (application_name, client_encoding, DateStyle) set by the
 * proxy.
 */
public final class ServerParameters {
    private static final String[] REPORTED = {"server_version", "server_encoding", "client_encoding",
            "DateStyle", "IntervalStyle", "TimeZone", "integer_datetimes", "standard_conforming_strings",
            "is_superuser", "session_authorization", "default_transaction_read_only", "in_hot_standby",
            "scram_iterations", "application_name"};

    private final Map<String, String> values;

    private ServerParameters(Map<String, String> values) {
        this.values = values;
    }

    /** Reads the parameters from a shard connection; fixed fallbacks when the shard is down. */
    public static ServerParameters from(ShardPools pools) {
        Map<String, String> v = new LinkedHashMap<>();
        try {
            ShardConnection c = pools.acquire(0);
            try {
                for (String name : REPORTED) {
                    String value = c.parameterStatus(name);
                    if (value != null) {
                        v.put(name, value);
                    }
                }
            } finally {
                pools.release(c);
            }
        } catch (RuntimeException e) {
            v.put("server_version", "17.0");
            v.put("server_encoding", "UTF8");
            v.put("TimeZone", java.util.TimeZone.getDefault().getID());
            v.put("integer_datetimes", "on");
            v.put("standard_conforming_strings", "on");
        }
        v.put("client_encoding", "UTF8");
        v.put("DateStyle", "ISO, MDY");
        v.putIfAbsent("IntervalStyle", "postgres");
        v.put("application_name", "");
        return new ServerParameters(v);
    }

    /** The startup ParameterStatus values, in a stable order. */
    public Map<String, String> values() {
        return values;
    }

    /** The time zone the shard connections run in. */
    public String timeZone() {
        return values.getOrDefault("TimeZone", "UTC");
    }
}
