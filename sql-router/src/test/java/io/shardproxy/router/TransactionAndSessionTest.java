package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.analyze.CursorSql;
import io.shardproxy.router.analyze.PreparedStatementSql;
import io.shardproxy.router.lex.Lexer;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.SessionCommand;
import io.shardproxy.router.plan.TransactionCommand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionAndSessionTest {
    private final Routing r = new Routing();

    private void transaction(TransactionCommand command, String sql) {
        assertEquals(new Plan.Transaction(command, sql), r.plan(sql), sql);
    }

    private void session(SessionCommand command, String name, String sql) {
        assertEquals(new Plan.Session(command, name, sql), r.plan(sql), sql);
    }

    @Test
    void beginInEveryFormStartsATransactionKeepingItsOptions() {
        transaction(TransactionCommand.BEGIN, "BEGIN");
        transaction(TransactionCommand.BEGIN, "begin transaction");
        transaction(TransactionCommand.BEGIN, "BEGIN WORK ISOLATION LEVEL SERIALIZABLE");
        transaction(TransactionCommand.BEGIN, "START TRANSACTION");
        transaction(TransactionCommand.BEGIN, "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    @Test
    void commitAndEndCommitTheTransaction() {
        transaction(TransactionCommand.COMMIT, "COMMIT");
        transaction(TransactionCommand.COMMIT, "commit work");
        transaction(TransactionCommand.COMMIT, "END");
        transaction(TransactionCommand.COMMIT, "end transaction");
        transaction(TransactionCommand.COMMIT, "COMMIT AND NO CHAIN");
    }

    @Test
    void rollbackAndAbortRollTheTransactionBack() {
        transaction(TransactionCommand.ROLLBACK, "ROLLBACK");
        transaction(TransactionCommand.ROLLBACK, "rollback transaction");
        transaction(TransactionCommand.ROLLBACK, "ABORT");
        transaction(TransactionCommand.ROLLBACK, "abort work");
    }

    @Test
    void savepointStatementsCarryTheFoldedName() {
        assertEquals(new Plan.Transaction(TransactionCommand.SAVEPOINT, "SAVEPOINT A", "a"), r.plan("SAVEPOINT A"));
        assertEquals(new Plan.Transaction(TransactionCommand.SAVEPOINT, "savepoint \"B c\"", "B c"),
                r.plan("savepoint \"B c\""));
        assertEquals(new Plan.Transaction(TransactionCommand.RELEASE, "RELEASE SAVEPOINT a", "a"),
                r.plan("RELEASE SAVEPOINT a"));
        assertEquals(new Plan.Transaction(TransactionCommand.RELEASE, "release a", "a"), r.plan("release a"));
        assertEquals(new Plan.Transaction(TransactionCommand.ROLLBACK_TO, "ROLLBACK TO SAVEPOINT a", "a"),
                r.plan("ROLLBACK TO SAVEPOINT a"));
        assertEquals(new Plan.Transaction(TransactionCommand.ROLLBACK_TO, "rollback work to a", "a"),
                r.plan("rollback work to a"));
        assertEquals(new Plan.Transaction(TransactionCommand.ROLLBACK_TO, "ABORT TO SAVEPOINT a", "a"),
                r.plan("ABORT TO SAVEPOINT a"));
        r.refused("SAVEPOINT", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("SAVEPOINT a b", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("RELEASE SAVEPOINT 'a'", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void chainedTransactionsAreRefused() {
        r.refused("COMMIT AND CHAIN", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("rollback and chain", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void twoPhaseCommitStatementsAreRefused() {
        r.refused("PREPARE TRANSACTION 'tx1'", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("COMMIT PREPARED 'tx1'", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("ROLLBACK PREPARED 'tx1'", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void listenIsRefusedWithWhatToDoInstead() {
        r.refused("LISTEN jobs", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("NOTIFY jobs, 'x'", SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void sqlPreparedStatementsAreSessionCommands() {
        session(SessionCommand.PREPARE, null, "PREPARE q (int) AS SELECT * FROM tbl WHERE id = $1");
        session(SessionCommand.EXECUTE, null, "EXECUTE q(1)");
        session(SessionCommand.DEALLOCATE, null, "DEALLOCATE PREPARE q");
        session(SessionCommand.DEALLOCATE, null, "deallocate all");
    }

    @Test
    void sqlPreparedStatementCommandsAreReadFromTheirTokens() {
        var p = PreparedStatementSql.prepare(Lexer.lex(
                "PREPARE \"Q1\" (int, double precision, varchar(10), numeric(5, 2)[]) AS SELECT $1, $2"));
        assertEquals("Q1", p.name());
        assertEquals(List.of("int", "double precision", "varchar(10)", "numeric(5, 2)[]"), p.types());
        assertEquals("SELECT $1, $2", p.statement());
        assertEquals(List.of(), PreparedStatementSql.prepare(Lexer.lex("prepare q as select 1")).types());
        var e = PreparedStatementSql.execute(Lexer.lex("EXECUTE q1 (1, 'a,b', f(2, 3), ARRAY[1, 2])"));
        assertEquals("q1", e.name());
        assertEquals(List.of("1", "'a,b'", "f(2, 3)", "ARRAY[1, 2]"), e.arguments());
        assertEquals(List.of(), PreparedStatementSql.execute(Lexer.lex("execute q1")).arguments());
        assertEquals("q1", PreparedStatementSql.deallocate(Lexer.lex("DEALLOCATE Q1")));
        assertNull(PreparedStatementSql.deallocate(Lexer.lex("DEALLOCATE PREPARE ALL")));
        assertEquals(SqlState.SYNTAX_ERROR, assertThrows(ShardProxyException.class,
                () -> PreparedStatementSql.prepare(Lexer.lex("PREPARE q SELECT 1"))).state());
        assertEquals(SqlState.SYNTAX_ERROR, assertThrows(ShardProxyException.class,
                () -> PreparedStatementSql.execute(Lexer.lex("EXECUTE q (1"))).state());
    }

    @Test
    void setRemembersTheSettingForTheSession() {
        session(SessionCommand.SET, "search_path", "SET search_path = app, public");
        session(SessionCommand.SET, "statement_timeout", "set Statement_Timeout to 5000");
        session(SessionCommand.SET, "statement_timeout", "SET SESSION statement_timeout = '5s'");
        session(SessionCommand.SET, "application_name", "SET \"application_name\" = 'x'");
        session(SessionCommand.SET, "myapp.tenant", "set myapp.tenant = 'acme'");
    }

    @Test
    void setLocalAndSetTransactionLastForTheTransaction() {
        session(SessionCommand.SET_LOCAL, "lock_timeout", "SET LOCAL lock_timeout = '1s'");
        session(SessionCommand.SET_LOCAL, "timezone", "set local time zone 'UTC'");
        session(SessionCommand.SET_LOCAL, "transaction", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
        session(SessionCommand.SET, "session_characteristics",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    }

    @Test
    void setSyntaxWithSpecialNamesUsesTheSettingsRealName() {
        session(SessionCommand.SET, "timezone", "SET TIME ZONE 'Europe/Berlin'");
        session(SessionCommand.SET, "timezone", "SET SESSION TIME ZONE LOCAL");
        session(SessionCommand.SET, "session_authorization", "SET SESSION AUTHORIZATION bob");
        session(SessionCommand.SET, "client_encoding", "SET NAMES 'UTF8'");
        session(SessionCommand.SET, "search_path", "SET SCHEMA 'app'");
        session(SessionCommand.SET, "role", "SET ROLE reporting");
        session(SessionCommand.SET, "xmloption", "SET XML OPTION DOCUMENT");
    }

    @Test
    void resetForgetsOneSettingOrAll() {
        session(SessionCommand.RESET, "statement_timeout", "RESET statement_timeout");
        session(SessionCommand.RESET, "timezone", "reset time zone");
        session(SessionCommand.RESET, "session_authorization", "RESET SESSION AUTHORIZATION");
        session(SessionCommand.RESET_ALL, null, "RESET ALL");
    }

    @Test
    void discardAllForgetsEverySettingAndOtherDiscardsAreNamed() {
        session(SessionCommand.DISCARD_ALL, null, "DISCARD ALL");
        session(SessionCommand.DISCARD_OTHER, "plans", "discard plans");
    }

    @Test
    void cursorCommandsAreSessionCommands() {
        session(SessionCommand.DECLARE, null, "DECLARE c CURSOR FOR SELECT * FROM tbl");
        session(SessionCommand.FETCH, null, "FETCH 10 FROM c");
        session(SessionCommand.MOVE, null, "MOVE FORWARD ALL IN c");
        session(SessionCommand.CLOSE, null, "CLOSE c");
    }

    @Test
    void cursorCommandsAreReadFromTheirTokens() {
        var d = CursorSql.declare(Lexer.lex("DECLARE \"C1\" NO SCROLL CURSOR WITHOUT HOLD FOR SELECT 1"));
        assertEquals("C1", d.name());
        assertEquals("SELECT 1", d.query());
        assertFalse(d.hold() || d.scroll() || d.binary());
        var h = CursorSql.declare(Lexer.lex("declare c binary insensitive scroll cursor with hold for values (1)"));
        assertTrue(h.hold() && h.scroll() && h.binary());
        assertEquals(new CursorSql.Fetch("c", 1), CursorSql.fetch(Lexer.lex("FETCH c")));
        assertEquals(new CursorSql.Fetch("c", 1), CursorSql.fetch(Lexer.lex("FETCH NEXT FROM c")));
        assertEquals(new CursorSql.Fetch("c", 25), CursorSql.fetch(Lexer.lex("FETCH 25 IN c")));
        assertEquals(new CursorSql.Fetch("c", 100), CursorSql.fetch(Lexer.lex("FETCH FORWARD 100 FROM c")));
        assertEquals(new CursorSql.Fetch("c", CursorSql.ALL), CursorSql.fetch(Lexer.lex("FETCH ALL FROM c")));
        assertEquals(new CursorSql.Fetch("c", CursorSql.ALL), CursorSql.fetch(Lexer.lex("MOVE FORWARD ALL c")));
        for (String backward : List.of("FETCH PRIOR FROM c", "FETCH -1 FROM c", "FETCH BACKWARD 2 FROM c",
                "FETCH ABSOLUTE 3 FROM c", "FETCH 0 FROM c", "FETCH FORWARD -2 FROM c")) {
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED,
                    assertThrows(ShardProxyException.class, () -> CursorSql.fetch(Lexer.lex(backward))).state(), backward);
        }
        assertEquals("c", CursorSql.close(Lexer.lex("CLOSE c")));
        assertNull(CursorSql.close(Lexer.lex("CLOSE ALL")));
        assertEquals(SqlState.SYNTAX_ERROR,
                assertThrows(ShardProxyException.class, () -> CursorSql.declare(Lexer.lex("DECLARE c FOR SELECT 1"))).state());
    }
}
