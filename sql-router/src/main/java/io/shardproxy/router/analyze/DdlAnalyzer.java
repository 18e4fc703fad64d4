package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shard.ShardMap;
import io.shardproxy.router.shard.ShardingRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Routes DDL and maintenance from its tokens. DDL on sharded and reference tables goes to every
 * shard (a sharded table's CREATE TABLE with each shard's CHECK constraint); on local tables to
 * the default shard; objects that are not tables (functions, types, schemas, extensions, roles) to
 * every shard, since queries on any shard may use them. Changes that would break routing (renaming
 * a configured table, changing its key, a unique constraint without the key, dropping the CHECK
 * constraint) are refused with 0A000.
 */
final class DdlAnalyzer extends TokenAnalyzer {
    private static final Set<String> CLUSTER_OBJECTS = Set.of("database", "tablespace", "subscription", "publication");
    static final String CHECK_NAME = "shardproxy_bucket_check";

    DdlAnalyzer(Tokens t, ShardMap shards) {
        super(t, shards);
    }

    Template create() {
        int i = skipWords(1, "or", "replace", "global", "local", "unlogged");
        boolean temp = t.isWord(i, "temp") || t.isWord(i, "temporary");
        if (temp) {
            // Temporary objects live in one shard connection; a session's next statement may use another.
            return t.isWord(i + 1, "table")
                    ? later("temporary tables", "use a regular table; a proxy session's statements may run on different shard connections")
                    : later("temporary " + word(i + 1) + "s", "create a regular one; a proxy session's statements may run on different shard connections");
        }
        if (t.isWord(i, "table")) {
            return createTable(skipWords(i + 1, "if", "not", "exists"));
        }
        if (t.isWord(i, "unique") || t.isWord(i, "index")) {
            return createIndex(i);
        }
        if (t.isWord(i, "view") || t.isWord(i, "materialized") || t.isWord(i, "recursive")) {
            return viewOrTableAs("view");
        }
        if (t.isWord(i, "statistics")) {
            // CREATE STATISTICS name ON columns FROM table: the table follows the last FROM.
            int from = t.size() - 1;
            while (from > i && !t.isWord(from, "from")) {
                from--;
            }
            return from == i ? DdlTemplate.everyShard(true) : tables(from + 1, "CREATE STATISTICS", true);
        }
        if (t.isWord(i, "trigger") || t.isWord(i, "constraint") || t.isWord(i, "policy") || t.isWord(i, "rule")) {
            int on = indexOfWord(i, "on");
            return on < 0 ? DdlTemplate.everyShard(true) : tables(skipWords(on + 1, "only"), "CREATE", true);
        }
        return objectDdl(i);
    }

    Template createTable(int nameAt) {
        Name name = name(nameAt);
        if (name == null) {
            return refuse("CREATE TABLE");
        }
        ShardMap.Relation rel = shards.resolve(name.parts());
        boolean columnList = t.isSymbol(name.next(), "(");
        if (!columnList) {
            if (rel.kind() == ShardMap.Kind.SHARDED || rel.kind() == ShardMap.Kind.REFERENCE) {
                return new Refusal(ShardProxyException.unsupported(
                        "CREATE TABLE " + rel.name() + " without a column list (AS, OF, PARTITION OF) is not supported for "
                                + (rel.kind() == ShardMap.Kind.SHARDED ? "sharded" : "reference") + " tables yet",
                        "create the table with a column list, then insert the rows"));
            }
            return viewOrTableAs("table");
        }
        switch (rel.kind()) {
            case SHARDED:
                return shardedTable(rel.rule(), name.next());
            case REFERENCE:
                return DdlTemplate.everyShard(true);
            default:
                return DdlTemplate.defaultShard(true);
        }
    }

