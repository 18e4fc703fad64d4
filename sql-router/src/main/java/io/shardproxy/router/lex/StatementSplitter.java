package io.shardproxy.router.lex;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a simple-protocol query string into statements at top-level semicolons, as PostgreSQL
 * does. The whole string is lexed first, so a lexical error anywhere rejects the whole string
 * before any statement runs, which is also PostgreSQL's behaviour.
 *
 * <p>Trap: the semicolons inside a SQL-standard routine body ({@code CREATE FUNCTION ... BEGIN
 * ATOMIC ...; ...; END}) belong to the CREATE statement. PostgreSQL's grammar knows that; the
 * splitter follows psql's heuristic: in a statement starting CREATE [OR REPLACE] FUNCTION or
 * PROCEDURE, BEGIN opens a block, CASE inside a block opens one too, END closes one (outside
 * parentheses), and a semicolon inside a block does not split.
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
        boolean routine = definesRoutine(all, 0);
        int parenDepth = 0;
        int blockDepth = 0;
        for (int i = 0; i <= all.size(); i++) {
            if (routine && i < all.size()) {
                if (all.isSymbol(i, "(")) {
                    parenDepth++;
                } else if (all.isSymbol(i, ")")) {
                    parenDepth--;
                } else if (parenDepth == 0 && all.isWord(i, "begin")) {
                    blockDepth++;
                } else if (parenDepth == 0 && blockDepth > 0 && all.isWord(i, "case")) {
                    blockDepth++;
                } else if (parenDepth == 0 && blockDepth > 0 && all.isWord(i, "end")) {
                    blockDepth--;
                }
            }
            boolean boundary = i == all.size() || (all.isSymbol(i, ";") && blockDepth == 0);
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
                routine = definesRoutine(all, first);
                parenDepth = 0;
            }
        }
        return out;
    }

    /** True when the statement starting at token i is CREATE [OR REPLACE] FUNCTION or PROCEDURE. */
    private static boolean definesRoutine(Tokens t, int i) {
        if (!t.isWord(i, "create")) {
            return false;
        }
        int k = t.isWord(i + 1, "or") && t.isWord(i + 2, "replace") ? i + 3 : i + 1;
        return t.isWord(k, "function") || t.isWord(k, "procedure");
    }
}
