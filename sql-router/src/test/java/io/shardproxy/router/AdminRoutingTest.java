package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.lex.Lexer;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.AdminCommand;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminRoutingTest {
    private final Routing r = new Routing();

    @Test
    void showShardsShardingAndTablesAreAdminCommands() {
        assertEquals(new Plan.Admin(AdminCommand.SHOW_SHARDS, "SHOW SHARDS", null), r.plan("SHOW SHARDS;"));
        assertEquals(new Plan.Admin(AdminCommand.SHOW_SHARDING, "show sharding", null), r.plan("show sharding"));
        assertEquals(new Plan.Admin(AdminCommand.SHOW_SHARDING, "Show Tables", null), r.plan("Show Tables"));
    }

    @Test
    void showOfASettingIsNotAnAdminCommand() {
        assertEquals(List.of(new ShardStatement(0, "show search_path")), r.query("show search_path").statements());
        assertEquals(List.of(0), r.shards("show shards_per_node"));
    }

    @Test
    void explainRouteGivesThePlanOfItsStatementWithoutRunningIt() {
        Plan.Admin a = (Plan.Admin) r.plan("EXPLAIN ROUTE insert into tbl (id, info) values (1, 'a'), (2, 'b')");
        assertEquals(AdminCommand.EXPLAIN_ROUTE, a.command());
        assertEquals("insert into tbl (id, info) values (1, 'a'), (2, 'b')", a.sql());
        assertEquals(List.of(new Plan.Query(List.of(
                new ShardStatement(1, "insert into tbl (id, info) values (1, 'a')"),
                new ShardStatement(2, "insert into tbl (id, info) values (2, 'b')")),
                new MergePlan.Concat(), TagRule.SUM, true, true, false)), a.explained());
    }

    @Test
    void explainRouteOfTwoStatementsGivesBothPlans() {
        // A simple-protocol string splits at its semicolons first, as in PostgreSQL; a statement
        // that still holds several (e.g. from a Parse message) explains each.
        String sql = "explain route select * from tbl where id = 6; update tbl set info = 'x' where id in (1, 3)";
        Plan.Admin a = (Plan.Admin) r.router.plan(new Statement(sql, 0, Lexer.lex(sql)));
        assertEquals(2, a.explained().size());
        assertEquals(List.of(new ShardStatement(2, "select * from tbl where id = 6")),
                ((Plan.Query) a.explained().get(0)).statements());
        assertEquals(List.of(new ShardStatement(1, "update tbl set info = 'x' where id in (1, 3)"),
                        new ShardStatement(3, "update tbl set info = 'x' where id in (1, 3)")),
                ((Plan.Query) a.explained().get(1)).statements());
    }

    @Test
    void explainRouteOfARefusedStatementGivesItsError() {
        r.refused("explain route update tbl set id = 2 where id = 1 returning id", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void postgresExplainOfASingleShardStatementIsForwardedUnchanged() {
        String sql = "EXPLAIN (ANALYZE, COSTS OFF) select * from tbl where id = 6";
        Plan.Query q = r.query(sql);
        assertEquals(List.of(new ShardStatement(2, sql)), q.statements());
        assertNull(q.merge());
        assertEquals(TagRule.PASSTHROUGH, q.tags());
        assertFalse(q.write());
        assertEquals(List.of(new ShardStatement(3, "explain analyze verbose delete from tbl where id = 3")),
                r.query("explain analyze verbose delete from tbl where id = 3").statements());
        assertTrue(r.query("explain analyze verbose delete from tbl where id = 3").write());
        assertEquals(List.of(0), r.shards("explain select * from audit_log"));
    }

    @Test
    void postgresExplainOfAFanOutIsRefused() {
        ShardProxyException e = r.refused("explain select * from tbl", SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.hint().contains("EXPLAIN ROUTE"), e.hint());
        r.refused("explain analyze insert into tbl (id) values (1), (2)", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("explain create table tbl (id bigint)", SqlState.FEATURE_NOT_SUPPORTED);
    }
}
