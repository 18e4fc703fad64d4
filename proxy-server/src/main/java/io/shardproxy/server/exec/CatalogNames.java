package io.shardproxy.server.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog queries behind {@link CatalogOids}: on one server, the names of tables (with their
 * columns) and types by OID, and on another, the OIDs of the same names. Names go to the server
 * as parameters, OIDs as an array literal of digits, so no name is ever quoted into SQL text. A
 * lookup on the catalog shard uses the catalog pool, one on another shard that shard's pool.
 */
final class CatalogNames {
    private final ShardPools pools;

    CatalogNames(ShardPools pools) {
        this.pools = pools;
    }

    /**
     * The names of tables (with their columns) and types by OID on {@code shard}. An array type
     * is named by its element type ({@code e.typarray = t.oid} holds exactly for true arrays), so
     * an array whose name had to be mangled differently still finds its counterpart.
     */
    Names describe(int shard, List<Integer> tables, List<Integer> types) {
        List<String> parts = new ArrayList<>(2);
        if (!tables.isEmpty()) {
            parts.add("SELECT 'r', c.oid, n.nspname, c.relname, false, a.attnum, a.attname"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                    + " WHERE c.oid = ANY ('" + oidArray(tables) + "'::pg_catalog.oid[])");
        }
        if (!types.isEmpty()) {
            parts.add("SELECT 't', t.oid, coalesce(en.nspname, n.nspname), coalesce(e.typname, t.typname),"
                    + " e.oid IS NOT NULL, NULL::pg_catalog.int2, NULL::pg_catalog.name"
                    + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                    + " LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND e.typarray = t.oid"
                    + " LEFT JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace"
                    + " WHERE t.oid = ANY ('" + oidArray(types) + "'::pg_catalog.oid[])");
        }
        Names names = new Names();
        for (byte[][] row : query(shard, String.join(" UNION ALL ", parts), null)) {
            names.add(row[0][0] == 'r', oid(row[1]), text(row[2]), text(row[3]), row[4][0] == 't', row[5], row[6]);
        }
        return names;
    }

