package io.shardproxy.router.lex;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

/** Decodes the value of a string constant token, as PostgreSQL's lexer would. */
public final class Literals {

    private Literals() {
    }

    /**
     * The string value of a STRING token: quotes removed and escapes resolved for {@code '..'},
     * {@code E'..'}, {@code N'..'} and dollar-quoted strings. Bit strings, hex strings and
     * {@code U&'..'} return null: they are never shard keys.
     */
    public static String stringValue(String token) {
        char c = token.charAt(0);
        if (c == '$') {
            int tagEnd = token.indexOf('$', 1);
            return token.substring(tagEnd + 1, token.length() - (tagEnd + 1));
        }
        if (c == '\'') {
            return unquote(token.substring(1, token.length() - 1));
        }
        char lc = Character.toLowerCase(c);
        if (lc == 'n') {
            return unquote(token.substring(2, token.length() - 1));
        }
        if (lc == 'e') {
            return unescape(token.substring(2, token.length() - 1));
        }
        return null;
    }

    private static String unquote(String body) {
        return body.indexOf('\'') < 0 ? body : body.replace("''", "'");
    }

    /** Resolves E'' escapes: \b \f \n \r \t, octal, \xhh, \\uXXXX, \\UXXXXXXXX, and '' or \'. */
    private static String unescape(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                sb.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(++i);
                switch (e) {
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'x': {
                        int j = i + 1;
                        int v = 0;
                        while (j < body.length() && j < i + 3 && Character.digit(body.charAt(j), 16) >= 0) {
                            v = v * 16 + Character.digit(body.charAt(j), 16);
                            j++;
                        }
                        if (j == i + 1) {
                            sb.append('x');
                        } else {
                            sb.append((char) v);
                            i = j - 1;
                        }
                        break;
                    }
                    case 'u':
                    case 'U': {
                        int digits = e == 'u' ? 4 : 8;
                        if (i + digits >= body.length()) {
                            throw invalid("invalid Unicode escape");
                        }
                        try {
                            sb.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 1 + digits), 16));
                        } catch (IllegalArgumentException ex) {
                            throw invalid("invalid Unicode escape");
                        }
                        i += digits;
                        break;
                    }
                    default:
                        if (e >= '0' && e <= '7') {
                            int j = i;
                            int v = 0;
                            while (j < body.length() && j < i + 3 && body.charAt(j) >= '0' && body.charAt(j) <= '7') {
                                v = v * 8 + (body.charAt(j) - '0');
                                j++;
                            }
                            sb.append((char) v);
                            i = j - 1;
                        } else {
                            sb.append(e);
                        }
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static ShardProxyException invalid(String message) {
        return new ShardProxyException(SqlState.SYNTAX_ERROR, message);
    }
}
