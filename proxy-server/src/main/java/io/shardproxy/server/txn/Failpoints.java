package io.shardproxy.server.txn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Named points in the commit path where tests inject faults: kill a shard, break a connection,
 * stop the proxy dead. Each point is passed what it is about (a shard connection, a gid). With no
 * action set, a point costs one map lookup on an empty map.
 *
 * <p>A proxy process started with {@code -Dshardproxy.failpoint=<point>:halt} halts the JVM at
 * that point, with no shutdown hooks: the closest thing to {@code kill -9} at an exact step.
 *
 * <p>The points, in commit order: {@value #BEFORE_PREPARE} (per participant, before its PREPARE
 * TRANSACTION), {@value #PREPARED} (per participant, after it), {@value #DECIDED} (the commit
 * decision is durable), {@value #COMMITTED_PREPARED} (per participant, after COMMIT PREPARED).
 */
public final class Failpoints {
    public static final String BEFORE_PREPARE = "2pc.before-prepare";
    public static final String PREPARED = "2pc.prepared";
    public static final String DECIDED = "2pc.decided";
    public static final String COMMITTED_PREPARED = "2pc.committed-prepared";

    private static final Map<String, Consumer<Object>> ACTIONS = new ConcurrentHashMap<>();

    static {
        String spec = System.getProperty("shardproxy.failpoint");
        if (spec != null && spec.endsWith(":halt")) {
            ACTIONS.put(spec.substring(0, spec.length() - ":halt".length()), x -> Runtime.getRuntime().halt(137));
        }
    }

    private Failpoints() {
    }

    /** Runs {@code action} each time {@code point} is reached, until {@link #clear}. */
    public static void set(String point, Consumer<Object> action) {
        ACTIONS.put(point, action);
    }

    public static void clear() {
        ACTIONS.clear();
    }

    static void hit(String point, Object subject) {
        if (ACTIONS.isEmpty()) {
            return;
        }
        Consumer<Object> action = ACTIONS.get(point);
        if (action != null) {
            action.accept(subject);
        }
    }
}
