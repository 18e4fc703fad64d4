package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.server.ProxyServices;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.NoticeResponse;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SET, RESET and DISCARD. A SET is checked on a shard (inside a transaction that is rolled back)
 * so a bad name or value fails exactly as PostgreSQL fails it, and the value PostgreSQL reports
 * for a reported parameter (TimeZone, DateStyle, ...) goes to the client as ParameterStatus. The
 * setting is then kept by the session and applied to every shard connection it uses.
 */
final class SessionCommands {
    /** Parameters PostgreSQL reports with ParameterStatus, by lower-case name. */
    static final Map<String, String> REPORTED = Map.ofEntries(
            Map.entry("application_name", "application_name"), Map.entry("client_encoding", "client_encoding"),
            Map.entry("datestyle", "DateStyle"), Map.entry("intervalstyle", "IntervalStyle"),
            Map.entry("timezone", "TimeZone"), Map.entry("integer_datetimes", "integer_datetimes"),
            Map.entry("is_superuser", "is_superuser"), Map.entry("server_encoding", "server_encoding"),
            Map.entry("server_version", "server_version"), Map.entry("session_authorization", "session_authorization"),
            Map.entry("standard_conforming_strings", "standard_conforming_strings"),
            Map.entry("default_transaction_read_only", "default_transaction_read_only"),
            Map.entry("in_hot_standby", "in_hot_standby"), Map.entry("scram_iterations", "scram_iterations"));

    private final ProxyServices services;
    private final Transaction tx;
    private final SessionSettings settings;
    private final ResultWriter out;
    private String applicationName;

    SessionCommands(ProxyServices services, Transaction tx, SessionSettings settings, ResultWriter out,
                    String applicationName) {
        this.services = services;
        this.tx = tx;
        this.settings = settings;
        this.out = out;
        this.applicationName = applicationName == null ? "" : applicationName;
    }

    void run(Plan.Session p, Statement st, boolean multi) {
        switch (p.command()) {
            case SET:
                set(p.name(), st);
                out.write(new CommandComplete("SET"));
                break;
            case SET_LOCAL:
                if (!tx.inBlock()) {
                    out.write(NoticeResponse.of(NoticeResponse.WARNING, SqlState.NO_ACTIVE_SQL_TRANSACTION.code(),
                            (p.name().equals("transaction") ? "SET TRANSACTION" : "SET LOCAL")
                                    + " can only be used in transaction blocks"));
                } else {
                    tx.applyToPinned(st.text());
                    settings.setLocal(st.text());
                }
                out.write(new CommandComplete("SET"));
                break;
            case RESET:
                reset(p.name());
                out.write(new CommandComplete("RESET"));
                break;
            case RESET_ALL:
                settings.resetAll();
                applicationName = defaultApplicationName();
                if (tx.inBlock()) {
                    tx.applyToPinned("RESET ALL");
                    for (String s : settings.statements()) {
                        tx.applyToPinned(s);
                    }
                }
                out.write(new CommandComplete("RESET"));
                break;
            case DISCARD_ALL:
                if (tx.inBlock() && (tx.explicit() || multi)) {
                    throw new ShardProxyException(SqlState.ACTIVE_SQL_TRANSACTION,
                            "DISCARD ALL cannot run inside a transaction block");
                }
                settings.resetAll();
                applicationName = defaultApplicationName();
                out.write(new CommandComplete("DISCARD ALL"));
                break;
            default:
                out.write(new CommandComplete("DISCARD " + p.name().toUpperCase(Locale.ROOT)));
        }
    }

    private void set(String name, Statement st) {
        if (name.equals("session_characteristics")) {
            for (Map.Entry<String, String> e : characteristics(st.tokens()).entrySet()) {
                apply(e.getKey(), "SET LOCAL " + e.getKey() + " TO '" + e.getValue() + "'");
            }
            return;
        }
        if (name.equals("client_encoding")) {
            String value = value(st.tokens()).replace("'", "").replace("-", "").toLowerCase(Locale.ROOT);
            if (!value.equals("utf8") && !value.equals("unicode") && !value.equals("default")) {
                throw ShardProxyException.unsupported("ShardProxy speaks UTF8 only; client_encoding "
                        + value(st.tokens()) + " is not supported", "use client_encoding UTF8");
            }
            return;
        }
        if (name.equals("datestyle") && !value(st.tokens()).toLowerCase(Locale.ROOT).replace("'", "").trim().startsWith("iso")) {
            throw ShardProxyException.unsupported("ShardProxy needs DateStyle ISO to merge date and time values",
                    "SET DateStyle TO ISO (the order part, e.g. 'ISO, DMY', may vary)");
        }
        if (name.equals("application_name")) {
            applicationName = unquote(value(st.tokens()));
            settings.report("application_name", applicationName);
            return;
        }
        apply(name, localForm(st));
    }