    /** The same tables and types by name on {@code shard}; their OIDs there (an array's by its element's typarray). */
    Names find(int shard, Names names) {
        List<String> values = new ArrayList<>();
        List<String> parts = new ArrayList<>(2);
        if (!names.tables.isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (Named t : names.tables.values()) {
                keys.add("($" + (values.size() + 1) + "::pg_catalog.name, $" + (values.size() + 2) + "::pg_catalog.name)");
                values.add(t.schema);
                values.add(t.name);
            }
            parts.add("SELECT 'r', c.oid, k.nsp, k.name, false, a.attnum, a.attname"
                    + " FROM (VALUES " + String.join(", ", keys) + ") AS k(nsp, name)"
                    + " JOIN pg_catalog.pg_namespace n ON n.nspname = k.nsp"
                    + " JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = k.name"
                    + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped");
        }
        if (!names.types.isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (Named t : names.types.values()) {
                keys.add("($" + (values.size() + 1) + "::pg_catalog.name, $" + (values.size() + 2) + "::pg_catalog.name, "
                        + (t.array ? "true" : "false") + ")");
                values.add(t.schema);
                values.add(t.name);
            }
            parts.add("SELECT 't', CASE WHEN k.arr THEN t.typarray ELSE t.oid END, k.nsp, k.name, k.arr,"
                    + " NULL::pg_catalog.int2, NULL::pg_catalog.name"
                    + " FROM (VALUES " + String.join(", ", keys) + ") AS k(nsp, name, arr)"
                    + " JOIN pg_catalog.pg_namespace n ON n.nspname = k.nsp"
                    + " JOIN pg_catalog.pg_type t ON t.typnamespace = n.oid AND t.typname = k.name");
        }
        Names found = new Names();
        for (byte[][] row : query(shard, String.join(" UNION ALL ", parts), values)) {
            int oid = oid(row[1]);
            if (oid != 0) {
                found.add(row[0][0] == 'r', oid, text(row[2]), text(row[3]), row[4][0] == 't', row[5], row[6]);
            }
        }
        return found;
    }

    /** Runs a lookup with text parameters ($1...) on a connection sessions never hold for shard 0, else the shard's pool. */
    private List<byte[][]> query(int shard, String sql, List<String> parameters) {
        ShardConnection c = pools.acquireLookup(shard);
        try {
            BoundValues values = null;
            if (parameters != null) {
                int n = parameters.size();
                byte[][] v = new byte[n][];
                for (int i = 0; i < n; i++) {
                    v[i] = parameters.get(i).getBytes(StandardCharsets.UTF_8);
                }
                values = new BoundValues(new int[n], v, new boolean[n]);
            }
            ShardResult r = c.run(sql, values, false, 0);
            List<byte[][]> rows = new ArrayList<>();
            byte[][] row;
            while ((row = r.next()) != null) {
                rows.add(row);
            }
            return rows;
        } finally {
            pools.release(c);
        }
    }

    /** An array literal of OIDs, e.g. {@code {16384,3000000000}} (OIDs are unsigned). */
    static String oidArray(Iterable<Integer> oids) {
        StringBuilder sb = new StringBuilder("{");
        for (Integer oid : oids) {
            sb.append(sb.length() > 1 ? "," : "").append(Integer.toUnsignedString(oid));
        }
        return sb.append('}').toString();
    }

    static String oidArray(int[] oids) {
        List<Integer> list = new ArrayList<>(oids.length);
        for (int oid : oids) {
            list.add(oid);
        }
        return oidArray(list);
    }

    /** An OID in text output, which is unsigned. */
    static int oid(byte[] text) {
        return Integer.parseUnsignedInt(text(text));
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Tables and types as one server names them. */
    static final class Names {
        final Map<Integer, Named> tables = new HashMap<>();
        final Map<Integer, Named> types = new HashMap<>();
        final Map<String, Named> byKey = new HashMap<>();

        void add(boolean table, int oid, String schema, String name, boolean array, byte[] attnum, byte[] attname) {
            Map<Integer, Named> map = table ? tables : types;
            Named n = map.computeIfAbsent(oid, o -> new Named(o, table, schema, name, array));
            byKey.putIfAbsent(n.key(), n);
            if (attnum != null && attname != null) {
                short a = Short.parseShort(text(attnum));
                n.columns.put(text(attname), a);
            }
        }

        Named byName(Named other) {
            return byKey.get(other.key());
        }
    }

    /** A table or type by schema and name (an array type: its element's), with a table's columns. */
    static final class Named {
        final int oid;
        final boolean table;
        final String schema;
        final String name;
        final boolean array;
        /** Column name -&gt; attribute number. */
        final Map<String, Short> columns = new HashMap<>();

        Named(int oid, boolean table, String schema, String name, boolean array) {
            this.oid = oid;
            this.table = table;
            this.schema = schema;
            this.name = name;
            this.array = array;
        }

        String key() {
            return (table ? "r" : array ? "a" : "t") + schema + '\0' + name;
        }

        /**
         * Per attribute number of {@code from}, the number of the same-named column of {@code to}
         * (itself for a column {@code to} lacks); null when all are equal.
         */
        static short[] attnums(Named from, Named to) {
            int max = 0;
            for (short a : from.columns.values()) {
                max = Math.max(max, a);
            }
            short[] map = new short[max + 1];
            for (int a = 0; a <= max; a++) {
                map[a] = (short) a;
            }
            boolean same = true;
            for (Map.Entry<String, Short> e : from.columns.entrySet()) {
                short mine = e.getValue();
                Short theirs = to.columns.get(e.getKey());
                map[mine] = theirs == null ? mine : theirs;
                same &= map[mine] == mine;
            }
            return same ? null : map;
        }
    }
}
