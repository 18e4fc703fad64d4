package io.shardproxy.router.lex;

import java.util.Arrays;
import java.util.Locale;

/**
 * The tokens of one SQL text, stored as parallel arrays so that lexing a statement allocates a
 * handful of arrays rather than an object per token. Positions are character offsets into
 * {@link #source()}; comments and whitespace are not tokens.
 */
public final class Tokens {
    private final String source;
    private TokenType[] types;
    private int[] starts;
    private int[] ends;
    private int size;

    Tokens(String source, int capacity) {
        this.source = source;
        this.types = new TokenType[capacity];
        this.starts = new int[capacity];
        this.ends = new int[capacity];
    }

    void add(TokenType type, int start, int end) {
        if (size == types.length) {
            int n = Math.max(8, size * 2);
            types = Arrays.copyOf(types, n);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
        }
        types[size] = type;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    /** The text the positions refer to. */
    public String source() {
        return source;
    }

    public int size() {
        return size;
    }

    public TokenType type(int i) {
        return types[i];
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public Token get(int i) {
        return new Token(types[i], starts[i], ends[i]);
    }

    /** The token's source text. */
    public String text(int i) {
        return source.substring(starts[i], ends[i]);
    }

    /** True when token i is the unquoted word {@code lowerWord} (ASCII case-insensitive, no allocation). */
    public boolean isWord(int i, String lowerWord) {
        if (i < 0 || i >= size || types[i] != TokenType.WORD) {
            return false;
        }
        int len = ends[i] - starts[i];
        return len == lowerWord.length() && source.regionMatches(true, starts[i], lowerWord, 0, len);
    }

    /** True when token i is the punctuation or operator {@code symbol}. */
    public boolean isSymbol(int i, String symbol) {
        if (i < 0 || i >= size) {
            return false;
        }
        TokenType t = types[i];
        if (t != TokenType.PUNCT && t != TokenType.OPERATOR && t != TokenType.CAST) {
            return false;
        }
        int len = ends[i] - starts[i];
        return len == symbol.length() && source.regionMatches(starts[i], symbol, 0, len);
    }

    /** The identifier a WORD or QUOTED_IDENT token names, as PostgreSQL would fold it; null for other tokens. */
    public String identifier(int i) {
        if (types[i] == TokenType.WORD) {
            return text(i).toLowerCase(Locale.ROOT);
        }
        if (types[i] == TokenType.QUOTED_IDENT) {
            String t = text(i);
            if (t.startsWith("U&") || t.startsWith("u&")) {
                return null;
            }
            return t.substring(1, t.length() - 1).replace("\"\"", "\"");
        }
        return null;
    }

    /**
     * The number n of the parameter token {@code $n} at {@code i}; {@link Integer#MAX_VALUE} for a
     * number too large to be one.
     */
    public int parameterNumber(int i) {
        int length = ends[i] - starts[i];
        if (length > 11) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(source, starts[i] + 1, ends[i], 10));
    }

    /** The highest parameter number {@code $n} among the tokens, 0 when there is none. */
    public int highestParameter() {
        int max = 0;
        for (int i = 0; i < size; i++) {
            if (types[i] == TokenType.PARAM) {
                max = Math.max(max, parameterNumber(i));
            }
        }
        return max;
    }

    /** Index of the parenthesis or bracket that closes the one opened at {@code open}, or -1. */
    public int matching(int open) {
        String o = text(open);
        String close = o.equals("(") ? ")" : "]";
        int depth = 0;
        for (int i = open; i < size; i++) {
            if (isSymbol(i, o)) {
                depth++;
            } else if (isSymbol(i, close)) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * The first token of each item of the list that the parenthesis or bracket at {@code open}
     * opens, items split by the commas outside nested brackets; an empty list has one item that
     * starts at its closing token. Empty when {@code open} is never closed.
     */
    public int[] listItems(int open) {
        int close = matching(open);
        if (close < 0) {
            return new int[0];
        }
        int[] starts = new int[4];
        int count = 0;
        starts[count++] = open + 1;
        int depth = 0;
        for (int i = open + 1; i < close; i++) {
            if (isSymbol(i, "(") || isSymbol(i, "[")) {
                depth++;
            } else if (isSymbol(i, ")") || isSymbol(i, "]")) {
                depth--;
            } else if (depth == 0 && isSymbol(i, ",")) {
                if (count == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        return java.util.Arrays.copyOf(starts, count);
    }

    /** Source text from the start of token {@code from} to the end of token {@code toInclusive}. */
    public String span(int from, int toInclusive) {
        return source.substring(starts[from], ends[toInclusive]);
    }

    /** The tokens [from, to) re-based onto {@code text}, which starts at {@code offset} of this source. */
    Tokens slice(int from, int to, String text, int offset) {
        Tokens t = new Tokens(text, Math.max(1, to - from));
        for (int i = from; i < to; i++) {
            t.add(types[i], starts[i] - offset, ends[i] - offset);
        }
        return t;
    }
}
