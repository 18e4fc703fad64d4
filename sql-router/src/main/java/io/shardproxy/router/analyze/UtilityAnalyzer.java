package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.SessionCommand;
import io.shardproxy.router.plan.TransactionCommand;
import io.shardproxy.router.shard.ShardMap;
import io.shardproxy.router.shard.ShardingRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Routes the statements that Calcite does not parse, from their tokens: transaction control,
 * session settings, DDL and maintenance. DDL on sharded and reference tables goes to every shard;
 * on local tables to the default shard; objects that are not tables (functions, types, schemas,
 * extensions, roles) to every shard, since queries on any shard may use them. What cannot be done
 * correctly yet is refused with 0A000.
 */
final class UtilityAnalyzer {
    private static final Set<String> CLUSTER_OBJECTS = Set.of("database", "tablespace", "subscription", "publication");
    private static final String CHECK_NAME = "shardproxy_bucket_check";

    private final Tokens t;
    private final ShardMap shards;

    private UtilityAnalyzer(Tokens t, ShardMap shards) {
        this.t = t;
        this.shards = shards;
    }

    /** The template for a statement starting with a word that Calcite does not handle, or null. */
    static Template analyze(Tokens t, ShardMap shards) {
        return new UtilityAnalyzer(t, shards).analyze();
    }

    private Template analyze() {
        String first = word(0);
        switch (first) {
            case "begin":
                return FixedTemplate.transaction(TransactionCommand.BEGIN);
            case "start":
                return t.isWord(1, "transaction") ? FixedTemplate.transaction(TransactionCommand.BEGIN) : refuse(first);
            case "commit":
            case "end":
                if (t.isWord(1, "prepared")) {
                    return later("COMMIT PREPARED", "two-phase commit is managed by the proxy");
                }
                if (andChain()) {
                    return later("COMMIT AND CHAIN", "COMMIT, then BEGIN");
                }
                return FixedTemplate.transaction(TransactionCommand.COMMIT);
            case "rollback":
            case "abort":
                if (t.isWord(1, "prepared")) {
                    return later("ROLLBACK PREPARED", "two-phase commit is managed by the proxy");
                }
                if (t.isWord(1, "to") || t.isWord(2, "to")) {
                    return later("ROLLBACK TO SAVEPOINT", "roll back the whole transaction");
                }
                if (andChain()) {
                    return later("ROLLBACK AND CHAIN", "ROLLBACK, then BEGIN");
                }
                return FixedTemplate.transaction(TransactionCommand.ROLLBACK);
            case "savepoint":
            case "release":
                return later(first.toUpperCase(Locale.ROOT), "use whole transactions");
            case "prepare":
                return t.isWord(1, "transaction")
                        ? later("PREPARE TRANSACTION", "two-phase commit is managed by the proxy")
                        : later("SQL-level PREPARE", "use the extended query protocol (your driver's prepared statements)");
            case "execute":
            case "deallocate":
                return later("SQL-level " + first.toUpperCase(Locale.ROOT), "use your driver's prepared statements");
            case "set":
                return set();
            case "reset":
                return t.isWord(1, "all") ? FixedTemplate.session(SessionCommand.RESET_ALL, null)
                        : FixedTemplate.session(SessionCommand.RESET, settingName(1));
            case "discard":
                return t.isWord(1, "all") ? FixedTemplate.session(SessionCommand.DISCARD_ALL, null)
                        : FixedTemplate.session(SessionCommand.DISCARD_OTHER, word(1));
            case "show":
                return FixedTemplate.defaultShard(false);
            case "create":
                return create();
            case "alter":
                return alter();
            case "drop":
                return drop();
            case "truncate":
                return tables(skipWords(1, "table", "only"), "TRUNCATE", true);
            case "comment":
            case "security":
                return comment();
            case "grant":
            case "revoke":
                return grant();
            case "vacuum":
            case "analyze":
            case "analyse":
            case "cluster":
                return maintenance(first);
            case "reindex":
                return DdlTemplate.everyShard(!mentionsWord("concurrently") && !t.isWord(1, "database")
                        && !t.isWord(1, "system"));
            case "checkpoint":
                return DdlTemplate.everyShard(false);
            case "lock":
                return tables(skipWords(1, "table", "only"), "LOCK", true);
            case "refresh":
                return DdlTemplate.defaultShard(!mentionsWord("concurrently"));
            case "copy":
                return later("COPY", "insert rows with INSERT ... VALUES");
            case "listen":
            case "notify":
            case "unlisten":
                return later(first.toUpperCase(Locale.ROOT), "connect to a shard directly for notifications");
            case "declare":
            case "fetch":
            case "move":
            case "close":
                return later("cursors (" + first.toUpperCase(Locale.ROOT) + ")",
                        "use your driver's fetch size to stream large results");
            case "do":
            case "call":
            case "load":
                return FixedTemplate.defaultShard(true);
            default:
                return null;
        }
    }

