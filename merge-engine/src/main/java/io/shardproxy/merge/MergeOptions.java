package io.shardproxy.merge;

/**
 * What the merge needs to know about the shards to compare values as they would, and its limits.
 *
 * @param bytewiseText   true when the shards' collation orders text by bytes (C/POSIX, or the
 *                       builtin C.UTF-8); when false, any merge that must order text by the
 *                       shards' collation refuses with 0A000 instead of guessing an order
 * @param sortMemoryRows rows a proxy-side Sort keeps in memory before it spills to temporary files
 * @param spillDirectory where a Sort spills (null: java.io.tmpdir)
 */
public record MergeOptions(boolean bytewiseText, int sortMemoryRows, java.nio.file.Path spillDirectory) {

    public static final int DEFAULT_SORT_MEMORY_ROWS = 100_000;

    public MergeOptions(boolean bytewiseText) {
        this(bytewiseText, DEFAULT_SORT_MEMORY_ROWS, null);
    }
}
