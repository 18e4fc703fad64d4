package io.shardproxy.server.wire;

import java.util.Arrays;

/**
 * FunctionCall ('F'): the legacy fast-path interface. The proxy cannot route it and answers 0A000,
 * so the body is kept raw.
 *
 * <pre>
 * Byte1('F')
 * Int32      length, including itself
 * Byte[n]    Int32 function OID, argument formats, arguments, result format (not parsed)
 * </pre>
 */
public record FunctionCall(byte[] body) implements FrontendMessage {

    static FunctionCall read(BodyReader body) {
        return new FunctionCall(body.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionCall f && Arrays.equals(body, f.body);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "FunctionCall[" + body.length + " bytes]";
    }
}
