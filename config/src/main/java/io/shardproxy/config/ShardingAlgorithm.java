package io.shardproxy.config;

/** How a shard key value becomes a bucket number in [0, buckets). */
public enum ShardingAlgorithm {
    /** bucket = abs(mod(key, buckets)); integer keys only. The reference design's rule. */
    MOD("mod"),
    /**
     * bucket = abs(mod(h, buckets)) where h is PostgreSQL's own 64-bit extended hash of the key for
     * its type with seed 0: hashint8extended, hashtextextended or uuid_hash_extended.
     */
    HASH("hash");

    private final String configName;

    ShardingAlgorithm(String configName) {
        this.configName = configName;
    }

    /** The spelling used in YAML. */
    public String configName() {
        return configName;
    }
}
