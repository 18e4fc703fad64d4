package io.shardproxy.server.exec;

import io.shardproxy.merge.Column;
import io.shardproxy.server.types.BinaryFormat;
import io.shardproxy.server.types.BinaryType;
import io.shardproxy.server.types.TypeResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Translates the OIDs of user-defined objects between a shard and the catalog shard (shard 0),
 * whose catalog clients read: every server numbers its own tables and types, so shard 2's
 * RowDescription names OIDs that mean nothing (or something else) in shard 0's pg_class and
 * pg_type. A table is the same object when its schema and name are; a type when its schema and
 * name are, an array type when its element type is. Built-in OIDs (below FirstNormalObjectId,
 * 16384) are equal everywhere and never looked up; an object without a counterpart keeps its OID.
 * A table's attribute numbers are translated too, by column name, for shards whose tables
 * dropped columns differently.
 *
 * <p>First sight of OIDs costs one query on each side, for all the unknown OIDs of a
 * RowDescription at once; answers are kept (bounded) until {@link #invalidate()} (DDL). A lookup
 * that fails (a shard is down) is logged and not kept: the OIDs pass untranslated, as before
 * translation existed. Thread-safe: lookups of one shard are serialized, so a burst of sessions
 * seeing the same new OIDs makes one query, and a lookup that races with {@link #invalidate()}
 * stores into the dropped generation.
 *
 * <p>Trap: a lookup on shard N takes a connection from shard N's pool (the session usually holds
 * one already, for the result being translated). When every connection of that pool is held by a
 * session waiting here, the lookup waits for the pool's connection timeout, then fails and the
 * columns pass untranslated.
 */
public final class CatalogOids {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogOids.class);

    /** The shard whose catalog clients see (catalog queries, describes). */
    public static final int CATALOG_SHARD = 0;
    /** FirstNormalObjectId: OIDs below it are assigned by initdb, equal on every server of a version. */
    static final int FIRST_NORMAL_OID = 16384;
    /** Entries per shard and map before the map starts over. */
    private static final int MAX_ENTRIES = 10_000;

    private final ShardPools pools;
    private final CatalogNames names;
    private final TypeResolver catalogTypes;
    private volatile Generation current;

    /**
     * @param catalogTypes the catalog shard's types, to find the element type of a binary array
     *                     parameter in {@link #toShard(int, BoundValues)}
     */
    public CatalogOids(ShardPools pools, TypeResolver catalogTypes) {
        this.pools = pools;
        this.names = new CatalogNames(pools);
        this.catalogTypes = catalogTypes;
        this.current = new Generation(pools.size());
    }

    /** Whether {@code oid} names a user-defined object (unsigned: OIDs above 2^31 are negative ints). */
    static boolean isUserOid(int oid) {
        return Integer.compareUnsigned(oid, FIRST_NORMAL_OID) >= 0;
    }

    /**
     * {@code column} of a result from {@code shard} with its table OID, attribute number and type
     * OID as the catalog shard numbers them; the same object when nothing changes.
     */
    public Column translate(int shard, Column column) {
        if (shard == CATALOG_SHARD || column == null || !isUserOid(column.tableOid()) && !isUserOid(column.typeOid())) {
            return column;
        }
        return translate(shard, List.of(column)).get(0);
    }

    /**
     * A RowDescription's columns from {@code shard} as the catalog shard numbers their tables and
     * types. Returns {@code columns} itself when nothing changes, without allocating when it holds
     * no user-defined OID or comes from the catalog shard.
     */
    public List<Column> translate(int shard, List<Column> columns) {
        if (shard == CATALOG_SHARD || columns == null) {
            return columns;
        }
        Shard s = current.shards[shard];
        int n = columns.size();
        List<Integer> tables = null;
        List<Integer> types = null;
        for (int i = 0; i < n; i++) {
            Column c = columns.get(i);
            if (isUserOid(c.tableOid()) && !s.tables.containsKey(c.tableOid())
                    && (tables == null || !tables.contains(c.tableOid()))) {
                tables = add(tables, c.tableOid());
            }
            if (isUserOid(c.typeOid()) && !s.types.containsKey(c.typeOid())
                    && (types == null || !types.contains(c.typeOid()))) {
                types = add(types, c.typeOid());
            }
        }
        if (tables != null || types != null) {
            fromShard(shard, s, tables == null ? List.of() : tables, types == null ? List.of() : types);
        }
        return translated(s, columns);
    }

    /**
     * As {@link #translate(int, List)} when every user-defined OID of {@code columns} was seen
     * before; null when one was not, since translating it would query the shards (callers on an
     * event loop then translate on a worker).
     */
    public List<Column> translateKnown(int shard, List<Column> columns) {
        if (shard == CATALOG_SHARD || columns == null) {
            return columns;
        }
        Shard s = current.shards[shard];
        for (int i = 0, n = columns.size(); i < n; i++) {
            Column c = columns.get(i);
            if (isUserOid(c.tableOid()) && !s.tables.containsKey(c.tableOid())
                    || isUserOid(c.typeOid()) && !s.types.containsKey(c.typeOid())) {
                return null;
            }
        }
        return translated(s, columns);
    }

    private static List<Column> translated(Shard s, List<Column> columns) {
        int n = columns.size();
        List<Column> out = null;
        for (int i = 0; i < n; i++) {
            Column c = columns.get(i);
            Column t = translated(s, c);
            if (t != c && out == null) {
                out = new ArrayList<>(n);
                out.addAll(columns.subList(0, i));
            }
            if (out != null) {
                out.add(t);
            }
        }
        return out == null ? columns : Collections.unmodifiableList(out);
    }

    /**
     * The type OID on {@code shard} of the type the catalog shard numbers {@code catalogTypeOid}
     * (the reverse of {@link #translate}), for a parameter type a client took from the catalog;
     * the same OID when built-in, on the catalog shard or without a counterpart.
     */
    public int typeOnShard(int shard, int catalogTypeOid) {
        if (shard == CATALOG_SHARD || !isUserOid(catalogTypeOid)) {
            return catalogTypeOid;
        }
        Shard s = current.shards[shard];
        Integer known = s.typesOnShard.get(catalogTypeOid);
        if (known == null) {
            toShard(shard, s, List.of(catalogTypeOid));
            known = s.typesOnShard.get(catalogTypeOid);
        }
        return known == null ? catalogTypeOid : known;
    }

    /**
     * Parameter values bound with the catalog shard's type OIDs, as {@code shard} must receive
     * them: each user-defined parameter type is translated, and so is the element type OID in the
     * header of a binary array of a user-defined type (array_recv refuses another element type).
     * Returns {@code values} itself when nothing changes (always for the catalog shard).
     */
    public BoundValues toShard(int shard, BoundValues values) {
        if (shard == CATALOG_SHARD) {
            return values;
        }
        int[] types = values.types();
        // Parse may give fewer types than there are values (the rest are 0: inferred), never more.
        int n = Math.min(types.length, values.count());
        List<Integer> wanted = null;
        for (int i = 0; i < n; i++) {
            if (isUserOid(types[i])) {
                wanted = add(wanted, types[i]);
                if (values.binary()[i] && values.values()[i] != null) {
                    BinaryType b = BinaryFormat.resolve(types[i], catalogTypes);
                    if (b != null && b.isArray() && isUserOid(b.elementOid())) {
                        wanted.add(b.elementOid());
                    }
                }
            }
        }
        if (wanted == null) {
            return values;
        }
        Shard s = current.shards[shard];
        List<Integer> missing = new ArrayList<>();
        for (Integer oid : wanted) {
            if (!s.typesOnShard.containsKey(oid) && !missing.contains(oid)) {
                missing.add(oid);
            }
        }
        if (!missing.isEmpty()) {
            toShard(shard, s, missing);
        }
        int[] newTypes = types.clone();
        byte[][] newValues = values.values().clone();
        for (int i = 0; i < n; i++) {
            if (!isUserOid(types[i])) {
                continue;
            }
            newTypes[i] = s.typesOnShard.getOrDefault(types[i], types[i]);
            byte[] v = newValues[i];
            if (values.binary()[i] && v != null) {
                BinaryType b = BinaryFormat.resolve(types[i], catalogTypes);
                int element = b == null || !b.isArray() ? 0 : b.elementOid();
                if (isUserOid(element) && BinaryFormat.elementTypeOf(v) == element) {
                    newValues[i] = BinaryFormat.withElementType(v, s.typesOnShard.getOrDefault(element, element));
                }
            }
        }
        return new BoundValues(newTypes, newValues, values.binary());
    }

    /** Forgets every translation: called after DDL (through {@link ShardCatalog#invalidate()}). */
    public void invalidate() {
        current = new Generation(pools.size());
    }

    private static Column translated(Shard s, Column c) {
        int tableOid = c.tableOid();
        short attnum = c.attnum();
        int typeOid = c.typeOid();
        if (isUserOid(tableOid)) {
            Table t = s.tables.get(tableOid);
            if (t != null) {
                tableOid = t.oid();
                attnum = t.attnum(attnum);
            }
        }
        if (isUserOid(typeOid)) {
            typeOid = s.types.getOrDefault(typeOid, typeOid);
        }
        if (tableOid == c.tableOid() && attnum == c.attnum() && typeOid == c.typeOid()) {
            return c;
        }
        return new Column(c.name(), tableOid, attnum, typeOid, c.typlen(), c.typmod(), c.format());
    }

    /** Looks up shard OIDs on the shard (names), then the names on the catalog shard, and keeps both directions. */
    private void fromShard(int shard, Shard s, List<Integer> tables, List<Integer> types) {
        synchronized (s) {
            List<Integer> t = new ArrayList<>();
            for (Integer oid : tables) {
                if (!s.tables.containsKey(oid)) {
                    t.add(oid);
                }
            }
            List<Integer> y = new ArrayList<>();
            for (Integer oid : types) {
                if (!s.types.containsKey(oid)) {
                    y.add(oid);
                }
            }
            if (t.isEmpty() && y.isEmpty()) {
                return;
            }
            try {
                CatalogNames.Names named = names.describe(shard, t, y);
                CatalogNames.Names found = names.find(CATALOG_SHARD, named);
                s.makeRoom();
                for (Integer oid : t) {
                    CatalogNames.Named from = named.tables.get(oid);
                    CatalogNames.Named to = from == null ? null : found.byName(from);
                    s.tables.put(oid, to == null ? new Table(oid, null)
                            : new Table(to.oid, CatalogNames.Named.attnums(from, to)));
                }
                for (Integer oid : y) {
                    CatalogNames.Named from = named.types.get(oid);
                    CatalogNames.Named to = from == null ? null : found.byName(from);
                    s.types.put(oid, to == null ? oid : to.oid);
                    if (to != null) {
                        s.typesOnShard.put(to.oid, oid);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot translate OIDs of shard {} to the catalog shard's; they pass untranslated: {}",
                        pools.name(shard), e.getMessage());
            }
        }
    }

    /** Looks up catalog type OIDs on the catalog shard (names), then the names on the shard. */
    private void toShard(int shard, Shard s, List<Integer> catalogTypes) {
        synchronized (s) {
            List<Integer> y = new ArrayList<>();
            for (Integer oid : catalogTypes) {
                if (!s.typesOnShard.containsKey(oid)) {
                    y.add(oid);
                }
            }
            if (y.isEmpty()) {
                return;
            }
            try {
                CatalogNames.Names named = names.describe(CATALOG_SHARD, List.of(), y);
                CatalogNames.Names found = names.find(shard, named);
                s.makeRoom();
                for (Integer oid : y) {
                    CatalogNames.Named from = named.types.get(oid);
                    CatalogNames.Named to = from == null ? null : found.byName(from);
                    s.typesOnShard.put(oid, to == null ? oid : to.oid);
                    if (to != null) {
                        s.types.put(to.oid, oid);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot translate type OIDs of the catalog shard to shard {}'s; they pass untranslated: {}",
                        pools.name(shard), e.getMessage());
            }
        }
    }

    private static <T> List<T> add(List<T> list, T value) {
        List<T> l = list == null ? new ArrayList<>() : list;
        l.add(value);
        return l;
    }

    /** One generation of translations, replaced whole by {@link #invalidate()}. */
    private static final class Generation {
        final Shard[] shards;

        Generation(int count) {
            shards = new Shard[count];
            for (int i = 0; i < count; i++) {
                shards[i] = new Shard();
            }
        }
    }

    /** One shard's translations in both directions; its monitor serializes the shard's lookups. */
    private static final class Shard {
        /** Shard table OID -&gt; the catalog shard's table. */
        final ConcurrentHashMap<Integer, Table> tables = new ConcurrentHashMap<>();
        /** Shard type OID -&gt; catalog shard type OID (itself without a counterpart). */
        final ConcurrentHashMap<Integer, Integer> types = new ConcurrentHashMap<>();
        /** Catalog shard type OID -&gt; shard type OID (itself without a counterpart). */
        final ConcurrentHashMap<Integer, Integer> typesOnShard = new ConcurrentHashMap<>();

        /** Bounds memory: a map that is full starts over (a lookup stores at most one RowDescription's worth). */
        void makeRoom() {
            for (Map<Integer, ?> m : List.of(tables, types, typesOnShard)) {
                if (m.size() >= MAX_ENTRIES) {
                    m.clear();
                }
            }
        }
    }

    /**
     * A table of the catalog shard: its OID, and per attribute number on the shard the number
     * there, or null when they are all equal (no column was dropped on one side only).
     */
    private record Table(int oid, short[] attnums) {
        short attnum(short shardAttnum) {
            return attnums != null && shardAttnum > 0 && shardAttnum < attnums.length ? attnums[shardAttnum] : shardAttnum;
        }
    }
}
