package io.shardproxy.router.analyze;

import io.shardproxy.router.shard.ShardMap;

import java.util.BitSet;
import java.util.List;

/**
 * Where the relations of one bound statement live: the shared first step of routing every
 * statement that references tables.
 *
 * @param single         the one shard that holds every row the statement can read or write, or
 *                       -1 when rows come from several shards
 * @param shardedShards  for a statement with exactly one sharded reference: the shards its
 *                       condition allows (null = all); otherwise null
 * @param shardedRefs    how many references to sharded tables there are
 * @param local          whether local (unconfigured) tables or system catalogs are referenced:
 *                       they live on the default shard only
 * @param reference      whether reference tables are referenced
 */
record Targets(int single, BitSet shardedShards, int shardedRefs, boolean local, boolean reference) {

    static final int DEFAULT_SHARD = 0;

    static Targets of(List<TableRef> refs, Binding b) {
        int sharded = 0;
        boolean local = false;
        boolean reference = false;
        BitSet common = null;
        BitSet onlyRefShards = null;
        boolean allSingle = true;
        for (TableRef ref : refs) {
            ShardMap.Kind kind = ref.relation().kind();
            if (kind == ShardMap.Kind.LOCAL || kind == ShardMap.Kind.CATALOG) {
                local = true;
                continue;
            }
            if (kind == ShardMap.Kind.REFERENCE) {
                reference = true;
                continue;
            }
            sharded++;
            BitSet s = ref.condition().shards(ref.relation().rule(), b);
            onlyRefShards = s;
            if (s == null || s.cardinality() > 1) {
                allSingle = false;
                continue;
            }
            if (s.isEmpty()) {
                continue; // no row can match: compatible with any shard
            }
            if (common == null) {
                common = s;
            } else if (!common.equals(s)) {
                allSingle = false;
            }
        }
        int single = -1;
        if (sharded > 0 && allSingle) {
            single = common == null ? DEFAULT_SHARD : common.nextSetBit(0);
        }
        return new Targets(single, sharded == 1 ? onlyRefShards : null, sharded, local, reference);
    }
}
