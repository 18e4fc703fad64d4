package io.shardproxy.router.lex;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

/**
 * A PostgreSQL lexer, following src/backend/parser/scan.l closely enough to find statement
 * boundaries, literals, identifiers and operators exactly: strings in all their forms (standard
 * conforming {@code '..'}, {@code E'..'} with backslash escapes, {@code U&'..'}, bit and hex
 * strings, dollar quoting), nested block comments, {@code $n} parameters, and PostgreSQL's rule
 * for splitting operators that end in + or -. It never interprets keywords; the router does.
 *
 * <p>Trap: standard_conforming_strings is assumed on (PostgreSQL's default since 9.1), so a
 * backslash inside a plain {@code '..'} string is an ordinary character.
 */
public final class Lexer {

    private Lexer() {
    }

    /** Lexes {@code sql}; throws 42601 for an unterminated string, identifier or comment. */
    public static Tokens lex(String sql) {
        Tokens out = new Tokens(sql, Math.max(8, sql.length() / 4));
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = skipLineComment(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '\'') {
                int end = scanQuoted(sql, i, '\'', false);
                out.add(TokenType.STRING, i, end);
                i = end;
            } else if (c == '"') {
                int end = scanQuoted(sql, i, '"', false);
                out.add(TokenType.QUOTED_IDENT, i, end);
                i = end;
            } else if (isIdentStart(c)) {
                i = scanWordOrPrefixedString(sql, i, out);
            } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
                int end = scanNumber(sql, i);
                out.add(TokenType.NUMBER, i, end);
                i = end;
            } else if (c == '$') {
                i = scanDollar(sql, i, out);
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                out.add(TokenType.CAST, i, i + 2);
                i += 2;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == '=') {
                out.add(TokenType.OPERATOR, i, i + 2);
                i += 2;
            } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == ';' || c == '.' || c == ':') {
                out.add(TokenType.PUNCT, i, i + 1);
                i++;
            } else if (isOpChar(c)) {
                int end = scanOperator(sql, i);
                out.add(TokenType.OPERATOR, i, end);
                i = end;
            } else {
                throw syntax("syntax error at or near \"" + c + "\"");
            }
        }
        return out;
    }

    private static int scanWordOrPrefixedString(String sql, int i, Tokens out) {
        int n = sql.length();
        char c = sql.charAt(i);
        char next = i + 1 < n ? sql.charAt(i + 1) : 0;
        if (next == '\'') {
            char lc = Character.toLowerCase(c);
            if (lc == 'e') {
                int end = scanQuoted(sql, i + 1, '\'', true);
                out.add(TokenType.STRING, i, end);
                return end;
            }
            if (lc == 'b' || lc == 'x' || lc == 'n') {
                int end = scanQuoted(sql, i + 1, '\'', false);
                out.add(TokenType.STRING, i, end);
                return end;
            }
        }
        if ((c == 'u' || c == 'U') && next == '&' && i + 2 < n) {
            char q = sql.charAt(i + 2);
            if (q == '\'' || q == '"') {
                int end = scanQuoted(sql, i + 2, q, false);
                end = skipUescape(sql, end);
                out.add(q == '\'' ? TokenType.STRING : TokenType.QUOTED_IDENT, i, end);
                return end;
            }
        }
        int end = i + 1;
        while (end < n && isIdentCont(sql.charAt(end))) {
            end++;
        }
        out.add(TokenType.WORD, i, end);
        return end;
    }

    /** A U&'..' literal may be followed by UESCAPE 'c'; it belongs to the literal. */
    private static int skipUescape(String sql, int end) {
        int j = end;
        while (j < sql.length() && isSpace(sql.charAt(j))) {
            j++;
        }
        if (sql.regionMatches(true, j, "uescape", 0, 7)) {
            int k = j + 7;
            while (k < sql.length() && isSpace(sql.charAt(k))) {
                k++;
            }
            if (k < sql.length() && sql.charAt(k) == '\'') {
                return scanQuoted(sql, k, '\'', false);
            }
        }
        return end;
    }

    /** Scans a quoted string or identifier starting at the opening quote; returns the end offset. */
    private static int scanQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        int n = sql.length();
        int i = open + 1;
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw syntax(quote == '"' ? "unterminated quoted identifier" : "unterminated quoted string");
    }

    private static int scanDollar(String sql, int i, Tokens out) {
        int n = sql.length();
        int j = i + 1;
        if (j < n && isDigit(sql.charAt(j))) {
            while (j < n && isDigit(sql.charAt(j))) {
                j++;
            }
            out.add(TokenType.PARAM, i, j);
            return j;
        }
        if (j < n && isIdentStart(sql.charAt(j))) {
            j++;
            while (j < n && isIdentStart(sql.charAt(j)) || j < n && isDigit(sql.charAt(j))) {
                j++;
            }
        }
        if (j < n && sql.charAt(j) == '$') {
            String tag = sql.substring(i, j + 1);
            int close = sql.indexOf(tag, j + 1);
            if (close < 0) {
                throw syntax("unterminated dollar-quoted string");
            }
            int end = close + tag.length();
            out.add(TokenType.STRING, i, end);
            return end;
        }
        throw syntax("syntax error at or near \"$\"");
    }

    private static int scanNumber(String sql, int i) {
        int n = sql.length();
        int j = i;
        if (sql.charAt(j) == '0' && j + 1 < n && "xXoObB".indexOf(sql.charAt(j + 1)) >= 0
                && j + 2 < n && Character.digit(sql.charAt(j + 2), 16) >= 0) {
            j += 2;
            while (j < n && (Character.digit(sql.charAt(j), 16) >= 0 || sql.charAt(j) == '_')) {
                j++;
            }
            return j;
        }
        j = digits(sql, j);
        if (j < n && sql.charAt(j) == '.' && !(j + 1 < n && sql.charAt(j + 1) == '.')) {
            j = digits(sql, j + 1);
        }
        if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                k++;
            }
            if (k < n && isDigit(sql.charAt(k))) {
                j = digits(sql, k);
            }
        }
        return j;
    }

    private static int digits(String sql, int j) {
        while (j < sql.length() && (isDigit(sql.charAt(j)) || (sql.charAt(j) == '_' && j + 1 < sql.length() && isDigit(sql.charAt(j + 1))))) {
            j++;
        }
        return j;
    }

    /**
     * PostgreSQL's operator rule: take the longest run of operator characters, cut it before any
     * comment start, and drop trailing + and - unless the operator contains one of ~!@#%^&|`? (so
     * {@code =-1} is {@code =} then {@code -1}).
     */
    private static int scanOperator(String sql, int i) {
        int n = sql.length();
        int end = i;
        while (end < n && isOpChar(sql.charAt(end))) {
            end++;
        }
        // The caller already checked that no comment starts at i.
        for (int k = i + 1; k < end; k++) {
            if (sql.startsWith("--", k) || sql.startsWith("/*", k)) {
                end = k;
                break;
            }
        }
        int len = end - i;
        if (len > 1) {
            boolean special = false;
            for (int k = i; k < end; k++) {
                if ("~!@#%^&|`?".indexOf(sql.charAt(k)) >= 0) {
                    special = true;
                    break;
                }
            }
            if (!special) {
                while (len > 1 && (sql.charAt(i + len - 1) == '+' || sql.charAt(i + len - 1) == '-')) {
                    len--;
                }
            }
        }
        return i + len;
    }

    private static int skipLineComment(String sql, int i) {
        int nl = sql.indexOf('\n', i);
        return nl < 0 ? sql.length() : nl + 1;
    }

    private static int skipBlockComment(String sql, int i) {
        int depth = 0;
        int n = sql.length();
        int j = i;
        while (j < n) {
            if (sql.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (sql.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        throw syntax("unterminated /* comment");
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isOpChar(char c) {
        return "~!@#^&|`?+-*/%<>=".indexOf(c) >= 0;
    }

    private static ShardProxyException syntax(String message) {
        return new ShardProxyException(SqlState.SYNTAX_ERROR, message);
    }
}
