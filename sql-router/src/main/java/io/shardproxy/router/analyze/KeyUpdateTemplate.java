package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.shard.ShardMap;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * An UPDATE of a sharded table that assigns its shard key: each updated row may belong on another
 * shard, so it moves. On each shard the condition allows, one statement deletes the rows and
 * returns, for each, the assigned values computed from the old row (as the UPDATE would have
 * computed them) followed by the old row:
 *
 * <pre>
 * WITH shardproxy_moved AS (DELETE FROM t [AS a] [WHERE cond] RETURNING *)
 * SELECT expr1, expr2, a.* FROM shardproxy_moved AS a
 * </pre>
 *
 * The session then inserts each new row where its key routes it, in the same transaction.
 *
 * @param refs        every relation reference (the target and any in subqueries)
 * @param target      the updated table
 * @param tableFirst  first token of the table name
 * @param tableLast   last token of the table name
 * @param alias       the alias as written, or null
 * @param columns     the assigned columns, folded as PostgreSQL folds identifiers
 * @param exprFirst   first token of each assigned expression
 * @param exprLast    last token of each assigned expression
 * @param whereFirst  first token of the condition, or -1
 * @param whereLast   last token of the condition
 */
record KeyUpdateTemplate(List<TableRef> refs, ShardMap.Relation target, int tableFirst, int tableLast, String alias,
                         List<String> columns, int[] exprFirst, int[] exprLast, int whereFirst, int whereLast)
        implements Template {

    @Override
    public Plan bind(Binding b) {
        Targets targets = Targets.of(refs, b);
        if (targets.shardedRefs() != 1 || targets.local()) {
            throw ReadAnalyzer.refuse("UPDATE of the shard key of " + target.name()
                    + " reads other sharded or local tables whose rows are on other shards");
        }
        Tokens t = b.tokens();
        String table = t.span(tableFirst, tableLast);
        String name = alias != null ? alias : t.span(tableLast, tableLast);
        StringBuilder sql = new StringBuilder("WITH shardproxy_moved AS (DELETE FROM ").append(table);
        if (alias != null) {
            sql.append(" AS ").append(alias);
        }
        if (whereFirst >= 0) {
            sql.append(" WHERE ").append(t.span(whereFirst, whereLast));
        }
        sql.append(" RETURNING *) SELECT ");
        for (int i = 0; i < exprFirst.length; i++) {
            sql.append(t.span(exprFirst[i], exprLast[i])).append(", ");
        }
        sql.append(name).append(".* FROM shardproxy_moved AS ").append(name);
        String moveSql = sql.toString();
        List<ShardStatement> moves = new ArrayList<>();
        int single = targets.single();
        BitSet shards = targets.shardedShards();
        for (int s = 0; s < b.shards().shardCount(); s++) {
            if (single >= 0 ? s == single : shards == null || shards.get(s)) {
                moves.add(new ShardStatement(s, moveSql));
            }
        }
        return new Plan.KeyUpdate(moves, table, columns);
    }

    static ShardProxyException refusal(String why) {
        return ShardProxyException.unsupported("UPDATE of the shard key " + why,
                "delete the row and insert it with the new key in one transaction");
    }
}
