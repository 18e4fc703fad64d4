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
    private final ConcurrentHashMap<String, ShardConnection.Description> statements = new ConcurrentHashMap<>();
    private static final int MAX_STATEMENTS = 10_000;
    private volatile Set<String> aggregates;
    /** The catalog shard's types, for binary formats of user-defined types. */
    private final CatalogTypes types;
    /** OIDs of user-defined tables and types, per shard, as the catalog shard numbers them. */
    private final CatalogOids oids;

    public ShardCatalog(ShardPools pools) {
        this.pools = pools;
        this.types = new CatalogTypes(pools);
        this.oids = new CatalogOids(pools, types);
    }

    /**
     * Resolves type OIDs of the catalog shard for {@link io.shardproxy.server.types.BinaryFormat}
     * (enums, domains, arrays of them); cached until {@link #invalidate()}.
     */
    public CatalogTypes types() {
        return types;
    }

    /**
     * Translates a shard's table and type OIDs to the catalog shard's (RowDescription of a result
     * from shard N) and back (parameter types bound by a client); cached until {@link #invalidate()}.
     */
    public CatalogOids oids() {
        return oids;
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
            // Described, not run: a prepared statement's text has parameters ($n) with no values.
            String sql = "SELECT * FROM (" + query + ") AS shardproxy_describe";
            ShardConnection.Description d = c.describe(sql, io.shardproxy.router.lex.Lexer.lex(query).highestParameter(), new int[0]);
            List<Integer> types = new ArrayList<>();
            for (io.shardproxy.merge.Column col : d.columns()) {
                types.add(col.typeOid());
            }
            return types;
        } finally {
            pools.release(c);
        }
    }

    /**
     * A statement's description (Describe of the extended protocol) cached under {@code key},
     * which must say everything it depends on besides the schema: its text, the parameter types
     * the client gave, the settings that resolve names (search_path).
     */
    public ShardConnection.Description statement(String key) {
        return statements.get(key);
    }

    public void rememberStatement(String key, ShardConnection.Description description) {
        if (statements.size() >= MAX_STATEMENTS) {
            statements.clear();
        }
        statements.put(key, description);
    }

    /** Forgets everything: called after DDL. */
    public void invalidate() {
        ShardConnection.schemaChanged();
        columns.clear();
        statements.clear();
        aggregates = null;
        types.invalidate();
        oids.invalidate();
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
     * How the shards order text: byte-wise when every shard database's default collation is C,
     * POSIX or C.UTF-8 (code point order, which is UTF-8 byte order), whether from libc or the
     * builtin provider. An ICU default collation is never byte-wise, though {@code datcollate}
     * then still says C (initdb's lc_collate), so the provider is read too. Unknown (a shard is
     * down) counts as not byte-wise.
     */
    public static MergeOptions mergeOptions(ShardPools pools) {
        boolean bytewise = true;
        for (int s = 0; s < pools.size(); s++) {
            try {
                ShardConnection c = pools.acquire(s);
                try {
                    // to_jsonb reads columns that only some versions have (datlocprovider since 15,
                    // daticulocale 15-16, datlocale 17) without failing on the others.
                    ShardResult r = c.run("SELECT d.datcollate, to_jsonb(d) ->> 'datlocprovider',"
                            + " coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale')"
                            + " FROM pg_catalog.pg_database d WHERE d.datname = current_database()", false, 0);
                    byte[][] row = r.next();
                    bytewise &= row != null && collatesByBytes(text(row[1]), text(row[0]), text(row[2]));
                } finally {
                    pools.release(c);
                }
            } catch (RuntimeException e) {
                bytewise = false;
            }
        }
        return new MergeOptions(bytewise);
    }

    /**
     * Whether a database's default collation orders text by its UTF-8 bytes.
     *
     * @param provider {@code datlocprovider}: c (libc), i (ICU), b (builtin), or null before 15
     * @param collate  {@code datcollate}, the libc collation
     * @param locale   {@code datlocale} (or {@code daticulocale}), the ICU or builtin locale
     */
    static boolean collatesByBytes(String provider, String collate, String locale) {
        if (provider == null || provider.equals("c")) {
            return isCodePointLocale(collate);
        }
        return provider.equals("b") && isCodePointLocale(locale);
    }

    private static boolean isCodePointLocale(String name) {
        return name != null && (name.equals("C") || name.equals("POSIX") || name.equals("C.UTF-8")
                || name.equals("C.utf8"));
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
