package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.server.ProxyServices;
import io.shardproxy.server.exec.ShardConnection;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a client's StartupMessage parameters (and {@code options=-c name=value}) into session
 * settings, checks them on a shard the way PostgreSQL would, and computes the ParameterStatus
 * values the client is greeted with.
 *
 * @param settings        the session's settings
 * @param parameters      ParameterStatus values to send, in order
 * @param applicationName the client's application_name, kept by the proxy
 */
record Startup(SessionSettings settings, Map<String, String> parameters, String applicationName) {

    static Startup open(ProxyServices services, Map<String, String> startup) {
        Map<String, String> requested = new LinkedHashMap<>();
        startup.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (name.equals("options")) {
                requested.putAll(options(v));
            } else if (!name.equals("user") && !name.equals("database") && !name.equals("replication")
                    && !name.startsWith("_pq_.")) {
                requested.put(name, v);
            }
        });
        SessionSettings settings = new SessionSettings();
        String applicationName = requested.getOrDefault("application_name", "");
        Map<String, String> params = new LinkedHashMap<>(services.parameters().values());
        params.put("application_name", applicationName);
        for (Map.Entry<String, String> e : requested.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            switch (name) {
                case "application_name":
                case "client_encoding":
                    break;
                case "datestyle":
                    if (!value.trim().toLowerCase(Locale.ROOT).startsWith("iso")) {
                        throw ShardProxyException.unsupported("ShardProxy needs DateStyle ISO to merge date and time values",
                                "connect with DateStyle ISO");
                    }
                    break;
                case "extra_float_digits":
                    if (isPositive(value)) {
                        break;
                    }
                    settings.set(name, set(name, value));
                    break;
                case "timezone":
                    if (!value.equals(services.parameters().timeZone())) {
                        settings.set(name, set(name, value));
                    }
                    break;
                default:
                    settings.set(name, set(name, value));
            }
        }
        if (!settings.isEmpty()) {
            check(services, settings, params);
        }
        settings.markDefaults(params);
        return new Startup(settings, params, applicationName);
    }

    /** Runs the settings on a shard in a rolled-back transaction; bad names or values fail here. */
    private static void check(ProxyServices services, SessionSettings settings, Map<String, String> params) {
        ShardConnection c = services.pools().acquire(0);
        try {
            c.begin("BEGIN");
            for (String s : settings.statements()) {
                c.command(s);
            }
            for (String reported : SessionCommands.REPORTED.values()) {
                String v = c.parameterStatus(reported);
                if (v != null && params.containsKey(reported) && !reported.equals("application_name")
                        && !reported.equals("client_encoding") && !reported.equals("DateStyle")) {
                    params.put(reported, v);
                }
            }
        } finally {
            services.pools().release(c);
        }
    }

    private static String set(String name, String value) {
        return "SET LOCAL " + quoteIdent(name) + " TO '" + value.replace("'", "''") + "'";
    }

    private static String quoteIdent(String name) {
        return name.matches("[a-z_][a-z0-9_.]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static boolean isPositive(String v) {
        try {
            return Integer.parseInt(v.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** PostgreSQL's {@code options}: {@code -c name=value} or {@code --name=value}, backslash escapes spaces. */
    static Map<String, String> options(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.List<String> words = new java.util.ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                w.append(options.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (w.length() > 0) {
                    words.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (w.length() > 0) {
            words.add(w.toString());
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String pair = null;
            if (word.equals("-c") && i + 1 < words.size()) {
                pair = words.get(++i);
            } else if (word.startsWith("-c")) {
                pair = word.substring(2);
            } else if (word.startsWith("--")) {
                pair = word.substring(2);
            }
            if (pair != null && pair.indexOf('=') > 0) {
                out.put(pair.substring(0, pair.indexOf('=')).toLowerCase(Locale.ROOT).replace('-', '_'),
                        pair.substring(pair.indexOf('=') + 1));
            }
        }
        return out;
    }
}
