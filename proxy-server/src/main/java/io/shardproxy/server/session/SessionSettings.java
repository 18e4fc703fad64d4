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
