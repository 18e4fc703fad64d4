package io.shardproxy.server.wire;

import java.util.Arrays;

/**
 * Bind ('B'): bind values to a prepared statement, creating a portal. Format codes: none = all
 * text, one = applies to all, else one per parameter (or per result column); 0 text, 1 binary.
 *
 * <pre>
 * Byte1('B')
 * Int32      length, including itself
 * String     portal name (empty = the unnamed portal)
 * String     statement name
 * Int16      f, the number of parameter format codes (0, 1 or p)
 * Int16[f]   parameter format codes
 * Int16      p, the number of parameter values
 * { Int32 length (-1 = NULL), Byte[length] value }[p]
 * Int16      r, the number of result format codes
 * Int16[r]   result column format codes
 * </pre>
 *
 * {@link #toString()} shows value sizes, never values.
 *
 * @param parameters the values; a null element is SQL NULL
 */
public record Bind(String portal, String statement, short[] parameterFormats, byte[][] parameters,
                   short[] resultFormats) implements FrontendMessage {

    /** The format code of parameter {@code i} (0-based) after applying the none/one/each rule. */
    public short parameterFormat(int i) {
        if (parameterFormats.length == 0) {
            return 0;
        }
        return parameterFormats.length == 1 ? parameterFormats[0] : parameterFormats[i];
    }

    static Bind read(BodyReader body) {
        String portal = body.cstring("portal name");
        String statement = body.cstring("statement name");
        short[] parameterFormats = formats(body, "parameter format");
        int p = body.count("parameter count");
        if (parameterFormats.length > 1 && parameterFormats.length != p) {
            throw body.violation(parameterFormats.length + " parameter formats for " + p + " parameters");
        }
        byte[][] parameters = new byte[p][];
        for (int i = 0; i < p; i++) {
            String field = "parameter " + (i + 1);
            int length = body.int32(field + " length");
            if (length < -1) {
                throw body.violation(field + " length is " + length);
            }
            parameters[i] = length == -1 ? null : body.bytes(length, field);
        }
        short[] resultFormats = formats(body, "result format");
        body.end();
        return new Bind(portal, statement, parameterFormats, parameters, resultFormats);
    }

    private static short[] formats(BodyReader body, String what) {
        int n = body.count(what + " count");
        short[] formats = new short[n];
        for (int i = 0; i < n; i++) {
            formats[i] = body.int16(what + " " + (i + 1));
        }
        return formats;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bind b && portal.equals(b.portal) && statement.equals(b.statement)
                && Arrays.equals(parameterFormats, b.parameterFormats) && Arrays.deepEquals(parameters, b.parameters)
                && Arrays.equals(resultFormats, b.resultFormats);
    }

    @Override
    public int hashCode() {
        return (portal.hashCode() * 31 + statement.hashCode()) * 31 + Arrays.deepHashCode(parameters);
    }

    @Override
    public String toString() {
        StringBuilder sizes = new StringBuilder("[");
        for (byte[] value : parameters) {
            sizes.append(sizes.length() > 1 ? ", " : "").append(value == null ? "NULL" : value.length + " bytes");
        }
        return "Bind[portal=" + portal + ", statement=" + statement + ", parameterFormats="
                + Arrays.toString(parameterFormats) + ", parameters=" + sizes + "], resultFormats="
                + Arrays.toString(resultFormats) + "]";
    }
}
