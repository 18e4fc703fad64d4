package io.shardproxy.router.shard;

import io.shardproxy.config.KeyType;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.config.ShardedTableConfig;
import io.shardproxy.config.ShardingAlgorithm;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;

/**
 * How one sharded table places its rows: key value to bucket (by the algorithm), bucket to shard
 * (by the bucket map). Also renders the same rule as SQL, for the CHECK constraint each shard
 * carries and for operators who want to compute a row's bucket by hand.
 */
public final class ShardingRule {
    private final String table;
    private final String keyColumn;
    private final ShardingAlgorithm algorithm;
    private final KeyType keyType;
    private final int buckets;
    private final int[] shardOfBucket;

    public ShardingRule(ShardedTableConfig table, ProxyConfig config) {
        this.table = table.name();
        this.keyColumn = table.shardKey();
        this.algorithm = table.algorithm();
        this.keyType = table.keyType();
        this.buckets = table.buckets();
        this.shardOfBucket = new int[buckets];
        for (int b = 0; b < buckets; b++) {
            shardOfBucket[b] = config.shardIndex(table.bucketShards().get(b));
        }
    }

    public String table() {
        return table;
    }

    public String keyColumn() {
        return keyColumn;
    }

    public KeyType keyType() {
        return keyType;
    }

    public ShardingAlgorithm algorithm() {
        return algorithm;
    }

    public int buckets() {
        return buckets;
    }

    /** The bucket of a non-null key value of this table's key type (Long, String or UUID). */
    public int bucketOf(Object key) {
        if (algorithm == ShardingAlgorithm.MOD) {
            return (int) Math.abs((Long) key % buckets);
        }
        long h;
        if (key instanceof Long) {
            h = PgHash.hashInt8Extended((Long) key, 0);
        } else if (key instanceof String) {
            h = PgHash.hashTextExtended((String) key, 0);
        } else {
            h = PgHash.uuidHashExtended((UUID) key, 0);
        }
        return PgHash.bucket(h, buckets);
    }

    /** The shard index holding a non-null key value. */
    public int shardOf(Object key) {
        return shardOfBucket[bucketOf(key)];
    }

    public int shardOfBucket(int bucket) {
        return shardOfBucket[bucket];
    }

    /**
     * Shards holding rows where {@code abs(mod(key, modulus)) = remainder}, or null when that
     * predicate does not narrow the shards (hash algorithm, or a modulus that does not divide the
     * bucket count).
     */
    public BitSet shardsWhereModEquals(long modulus, long remainder) {
        if (algorithm != ShardingAlgorithm.MOD || modulus <= 0 || buckets % modulus != 0) {
            return null;
        }
        BitSet out = new BitSet();
        for (int b = 0; b < buckets; b++) {
            if (b % modulus == remainder) {
                out.set(shardOfBucket[b]);
            }
        }
        return out;
    }

    /** SQL computing a row's bucket from column {@code column}, e.g. {@code abs(mod(id, 4))}. */
    public String bucketExpression(String column) {
        if (algorithm == ShardingAlgorithm.MOD) {
            return "abs(mod(" + column + ", " + buckets + "))";
        }
        String hash;
        switch (keyType) {
            case INTEGER:
                hash = "hashint8extended(" + column + "::int8, 0)";
                break;
            case TEXT:
                hash = "hashtextextended(" + column + "::text, 0)";
                break;
            default:
                hash = "uuid_hash_extended(" + column + ", 0)";
        }
        return "abs(mod(" + hash + ", " + buckets + "))";
    }

    /**
     * The CHECK condition that admits exactly the rows of shard {@code shard}'s buckets, e.g.
     * {@code abs(mod(id, 4)) = 2}, or {@code false} when the shard holds no bucket.
     */
    public String checkCondition(int shard) {
        String expr = bucketExpression(quoteIfNeeded(keyColumn));
        List<String> ranges = new ArrayList<>();
        int b = 0;
        while (b < buckets) {
            if (shardOfBucket[b] != shard) {
                b++;
                continue;
            }
            int lo = b;
            while (b + 1 < buckets && shardOfBucket[b + 1] == shard) {
                b++;
            }
            ranges.add(lo == b ? expr + " = " + lo : expr + " BETWEEN " + lo + " AND " + b);
            b++;
        }
        if (ranges.isEmpty()) {
            return "false";
        }
        return String.join(" OR ", ranges);
    }

    static String quoteIfNeeded(String identifier) {
        if (identifier.matches("[a-z_][a-z0-9_$]*")) {
            return identifier;
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
