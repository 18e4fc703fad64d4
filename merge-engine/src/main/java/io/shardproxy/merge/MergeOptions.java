package io.shardproxy.merge;

/**
 * What the merge needs to know about the shards to compare values as they would.
 *
 * @param bytewiseText true when the shards' collation orders text by bytes (C/POSIX, or the
 *                     builtin C.UTF-8); when false, any merge that must compare text refuses with
 *                     0A000 instead of guessing an order
 */
public record MergeOptions(boolean bytewiseText) {
}
