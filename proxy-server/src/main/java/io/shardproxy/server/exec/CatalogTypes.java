package io.shardproxy.server.exec;

import io.shardproxy.merge.Column;
import io.shardproxy.server.types.BinaryFormat;
import io.shardproxy.server.types.TypeResolver;
import io.shardproxy.server.types.UserType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalog shard's {@code pg_type} as far as binary formats go: a {@link TypeResolver} for
 * {@link BinaryFormat} over the OIDs clients see (shard 0's, see {@link CatalogOids}). One query
 * loads a type with the chain it depends on (a domain's base types, an array's element type, so
 * a domain over an enum costs one query), and the answer is kept until {@link #invalidate()}
 * (DDL). An OID the catalog does not have is {@link UserType#OTHER}: unsupported.
 *
 * <p>Thread-safe; a lookup that races with {@link #invalidate()} stores into the dropped
 * generation, never into the new one.
 */
public final class CatalogTypes implements TypeResolver {
    private static final int MAX_ENTRIES = 10_000;

    /**
     * Every type reachable from the asked ones through domains and arrays, classified: 'd' a
     * domain over typbasetype, 'e' an enum, a base type sent with array_send an array of typelem
     * (a domain over an array has array_send too, so typtype decides first).
     */
    private static final String CHAIN = "WITH RECURSIVE chain(oid) AS ("
            + " SELECT o FROM pg_catalog.unnest('%s'::pg_catalog.oid[]) AS o"
            + " UNION"
            + " SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END"
            + " FROM chain JOIN pg_catalog.pg_type t ON t.oid = chain.oid"
            + " WHERE t.typtype = 'd' OR (t.typtype = 'b' AND t.typsend = 'pg_catalog.array_send'::pg_catalog.regproc))"
            + " SELECT t.oid, t.typtype, t.typbasetype, t.typelem,"
            + " t.typtype = 'b' AND t.typsend = 'pg_catalog.array_send'::pg_catalog.regproc"
            + " FROM chain JOIN pg_catalog.pg_type t ON t.oid = chain.oid";

    private final ShardPools pools;
    private volatile ConcurrentHashMap<Integer, UserType> types = new ConcurrentHashMap<>();

    public CatalogTypes(ShardPools pools) {
        this.pools = pools;
    }

    @Override
    public UserType typeOf(int typeOid) {
        ConcurrentHashMap<Integer, UserType> known = types;
        UserType t = known.get(typeOid);
        if (t == null) {
            load(known, new int[] {typeOid});
            t = known.getOrDefault(typeOid, UserType.OTHER);
        }
        return t;
    }

    /**
     * Loads in one query every type of {@code columns} that {@link BinaryFormat} does not know
     * and this has not seen, so that resolving them afterwards asks nothing more.
     */
    public void preload(List<Column> columns) {
        ConcurrentHashMap<Integer, UserType> known = types;
        int[] missing = new int[columns.size()];
        int n = 0;
        for (int i = 0; i < columns.size(); i++) {
            int oid = columns.get(i).typeOid();
            if (oid != 0 && !BinaryFormat.supports(oid) && !known.containsKey(oid)) {
                missing[n++] = oid;
            }
        }
        if (n > 0) {
            load(known, Arrays.copyOf(missing, n));
        }
    }

    /** Forgets every type: called after DDL (through {@link ShardCatalog#invalidate()}). */
    public void invalidate() {
        types = new ConcurrentHashMap<>();
    }

    private void load(ConcurrentHashMap<Integer, UserType> known, int[] oids) {
        String sql = String.format(CHAIN, CatalogNames.oidArray(oids));
        ShardConnection c = pools.acquireCatalog();
        try {
            ShardResult r = c.run(sql, false, 0);
            if (known.size() + oids.length > MAX_ENTRIES) {
                known.clear();
            }
            byte[][] row;
            while ((row = r.next()) != null) {
                known.put(CatalogNames.oid(row[0]), classify(row));
            }
        } finally {
            pools.release(c);
        }
        for (int oid : oids) {
            known.putIfAbsent(oid, UserType.OTHER);
        }
    }

    /** One row of {@link #CHAIN}: oid, typtype, typbasetype, typelem, sent with array_send. */
    private static UserType classify(byte[][] row) {
        String typtype = new String(row[1], StandardCharsets.UTF_8);
        if (typtype.equals("d")) {
            return UserType.domainOver(CatalogNames.oid(row[2]));
        }
        if (typtype.equals("e")) {
            return UserType.ENUM;
        }
        if (row[4][0] == 't') {
            return UserType.arrayOf(CatalogNames.oid(row[3]));
        }
        return UserType.OTHER;
    }
}
