package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shape.Shape;
import io.shardproxy.router.shard.ShardMap;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

import java.util.Locale;
import java.util.Set;

/**
 * Computes the template of a statement shape, once per shape: Calcite parses queries and DML;
 * everything else is routed from its tokens. A query or DML statement Calcite cannot parse still
 * runs when it names no configured table (it belongs to the default shard); otherwise it is
 * refused, since routing it would be a guess.
 */
public final class Analyzer {
    private static final SqlParser.Config PARSER = SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY)
            .withConformance(SqlConformanceEnum.BABEL)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(true);
    private static final Set<String> PARSED = Set.of("select", "with", "values", "table", "insert", "update", "delete");
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "merge");

    private final ShardMap shards;
    private final Catalog catalog;

    public Analyzer(ShardMap shards, Catalog catalog) {
        this.shards = shards;
        this.catalog = catalog;
    }

    public Template analyze(Shape shape) {
        Tokens t = shape.tokens();
        ShardProxyException settingCall = SettingCalls.sessionLevel(t);
        if (settingCall != null) {
            return new Refusal(settingCall);
        }
        String first = t.type(0) == TokenType.WORD ? t.text(0).toLowerCase(Locale.ROOT) : "";
        if (!PARSED.contains(first) && !t.isSymbol(0, "(")) {
            if (first.equals("copy")) {
                return CopyAnalyzer.analyze(shape, shards, catalog, this);
            }
            Template utility = UtilityAnalyzer.analyze(t, shards);
            if (utility != null) {
                return utility;
            }
            return fallback(shape, null, WRITES.contains(first));
        }
        String hidden = shardedTableInHiddenClause(shape);
        if (hidden != null) {
            return new Refusal(ShardProxyException.unsupported("a subquery over sharded table " + hidden
                            + " in RETURNING or ON CONFLICT would read one shard's rows only",
                    "read the sharded table in a separate statement"));
        }
        SqlNode node;
        try {
            node = SqlParser.create(shape.key(), PARSER).parseStmt();
        } catch (SqlParseException | RuntimeException e) {
            return fallback(shape, e, WRITES.contains(first) || mentionsWrite(t));
        }
        try {
            SqlKind kind = node.getKind();
            if (kind == SqlKind.INSERT || kind == SqlKind.UPDATE || kind == SqlKind.DELETE) {
                return WriteAnalyzer.analyze(node, shape, shards, catalog);
            }
            return ReadAnalyzer.analyze(node, shape, shards, catalog);
        } catch (GroupAnalyzer.DescribeFailed e) {
            // The shard's own error about this statement (a missing column, say); not cached.
            throw (RuntimeException) e.getCause();
        } catch (ShardProxyException e) {
            return new Refusal(e);
        } catch (RuntimeException e) {
            return fallback(shape, e, WRITES.contains(first) || mentionsWrite(t));
        }
    }

    /**
     * A statement the router cannot analyze: fine on the default shard when it names no configured
     * table, refused otherwise.
     */
    private Template fallback(Shape shape, Exception parseError, boolean write) {
        Tokens t = shape.tokens();
        for (int i = 0; i < t.size(); i++) {
            String id = t.identifier(i);
            if (id != null && shards.isConfiguredName(id)) {
                String why = parseError == null ? "" : ": " + firstLine(parseError.getMessage());
                return new Refusal(ShardProxyException.unsupported(
                        "ShardProxy cannot analyze this statement, which names configured table " + id
                                + ", so it cannot route it" + why,
                        "simplify the statement, or target one shard with an equality on the shard key"));
            }
        }
        return FixedTemplate.defaultShard(write);
    }

    /**
     * A sharded table read in RETURNING or ON CONFLICT (after FROM or JOIN there), which Calcite
     * never sees and so cannot be routed; null when there is none.
     */
    private String shardedTableInHiddenClause(Shape shape) {
        int from = shape.onConflictAt() >= 0 ? shape.onConflictAt() : shape.returningAt();
        if (from < 0) {
            return null;
        }
        Tokens t = shape.tokens();
        for (int i = from; i + 1 < t.size(); i++) {
            if ((t.isWord(i, "from") || t.isWord(i, "join")) && t.identifier(i + 1) != null) {
                java.util.List<String> name = t.isSymbol(i + 2, ".") && i + 3 < t.size() && t.identifier(i + 3) != null
                        ? java.util.List.of(t.identifier(i + 1), t.identifier(i + 3))
                        : java.util.List.of(t.identifier(i + 1));
                if (shards.resolve(name).kind() == ShardMap.Kind.SHARDED) {
                    return String.join(".", name);
                }
            }
        }
        return null;
    }

    private static boolean mentionsWrite(Tokens t) {
        for (int i = 0; i < t.size(); i++) {
            if (t.isWord(i, "insert") || t.isWord(i, "update") || t.isWord(i, "delete") || t.isWord(i, "merge")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
