package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;

/**
 * The cursor commands, read from their tokens for the session, which runs a cursor's query as a
 * portal over the shards and moves it forward:
 * <pre>
 *   DECLARE name [ BINARY ] [ ASENSITIVE | INSENSITIVE ] [ [ NO ] SCROLL ] CURSOR [ { WITH | WITHOUT } HOLD ] FOR query
 *   FETCH [ direction ] [ FROM | IN ] name        MOVE [ direction ] [ FROM | IN ] name
 *   CLOSE { name | ALL }
 * </pre>
 * Directions that only move forward are supported (NEXT, n, ALL, FORWARD, FORWARD n,
 * FORWARD ALL); the rest need a scrollable cursor over merged shard rows and are refused.
 */
public final class CursorSql {
    /** A FETCH or MOVE count meaning "all remaining rows". */
    public static final long ALL = Long.MAX_VALUE;

    private CursorSql() {
    }

    /** DECLARE: the name, its options and the query text (starting at {@code queryOffset} of the statement). */
    public record Declare(String name, boolean binary, boolean scroll, boolean hold, String query, int queryOffset) {
    }

    /** FETCH or MOVE: the cursor and how many rows forward ({@link #ALL} for all). */
    public record Fetch(String name, long count) {
    }

    public static Declare declare(Tokens t) {
        String name = name(t, 1);
        boolean binary = false;
        boolean scroll = false;
        boolean hold = false;
        int i = 2;
        while (i < t.size() && !t.isWord(i, "cursor")) {
            if (t.isWord(i, "binary")) {
                binary = true;
            } else if (t.isWord(i, "scroll")) {
                scroll = true;
            } else if (t.isWord(i, "no") && t.isWord(i + 1, "scroll")) {
                i++;
            } else if (!t.isWord(i, "asensitive") && !t.isWord(i, "insensitive")) {
                throw syntax(t, i);
            }
            i++;
        }
        i++;
        if (t.isWord(i, "with") && t.isWord(i + 1, "hold")) {
            hold = true;
            i += 2;
        } else if (t.isWord(i, "without") && t.isWord(i + 1, "hold")) {
            i += 2;
        }
        if (!t.isWord(i, "for") || i + 1 >= t.size()) {
            throw syntax(t, Math.min(i, t.size() - 1));
        }
        return new Declare(name, binary, scroll, hold, t.source().substring(t.start(i + 1)), t.start(i + 1));
    }

    /** FETCH or MOVE (the first token says which). */
    public static Fetch fetch(Tokens t) {
        int i = 1;
        long count = 1;
        if (t.isWord(i, "next")) {
            i++;
        } else if (t.isWord(i, "all")) {
            count = ALL;
            i++;
        } else if (t.isWord(i, "forward")) {
            i++;
            if (t.isWord(i, "all")) {
                count = ALL;
                i++;
            } else if (isCount(t, i)) {
                count = count(t, i);
                i += t.isSymbol(i, "-") || t.isSymbol(i, "+") ? 2 : 1;
            }
        } else if (isCount(t, i)) {
            count = count(t, i);
            i += t.isSymbol(i, "-") || t.isSymbol(i, "+") ? 2 : 1;
        } else if (t.isWord(i, "prior") || t.isWord(i, "first") || t.isWord(i, "last") || t.isWord(i, "absolute")
                || t.isWord(i, "relative") || t.isWord(i, "backward")) {
            throw backward(t.text(i));
        }
        if (count <= 0) {
            throw backward(count == 0 ? "a count of 0 (the current row again)" : "a negative count");
        }
        if (t.isWord(i, "from") || t.isWord(i, "in")) {
            i++;
        }
        String name = name(t, i);
        if (i + 1 != t.size()) {
            throw syntax(t, i + 1);
        }
        return new Fetch(name, count);
    }

    /** CLOSE: the cursor's name, or null for ALL. */
    public static String close(Tokens t) {
        if (t.isWord(1, "all") && t.size() == 2) {
            return null;
        }
        if (t.size() != 2) {
            throw syntax(t, Math.min(2, t.size() - 1));
        }
        return name(t, 1);
    }

    private static boolean isCount(Tokens t, int i) {
        int n = t.isSymbol(i, "-") || t.isSymbol(i, "+") ? i + 1 : i;
        return n < t.size() && t.type(n) == TokenType.NUMBER;
    }

    private static long count(Tokens t, int i) {
        boolean negative = t.isSymbol(i, "-");
        int n = t.isSymbol(i, "-") || t.isSymbol(i, "+") ? i + 1 : i;
        try {
            long v = Long.parseLong(t.text(n).replace("_", ""));
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw syntax(t, n);
        }
    }

    private static String name(Tokens t, int i) {
        String name = i < t.size() ? t.identifier(i) : null;
        if (name == null) {
            throw syntax(t, Math.min(i, t.size() - 1));
        }
        return name;
    }

    private static ShardProxyException backward(String what) {
        return ShardProxyException.unsupported("cursors through ShardProxy only move forward; " + what
                        + " is not supported",
                "FETCH NEXT, FETCH n, FETCH ALL or FETCH FORWARD; to read rows again, declare the cursor again");
    }

    private static ShardProxyException syntax(Tokens t, int i) {
        String near = i < 0 || i >= t.size() ? "end of input" : "\"" + t.text(i) + "\"";
        return new ShardProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near " + near);
    }
}
