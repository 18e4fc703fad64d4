package io.shardproxy.router.analyze;

import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;

import java.util.ArrayList;
import java.util.List;

/**
 * A schema change or maintenance statement: the same text (or, for CREATE TABLE of a sharded
 * table, the text plus that shard's CHECK constraint) on a fixed set of shards.
 *
 * @param shards        target shard indexes; empty means every shard
 * @param perShard      a rewrite per shard index (null: send the client's text)
 * @param transactional false for statements PostgreSQL refuses in a transaction block
 * @param schemaChange  whether cached analyses must be dropped afterwards
 */
record DdlTemplate(List<Integer> shards, List<Rewrite> perShard, boolean transactional, boolean schemaChange)
        implements Template {

    static DdlTemplate everyShard(boolean transactional) {
        return new DdlTemplate(List.of(), null, transactional, true);
    }

    static DdlTemplate defaultShard(boolean transactional) {
        return new DdlTemplate(List.of(Targets.DEFAULT_SHARD), null, transactional, true);
    }

    @Override
    public Plan bind(Binding b) {
        List<ShardStatement> statements = new ArrayList<>();
        int count = b.shards().shardCount();
        for (int s = 0; s < count; s++) {
            if (!shards.isEmpty() && !shards.contains(s)) {
                continue;
            }
            String sql = perShard == null ? b.text() : perShard.get(s).apply(b);
            statements.add(new ShardStatement(s, sql));
        }
        TagRule tags = statements.size() == 1 ? TagRule.PASSTHROUGH : TagRule.FIRST;
        return new Plan.Query(statements, null, tags, true, transactional, schemaChange);
    }
}
