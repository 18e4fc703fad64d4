package io.shardproxy.router.lex;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LexerTest {

    /** The tokens of {@code sql} as "TYPE text" strings. */
    private static List<String> lex(String sql) {
        Tokens t = Lexer.lex(sql);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            out.add(t.type(i) + " " + t.text(i));
        }
        return out;
    }

    private static void syntaxError(String sql, String message) {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> Lexer.lex(sql), sql);
        assertEquals(SqlState.SYNTAX_ERROR, e.state());
        assertEquals(message, e.getMessage());
    }

    @Test
    void standardStringsDoubleTheirQuoteAndKeepBackslashes() {
        assertEquals(List.of("WORD select", "STRING 'it''s; here'", "PUNCT ,", "STRING 'a\\'"),
                lex("select 'it''s; here', 'a\\'"));
        assertEquals("it's; here", Literals.stringValue("'it''s; here'"));
        assertEquals("a\\", Literals.stringValue("'a\\'"));
    }

    @Test
    void escapeStringsTakeBackslashEscapes() {
        assertEquals(List.of("WORD select", "STRING E'\\'a\\\\'", "PUNCT ,", "STRING e'b'''"),
                lex("select E'\\'a\\\\', e'b'''"));
        assertEquals("'a\\", Literals.stringValue("E'\\'a\\\\'"));
        assertEquals("acme\n\t\u00e9A", Literals.stringValue("E'ac\\x6De\\n\\t\\u00e9\\101'"));
    }

    @Test
    void dollarQuotesEndOnlyAtTheirOwnTag() {
        assertEquals(List.of("WORD select", "STRING $$it's; \\here$$", "PUNCT ,",
                        "STRING $fn$ a $$ b $x$ c $fn$", "PUNCT ,", "STRING $_1$$_1$"),
                lex("select $$it's; \\here$$, $fn$ a $$ b $x$ c $fn$, $_1$$_1$"));
        assertEquals(" a $$ b $x$ c ", Literals.stringValue("$fn$ a $$ b $x$ c $fn$"));
    }

    @Test
    void prefixedStringsAreOneToken() {
        assertEquals(List.of("STRING U&'d\\0061t\\+000061'", "STRING U&'d!0061t' UESCAPE '!'",
                        "STRING B'101'", "STRING x'1F'", "STRING N'ab''c'", "QUOTED_IDENT U&\"d\\0061t\""),
                lex("U&'d\\0061t\\+000061' U&'d!0061t' UESCAPE '!' B'101' x'1F' N'ab''c' U&\"d\\0061t\""));
        assertEquals("ab'c", Literals.stringValue("N'ab''c'"));
    }

    @Test
    void commentsNestAndAreNotTokens() {
        assertEquals(List.of("WORD select", "NUMBER 1", "PUNCT ,", "NUMBER 2"),
                lex("select /* a /* b; */ c' */ 1 -- one; 'x\n, /**/2 -- end"));
    }

    @Test
    void quotedIdentifiersKeepCaseAndDoubleTheirQuote() {
        Tokens t = Lexer.lex("select \"Weird \"\"Name\"\";\" from T");
        assertEquals(TokenType.QUOTED_IDENT, t.type(1));
        assertEquals("Weird \"Name\";", t.identifier(1));
        assertEquals("t", t.identifier(3));
    }

    @Test
    void wordsMayHoldDollarsAndNonAsciiLetters() {
        assertEquals(List.of("WORD a$1", "OPERATOR +", "WORD café", "OPERATOR +", "WORD _x"), lex("a$1+café+_x"));
    }

    @Test
    void operatorEndingInMinusOrPlusLosesItUnlessItHasASpecialCharacter() {
        assertEquals(List.of("WORD a", "OPERATOR =", "OPERATOR -", "NUMBER 1"), lex("a=-1"));
        assertEquals(List.of("WORD a", "OPERATOR <", "OPERATOR -", "NUMBER 1"), lex("a<-1"));
        assertEquals(List.of("NUMBER 2", "OPERATOR *", "OPERATOR -", "OPERATOR +", "NUMBER 3"), lex("2*-+3"));
        assertEquals(List.of("WORD a", "OPERATOR @-", "NUMBER 1"), lex("a@-1"));
        assertEquals(List.of("WORD a", "OPERATOR !=-", "NUMBER 1"), lex("a!=-1"));
        assertEquals(List.of("WORD a", "OPERATOR %-", "NUMBER 1"), lex("a%-1"));
    }

    @Test
    void multiCharacterOperatorsAreOneToken() {
        assertEquals(List.of("WORD j", "OPERATOR @>", "STRING '{}'", "WORD and", "WORD j", "OPERATOR ->>",
                        "STRING 'k'", "OPERATOR ~*", "STRING 'x'", "WORD and", "WORD a", "OPERATOR <>", "WORD b",
                        "WORD and", "WORD c", "OPERATOR ||", "WORD d", "OPERATOR >=", "WORD e"),
                lex("j@>'{}' and j->>'k'~*'x' and a<>b and c||d>=e"));
    }

    @Test
    void aCommentStartEndsAnOperator() {
        assertEquals(List.of("WORD a", "OPERATOR =", "NUMBER 1"), lex("a=--c\n1"));
        assertEquals(List.of("WORD a", "OPERATOR +", "WORD b"), lex("a+/*c*/b"));
    }

    @Test
    void castsParamsAndPunctuationAreTheirOwnTokens() {
        assertEquals(List.of("PARAM $1", "CAST ::", "WORD int", "PUNCT ,", "WORD a", "PUNCT [", "NUMBER 1",
                        "PUNCT :", "PARAM $12", "PUNCT ]", "PUNCT ,", "WORD x", "OPERATOR :=", "NUMBER 2", "PUNCT ;"),
                lex("$1::int, a[1:$12], x := 2;"));
    }

    @Test
    void numbersInEveryPostgresForm() {
        assertEquals(List.of("NUMBER 42", "NUMBER 1.5e3", "NUMBER .5", "NUMBER 1.", "NUMBER 2E-7",
                        "NUMBER 0x1F", "NUMBER 0o17", "NUMBER 0b101", "NUMBER 1_000", "NUMBER 1_000.000_1"),
                lex("42 1.5e3 .5 1. 2E-7 0x1F 0o17 0b101 1_000 1_000.000_1"));
        assertEquals(List.of("WORD t", "PUNCT .", "WORD a"), lex("t.a"));
    }

    @Test
    void unterminatedStringsIdentifiersAndCommentsAreSyntaxErrors() {
        syntaxError("select 'abc", "unterminated quoted string");
        syntaxError("select 'it''", "unterminated quoted string");
        syntaxError("select E'abc\\'", "unterminated quoted string");
        syntaxError("select \"abc", "unterminated quoted identifier");
        syntaxError("select $$abc$ ", "unterminated dollar-quoted string");
        syntaxError("select $a$ x $b$", "unterminated dollar-quoted string");
        syntaxError("select 1 /* a /* b */", "unterminated /* comment");
    }

    @Test
    void charactersPostgresDoesNotKnowAreSyntaxErrors() {
        syntaxError("select \\x", "syntax error at or near \"\\\"");
        syntaxError("select $ 1", "syntax error at or near \"$\"");
    }

    @Test
    void emptyAndCommentOnlyTextHasNoTokens() {
        assertEquals(List.of(), lex(""));
        assertEquals(List.of(), lex("  \n\t-- nothing\n/* at all */"));
    }
}
