package io.shardproxy.router.lex;

/**
 * One statement of a client's query string, without its terminating semicolon.
 *
 * @param text   the statement's text, as the client wrote it (leading comments included)
 * @param offset character offset of {@code text} in the client's query string; added to the
 *               position field of errors so they point into what the client sent
 * @param tokens the statement's tokens, positions relative to {@code text}
 */
public record Statement(String text, int offset, Tokens tokens) {
}
