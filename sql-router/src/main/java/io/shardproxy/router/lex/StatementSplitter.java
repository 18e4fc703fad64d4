package io.shardproxy.router.lex;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a simple-protocol query string into statements at top-level semicolons, as PostgreSQL
 * does. The whole string is lexed first, so a lexical error anywhere rejects the whole string
 * before any statement runs, which is also PostgreSQL's behaviour.
 */
public final class StatementSplitter {

    private StatementSplitter() {
    }

    /** The non-empty statements of {@code sql}; an empty list means an empty query. */
    public static List<Statement> split(String sql) {
        Tokens all = Lexer.lex(sql);
        List<Statement> out = new ArrayList<>(2);
        int segmentStart = 0;
        int first = 0;
        for (int i = 0; i <= all.size(); i++) {
            boolean boundary = i == all.size() || all.isSymbol(i, ";");
            if (!boundary) {
                continue;
            }
            if (i > first) {
                int from = segmentStart;
                while (from < sql.length() && Lexer.isSpace(sql.charAt(from))) {
                    from++;
                }
                int to = all.end(i - 1);
                String text = sql.substring(from, to);
                out.add(new Statement(text, from, all.slice(first, i, text, from)));
            }
            if (i < all.size()) {
                segmentStart = all.end(i);
                first = i + 1;
            }
        }
        return out;
    }
}
