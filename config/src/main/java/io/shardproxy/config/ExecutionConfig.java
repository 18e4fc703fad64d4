package io.shardproxy.config;

/**
 * Knobs for statement execution.
 *
 * @param fetchSize      rows fetched per round trip from each shard when a result is streamed
 * @param shapeCacheSize statement shapes whose routing analysis is cached
 */
public record ExecutionConfig(int fetchSize, int shapeCacheSize) {

    public static final int DEFAULT_FETCH_SIZE = 1000;
    public static final int DEFAULT_SHAPE_CACHE_SIZE = 4096;

    public static ExecutionConfig defaults() {
        return new ExecutionConfig(DEFAULT_FETCH_SIZE, DEFAULT_SHAPE_CACHE_SIZE);
    }
}
