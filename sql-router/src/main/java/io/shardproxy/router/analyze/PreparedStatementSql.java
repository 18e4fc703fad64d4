package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.lex.Tokens;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL-level prepared statement commands, read from their tokens for the session, which keeps
 * SQL-level and protocol-level prepared statements in one namespace as PostgreSQL does:
 * <pre>
 *   PREPARE name [ ( type [, ...] ) ] AS statement
 *   EXECUTE name [ ( argument [, ...] ) ]
 *   DEALLOCATE [ PREPARE ] { name | ALL }
 * </pre>
 */
public final class PreparedStatementSql {

    private PreparedStatementSql() {
    }

    /** PREPARE: the name, the parameter type names as written, the statement text. */
    public record Prepare(String name, List<String> types, String statement, int statementOffset) {
    }

    /** EXECUTE: the name and each argument's SQL text. */
    public record Execute(String name, List<String> arguments) {
    }

    public static Prepare prepare(Tokens t) {
        String name = name(t, 1);
        int i = 2;
        List<String> types = new ArrayList<>();
        if (t.isSymbol(i, "(")) {
            int close = t.matching(i);
            if (close < 0) {
                throw syntax(t, i);
            }
            types = list(t, i, close);
            i = close + 1;
        }
        if (!t.isWord(i, "as") || i + 1 >= t.size()) {
            throw syntax(t, Math.min(i, t.size() - 1));
        }
        return new Prepare(name, types, t.source().substring(t.start(i + 1)), t.start(i + 1));
    }

    public static Execute execute(Tokens t) {
        String name = name(t, 1);
        List<String> arguments = new ArrayList<>();
        if (t.isSymbol(2, "(")) {
            int close = t.matching(2);
            if (close < 0 || close + 1 != t.size()) {
                throw syntax(t, close < 0 ? 2 : close + 1);
            }
            arguments = list(t, 2, close);
        } else if (t.size() > 2) {
            throw syntax(t, 2);
        }
        return new Execute(name, arguments);
    }

    /** DEALLOCATE: the name, or null for ALL. */
    public static String deallocate(Tokens t) {
        int i = t.isWord(1, "prepare") ? 2 : 1;
        if (t.isWord(i, "all") && t.size() == i + 1) {
            return null;
        }
        if (t.size() != i + 1) {
            throw syntax(t, Math.min(i + 1, t.size() - 1));
        }
        return name(t, i);
    }

    private static String name(Tokens t, int i) {
        String name = i < t.size() ? t.identifier(i) : null;
        if (name == null) {
            throw syntax(t, Math.min(i, t.size() - 1));
        }
        return name;
    }

    /** The comma-separated items between parentheses {@code open} and {@code close}, as source text. */
    private static List<String> list(Tokens t, int open, int close) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        for (int i = open + 1; i <= close; i++) {
            if (t.isSymbol(i, "(") || t.isSymbol(i, "[")) {
                depth++;
            } else if ((t.isSymbol(i, ")") || t.isSymbol(i, "]")) && i != close) {
                depth--;
            } else if (depth == 0 && (t.isSymbol(i, ",") || i == close)) {
                if (i == start) {
                    throw syntax(t, i);
                }
                items.add(t.span(start, i - 1));
                start = i + 1;
            }
        }
        return items;
    }

    private static ShardProxyException syntax(Tokens t, int i) {
        String near = i < 0 || i >= t.size() ? "end of input" : "\"" + t.text(i) + "\"";
        return new ShardProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near " + near);
    }
}