    /** Every shard gets the table plus a CHECK constraint admitting only its own buckets' rows. */
    Template shardedTable(ShardingRule rule, int open) {
        int close = t.matching(open);
        if (close < 0) {
            return refuse("CREATE TABLE");
        }
        String badUnique = uniqueWithoutKey(open, close, rule.keyColumn());
        if (badUnique != null) {
            return new Refusal(ShardProxyException.unsupported(
                    "unique constraint " + badUnique + " on sharded table " + rule.table()
                            + " must include the shard key column " + rule.keyColumn()
                            + ": uniqueness can only be enforced within a shard",
                    "add " + rule.keyColumn() + " to the key, or make the table a reference table"));
        }
        List<Rewrite> perShard = new ArrayList<>();
        for (int s = 0; s < shards.shardCount(); s++) {
            String check = (close == open + 1 ? "" : ", ") + "CONSTRAINT " + CHECK_NAME + " CHECK ("
                    + rule.checkCondition(s) + ")";
            perShard.add(new Rewrite().insertAfter(close - 1, new Rewrite.Text(check)));
        }
        return new DdlTemplate(List.of(), perShard, true, true);
    }

    /**
     * The first PRIMARY KEY or UNIQUE constraint in a table definition that leaves out the key,
     * as text, or null.
     */
    private String uniqueWithoutKey(int open, int close, String key) {
        int start = open + 1;
        int depth = 0;
        for (int i = open + 1; i <= close; i++) {
            if (t.isSymbol(i, "(")) {
                depth++;
            } else if (t.isSymbol(i, ")") && i < close) {
                depth--;
            } else if (i == close || (depth == 0 && t.isSymbol(i, ","))) {
                String bad = elementUniqueWithoutKey(start, i, key);
                if (bad != null) {
                    return bad;
                }
                start = i + 1;
            }
        }
        return null;
    }

    private String elementUniqueWithoutKey(int from, int to, String key) {
        if (from >= to) {
            return null;
        }
        int i = from;
        if (t.isWord(i, "constraint")) {
            i += 2;
        }
        if (t.isWord(i, "primary") || t.isWord(i, "unique")) {
            int open = indexOfSymbol(i, to, "(");
            if (open < 0) {
                return null;
            }
            int close = t.matching(open);
            for (int k = open + 1; k < close; k++) {
                if (key.equals(t.identifier(k))) {
                    return null;
                }
            }
            return t.span(from, close);
        }
        if (t.isWord(from, "like") || t.isWord(from, "check") || t.isWord(from, "foreign") || t.isWord(from, "exclude")) {
            return null;
        }
        String column = t.identifier(from);
        for (int k = from + 1; k < to; k++) {
            boolean unique = t.isWord(k, "unique") || (t.isWord(k, "primary") && t.isWord(k + 1, "key"));
            if (unique && !key.equals(column)) {
                return "on column " + column;
            }
        }
        return null;
    }

    Template createIndex(int i) {
        boolean unique = t.isWord(i, "unique");
        int on = indexOfWord(i, "on");
        if (on < 0) {
            return refuse("CREATE INDEX");
        }
        Name name = name(skipWords(on + 1, "only"));
        if (name == null) {
            return refuse("CREATE INDEX");
        }
        boolean transactional = !mentionsWord("concurrently");
        ShardMap.Relation rel = shards.resolve(name.parts());
        if (unique && rel.kind() == ShardMap.Kind.SHARDED) {
            int open = indexOfSymbol(name.next(), t.size(), "(");
            boolean hasKey = false;
            if (open >= 0) {
                int close = t.matching(open);
                for (int k = open + 1; k < close; k++) {
                    hasKey |= rel.rule().keyColumn().equals(t.identifier(k));
                }
            }
            if (!hasKey) {
                return new Refusal(ShardProxyException.unsupported(
                        "unique index on sharded table " + rel.name() + " must include the shard key column "
                                + rel.rule().keyColumn() + ": uniqueness can only be enforced within a shard",
                        "add " + rel.rule().keyColumn() + " to the index"));
            }
        }
        return rel.kind() == ShardMap.Kind.SHARDED || rel.kind() == ShardMap.Kind.REFERENCE
                ? DdlTemplate.everyShard(transactional) : DdlTemplate.defaultShard(transactional);
    }

