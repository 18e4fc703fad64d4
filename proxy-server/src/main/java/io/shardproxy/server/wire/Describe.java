package io.shardproxy.server.wire;

/**
 * Describe ('D'): ask for the description of a statement (ParameterDescription, then RowDescription
 * or NoData) or of a portal (RowDescription or NoData).
 *
 * <pre>
 * Byte1('D')
 * Int32      length, including itself
 * Byte1      'S' statement or 'P' portal
 * String     name (empty = the unnamed one)
 * </pre>
 *
 * @param kind {@link MessageType#TARGET_STATEMENT} or {@link MessageType#TARGET_PORTAL}
 */
public record Describe(byte kind, String name) implements FrontendMessage {

    static Describe read(BodyReader body) {
        Describe describe = new Describe(target(body), body.cstring("name"));
        body.end();
        return describe;
    }

    /** Byte1 'S' or 'P', shared with {@link Close}. */
    static byte target(BodyReader body) {
        byte kind = body.int8("target");
        if (kind != MessageType.TARGET_STATEMENT && kind != MessageType.TARGET_PORTAL) {
            throw body.violation("target must be 'S' or 'P', got 0x" + Integer.toHexString(kind & 0xFF));
        }
        return kind;
    }
}
