package io.shardproxy.router.lex;

/**
 * One token of a statement: its type and its [start, end) character range in the statement text.
 * Tokens hold no text of their own; {@link Tokens} reads it from the source.
 */
public record Token(TokenType type, int start, int end) {

    public int length() {
        return end - start;
    }
}
