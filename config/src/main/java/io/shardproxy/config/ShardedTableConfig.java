package io.shardproxy.config;

import java.util.List;

/**
 * A table split across shards. A key maps to a bucket by the algorithm, and the bucket maps to a
 * shard through {@link #bucketShards()}: element b is the name of the shard holding bucket b. The
 * bucket is the unit that resharding moves.
 *
 * @param name         table name as written in SQL (lower case unless created quoted),
 *                     optionally schema-qualified
 * @param shardKey     the shard key column
 * @param algorithm    mod or hash
 * @param keyType      type family of the key column
 * @param buckets      number of buckets, positive
 * @param bucketShards shard name per bucket, size == buckets
 */
public record ShardedTableConfig(
        String name,
        String shardKey,
        ShardingAlgorithm algorithm,
        KeyType keyType,
        int buckets,
        List<String> bucketShards) {

    /** Most buckets a table may have; the bucket list is held in memory per table. */
    public static final int MAX_BUCKETS = 65_536;

    public ShardedTableConfig {
        bucketShards = List.copyOf(bucketShards);
    }
}
