package io.shardproxy.server.types;

import java.util.List;

/**
 * An array as both formats describe it: per dimension its length and lower bound, and the
 * elements in row-major order, each a value in one format (text or binary) or null for NULL.
 * No dimensions means the empty array, whatever its element type.
 */
record ArrayValue(int[] dims, int[] lowerBounds, List<byte[]> elements) {
    /** MAXDIM. */
    static final int MAX_DIMENSIONS = 6;

    static ArrayValue empty() {
        return new ArrayValue(new int[0], new int[0], List.of());
    }

    boolean hasNulls() {
        for (byte[] e : elements) {
            if (e == null) {
                return true;
            }
        }
        return false;
    }
}
