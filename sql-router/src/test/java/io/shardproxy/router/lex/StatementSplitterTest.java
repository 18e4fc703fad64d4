package io.shardproxy.router.lex;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatementSplitterTest {

    private static List<String> texts(String sql) {
        return StatementSplitter.split(sql).stream().map(Statement::text).collect(Collectors.toList());
    }

    @Test
    void splitsAtTopLevelSemicolonsWithOffsetsIntoTheOriginal() {
        String sql = "select 1; select 2;;  select 3";
        List<Statement> s = StatementSplitter.split(sql);
        assertEquals(List.of("select 1", "select 2", "select 3"), s.stream().map(Statement::text).toList());
        assertEquals(List.of(0, 10, 22), s.stream().map(Statement::offset).toList());
        for (Statement st : s) {
            assertEquals(st.text(), sql.substring(st.offset(), st.offset() + st.text().length()));
        }
    }

    @Test
    void tokensArePositionedInTheStatementText() {
        Statement second = StatementSplitter.split("select 1;\n  update t set a = 'x'").get(1);
        Tokens t = second.tokens();
        assertEquals("update t set a = 'x'", second.text());
        assertEquals(6, t.size());
        assertEquals("update", t.text(0));
        assertEquals(0, t.start(0));
        assertEquals("'x'", t.text(5));
        assertEquals(17, t.start(5));
        assertEquals(second.text(), t.source());
    }

    @Test
    void semicolonsInsideStringsQuotedNamesCommentsAndDollarQuotesDoNotSplit() {
        assertEquals(List.of("select ';', E'\\';', \"a;b\" /* ; */ from t", "select $x$ ; $$ ; $x$"),
                texts("select ';', E'\\';', \"a;b\" /* ; */ from t; select $x$ ; $$ ; $x$ -- ;"));
    }

    @Test
    void emptyQueriesHaveNoStatements() {
        assertEquals(List.of(), texts(""));
        assertEquals(List.of(), texts("   "));
        assertEquals(List.of(), texts(";"));
        assertEquals(List.of(), texts(" ; ;\n;"));
        assertEquals(List.of(), texts("-- just a comment"));
        assertEquals(List.of(), texts("/* c */ ; -- d"));
    }

    @Test
    void leadingCommentStaysWithItsStatementAndTrailingOneIsDropped() {
        String sql = "/* app=web */ select 1; -- next\nselect 2 -- trailing";
        List<Statement> s = StatementSplitter.split(sql);
        assertEquals(List.of("/* app=web */ select 1", "-- next\nselect 2"), s.stream().map(Statement::text).toList());
        assertEquals(List.of(0, 24), s.stream().map(Statement::offset).toList());
    }

    @Test
    void aLexicalErrorAnywhereRejectsTheWholeString() {
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> StatementSplitter.split("insert into t values (1); select 'unterminated"));
        assertEquals(SqlState.SYNTAX_ERROR, e.state());
    }

    @Test
    void sqlStandardFunctionBodiesAreOneStatement() {
        assertEquals(List.of(
                        "create function f(x int) returns int language sql begin atomic select case when x > 0 then 1 else 0 end; select 2; end",
                        "select 3"),
                texts("create function f(x int) returns int language sql begin atomic select case when x > 0 then 1 else 0 end; select 2; end; select 3"));
        assertEquals(List.of("CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END"),
                texts("CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;"));
    }

    @Test
    void transactionBlocksSplitAsUsual() {
        assertEquals(List.of("begin", "select 1", "end"), texts("begin; select 1; end"));
        assertEquals(List.of("create table t (x int)", "begin", "select case when true then 1 end", "end"),
                texts("create table t (x int); begin; select case when true then 1 end; end"));
    }
}
