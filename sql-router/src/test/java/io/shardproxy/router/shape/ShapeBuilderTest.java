package io.shardproxy.router.shape;

import io.shardproxy.router.lex.Lexer;
import io.shardproxy.router.lex.Tokens;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ShapeBuilderTest {

    private static Shape shape(String sql) {
        return ShapeBuilder.build(Lexer.lex(sql));
    }

    @Test
    void literalsBecomeSlotsAndCaseFolds() {
        Shape s = shape("SELECT * FROM Tbl WHERE id = 42 AND info = 'it''s'");
        assertEquals("select * from tbl where id = ? and info = ?", s.key());
        assertEquals(2, s.slotCount());
        Tokens t = s.tokens();
        assertEquals("42", t.text(s.slotStart(0)));
        assertEquals("'it''s'", t.text(s.slotStart(1)));
    }

    @Test
    void statementsDifferingOnlyInValuesShareAKey() {
        assertEquals(shape("select * from t where id = 1").key(), shape("select  *  from t where id=99999 -- c").key());
        assertNotEquals(shape("select * from t where id = 1").key(), shape("select * from t where id = 1 and x = 2").key());
    }

    @Test
    void typedLiteralsAreOneSlot() {
        Shape s = shape("select * from t where ts > timestamp with time zone '2020-01-01' - interval '1' day");
        assertEquals("select * from t where ts > ? - ?", s.key());
        assertEquals(2, s.slotCount());
        assertEquals(s.slotStart(1) + 3, s.slotEnd(1));
    }

    @Test
    void doubleColonCastsBecomeCastCalls() {
        assertEquals("select * from t where id = cast(? as bigint) and x = ?",
                shape("select * from t where id = 5::bigint and x = 1").key());
        assertEquals("select cast(cast(t . a as text) as int) from t",
                shape("select t.a::text::int from t").key());
        assertEquals("select cast(f ( x , ? ) as numeric ( 10 , 2 )) from t",
                shape("select f(x, 1)::numeric(10,2) from t").key());
        assertEquals("select cast(a as int) from t", shape("select a::int[] from t").key());
        assertEquals("select cast(a as timestamp with time zone) from t",
                shape("select a::timestamp with time zone from t").key());
        assertEquals("select cast(( a + ? ) as int) from t", shape("select (a + 1)::int from t").key());
    }

    @Test
    void postgresOperatorsBecomePlus() {
        assertEquals("select * from t where j + ? = ? and name + ?",
                shape("select * from t where j->>'k' = 'v' and name ~* 'x'").key());
    }

    @Test
    void clausesCalciteCannotReadAreHidden() {
        Shape s = shape("insert into t (id) values (1) on conflict (id) do update set x = 1 returning *");
        assertEquals("insert into t ( id ) values ( ? )", s.key());
        assertEquals(10, s.onConflictAt());
        Shape lock = shape("select * from t where id = 1 for update skip locked limit 5");
        assertEquals("select * from t where id = ? limit ?", lock.key());
        Shape distinctOn = shape("select distinct on (a) a, b from t");
        assertEquals("select distinct a , b from t", distinctOn.key());
    }

    @Test
    void reservedColumnWordsAreQuoted() {
        assertEquals("select \"date\" , t . \"rows\" from t where \"date\" = ?",
                shape("select date, t.rows from t where date = '2020-01-01'").key());
        assertEquals("select cast(x as date) , date_trunc ( ? , ts ) from t",
                shape("select x::date, date_trunc('day', ts) from t").key());
    }

    @Test
    void cacheKeyIsTheKeyWhenEveryTokenIsInIt() {
        Shape s = shape("select * from t where id = 1");
        assertEquals(s.key(), s.cacheKey());
    }

    @Test
    void statementsWhoseTokensDoNotLineUpDoNotShareACacheKey() {
        // Same Calcite text, different tokens: cached templates hold token indexes and read hidden clauses.
        assertEquals(shape("insert into t (id) values (int8 '5')").key(), shape("insert into t (id) values (5)").key());
        assertNotEquals(shape("insert into t (id) values (int8 '5')").cacheKey(),
                shape("insert into t (id) values (5)").cacheKey());
        assertNotEquals(shape("insert into t (id) values (1) on conflict (id) do update set id = 2").cacheKey(),
                shape("insert into t (id) values (1) on conflict (id) do update set x = 2").cacheKey());
        assertNotEquals(shape("insert into t (id) values (1) returning id").cacheKey(),
                shape("insert into t (id) values (1)").cacheKey());
        assertNotEquals(shape("select a::int[] from t").cacheKey(), shape("select a::int from t").cacheKey());
    }

    @Test
    void hiddenClausesDifferingOnlyInValuesShareACacheKey() {
        assertEquals(shape("insert into t (id) values (1) on conflict (id) do update set x = 'a' returning 1").cacheKey(),
                shape("INSERT INTO t (id) VALUES (2) ON CONFLICT (id) DO UPDATE SET x = 'b' RETURNING 2").cacheKey());
    }

    @Test
    void keyOffsetsMapBackToTokens() {
        Shape s = shape("SELECT a::int FROM t");
        String key = s.key();
        int from = key.indexOf("from");
        assertEquals(4, s.tokenAtKeyOffset(from));
        assertEquals(1, s.tokenAtKeyOffset(key.indexOf("a as")));
    }
}
