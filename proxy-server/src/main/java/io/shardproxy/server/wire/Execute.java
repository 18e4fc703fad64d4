package io.shardproxy.server.wire;

/**
 * Execute ('E'): run a portal.
 *
 * <pre>
 * Byte1('E')
 * Int32      length, including itself
 * String     portal name (empty = the unnamed portal)
 * Int32      maximum rows to return; 0 (or negative) = no limit
 * </pre>
 */
public record Execute(String portal, int maxRows) implements FrontendMessage {

    static Execute read(BodyReader body) {
        Execute execute = new Execute(body.cstring("portal name"), body.int32("maximum rows"));
        body.end();
        return execute;
    }
}
