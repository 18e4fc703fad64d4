package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;
import io.shardproxy.router.shard.ShardMap;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A write whose SQL is the same on every target shard: UPDATE and DELETE on any table, and INSERT
 * into reference or local tables. A sharded target goes to the shards its key condition allows
 * (all when there is none) and the row counts add up; a reference target goes to every shard, which
 * must all do the same thing, so the first shard's result stands for all; a local target goes to
 * the default shard.
 *
 * @param refs     every relation reference (the target and any in subqueries)
 * @param target   the written relation
 * @param refusal  set when this shape cannot be written correctly (e.g. it changes the shard key)
 */
record WriteTemplate(List<TableRef> refs, ShardMap.Relation target, ShardProxyException refusal)
        implements Template {

    @Override
    public Plan bind(Binding b) {
        if (refusal != null) {
            throw new ShardProxyException(refusal.state(), refusal.getMessage(), refusal.detail(), refusal.hint());
        }
        Targets targets = Targets.of(refs, b);
        switch (target.kind()) {
            case SHARDED: {
                if (targets.single() >= 0 && !(targets.local() && targets.single() != Targets.DEFAULT_SHARD)) {
                    return single(targets.single(), b.text());
                }
                if (targets.shardedRefs() != 1 || targets.local()) {
                    throw ReadAnalyzer.refuse("write to sharded table " + target.name()
                            + " reads other sharded or local tables whose rows are on other shards");
                }
                BitSet shards = targets.shardedShards();
                List<ShardStatement> statements = new ArrayList<>();
                for (int s = 0; s < b.shards().shardCount(); s++) {
                    if (shards == null || shards.get(s)) {
                        statements.add(new ShardStatement(s, b.text()));
                    }
                }
                return new Plan.Query(statements, new MergePlan.Concat(), TagRule.SUM, true, true, false);
            }
            case REFERENCE: {
                if (targets.shardedRefs() > 0 || targets.local()) {
                    throw ShardProxyException.unsupported("write to reference table " + target.name()
                            + " reads sharded or local tables; every shard would write different rows",
                            "compute the rows in the client, or read only reference tables");
                }
                List<ShardStatement> statements = new ArrayList<>();
                for (int s = 0; s < b.shards().shardCount(); s++) {
                    statements.add(new ShardStatement(s, b.text()));
                }
                return new Plan.Query(statements, null, TagRule.FIRST, true, true, false);
            }
            default:
                if (targets.shardedRefs() > 0) {
                    throw ShardProxyException.unsupported("write to local table " + target.name()
                            + " reads sharded tables", "make the table a reference or sharded table in the config");
                }
                return single(Targets.DEFAULT_SHARD, b.text());
        }
    }

    private static Plan single(int shard, String sql) {
        return new Plan.Query(List.of(new ShardStatement(shard, sql)), null, TagRule.PASSTHROUGH, true, true, false);
    }
}
