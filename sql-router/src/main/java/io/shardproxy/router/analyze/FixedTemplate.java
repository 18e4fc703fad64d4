package io.shardproxy.router.analyze;

import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.SessionCommand;
import io.shardproxy.router.plan.TransactionCommand;

/**
 * Statements whose plan needs nothing but the statement's own text: transaction control, session
 * settings, and reads or calls that go to one fixed shard.
 */
final class FixedTemplate {

    private FixedTemplate() {
    }

    static Template transaction(TransactionCommand command) {
        return b -> new Plan.Transaction(command, b.text());
    }

    static Template savepoint(TransactionCommand command, String name) {
        return b -> new Plan.Transaction(command, b.text(), name);
    }

    static Template session(SessionCommand command, String name) {
        return b -> new Plan.Session(command, name, b.text());
    }

    /** The statement, unchanged, on the default shard (reads, calls, DO blocks, SHOW). */
    static Template defaultShard(boolean write) {
        return b -> write
                ? new Plan.Query(java.util.List.of(new io.shardproxy.router.plan.ShardStatement(
                        Targets.DEFAULT_SHARD, b.text())), null, io.shardproxy.router.plan.TagRule.PASSTHROUGH,
                        true, true, false)
                : ReadTemplate.single(Targets.DEFAULT_SHARD, b.text());
    }
}
