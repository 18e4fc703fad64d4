package io.shardproxy.router;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.router.analyze.SideEffects;
import io.shardproxy.router.lex.Lexer;
import org.junit.jupiter.api.Test;

class SideEffectsTest {

    @Test
    void readsWithoutCallsOrWithKnownBuiltinsAreFree() {
        assertTrue(SideEffects.free(Lexer.lex("select * from tbl where id = $1")));
        assertTrue(SideEffects.free(Lexer.lex("select count(*), lower(v) from tbl where id in (1, 2) and k = any($1)")));
        assertTrue(SideEffects.free(Lexer.lex("select coalesce(v, 'x') from tbl where exists (select 1 from t2)")));
        assertTrue(SideEffects.free(Lexer.lex("select 'nextval(x)' from tbl")), "a string is not a call");
    }

    @Test
    void anyOtherCallMightWrite() {
        assertFalse(SideEffects.free(Lexer.lex("select nextval('s') from tbl where id = 1")));
        assertFalse(SideEffects.free(Lexer.lex("select my_func(id) from tbl where id = 1")));
        assertFalse(SideEffects.free(Lexer.lex("select public.lower(v) from tbl")), "a qualified name is not the builtin");
        assertFalse(SideEffects.free(Lexer.lex("select \"lower\"(v) from tbl")));
    }
}