    private Template set() {
        int i = 1;
        if (t.isWord(i, "local")) {
            return FixedTemplate.session(SessionCommand.SET_LOCAL, settingName(2));
        }
        if (t.isWord(i, "transaction")) {
            return FixedTemplate.session(SessionCommand.SET_LOCAL, "transaction");
        }
        if (t.isWord(i, "session") && !t.isWord(i + 1, "authorization")) {
            i++;
            if (t.isWord(i, "characteristics")) {
                return FixedTemplate.session(SessionCommand.SET, "session_characteristics");
            }
        }
        return FixedTemplate.session(SessionCommand.SET, settingName(i));
    }

    /**
     * The GUC name a SET/RESET at token i names, lower case, with the grammar's special forms
     * mapped as PostgreSQL maps them ("time zone" is timezone, "names" is client_encoding).
     */
    private String settingName(int i) {
        if (t.isWord(i, "time") && t.isWord(i + 1, "zone")) {
            return "timezone";
        }
        if (t.isWord(i, "session") && t.isWord(i + 1, "authorization")) {
            return "session_authorization";
        }
        if (t.isWord(i, "names")) {
            return "client_encoding";
        }
        if (t.isWord(i, "schema")) {
            return "search_path";
        }
        if (t.isWord(i, "xml") && t.isWord(i + 1, "option")) {
            return "xmloption";
        }
        StringBuilder sb = new StringBuilder();
        while (i < t.size() && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENT)) {
            sb.append(t.identifier(i));
            if (!t.isSymbol(i + 1, ".")) {
                break;
            }
            sb.append('.');
            i += 2;
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private Template create() {
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

    private Template createTable(int nameAt) {
        Name name = name(nameAt);
        if (name == null) {
            return refuse("CREATE TABLE");
        }
        ShardMap.Relation rel = shards.resolve(name.parts);
        boolean columnList = t.isSymbol(name.next, "(");
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
                return shardedTable(rel.rule(), name.next);
            case REFERENCE:
                return DdlTemplate.everyShard(true);
            default:
                return DdlTemplate.defaultShard(true);
        }
    }

    /** Every shard gets the table plus a CHECK constraint admitting only its own buckets' rows. */
    private Template shardedTable(ShardingRule rule, int open) {
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

    private Template createIndex(int i) {
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
        ShardMap.Relation rel = shards.resolve(name.parts);
        if (unique && rel.kind() == ShardMap.Kind.SHARDED) {
            int open = indexOfSymbol(name.next, t.size(), "(");
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
    private Template viewOrTableAs(String what) {
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

    private Template alter() {
        int i = 1;
        if (t.isWord(i, "table") || (t.isWord(i, "foreign") && t.isWord(i + 1, "table"))) {
            i = skipWords(t.isWord(i, "foreign") ? i + 2 : i + 1, "if", "exists", "only");
            Name name = name(i);
            if (name == null) {
                return refuse("ALTER TABLE");
            }
            ShardMap.Relation rel = shards.resolve(name.parts);
            if (rel.kind() == ShardMap.Kind.SHARDED || rel.kind() == ShardMap.Kind.REFERENCE) {
                String problem = alterProblem(name.next, rel);
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

    private Template drop() {
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
    private Template objectDdl(int i) {
        String object = word(i);
        if (CLUSTER_OBJECTS.contains(object)) {
            return later(word(0).toUpperCase(Locale.ROOT) + " " + object.toUpperCase(Locale.ROOT),
                    "run it on each shard server directly");
        }
        return DdlTemplate.everyShard(true);
    }

    private Template comment() {
        int on = indexOfWord(0, "on");
        if (on >= 0 && (t.isWord(on + 1, "table") || t.isWord(on + 1, "column"))) {
            Name name = name(on + 2);
            if (name != null) {
                List<String> parts = name.parts;
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

    private Template grant() {
        int on = indexOfWord(0, "on");
        if (on < 0 || t.isWord(on + 1, "all") || t.isWord(on + 1, "schema") || t.isWord(on + 1, "function")
                || t.isWord(on + 1, "sequence") || t.isWord(on + 1, "database") || t.isWord(on + 1, "type")) {
            return DdlTemplate.everyShard(true);
        }
        return tables(skipWords(on + 1, "table"), "GRANT", true);
    }

    private Template maintenance(String first) {
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
    private Template tables(int i, String what, boolean transactional) {
        boolean configured = false;
        boolean local = false;
        while (i < t.size()) {
            Name name = name(i);
            if (name == null) {
                break;
            }
            ShardMap.Kind kind = shards.resolve(name.parts).kind();
            if (kind == ShardMap.Kind.SHARDED || kind == ShardMap.Kind.REFERENCE) {
                configured = true;
            } else {
                local = true;
            }
            i = name.next;
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

    /** A possibly qualified name at token i. */
    private record Name(List<String> parts, int next) {
    }

    private Name name(int i) {
        List<String> parts = new ArrayList<>();
        while (i < t.size() && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENT)) {
            parts.add(t.identifier(i));
            i++;
            if (!t.isSymbol(i, ".")) {
                break;
            }
            i++;
        }
        return parts.isEmpty() ? null : new Name(parts, i);
    }

    private boolean mentionsSharded(String identifier) {
        ShardMap.Relation rel = shards.resolve(List.of(identifier));
        return rel.kind() == ShardMap.Kind.SHARDED;
    }

    private int skipWords(int i, String... words) {
        outer:
        while (i < t.size()) {
            for (String w : words) {
                if (t.isWord(i, w)) {
                    i++;
                    continue outer;
                }
            }
            break;
        }
        return i;
    }

    private int indexOfWord(int from, String word) {
        for (int i = from; i < t.size(); i++) {
            if (t.isWord(i, word)) {
                return i;
            }
        }
        return -1;
    }

    private int indexOfSymbol(int from, int to, String symbol) {
        for (int i = from; i < to; i++) {
            if (t.isSymbol(i, symbol)) {
                return i;
            }
        }
        return -1;
    }

    /** True for AND CHAIN (not AND NO CHAIN, which is the plain statement). */
    private boolean andChain() {
        int chain = indexOfWord(1, "chain");
        return chain > 0 && t.isWord(chain - 1, "and");
    }

    private boolean mentionsWord(String word) {
        return indexOfWord(0, word) >= 0;
    }

    private String word(int i) {
        return i < t.size() && t.type(i) == TokenType.WORD ? t.text(i).toLowerCase(Locale.ROOT) : "";
    }

    private static Template later(String what, String instead) {
        return new Refusal(ShardProxyException.unsupported(what + " is not supported through ShardProxy yet", instead));
    }

    private static Template refuse(String what) {
        return new Refusal(ShardProxyException.unsupported("cannot route this " + what + " statement",
                "check the statement's syntax"));
    }
}
