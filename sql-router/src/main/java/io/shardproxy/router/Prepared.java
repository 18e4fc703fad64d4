package io.shardproxy.router;

import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shape.Shape;

/**
 * A statement the router has analyzed once, to be bound to parameter values many times (a
 * prepared statement of the extended query protocol). Its routing analysis is the cached template
 * of its shape, looked up again at each bind so that DDL, which drops cached analyses, is seen.
 *
 * @param statement  the statement
 * @param shape      its shape; null for statements the router plans whole at each bind (admin
 *                   commands, EXPLAIN)
 * @param parameters the highest parameter number {@code $n} the text uses (0 for none)
 */
public record Prepared(Statement statement, Shape shape, int parameters) {

    /** The highest {@code $n} among {@code tokens}; a number too large to be one counts as huge. */
    static int highestParameter(Tokens tokens) {
        int max = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.type(i) == TokenType.PARAM) {
                String text = tokens.text(i);
                int n = text.length() > 10 ? Integer.MAX_VALUE
                        : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(text, 1, text.length(), 10));
                max = Math.max(max, n);
            }
        }
        return max;
    }
}
