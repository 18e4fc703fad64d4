package io.shardproxy.server.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client session's settings, kept by the proxy because the session's statements run on pooled
 * shard connections shared with other clients. Each setting is stored as the statement that
 * applies it for one transaction ({@code SET LOCAL ...}); a shard connection gets them right after
 * its BEGIN and loses them at COMMIT or ROLLBACK, so nothing leaks to the next client that
 * borrows the connection.
 *
 * <p>Settings changed inside a transaction are undone if it rolls back, as in PostgreSQL.
 */
final class SessionSettings {
    private Map<String, String> session = new LinkedHashMap<>();
    private final List<String> transactionLocal = new ArrayList<>();
    private Map<String, String> atBegin;
    /** Values of reported parameters (ParameterStatus names) as changed by the session. */
    private Map<String, String> reported = new LinkedHashMap<>();
    private Map<String, String> reportedAtBegin;
    /** What RESET returns to: the settings of the startup packet, and the values reported then. */
    private Map<String, String> defaults = Map.of();
    private Map<String, String> defaultsReported = Map.of();

    /** The settings so far are the session's defaults (the startup packet's), reported as {@code reportedParameters}. */
    void markDefaults(Map<String, String> reportedParameters) {
        defaults = Map.copyOf(session);
        defaultsReported = Map.copyOf(reportedParameters);
    }

    /** The statement RESET of {@code name} returns to, or null for the server's default. */
    String defaultStatement(String name) {
        return defaults.get(name);
    }

    /** The value reported at startup for a ParameterStatus name, or null. */
    String defaultReported(String parameter) {
        return defaultsReported.get(parameter);
    }

    boolean isEmpty() {
        return session.isEmpty() && transactionLocal.isEmpty();
    }

    /** The statements to run on a shard connection at the start of its transaction. */
    List<String> statements() {
        List<String> out = new ArrayList<>(session.size() + transactionLocal.size());
        out.addAll(session.values());
        out.addAll(transactionLocal);
        return out;
    }

    void set(String name, String localStatement) {
        session.remove(name);
        session.put(name, localStatement);
    }

    /**
     * The transaction modes the session's default_transaction_* settings ask for, as a statement
     * to run right after BEGIN (a SET LOCAL of the defaults comes too late for the transaction it
     * runs in), leaving out what the client's own BEGIN says; null when there is nothing to set.
     */
    String transactionModes(String beginSql) {
        String begin = beginSql.toLowerCase(java.util.Locale.ROOT);
        List<String> modes = new ArrayList<>();
        String isolation = value("default_transaction_isolation");
        if (isolation != null && !begin.contains("isolation")) {
            modes.add("ISOLATION LEVEL " + isolation.toUpperCase(java.util.Locale.ROOT));
        }
        String readOnly = value("default_transaction_read_only");
        if (readOnly != null && !begin.contains("read only") && !begin.contains("read write")) {
            modes.add(isTrue(readOnly) ? "READ ONLY" : "READ WRITE");
        }
        String deferrable = value("default_transaction_deferrable");
        if (deferrable != null && !begin.contains("deferrable")) {
            modes.add(isTrue(deferrable) ? "DEFERRABLE" : "NOT DEFERRABLE");
        }
        return modes.isEmpty() ? null : "SET TRANSACTION " + String.join(", ", modes);
    }

    /** The value a stored {@code SET LOCAL name TO 'value'} statement sets, or null. */
    String value(String name) {
        String statement = session.get(name);
        if (statement == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?is)\\s(?:to|=)\\s*'?([^']*)'?\\s*$").matcher(statement);
        return m.find() ? m.group(1).trim() : null;
    }

    private static boolean isTrue(String v) {
        String b = v.toLowerCase(java.util.Locale.ROOT);
        return b.equals("on") || b.equals("true") || b.equals("yes") || b.equals("1") || b.equals("t");
    }

    void reset(String name) {
        String startup = defaults.get(name);
        session.remove(name);
        if (startup != null) {
            session.put(name, startup);
        }
    }

    /** RESET ALL: the startup settings again, and their reported values. */
    void resetAll() {
        session = new LinkedHashMap<>(defaults);
        reported.replaceAll((parameter, value) -> defaultsReported.getOrDefault(parameter, value));
    }

    /**
     * A reported parameter's new value, to reach the client as ParameterStatus before the next
     * ReadyForQuery; undone with the transaction, as PostgreSQL reports only what stays set.
     */
    void report(String parameter, String value) {
        reported.remove(parameter);
        reported.put(parameter, value);
    }

    /** The reported parameters the session changed, with their values now, the latest change last. */
    Map<String, String> reported() {
        return reported;
    }

    /** SET LOCAL inside a transaction: applies until the transaction ends. */
    void setLocal(String localStatement) {
        transactionLocal.add(localStatement);
    }

    void transactionStarted() {
        atBegin = new LinkedHashMap<>(session);
        reportedAtBegin = new LinkedHashMap<>(reported);
        transactionLocal.clear();
    }

    void transactionEnded(boolean committed) {
        if (!committed && atBegin != null) {
            session = atBegin;
            Map<String, String> undone = reported;
            reported = reportedAtBegin;
            // A parameter first changed in this transaction goes back to its startup value.
            for (String parameter : undone.keySet()) {
                if (!reported.containsKey(parameter) && defaultsReported.containsKey(parameter)) {
                    reported.put(parameter, defaultsReported.get(parameter));
                }
            }
        }
        atBegin = null;
        reportedAtBegin = null;
        transactionLocal.clear();
    }
}
