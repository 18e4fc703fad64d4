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
        session.remove(name);
    }

    void resetAll() {
        session.clear();
    }

    /** SET LOCAL inside a transaction: applies until the transaction ends. */
    void setLocal(String localStatement) {
        transactionLocal.add(localStatement);
    }

    void transactionStarted() {
        atBegin = new LinkedHashMap<>(session);
        transactionLocal.clear();
    }

    void transactionEnded(boolean committed) {
        if (!committed && atBegin != null) {
            session = atBegin;
        }
        atBegin = null;
        transactionLocal.clear();
    }
}
