package io.shardproxy.server.wire;

import java.util.Arrays;

/**
 * Parse ('P'): create a prepared statement. Fewer type OIDs than parameters is allowed; 0 means
 * "infer the type".
 *
 * <pre>
 * Byte1('P')
 * Int32      length, including itself
 * String     statement name (empty = the unnamed statement)
 * String     query text (one statement)
 * Int16      n, the number of parameter types given
 * Int32[n]   parameter type OIDs
 * </pre>
 */
public record Parse(String statement, String sql, int[] parameterTypes) implements FrontendMessage {

    static Parse read(BodyReader body) {
        String statement = body.cstring("statement name");
        String sql = body.cstring("query string");
        int n = body.count("parameter type count");
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = body.int32("parameter type " + (i + 1));
        }
        body.end();
        return new Parse(statement, sql, types);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parse p && statement.equals(p.statement) && sql.equals(p.sql)
                && Arrays.equals(parameterTypes, p.parameterTypes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * statement.hashCode() + sql.hashCode()) + Arrays.hashCode(parameterTypes);
    }

    @Override
    public String toString() {
        return "Parse[statement=" + statement + ", sql=" + sql + ", parameterTypes=" + Arrays.toString(parameterTypes)
                + "]";
    }
}