    /** Checks a setting on a shard, keeps it, applies it to the open block, reports it. */
    private void apply(String name, String local) {
        String reported = check(local, name);
        settings.set(name, local);
        if (tx.inBlock()) {
            tx.applyToPinned(local);
        }
        if (reported != null) {
            settings.report(REPORTED.get(name), reported);
        }
    }

    private void reset(String name) {
        if (name.equals("application_name")) {
            applicationName = defaultApplicationName();
            settings.report("application_name", applicationName);
            return;
        }
        String startup = settings.defaultStatement(name);
        String local = startup != null ? startup : "SET LOCAL " + name + " TO DEFAULT";
        String reported = check(local, name);
        settings.reset(name);
        if (tx.inBlock()) {
            tx.applyToPinned(local);
        }
        if (reported != null) {
            settings.report(REPORTED.get(name), reported);
        }
    }

    /**
     * Runs {@code local} on a shard inside a transaction that is rolled back, or inside the
     * session's block when it holds a shard: PostgreSQL's own checks of the name and value.
     * Returns the value PostgreSQL reports for a reported parameter.
     */
    private String check(String local, String name) {
        String canonical = REPORTED.get(name);
        List<ShardConnection> pinned = tx.pinned();
        if (!pinned.isEmpty()) {
            // Inside a block, check on a connection the block holds: a second connection to a
            // shard the session already holds may never come when blocks hold the whole pool
            // (the SET would fail with 08001 after the pool's timeout). A bad value fails the
            // block here, as the SET would in PostgreSQL.
            ShardConnection c = pinned.get(0);
            c.command(local);
            return canonical == null ? null : c.parameterStatus(canonical);
        }
        ShardConnection c = services.pools().acquire(0);
        try {
            c.begin("BEGIN");
            c.command(local);
            return canonical == null ? null : c.parameterStatus(canonical);
        } finally {
            services.pools().release(c);
        }
    }

    /** {@code SET [SESSION] x ...} as {@code SET LOCAL x ...}. */
    static String localForm(Statement st) {
        Tokens t = st.tokens();
        int rest = 1;
        if (t.isWord(1, "session") && !t.isWord(2, "authorization")) {
            rest = 2;
        }
        return "SET LOCAL " + st.text().substring(t.start(rest));
    }

    /**
     * {@code SET SESSION CHARACTERISTICS AS TRANSACTION modes} as the settings it stands for:
     * default_transaction_isolation, default_transaction_read_only, default_transaction_deferrable.
     */
    static Map<String, String> characteristics(Tokens t) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        int i = 5;
        while (i < t.size()) {
            if (t.isWord(i, "isolation") && t.isWord(i + 1, "level")) {
                String level = t.text(i + 2).toLowerCase(Locale.ROOT);
                i += 3;
                if (level.equals("repeatable") || level.equals("read")) {
                    level = level + " " + t.text(i).toLowerCase(Locale.ROOT);
                    i++;
                }
                out.put("default_transaction_isolation", level);
            } else if (t.isWord(i, "read") && (t.isWord(i + 1, "only") || t.isWord(i + 1, "write"))) {
                out.put("default_transaction_read_only", t.isWord(i + 1, "only") ? "on" : "off");
                i += 2;
            } else if (t.isWord(i, "not") && t.isWord(i + 1, "deferrable")) {
                out.put("default_transaction_deferrable", "off");
                i += 2;
            } else if (t.isWord(i, "deferrable")) {
                out.put("default_transaction_deferrable", "on");
                i++;
            } else {
                i++;
            }
        }
        return out;
    }

    /** The value text of a SET: everything after TO or =. */
    private static String value(Tokens t) {
        for (int i = 1; i < t.size(); i++) {
            if (t.isWord(i, "to") || t.isSymbol(i, "=")) {
                return i + 1 < t.size() ? t.source().substring(t.start(i + 1)).trim() : "";
            }
        }
        if (t.isWord(1, "time") && t.isWord(2, "zone") && t.size() > 3) {
            return t.source().substring(t.start(3)).trim();
        }
        return "";
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        return s;
    }

    String applicationName() {
        return applicationName;
    }

    private String defaultApplicationName() {
        String v = settings.defaultReported("application_name");
        return v == null ? "" : v;
    }
}
