package io.shardproxy.merge;

/**
 * What the merge needs to know about the shards to compare values as they would, and its limits.
 *
 * @param bytewiseText   true when the shards' collation orders text by bytes (C/POSIX, or the
 *                       builtin C.UTF-8); when false, any merge that must order text by the
 *                       shards' collation refuses with 0A000 instead of guessing an order
 * @param sortMemoryRows rows a proxy-side Sort keeps in memory before it spills to temporary files
 * @param spillDirectory where a Sort spills (null: java.io.tmpdir)
 * @param extraFloatDigits the session's extra_float_digits: floats the merge computes are
 *                       printed as PostgreSQL prints them under it (shortest exact above 0,
 *                       {@code %.{15+n}g} at or below 0)
 */
public record MergeOptions(boolean bytewiseText, int sortMemoryRows, java.nio.file.Path spillDirectory,
                           int extraFloatDigits) {

    public static final int DEFAULT_SORT_MEMORY_ROWS = 100_000;

    public MergeOptions(boolean bytewiseText) {
        this(bytewiseText, DEFAULT_SORT_MEMORY_ROWS, null, 1);
    }

    public MergeOptions(boolean bytewiseText, int sortMemoryRows, java.nio.file.Path spillDirectory) {
        this(bytewiseText, sortMemoryRows, spillDirectory, 1);
    }

    /** These options for a session whose extra_float_digits is {@code digits}. */
    public MergeOptions withExtraFloatDigits(int digits) {
        return new MergeOptions(bytewiseText, sortMemoryRows, spillDirectory, digits);
    }
}
