package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A query (SELECT, VALUES, TABLE, WITH). Routing, in order:
 * <ol>
 *   <li>no sharded table: reference tables only go to any one shard; local tables, catalogs or
 *       no table at all go to the default shard; the client's text is sent unchanged;</li>
 *   <li>every sharded reference is pinned by its key to the same shard: the whole statement goes
 *       there unchanged (joins, subqueries, GROUP BY and all);</li>
 *   <li>one sharded table in the outermost FROM: a fan-out with a rewrite (LIMIT offset+count on
 *       every shard, avg as sum and count, hidden sort columns) and a merge in the proxy;</li>
 *   <li>anything else is refused with 0A000 and the reason, never sent to a guessed shard.</li>
 * </ol>
 *
 * @param refs         every relation reference
 * @param fanOut       the shard SQL rewrite for a fan-out, or null when a fan-out is refused
 * @param merge        the merge of a fan-out, or null
 * @param refusal      why a fan-out cannot be answered correctly, or null
 */
record ReadTemplate(List<TableRef> refs, Rewrite fanOut, MergeTemplate merge, ShardProxyException refusal)
        implements Template {

    @Override
    public Plan bind(Binding b) {
        Targets targets = Targets.of(refs, b);
        if (targets.shardedRefs() == 0) {
            int shard = targets.local() || !targets.reference() ? Targets.DEFAULT_SHARD : ShardStatement.ANY_SHARD;
            return single(shard, b.text());
        }
        if (targets.single() >= 0) {
            if (targets.local() && targets.single() != Targets.DEFAULT_SHARD) {
                throw ShardProxyException.unsupported(
                        "query joins a sharded table's rows on shard " + b.shards().shardName(targets.single())
                                + " with local tables or catalogs, which live only on the default shard "
                                + b.shards().shardName(Targets.DEFAULT_SHARD),
                        "add the local tables to the config as reference tables");
            }
            return single(targets.single(), b.text());
        }
        if (refusal != null) {
            throw new ShardProxyException(refusal.state(), refusal.getMessage(), refusal.detail(), refusal.hint());
        }
        BitSet shards = targets.shardedShards();
        String sql = fanOut.apply(b);
        MergePlan plan = merge.bind(b);
        List<ShardStatement> statements = new ArrayList<>();
        for (int s = 0; s < b.shards().shardCount(); s++) {
            if (shards == null || shards.get(s)) {
                statements.add(new ShardStatement(s, sql));
            }
        }
        return new Plan.Query(statements, plan, TagRule.SELECT_ROWS, false, true, false, merge.shardRowLimit(b));
    }

    static Plan single(int shard, String sql) {
        return new Plan.Query(List.of(new ShardStatement(shard, sql)), null, TagRule.PASSTHROUGH, false, true, false);
    }
}
