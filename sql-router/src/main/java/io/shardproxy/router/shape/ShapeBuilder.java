package io.shardproxy.router.shape;

import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;

import java.util.Arrays;
import java.util.Set;

/**
 * Computes a statement's {@link Shape} in one pass over its tokens. The rendering keeps the
 * statement's structure for Calcite while lifting literals and smoothing over the PostgreSQL syntax
 * Calcite's Babel parser cannot read or reads differently (see ../shared/NOTES.md):
 * <ul>
 *   <li>string, number and {@code $n} literals, and typed literals such as {@code date '..'} or
 *       {@code interval '1 day'}, become {@code ?} slots; numbers inside type modifiers
 *       ({@code numeric(10,2)}) stay, since they are part of the type;</li>
 *   <li>{@code expr::type} becomes {@code cast(expr as type)}: Babel gives {@code ::} the lowest
 *       precedence, so {@code id = ?::int and x = ?} would otherwise parse as one big cast;</li>
 *   <li>operators Calcite does not know ({@code ->>}, {@code ~*}, {@code @>}, {@code ?}, ...)
 *       become {@code +}: both bind tighter than comparisons in both grammars, so the tree keeps
 *       the shape routing cares about and no operator can pass for a key equality;</li>
 *   <li>RETURNING, ON CONFLICT, locking clauses, DISTINCT ON's list and {@code []} array
 *       decorators are left out (routing reads them from the tokens);</li>
 *   <li>words that PostgreSQL accepts as column names but Calcite reserves ({@code date},
 *       {@code timestamp}, {@code rows}, ...) are quoted where they stand for a column.</li>
 * </ul>
 * Unquoted words are lower-cased (ASCII only, as PostgreSQL folds them); non-ASCII words are
 * quoted so Calcite cannot fold them differently. Runs on every statement, so it allocates only
 * the key and a few int arrays.
 */
public final class ShapeBuilder {

