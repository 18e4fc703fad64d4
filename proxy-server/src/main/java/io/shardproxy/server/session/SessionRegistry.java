package io.shardproxy.server.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live sessions by the process id the proxy gave them in BackendKeyData, for CancelRequest: a
 * cancel carrying a wrong secret key does nothing.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1000);

    /** A process id not used by any live session. */
    public int newProcessId() {
        int id;
        do {
            id = nextId.getAndUpdate(v -> v == Integer.MAX_VALUE ? 1000 : v + 1);
        } while (sessions.containsKey(id));
        return id;
    }

    public void add(Session s) {
        sessions.put(s.processId(), s);
    }

    void remove(Session s) {
        sessions.remove(s.processId(), s);
    }

    public int size() {
        return sessions.size();
    }

    /** Cancels the statement running in the session, when the key matches. */
    public void cancel(int processId, int secretKey) {
        Session s = sessions.get(processId);
        if (s != null && s.secretKey() == secretKey) {
            s.cancel();
        }
    }
}
