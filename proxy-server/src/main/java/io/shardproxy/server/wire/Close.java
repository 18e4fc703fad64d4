package io.shardproxy.server.wire;

/**
 * Close ('C'): drop a prepared statement or a portal; closing one that does not exist is not an
 * error.
 *
 * <pre>
 * Byte1('C')
 * Int32      length, including itself
 * Byte1      'S' statement or 'P' portal
 * String     name (empty = the unnamed one)
 * </pre>
 *
 * @param kind {@link MessageType#TARGET_STATEMENT} or {@link MessageType#TARGET_PORTAL}
 */
public record Close(byte kind, String name) implements FrontendMessage {

    static Close read(BodyReader body) {
        Close close = new Close(Describe.target(body), body.cstring("name"));
        body.end();
        return close;
    }
}
