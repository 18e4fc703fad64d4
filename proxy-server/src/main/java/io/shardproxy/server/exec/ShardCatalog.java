package io.shardproxy.server.exec;

import io.shardproxy.merge.MergeOptions;
import io.shardproxy.router.Catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's view of the schema, read from the default shard and cached until the next DDL:
 * table column order (for INSERT without a column list) and which functions are aggregates (so a
 * user-defined aggregate is never mistaken for a per-row function in a fan-out).
 */
public final class ShardCatalog implements Catalog {
    private static final List<String> NONE = List.of();

    private final ShardPools pools;
    private final ConcurrentHashMap<String, List<String>> columns = new ConcurrentHashMap<>();
    private volatile Set<String> aggregates;

    public ShardCatalog(ShardPools pools) {
        this.pools = pools;
    }

    @Override
    public List<String> columns(String table) {
        List<String> c = columns.computeIfAbsent(table, this::loadColumns);
        return c == NONE ? null : c;
    }

    @Override
    public boolean isAggregate(String function) {
        Set<String> a = aggregates;
        if (a == null) {
            a = loadAggregates();
            aggregates = a;
        }
        return a.contains(function);
    }

    @Override
    public List<Integer> describe(String query) {
        ShardConnection c = pools.acquireCatalog();
        try {
            ShardResult r = c.run("SELECT * FROM (" + query + ") AS shardproxy_describe LIMIT 0", false, 0);
            List<Integer> types = new ArrayList<>();
            for (io.shardproxy.merge.Column col : r.columns()) {
                types.add(col.typeOid());
            }
            return types;
        } finally {
            pools.release(c);
        }
    }

    /** Forgets everything: called after DDL. */
    public void invalidate() {
        columns.clear();
        aggregates = null;
    }

    private List<String> loadColumns(String table) {
        String sql = "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass('"
                + table.replace("'", "''") + "') AND attnum > 0 AND NOT attisdropped ORDER BY attnum";
        List<String> names = query(sql);
        return names.isEmpty() ? NONE : List.copyOf(names);
    }

    private Set<String> loadAggregates() {
        return new HashSet<>(query("SELECT DISTINCT proname FROM pg_catalog.pg_proc WHERE prokind = 'a'"));
    }

    private List<String> query(String sql) {
        ShardConnection c = pools.acquireCatalog();
        try {
            ShardResult r = c.run(sql, false, 0);
            List<String> out = new ArrayList<>();
            byte[][] row;
            while ((row = r.next()) != null) {
                out.add(new String(row[0], StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            pools.release(c);
        }
    }

    /**
     * How the shards order text: byte-wise when every shard database uses the C or POSIX
     * collation (or the builtin C.UTF-8). Unknown (a shard is down) counts as not byte-wise.
     */
    public static MergeOptions mergeOptions(ShardPools pools) {
        boolean bytewise = true;
        for (int s = 0; s < pools.size(); s++) {
            try {
                ShardConnection c = pools.acquire(s);
                try {
                    ShardResult r = c.run("SELECT datcollate FROM pg_catalog.pg_database WHERE datname = current_database()",
                            false, 0);
                    byte[][] row = r.next();
                    String collate = row == null ? "" : new String(row[0], StandardCharsets.UTF_8);
                    bytewise &= collate.equals("C") || collate.equals("POSIX") || collate.equals("C.UTF-8")
                            || collate.equals("C.utf8");
                } finally {
                    pools.release(c);
                }
            } catch (RuntimeException e) {
                bytewise = false;
            }
        }
        return new MergeOptions(bytewise);
    }
}
