package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.analyze.SettingCalls;
import io.shardproxy.router.lex.Lexer;
import io.shardproxy.router.plan.Plan;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingCallsTest {
    private final Routing r = new Routing();

    private void refused(String sql) {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> r.plan(sql), sql);
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state(), sql);
        assertTrue(e.hint().startsWith("use SET name = value"), e.hint());
    }

    @Test
    void aSettingThatWouldOutliveItsStatementIsRefused() {
        refused("select set_config('search_path', 'other', false)");
        refused("SELECT pg_catalog.SET_CONFIG('search_path', 'other', FALSE)");
        refused("select \"set_config\"('app.x', '1', false)");
        refused("select set_config('app.x', '1', $1)");
        refused("select set_config('app.x', '1', 1 = 1)");
        refused("select set_config('app.x', '1', 'true')");
        refused("select id, set_config('app.x', id::text, false) from tbl where id = 1");
        refused("select set_config('app.x', '1', true), set_config('app.y', '2', false)");
        refused("select set_config('app.x', '1')");
    }

    @Test
    void aTransactionLocalSettingRuns() {
        assertInstanceOf(Plan.Query.class, r.plan("select set_config('app.x', '1', true)"));
        assertInstanceOf(Plan.Query.class, r.plan("select pg_catalog.set_config('app.x', concat('a', 'b'), TRUE)"));
        assertInstanceOf(Plan.Query.class, r.plan("select set_config('app.x', f(1, g(2, 3)), true) from tbl where id = 1"));
    }

    @Test
    void callsAreFoundByName() {
        assertTrue(SettingCalls.any(Lexer.lex("select set_config('a', 'b', true)")));
        assertTrue(SettingCalls.any(Lexer.lex("select x from t where set_config ('a', 'b', true) = 'b'")));
        assertFalse(SettingCalls.any(Lexer.lex("select set_config from t")));
        assertFalse(SettingCalls.any(Lexer.lex("select 'set_config(1)' from t")));
        assertFalse(SettingCalls.any(Lexer.lex("select current_setting('a')")));
        assertNull(SettingCalls.sessionLevel(Lexer.lex("select 1")));
    }
}
