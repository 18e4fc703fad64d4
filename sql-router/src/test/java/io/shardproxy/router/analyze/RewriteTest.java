package io.shardproxy.router.analyze;

import io.shardproxy.config.ConfigLoader;
import io.shardproxy.router.lex.Lexer;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shape.ShapeBuilder;
import io.shardproxy.router.shard.ShardMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RewriteTest {
    private static final ShardMap SHARDS = new ShardMap(ConfigLoader.parse(String.join("\n",
            "users:",
            "  - {name: app, auth: trust}",
            "shards:",
            "  - {name: s0, url: 'jdbc:postgresql://127.0.0.1:5432/db0', user: postgres}",
            ""), "rewrite-test.yaml", Map.of()));

    private static Binding binding(String sql) {
        Tokens t = Lexer.lex(sql);
        return new Binding(new Statement(sql, 0, t), ShapeBuilder.build(t), SHARDS);
    }

    @Test
    void noEditsGiveTheClientsOwnText() {
        Binding b = binding("select  1 -- as sent");
        assertSame(b.text(), new Rewrite().apply(b));
    }

    @Test
    void replacementKeepsTheWhitespaceAndCommentsAroundIt() {
        // tokens: SELECT a , b FROM t
        Binding b = binding("SELECT  a,/* keep */ b\n  FROM t -- tail");
        assertEquals("SELECT  a,/* keep */ upper(b)\n  FROM t -- tail",
                new Rewrite().replace(3, 4, new Rewrite.Text("upper(b)")).apply(b));
    }

    @Test
    void replacingARangeDropsOnlyTheTextInsideIt() {
        // tokens: select a + 1 from t
        Binding b = binding("select\ta /* x */ + /* y */ 1  from t");
        assertEquals("select\tz  from t", new Rewrite().replace(1, 4, new Rewrite.Text("z")).apply(b));
    }

    @Test
    void insertionsGoRightAfterTheirTokenInTheOrderAdded() {
        Binding b = binding("select a\n  from t");
        assertEquals("select a, b, c\n  from t", new Rewrite()
                .insertAfter(1, new Rewrite.Text(", b"))
                .insertAfter(1, new Rewrite.Text(", c")).apply(b));
        assertEquals("select a\n  from t WHERE x", new Rewrite().insertAfter(3, new Rewrite.Text(" WHERE x")).apply(b));
    }

    @Test
    void insertionAfterAReplacedRangeFollowsTheReplacement() {
        Binding b = binding("select a /* c */ from t");
        assertEquals("select x AS y /* c */ from t", new Rewrite()
                .replace(1, 2, new Rewrite.Text("x"))
                .insertAfter(1, new Rewrite.Text(" AS y")).apply(b));
    }

    @Test
    void copiesRepeatTheClientsTextWithItsComments() {
        // tokens: insert into t values ( 1 ) , ( 2 )
        Binding b = binding("insert into t values (1 /* one */),\n (2) returning *");
        assertEquals("insert into t values (2), (1 /* one */) returning *", new Rewrite()
                .replace(4, 11, new Rewrite.Copy(8, 10), new Rewrite.Text(", "), new Rewrite.Copy(4, 6)).apply(b));
    }

    @Test
    void oneRewriteServesEveryStatementOfItsShape() {
        // tokens: select * from t limit ? offset ?
        Rewrite limitPlusOffset = new Rewrite().replace(4, 8, new Rewrite.Text("LIMIT "),
                new Rewrite.Computed(b -> String.valueOf(b.longValue(0) + b.longValue(1))));
        assertEquals("select * from t LIMIT 15", limitPlusOffset.apply(binding("select * from t limit 10 offset 5")));
        assertEquals("SELECT *\nFROM t  LIMIT 7 -- last page",
                limitPlusOffset.apply(binding("SELECT *\nFROM t  limit '3' OFFSET 4 -- last page")));
    }

    @Test
    void plusCombinesEditsAndLeavesBothRewritesAsTheyWere() {
        Binding b = binding("select a from t");
        Rewrite first = new Rewrite().insertAfter(1, new Rewrite.Text(", b"));
        Rewrite second = new Rewrite().replace(3, 4, new Rewrite.Text("u"));
        assertEquals("select a, b from u", first.plus(second).apply(b));
        assertEquals("select a, b from t", first.apply(b));
        assertEquals("select a from u", second.apply(b));
    }

    @Test
    void anEmptyReplacementRangeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new Rewrite().replace(2, 2, new Rewrite.Text("x")));
    }
}
