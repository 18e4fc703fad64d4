package io.shardproxy.server.exec;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.SqlCommand;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The statements with parameters ({@code $n}) a pooled shard connection has prepared on its
 * server, by SQL text, so the next execution of the same text there sends only Bind and Execute:
 * the shard parses and plans it once per connection, not once per execution. pgjdbc names the
 * server statement on its first execution and closes it when the cache drops it (the least
 * recently used beyond {@value #SIZE}).
 *
 * <p>One cache per physical connection, used by one session at a time. DDL through the proxy
 * ({@link #schemaChanged}) empties every cache, since a table whose columns changed fails a
 * prepared {@code SELECT *} ("cached plan must not change result type"); such an error from DDL
 * run on a shard directly drops the one statement.
 */
final class StatementCache {
    static final int SIZE = 256;
    private static final AtomicLong EPOCH = new AtomicLong();
    private static final Map<BaseConnection, StatementCache> CACHES = Collections.synchronizedMap(new WeakHashMap<>());

    private final QueryExecutor executor;
    private long epoch = EPOCH.get();
    /** A statement prepared for a number of parameters (a text has one, unless a client errs). */
    private record Prepared(int parameterCount, Query query) {
    }

    private final LinkedHashMap<String, Prepared> queries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
            if (size() > SIZE) {
                eldest.getValue().query().close();
                return true;
            }
            return false;
        }
    };

    private StatementCache(QueryExecutor executor) {
        this.executor = executor;
    }

    static StatementCache of(BaseConnection connection) {
        return CACHES.computeIfAbsent(connection, c -> new StatementCache(c.getQueryExecutor()));
    }

    static long epoch() {
        return EPOCH.get();
    }

    /** After DDL: every connection prepares its statements again. */
    static void schemaChanged() {
        EPOCH.incrementAndGet();
    }

    /** The query for {@code sql} with {@code parameterCount} parameters, prepared once per connection. */
    Query get(String sql, int parameterCount) {
        long now = EPOCH.get();
        if (now != epoch) {
            clear();
            epoch = now;
        }
        Prepared p = queries.get(sql);
        if (p == null || p.parameterCount() != parameterCount) {
            if (p != null) {
                p.query().close();
            }
            p = new Prepared(parameterCount,
                    executor.wrap(List.of(new NativeQuery(sql, new int[parameterCount], false, SqlCommand.BLANK))));
            queries.put(sql, p);
        }
        return p.query();
    }

    /** Drops {@code sql}'s statement (its cached plan failed). */
    void drop(String sql) {
        Prepared p = queries.remove(sql);
        if (p != null) {
            p.query().close();
        }
    }

    private void clear() {
        for (Prepared p : queries.values()) {
            p.query().close();
        }
        queries.clear();
    }
}