    /** Views and CREATE TABLE AS live on the default shard; they may not read sharded tables. */
    Template viewOrTableAs(String what) {
        for (int i = 0; i < t.size(); i++) {
            String id = t.identifier(i);
            if (id != null && mentionsSharded(id)) {
                return new Refusal(ShardProxyException.unsupported(
                        "a " + what + " defined over sharded table " + id + " would see one shard's rows only",
                        "query the sharded table through the proxy instead"));
            }
        }
        return DdlTemplate.defaultShard(true);
    }

    Template alter() {
        int i = 1;
        if (t.isWord(i, "table") || (t.isWord(i, "foreign") && t.isWord(i + 1, "table"))) {
            i = skipWords(t.isWord(i, "foreign") ? i + 2 : i + 1, "if", "exists", "only");
            Name name = name(i);
            if (name == null) {
                return refuse("ALTER TABLE");
            }
            ShardMap.Relation rel = shards.resolve(name.parts());
            if (rel.kind() == ShardMap.Kind.SHARDED || rel.kind() == ShardMap.Kind.REFERENCE) {
                String problem = alterProblem(name.next(), rel);
                if (problem != null) {
                    return new Refusal(ShardProxyException.unsupported(problem,
                            "change the table and the ShardProxy config together, with the proxy stopped"));
                }
                return DdlTemplate.everyShard(true);
            }
            return DdlTemplate.defaultShard(true);
        }
        if (t.isWord(i, "view") || t.isWord(i, "materialized")) {
            return DdlTemplate.defaultShard(true);
        }
        if (t.isWord(i, "system")) {
            return later("ALTER SYSTEM", "configure each shard server directly");
        }
        return objectDdl(i);
    }

    private String alterProblem(int from, ShardMap.Relation rel) {
        String key = rel.rule() == null ? null : rel.rule().keyColumn();
        for (int k = from; k < t.size(); k++) {
            if (t.isWord(k, "rename") && (t.isWord(k + 1, "to"))) {
                return "renaming configured table " + rel.name() + " is not supported";
            }
            if (t.isWord(k, "set") && t.isWord(k + 1, "schema")) {
                return "moving configured table " + rel.name() + " to another schema is not supported";
            }
            if (CHECK_NAME.equals(t.identifier(k))) {
                return "constraint " + CHECK_NAME + " of " + rel.name()
                        + " is ShardProxy's guard against misplaced rows and cannot be changed through the proxy";
            }
            // ALTER key SET NOT NULL / DEFAULT / STATISTICS and DROP ... keep the key's values;
            // ALTER key [SET DATA] TYPE, RENAME and DROP COLUMN do not.
            if (key != null && key.equals(t.identifier(k))
                    && (t.isWord(k - 1, "column") || t.isWord(k - 1, "rename") || t.isWord(k - 1, "drop")
                    || t.isWord(k - 1, "alter"))
                    && !(t.isWord(k + 1, "set") && !t.isWord(k + 2, "data")) && !t.isWord(k + 1, "drop")) {
                return "changing shard key column " + key + " of sharded table " + rel.name() + " is not supported";
            }
            if (key != null && (t.isWord(k, "primary") || t.isWord(k, "unique"))) {
                int after = skipWords(t.isWord(k, "primary") ? k + 2 : k + 1, "nulls", "not", "distinct");
                if (t.isWord(after, "using")) {
                    continue; // UNIQUE USING INDEX: the index was checked when it was created
                }
                if (!t.isSymbol(after, "(")) {
                    // A column constraint of ADD COLUMN: the new column is not the key.
                    return "a unique column on sharded table " + rel.name() + " leaves out the shard key column " + key
                            + ": uniqueness can only be enforced within a shard";
                }
                int close = t.matching(after);
                boolean hasKey = false;
                for (int c = after + 1; c < close; c++) {
                    hasKey |= key.equals(t.identifier(c));
                }
                if (!hasKey) {
                    return "unique constraint on sharded table " + rel.name() + " must include the shard key column " + key;
                }
            }
        }
        return null;
    }