    private static final Set<String> TYPE_WORDS = Set.of(
            "date", "time", "timestamp", "timestamptz", "timetz", "interval", "int", "int2", "int4", "int8",
            "integer", "smallint", "bigint", "numeric", "decimal", "real", "float", "float4", "float8", "bool",
            "boolean", "text", "varchar", "char", "bpchar", "json", "jsonb", "uuid", "bytea", "inet", "cidr",
            "macaddr", "money", "point", "oid", "regclass", "regtype", "xml", "bit", "tsquery", "tsvector", "name");
    private static final Set<String> INTERVAL_FIELDS = Set.of("year", "month", "day", "hour", "minute", "second", "to");
    private static final Set<String> CALCITE_OPERATORS = Set.of(
            "=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "||", "=>");
    /** Column-name words that Calcite's parser reserves. */
    private static final Set<String> TYPE_LIKE_COLUMN_WORDS = Set.of("date", "time", "timestamp", "uuid", "interval");
    private static final Set<String> OTHER_COLUMN_WORDS = Set.of("rows", "range", "current", "next", "new", "stream");
    /** Words that can stand before "(" without being a function name. */
    private static final Set<String> NOT_FUNCTION_NAMES = Set.of(
            "in", "and", "or", "not", "exists", "select", "from", "where", "on", "using", "as", "values", "when",
            "then", "else", "case", "is", "like", "ilike", "between", "over", "filter", "within", "returning",
            "set", "by", "having", "join", "lateral", "any", "all", "some", "array", "row");

    private ShapeBuilder() {
    }

    public static Shape build(Tokens t) {
        return new Pass(t).run();
    }

    /** The state of one pass; kept in a small object so the helpers can share it. */
    private static final class Pass {
        final Tokens t;
        final int n;
        final StringBuilder key;
        final int[] keyOffset;
        /** For a token that ends an expression: the token where that expression starts. */
        final int[] exprStart;
        /** For a closing ")" or "]": its opening token. */
        final int[] openOf;
        int[] openStack = new int[16];
        int openTop;
        int[] slotStart = new int[8];
        int[] slotEnd = new int[8];
        int slots;
        int returningAt = -1;
        int onConflictAt = -1;
        int lockingAt = -1;
        int distinctOnAt = -1;

        Pass(Tokens t) {
            this.t = t;
            this.n = t.size();
            this.key = new StringBuilder(t.source().length() + 16);
            this.keyOffset = new int[n];
            this.exprStart = new int[n];
            this.openOf = new int[n];
        }

        Shape run() {
            boolean skipping = false;
            boolean skipLockingOnly = false;
            int typmodDepth = -1;
            for (int i = 0; i < n; i++) {
                TokenType type = t.type(i);
                exprStart[i] = i;
                if (openTop == 0 && type == TokenType.WORD) {
                    if (t.isWord(i, "returning")) {
                        returningAt = returningAt < 0 ? i : returningAt;
                        skipping = true;
                        skipLockingOnly = false;
                    } else if (t.isWord(i, "on") && t.isWord(i + 1, "conflict")) {
                        onConflictAt = i;
                        skipping = true;
                        skipLockingOnly = false;
                    } else if (t.isWord(i, "for") && isLockStrength(i + 1)) {
                        lockingAt = lockingAt < 0 ? i : lockingAt;
                        skipping = true;
                        skipLockingOnly = true;
                    } else if (skipping && skipLockingOnly
                            && (t.isWord(i, "limit") || t.isWord(i, "offset") || t.isWord(i, "fetch"))) {
                        skipping = false;
                    }
                }
                boolean open = t.isSymbol(i, "(") || t.isSymbol(i, "[");
                boolean close = t.isSymbol(i, ")") || t.isSymbol(i, "]");
                if (open) {
                    push(i);
                } else if (close && openTop > 0) {
                    openOf[i] = openStack[--openTop];
                    if (openTop < typmodDepth) {
                        typmodDepth = -1;
                    }
                }
                if (skipping) {
                    keyOffset[i] = -1;
                    continue;
                }
                if (t.isWord(i, "on") && t.isWord(i - 1, "distinct") && t.isSymbol(i + 1, "(")) {
                    int end = t.matching(i + 1);
                    if (end > 0) {
                        distinctOnAt = distinctOnAt < 0 ? i : distinctOnAt;
                        hide(i, end + 1);
                        i = end;
                        continue;
                    }
                }
                if (t.isSymbol(i, "[") && t.isSymbol(i + 1, "]")) {
                    openTop--;
                    hide(i, i + 2);
                    i++;
                    continue;
                }
                if (type == TokenType.CAST && i > 0) {
                    i = renderCast(i);
                    continue;
                }
                int literalEnd = typedLiteralEnd(i);
                boolean slot = literalEnd > 0
                        || type == TokenType.STRING
                        || type == TokenType.PARAM
                        || (type == TokenType.NUMBER && typmodDepth < 0 && !isPosition(i));
                separate();
                keyOffset[i] = key.length();
                if (slot) {
                    int end = literalEnd > 0 ? literalEnd : i + 1;
                    addSlot(i, end);
                    key.append('?');
                    hide(i + 1, end);
                    exprStart[end - 1] = i;
                    i = end - 1;
                    continue;
                }
                switch (type) {
                    case WORD:
                        appendWord(i);
                        if (t.isSymbol(i - 1, ".")) {
                            exprStart[i] = exprStart[i - 2 >= 0 ? i - 2 : i];
                        }
                        if (t.isSymbol(i + 1, "(") && isTypmodContext(i)) {
                            typmodDepth = openTop + 1;
                        }
                        break;
                    case QUOTED_IDENT:
                        key.append(t.source(), t.start(i), t.end(i));
                        if (t.isSymbol(i - 1, ".")) {
                            exprStart[i] = exprStart[i - 2 >= 0 ? i - 2 : i];
                        }
                        break;
                    case OPERATOR: {
                        String op = t.text(i);
                        key.append(CALCITE_OPERATORS.contains(op) ? op : "+");
                        break;
                    }
                    default:
                        key.append(t.source(), t.start(i), t.end(i));
                        if (close) {
                            exprStart[i] = closedExprStart(i);
                        }
                }
            }
            String k = key.toString();
            return new Shape(t, k, cacheKey(k), keyOffset, slotStart, slotEnd, slots,
                    returningAt, onConflictAt, lockingAt, distinctOnAt);
        }

        /** See {@link Shape#cacheKey()}; allocates only for statements with tokens the key leaves out. */
        private String cacheKey(String k) {
            StringBuilder out = null;
            for (int i = 0; i < n; i++) {
                if (keyOffset[i] >= 0) {
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(k.length() + 64).append(k).append('\u0000').append(n);
                }
                out.append(' ').append(i).append(':');
                TokenType type = t.type(i);
                if (type == TokenType.STRING || type == TokenType.NUMBER || type == TokenType.PARAM) {
                    out.append('?');
                } else if (type == TokenType.WORD) {
                    int len = out.length();
                    out.append(t.source(), t.start(i), t.end(i));
                    for (int c = len; c < out.length(); c++) {
                        char ch = out.charAt(c);
                        if (ch >= 'A' && ch <= 'Z') {
                            out.setCharAt(c, (char) (ch + 32));
                        }
                    }
                } else {
                    out.append(t.source(), t.start(i), t.end(i));
                }
            }
            return out == null ? k : out.toString();
        }

        /** Renders {@code operand::type} as {@code cast(operand as type)}; returns the type's last token. */
        private int renderCast(int castToken) {
            int operandStart = exprStart[castToken - 1];
            int insertAt = -1;
            for (int k = operandStart; k < castToken && insertAt < 0; k++) {
                insertAt = keyOffset[k];
            }
            int typeEnd = typeEnd(castToken + 1);
            if (insertAt < 0 || typeEnd < castToken + 1) {
                separate();
                keyOffset[castToken] = key.length();
                key.append("::");
                return castToken;
            }
            key.insert(insertAt, "cast(");
            for (int k = operandStart; k < castToken; k++) {
                if (keyOffset[k] >= 0) {
                    keyOffset[k] += 5;
                }
            }
            key.append(" as");
            keyOffset[castToken] = key.length() - 2;
            for (int k = castToken + 1; k <= typeEnd; k++) {
                if (t.isSymbol(k, "[")) {
                    int close = t.matching(k);
                    hide(k, close + 1);
                    k = close;
                    continue;
                }
                key.append(' ');
                keyOffset[k] = key.length();
                if (t.type(k) == TokenType.WORD) {
                    appendLowerAscii(t.start(k), t.end(k));
                } else {
                    key.append(t.source(), t.start(k), t.end(k));
                }
            }
            key.append(')');
            // Parentheses inside the type were pushed by the main loop's bookkeeping only up to
            // the cast token; the type's own are balanced, so the stack is unchanged.
            exprStart[typeEnd] = operandStart;
            return typeEnd;
        }

        /** The last token of a type name starting at {@code s}, or s-1 when none starts there. */
        private int typeEnd(int s) {
            if (s >= n || (t.type(s) != TokenType.WORD && t.type(s) != TokenType.QUOTED_IDENT)) {
                return s - 1;
            }
            int k = s;
            while (t.isSymbol(k + 1, ".") && k + 2 < n
                    && (t.type(k + 2) == TokenType.WORD || t.type(k + 2) == TokenType.QUOTED_IDENT)) {
                k += 2;
            }
            if (t.isWord(k, "double") && t.isWord(k + 1, "precision")) {
                k++;
            } else if ((t.isWord(k, "character") || t.isWord(k, "char") || t.isWord(k, "bit"))
                    && t.isWord(k + 1, "varying")) {
                k++;
            } else if ((t.isWord(k, "timestamp") || t.isWord(k, "time"))
                    && (t.isWord(k + 1, "with") || t.isWord(k + 1, "without"))
                    && t.isWord(k + 2, "time") && t.isWord(k + 3, "zone")) {
                k += 3;
            }
            if (t.isSymbol(k + 1, "(")) {
                int close = t.matching(k + 1);
                if (close < 0) {
                    return s - 1;
                }
                k = close;
            }
            while (t.isSymbol(k + 1, "[")) {
                int close = t.matching(k + 1);
                if (close < 0) {
                    break;
                }
                k = close;
            }
            return k;
        }

        /** Where the expression ending with the ")" or "]" at {@code close} starts. */
        private int closedExprStart(int close) {
            int open = openOf[close];
            int before = open - 1;
            if (before < 0) {
                return open;
            }
            if (t.isSymbol(open, "[")) {
                if (t.isWord(before, "array")) {
                    return before;
                }
                TokenType bt = t.type(before);
                if (bt == TokenType.WORD || bt == TokenType.QUOTED_IDENT || t.isSymbol(before, ")")
                        || t.isSymbol(before, "]") || bt == TokenType.STRING || bt == TokenType.PARAM) {
                    return exprStart[before];
                }
                return open;
            }
            TokenType bt = t.type(before);
            if ((bt == TokenType.WORD && !isOneOf(before, NOT_FUNCTION_NAMES)) || bt == TokenType.QUOTED_IDENT) {
                return exprStart[before];
            }
            return open;
        }

        private void addSlot(int start, int end) {
            if (slots == slotStart.length) {
                slotStart = Arrays.copyOf(slotStart, slots * 2);
                slotEnd = Arrays.copyOf(slotEnd, slots * 2);
            }
            slotStart[slots] = start;
            slotEnd[slots] = end;
            slots++;
        }

        private void push(int i) {
            if (openTop == openStack.length) {
                openStack = Arrays.copyOf(openStack, openTop * 2);
            }
            openStack[openTop++] = i;
        }

        private void hide(int from, int to) {
            for (int k = from; k < to; k++) {
                keyOffset[k] = -1;
            }
        }

        private void separate() {
            if (key.length() > 0) {
                key.append(' ');
            }
        }

        private boolean isLockStrength(int i) {
            return t.isWord(i, "update") || t.isWord(i, "share")
                    || (t.isWord(i, "no") && t.isWord(i + 1, "key"))
                    || (t.isWord(i, "key") && t.isWord(i + 1, "share"));
        }

        /**
         * A number that is a whole GROUP BY or ORDER BY item ({@code ORDER BY 2 DESC}) names an
         * output column: it is part of the statement's structure, not a value, so it stays in the
         * key. Only top-level clauses count; a number inside an expression is a value.
         */
        private boolean isPosition(int i) {
            if (openTop != 0) {
                return false;
            }
            boolean afterBy = t.isWord(i - 1, "by") && (t.isWord(i - 2, "group") || t.isWord(i - 2, "order"));
            boolean afterComma = t.isSymbol(i - 1, ",") && inGroupOrOrderBy(i);
            if (!afterBy && !afterComma) {
                return false;
            }
            return i + 1 >= n || t.isSymbol(i + 1, ",") || t.isSymbol(i + 1, ";") || t.isWord(i + 1, "asc")
                    || t.isWord(i + 1, "desc") || t.isWord(i + 1, "nulls") || t.isWord(i + 1, "limit")
                    || t.isWord(i + 1, "offset") || t.isWord(i + 1, "fetch") || t.isWord(i + 1, "having")
                    || t.isWord(i + 1, "order") || t.isWord(i + 1, "window") || t.isWord(i + 1, "for")
                    || t.isWord(i + 1, "using") || t.isSymbol(i + 1, ")");
        }

        /** True when token i sits in the top-level GROUP BY or ORDER BY list. */
        private boolean inGroupOrOrderBy(int i) {
            int depth = 0;
            for (int k = i - 1; k > 0; k--) {
                if (t.isSymbol(k, ")")) {
                    depth++;
                } else if (t.isSymbol(k, "(")) {
                    if (depth == 0) {
                        return false;
                    }
                    depth--;
                } else if (depth == 0 && t.isWord(k, "by")) {
                    return t.isWord(k - 1, "group") || t.isWord(k - 1, "order");
                } else if (depth == 0 && (t.isWord(k, "select") || t.isWord(k, "from") || t.isWord(k, "where")
                        || t.isWord(k, "having") || t.isWord(k, "values") || t.isWord(k, "set"))) {
                    return false;
                }
            }
            return false;
        }

        /** After {@code AS type} (inside CAST) a parenthesis holds type modifiers, not values. */
        private boolean isTypmodContext(int word) {
            int p = word - 1;
            if (t.isWord(p, "varying") || t.isWord(p, "precision")) {
                p--;
            }
            return t.isWord(p, "as");
        }

        /**
         * If a typed literal starts at {@code i} ({@code date '..'}, {@code timestamp with time
         * zone '..'}, {@code double precision '..'}, {@code interval '..' day to second}), returns
         * one past its last token; otherwise 0.
         */
        private int typedLiteralEnd(int i) {
            if (t.type(i) != TokenType.WORD || i > 0 && (t.type(i - 1) == TokenType.CAST || t.isSymbol(i - 1, "."))) {
                return 0;
            }
            int s;
            if (i + 1 < n && t.type(i + 1) == TokenType.STRING) {
                if (!isOneOf(i, TYPE_WORDS)) {
                    return 0;
                }
                s = i + 1;
            } else if ((t.isWord(i, "timestamp") || t.isWord(i, "time"))
                    && (t.isWord(i + 1, "with") || t.isWord(i + 1, "without"))
                    && t.isWord(i + 2, "time") && t.isWord(i + 3, "zone")) {
                s = i + 4;
            } else if (t.isWord(i, "double") && t.isWord(i + 1, "precision")) {
                s = i + 2;
            } else {
                return 0;
            }
            if (s >= n || t.type(s) != TokenType.STRING) {
                return 0;
            }
            int end = s + 1;
            if (t.isWord(i, "interval")) {
                while (end < n && isOneOf(end, INTERVAL_FIELDS)) {
                    end++;
                }
            }
            return end;
        }

        /** True when token i is one of the lower-case words in {@code words}, without allocating. */
        private boolean isOneOf(int i, Set<String> words) {
            if (i < 0 || i >= n || t.type(i) != TokenType.WORD) {
                return false;
            }
            int len = t.end(i) - t.start(i);
            for (String w : words) {
                if (w.length() == len && t.isWord(i, w)) {
                    return true;
                }
            }
            return false;
        }

        private void appendWord(int i) {
            int start = t.start(i);
            int end = t.end(i);
            String src = t.source();
            boolean ascii = true;
            for (int k = start; k < end; k++) {
                if (src.charAt(k) >= 0x80) {
                    ascii = false;
                    break;
                }
            }
            if (!ascii || needsQuoting(i)) {
                key.append('"');
                appendLowerAscii(start, end);
                key.append('"');
                return;
            }
            appendLowerAscii(start, end);
        }

        private void appendLowerAscii(int start, int end) {
            String src = t.source();
            for (int k = start; k < end; k++) {
                char c = src.charAt(k);
                key.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            }
        }

        /** A word Calcite reserves, standing where PostgreSQL reads it as a column name. */
        private boolean needsQuoting(int i) {
            int len = t.end(i) - t.start(i);
            if (len < 3 || len > 9) {
                return false;
            }
            if (isOneOf(i, TYPE_LIKE_COLUMN_WORDS)) {
                return !t.isWord(i - 1, "as") && !t.isWord(i - 1, "at") && !t.isWord(i - 1, "with")
                        && !t.isWord(i - 1, "without") && !t.isSymbol(i + 1, "(");
            }
            if (isOneOf(i, OTHER_COLUMN_WORDS)) {
                return t.isSymbol(i - 1, ".") || i + 1 >= n || t.isSymbol(i + 1, ",") || t.isSymbol(i + 1, ")")
                        || t.type(i + 1) == TokenType.OPERATOR || t.isWord(i + 1, "from") || t.isWord(i + 1, "as")
                        || t.isWord(i + 1, "is") || t.isWord(i + 1, "asc") || t.isWord(i + 1, "desc");
            }
            return false;
        }
    }
}
