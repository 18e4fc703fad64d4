package io.shardproxy.config;

/**
 * Knobs for statement execution.
 *
 * @param fetchSize      rows fetched per round trip from each shard when a result is streamed
 * @param shapeCacheSize statement shapes whose routing analysis is cached
 * @param relay          single-shard statements outside a transaction block go over relay
 *                       connections, the shard's bytes passed through on the client's event loop
 */
public record ExecutionConfig(int fetchSize, int shapeCacheSize, boolean relay) {

    public static final int DEFAULT_FETCH_SIZE = 1000;
    public static final int DEFAULT_SHAPE_CACHE_SIZE = 4096;

    public static ExecutionConfig defaults() {
        return new ExecutionConfig(DEFAULT_FETCH_SIZE, DEFAULT_SHAPE_CACHE_SIZE, true);
    }
}
