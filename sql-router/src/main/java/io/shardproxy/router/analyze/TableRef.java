package io.shardproxy.router.analyze;

import io.shardproxy.router.shard.ShardMap;

/**
 * One reference to a relation in a statement.
 *
 * @param relation  what the name resolves to
 * @param alias     the alias it goes by in its scope, or null
 * @param condition what its scope's WHERE clause says about its shard key (sharded tables only)
 * @param outermost true when it is in the FROM list (or the target) of the outermost query block
 */
public record TableRef(ShardMap.Relation relation, String alias, KeyCondition condition, boolean outermost) {

    public boolean isSharded() {
        return relation.kind() == ShardMap.Kind.SHARDED;
    }
}
