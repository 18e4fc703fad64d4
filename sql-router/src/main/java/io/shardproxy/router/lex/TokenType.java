package io.shardproxy.router.lex;

/** The kinds of PostgreSQL lexical tokens the router distinguishes. Comments and whitespace are not tokens. */
public enum TokenType {
    /** An unquoted word: a keyword or an identifier (folded to lower case by PostgreSQL). */
    WORD,
    /** A double-quoted identifier, {@code "Name"} or {@code U&"..."}; case is kept. */
    QUOTED_IDENT,
    /** Any string constant: {@code '..'}, {@code E'..'}, {@code U&'..'}, {@code B'..'}, {@code X'..'}, {@code N'..'}, {@code $tag$..$tag$}. */
    STRING,
    /** A numeric constant: {@code 42}, {@code 1.5e3}, {@code .5}, {@code 0x1F}, {@code 1_000}. */
    NUMBER,
    /** A positional parameter {@code $n}. */
    PARAM,
    /** An operator: {@code =}, {@code <>}, {@code ->>}, {@code ~*}, {@code ?}, ... */
    OPERATOR,
    /** {@code ::} */
    CAST,
    /** One of {@code ( ) [ ] , ; . :}. */
    PUNCT
}
