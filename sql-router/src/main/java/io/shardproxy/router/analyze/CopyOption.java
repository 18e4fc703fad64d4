package io.shardproxy.router.analyze;

import java.util.List;

/**
 * One COPY option as PostgreSQL's grammar produces it (gram.y's DefElem): its name, as written
 * and folded, and its argument or null. Both option syntaxes become a list of these.
 */
record CopyOption(String name, Arg arg) {

    /** The kinds of option argument the grammar builds. */
    enum Kind {
        /** A string constant (token {@code token}), where the grammar allows nothing else. */
        STRING,
        /**
         * A string or numeric constant (token {@code token}), a number negated when
         * {@code negative}. Both are slots of the shape, so which one it is is known per
         * statement only.
         */
        LITERAL,
        /** A word read as a string ({@code text}): {@code csv}, {@code true}, an identifier. */
        WORD,
        /** {@code *}. */
        STAR,
        /** A parenthesized list, or the old syntax's column list ({@code items}). */
        LIST,
        /** The old syntax's flag options (FREEZE, HEADER): integer 1. */
        ONE
    }

    /** One option argument. */
    record Arg(Kind kind, int token, String text, boolean negative, List<Arg> items) {
        static Arg string(int token) {
            return new Arg(Kind.STRING, token, null, false, null);
        }

        static Arg literal(int token, boolean negative) {
            return new Arg(Kind.LITERAL, token, null, negative, null);
        }

        static Arg word(String text) {
            return new Arg(Kind.WORD, -1, text, false, null);
        }

        static Arg star() {
            return new Arg(Kind.STAR, -1, null, false, null);
        }

        static Arg list(List<Arg> items) {
            return new Arg(Kind.LIST, -1, null, false, List.copyOf(items));
        }

        static Arg one() {
            return new Arg(Kind.ONE, -1, null, false, null);
        }
    }
}
