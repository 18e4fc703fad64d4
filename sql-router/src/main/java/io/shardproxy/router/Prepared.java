package io.shardproxy.router;

import io.shardproxy.router.lex.Statement;
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
}
