package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;
import io.shardproxy.router.shard.KeyValues;
import io.shardproxy.router.shard.ShardingRule;

import java.util.ArrayList;
import java.util.List;

/**
 * INSERT ... VALUES into a sharded table. Each row goes to the shard of its key; a multi-row
 * INSERT is split so that each shard receives only its own rows, in their original order, with
 * the rest of the statement (column list, ON CONFLICT, RETURNING) unchanged. A row whose key is
 * NULL fails the whole statement with 23502 before anything is sent.
 *
 * @param rule     the table's sharding rule
 * @param rowOpen  first token ("(") of each VALUES row
 * @param rowClose last token (")") of each VALUES row
 * @param keys     the key value of each row
 */
record InsertTemplate(ShardingRule rule, int[] rowOpen, int[] rowClose, List<KeyCondition.Value> keys)
        implements Template {

    @Override
    public Plan bind(Binding b) {
        int shardCount = b.shards().shardCount();
        int rows = rowOpen.length;
        int[] shardOfRow = new int[rows];
        int first = -1;
        boolean oneShard = true;
        for (int r = 0; r < rows; r++) {
            Object v = keys.get(r).keyValue(rule, b);
            if (v == null) {
                throw new ShardProxyException(SqlState.NOT_NULL_VIOLATION,
                        "null value in column \"" + rule.keyColumn() + "\" of relation \"" + rule.table()
                                + "\" violates not-null constraint",
                        "ShardProxy places each row by its shard key " + rule.keyColumn()
                                + "; a row without one cannot be placed.", null);
            }
            if (v == KeyValues.NO_VALUE) {
                throw ShardProxyException.unsupported(
                        "cannot route row " + (r + 1) + ": its shard key " + rule.keyColumn()
                                + " is not a valid " + rule.keyType().configName() + " constant",
                        "give the shard key as a literal of the key's type");
            }
            shardOfRow[r] = rule.shardOf(v);
            if (first < 0) {
                first = shardOfRow[r];
            } else if (first != shardOfRow[r]) {
                oneShard = false;
            }
        }
        if (oneShard) {
            return new Plan.Query(List.of(new ShardStatement(first, b.text())), null, TagRule.PASSTHROUGH,
                    true, true, false);
        }
        List<ShardStatement> statements = new ArrayList<>();
        for (int s = 0; s < shardCount; s++) {
            List<Rewrite.Piece> pieces = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                if (shardOfRow[r] != s) {
                    continue;
                }
                if (!pieces.isEmpty()) {
                    pieces.add(new Rewrite.Text(", "));
                }
                pieces.add(new Rewrite.Copy(rowOpen[r], rowClose[r]));
            }
            if (pieces.isEmpty()) {
                continue;
            }
            Rewrite rw = new Rewrite().replace(rowOpen[0], rowClose[rows - 1] + 1, pieces.toArray(new Rewrite.Piece[0]));
            statements.add(new ShardStatement(s, rw.apply(b)));
        }
        return new Plan.Query(statements, new MergePlan.Concat(), TagRule.SUM, true, true, false);
    }
}
