package io.shardproxy.server.exec;

import org.postgresql.core.ParameterList;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * The parameter values a shard statement runs with, as the client bound them: per parameter
 * ({@code $1} is index 0) its type OID (0 lets the shard infer it, as it would for the client),
 * its bytes (null for NULL) and whether they are in binary format. Values pass to the shard
 * unchanged.
 */
public record BoundValues(int[] types, byte[][] values, boolean[] binary) {

    public int count() {
        return values.length;
    }

    void applyTo(ParameterList list) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            int type = i < types.length ? types[i] : 0;
            byte[] v = values[i];
            if (v == null) {
                list.setNull(i + 1, type);
            } else if (binary[i]) {
                list.setBinaryParameter(i + 1, v, type);
            } else {
                list.setStringParameter(i + 1, new String(v, StandardCharsets.UTF_8), type);
            }
        }
    }
}
