package io.shardproxy.router.analyze;

import io.shardproxy.router.shape.Shape;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Maps Calcite parse positions back to the tokens of the client's statement. The key Calcite
 * parsed is one line, so a node's columns are key offsets + 1.
 */
final class Spans {
    private final Shape shape;

    Spans(Shape shape) {
        this.shape = shape;
    }

    /** The first token of {@code node}. */
    int first(SqlNode node) {
        SqlParserPos pos = node.getParserPosition();
        return shape.firstTokenAtOrAfter(pos.getColumnNum() - 1);
    }

    /** The last token of {@code node}. */
    int last(SqlNode node) {
        SqlParserPos pos = node.getParserPosition();
        return shape.lastTokenAtOrBefore(pos.getEndColumnNum() - 1);
    }

    /** The client's text of {@code node}, for messages. */
    String text(SqlNode node) {
        return shape.tokens().span(first(node), last(node));
    }
}