    Template drop() {
        int i = 1;
        if (t.isWord(i, "table") || (t.isWord(i, "foreign") && t.isWord(i + 1, "table"))) {
            return tables(skipWords(t.isWord(i, "foreign") ? i + 2 : i + 1, "if", "exists"), "DROP TABLE", true);
        }
        if (t.isWord(i, "index")) {
            return DdlTemplate.everyShard(!mentionsWord("concurrently"));
        }
        if (t.isWord(i, "view") || t.isWord(i, "materialized")) {
            return DdlTemplate.defaultShard(true);
        }
        if (t.isWord(i, "trigger") || t.isWord(i, "policy") || t.isWord(i, "rule")) {
            int on = indexOfWord(i, "on");
            return on < 0 ? DdlTemplate.everyShard(true) : tables(skipWords(on + 1, "only"), "DROP", true);
        }
        return objectDdl(i);
    }

    /** DDL on an object that is not a table: every shard, except cluster-wide objects. */
    Template objectDdl(int i) {
        String object = word(i);
        if (CLUSTER_OBJECTS.contains(object)) {
            return later(word(0).toUpperCase(Locale.ROOT) + " " + object.toUpperCase(Locale.ROOT),
                    "run it on each shard server directly");
        }
        return DdlTemplate.everyShard(true);
    }

    Template comment() {
        int on = indexOfWord(0, "on");
        if (on >= 0 && (t.isWord(on + 1, "table") || t.isWord(on + 1, "column"))) {
            Name name = name(on + 2);
            if (name != null) {
                List<String> parts = name.parts();
                if (t.isWord(on + 1, "column") && parts.size() > 1) {
                    parts = parts.subList(0, parts.size() - 1);
                }
                ShardMap.Relation rel = shards.resolve(parts);
                return rel.kind() == ShardMap.Kind.SHARDED || rel.kind() == ShardMap.Kind.REFERENCE
                        ? DdlTemplate.everyShard(true) : DdlTemplate.defaultShard(true);
            }
        }
        return DdlTemplate.everyShard(true);
    }

    Template grant() {
        int on = indexOfWord(0, "on");
        if (on < 0 || t.isWord(on + 1, "all") || t.isWord(on + 1, "schema") || t.isWord(on + 1, "function")
                || t.isWord(on + 1, "sequence") || t.isWord(on + 1, "database") || t.isWord(on + 1, "type")) {
            return DdlTemplate.everyShard(true);
        }
        return tables(skipWords(on + 1, "table"), "GRANT", true);
    }

    Template maintenance(String first) {
        int i = 1;
        if (t.isSymbol(i, "(")) {
            i = t.matching(i) + 1;
        }
        i = skipWords(i, "full", "freeze", "verbose", "analyze", "analyse", "skip_locked");
        boolean transactional = first.equals("analyze") || first.equals("analyse");
        if (i >= t.size()) {
            return DdlTemplate.everyShard(transactional);
        }
        return tables(i, first.toUpperCase(Locale.ROOT), transactional);
    }

    /**
     * A statement naming a list of tables at token i: every shard when all are configured, the
     * default shard when all are local; refused when mixed.
     */
    Template tables(int i, String what, boolean transactional) {
        boolean configured = false;
        boolean local = false;
        while (i < t.size()) {
            Name name = name(i);
            if (name == null) {
                break;
            }
            ShardMap.Kind kind = shards.resolve(name.parts()).kind();
            if (kind == ShardMap.Kind.SHARDED || kind == ShardMap.Kind.REFERENCE) {
                configured = true;
            } else {
                local = true;
            }
            i = name.next();
            if (t.isSymbol(i, "(")) {
                i = t.matching(i) + 1;
            }
            if (!t.isSymbol(i, ",")) {
                break;
            }
            i++;
        }
        if (configured && local) {
            return new Refusal(ShardProxyException.unsupported(
                    what + " mixes configured tables with local tables, which live on different shards",
                    "run it once for the configured tables and once for the local ones"));
        }
        return configured || !local ? DdlTemplate.everyShard(transactional) : DdlTemplate.defaultShard(transactional);
    }
}
