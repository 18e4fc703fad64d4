package io.shardproxy.server.wire;

/**
 * Query ('Q'): the simple query protocol; the text may hold several statements.
 *
 * <pre>
 * Byte1('Q')
 * Int32      length, including itself
 * String     the query text
 * </pre>
 */
public record Query(String sql) implements FrontendMessage {

    static Query read(BodyReader body) {
        Query query = new Query(body.cstring("query string"));
        body.end();
        return query;
    }
}
