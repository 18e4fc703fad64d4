package io.shardproxy.router.shape;

import io.shardproxy.router.lex.Tokens;

import java.util.Arrays;

/**
 * A statement's shape: its tokens with every literal value lifted out as a slot, rendered as one
 * line of SQL that Apache Calcite can parse ({@link #key()}). Statements that differ only in their
 * literal values share a key, so the key indexes the cache of routing analyses.
 *
 * <p>Besides the key, a shape remembers where each slot's literal sits among the statement's tokens
 * (so a cached analysis can read this statement's values), where each token starts in the key
 * (so Calcite's parser positions map back to tokens), and the PostgreSQL clauses it hid from
 * Calcite: RETURNING, ON CONFLICT, locking clauses and DISTINCT ON.
 */
public final class Shape {
    private final Tokens tokens;
    private final String key;
    private final String cacheKey;
    private final int[] keyOffsetOfToken;
    private final int[] slotStart;
    private final int[] slotEnd;
    private final int slotCount;
    private final int returningAt;
    private final int onConflictAt;
    private final int lockingAt;
    private final int distinctOnAt;

    Shape(Tokens tokens, String key, String cacheKey, int[] keyOffsetOfToken, int[] slotStart, int[] slotEnd,
          int slotCount, int returningAt, int onConflictAt, int lockingAt, int distinctOnAt) {
        this.tokens = tokens;
        this.key = key;
        this.cacheKey = cacheKey;
        this.keyOffsetOfToken = keyOffsetOfToken;
        this.slotStart = slotStart;
        this.slotEnd = slotEnd;
        this.slotCount = slotCount;
        this.returningAt = returningAt;
        this.onConflictAt = onConflictAt;
        this.lockingAt = lockingAt;
        this.distinctOnAt = distinctOnAt;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** The normalized one-line SQL: the cache key, and the text Calcite parses. Slots are {@code ?}. */
    public String key() {
        return key;
    }

    /**
     * The key of the analysis cache: {@link #key()}, plus the tokens the key leaves out (hidden
     * clauses, the type words of typed literals, array decorators) with their positions, literals
     * again as {@code ?}. Templates hold token indexes and read hidden clauses, so two statements
     * may share an analysis only when their tokens line up one to one; the Calcite text alone does
     * not ensure that ({@code int8 '5'} and {@code 5} are both {@code ?}; RETURNING is not in it).
     * Equal to {@link #key()} when every token is rendered there.
     */
    public String cacheKey() {
        return cacheKey;
    }

    public int slotCount() {
        return slotCount;
    }

    /** First token of slot {@code k} (the order of {@code ?} in the key). */
    public int slotStart(int k) {
        return slotStart[k];
    }

    /** One past the last token of slot {@code k}; more than start+1 for typed literals like {@code date '..'}. */
    public int slotEnd(int k) {
        return slotEnd[k];
    }

    /** Token index of a top-level RETURNING, or -1. */
    public int returningAt() {
        return returningAt;
    }

    /** Token index of a top-level ON CONFLICT, or -1. */
    public int onConflictAt() {
        return onConflictAt;
    }

    /** Token index of a top-level locking clause (FOR UPDATE/SHARE ...), or -1. */
    public int lockingAt() {
        return lockingAt;
    }

    /** Token index of the ON of a DISTINCT ON, or -1. */
    public int distinctOnAt() {
        return distinctOnAt;
    }

    /** The token whose rendering in the key covers {@code keyOffset} (0-based), or -1. */
    public int tokenAtKeyOffset(int keyOffset) {
        int best = -1;
        for (int i = 0; i < keyOffsetOfToken.length; i++) {
            int o = keyOffsetOfToken[i];
            if (o < 0) {
                continue;
            }
            if (o > keyOffset) {
                break;
            }
            best = i;
        }
        return best;
    }

    /** The first rendered token at or after key offset {@code keyOffset}: where a parsed node starts. */
    public int firstTokenAtOrAfter(int keyOffset) {
        for (int i = 0; i < keyOffsetOfToken.length; i++) {
            if (keyOffsetOfToken[i] >= keyOffset) {
                return i;
            }
        }
        return keyOffsetOfToken.length - 1;
    }

    /**
     * The last token of a parsed node that ends at key offset {@code keyOffset}: the last rendered
     * token at or before it, extended over the rest of a multi-token slot and over hidden array
     * brackets that belong to it.
     */
    public int lastTokenAtOrBefore(int keyOffset) {
        int best = tokenAtKeyOffset(keyOffset);
        if (best < 0) {
            return best;
        }
        for (int k = 0; k < slotCount; k++) {
            if (slotStart[k] == best) {
                best = slotEnd[k] - 1;
                break;
            }
        }
        while (best + 1 < keyOffsetOfToken.length && keyOffsetOfToken[best + 1] < 0
                && (tokens.isSymbol(best + 1, "[") || tokens.isSymbol(best + 1, "]"))) {
            best++;
        }
        return best;
    }

    /** Offset of token {@code i} in the key, or -1 when the token is not rendered there. */
    public int keyOffsetOf(int i) {
        return keyOffsetOfToken[i];
    }

    @Override
    public String toString() {
        return "Shape[" + key + ", slots=" + Arrays.toString(Arrays.copyOf(slotStart, slotCount)) + "]";
    }
}
