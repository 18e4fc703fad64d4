package io.shardproxy.router.analyze;

import io.shardproxy.router.lex.Tokens;

import java.util.ArrayList;
import java.util.List;

/**
 * Edits to a statement's text, expressed against token indexes so that one cached rewrite serves
 * every statement of the same shape. Everything not edited (whitespace, comments, literal values)
 * is copied from the client's own text. Replacements must not overlap; insertions go right after a
 * token, in the order they were added.
 */
public final class Rewrite {

    /** A piece of replacement text. */
    public sealed interface Piece permits Text, Copy, Computed {
    }

    /** Fixed text. */
    public record Text(String text) implements Piece {
    }

    /** The client's text from the start of token {@code from} to the end of token {@code to} (inclusive). */
    public record Copy(int from, int to) implements Piece {
    }

    /** Text computed from this statement's values at bind time (e.g. LIMIT offset+count). */
    public record Computed(java.util.function.Function<Binding, String> value) implements Piece {
    }

    private record Replace(int from, int to, List<Piece> pieces) {
    }

    private record Insert(int after, List<Piece> pieces) {
    }

    private final List<Replace> replaces = new ArrayList<>();
    private final List<Insert> inserts = new ArrayList<>();

    /** Replaces tokens [from, to) (and the text between them) with {@code pieces}; to > from. */
    public Rewrite replace(int from, int to, Piece... pieces) {
        if (to <= from) {
            throw new IllegalArgumentException("empty replacement range " + from);
        }
        replaces.add(new Replace(from, to, List.of(pieces)));
        return this;
    }

    /** Inserts {@code pieces} right after token {@code after}. */
    public Rewrite insertAfter(int after, Piece... pieces) {
        inserts.add(new Insert(after, List.of(pieces)));
        return this;
    }

    public boolean isEmpty() {
        return replaces.isEmpty() && inserts.isEmpty();
    }

    /** A copy of this rewrite plus the edits of {@code other}. */
    public Rewrite plus(Rewrite other) {
        Rewrite r = new Rewrite();
        r.replaces.addAll(replaces);
        r.inserts.addAll(inserts);
        r.replaces.addAll(other.replaces);
        r.inserts.addAll(other.inserts);
        return r;
    }

    /** The statement's text with the edits applied. */
    public String apply(Binding b) {
        if (isEmpty()) {
            return b.text();
        }
        Tokens t = b.tokens();
        String src = b.text();
        Replace[] at = new Replace[t.size()];
        for (Replace rep : replaces) {
            at[rep.from()] = rep;
        }
        StringBuilder out = new StringBuilder(src.length() + 64);
        int emitted = 0;
        int i = 0;
        while (i < t.size()) {
            Replace rep = at[i];
            int last = i;
            if (rep != null) {
                out.append(src, emitted, t.start(i));
                appendPieces(out, rep.pieces(), b);
                last = rep.to() - 1;
            } else {
                out.append(src, emitted, t.end(i));
            }
            emitted = t.end(last);
            for (Insert ins : inserts) {
                if (ins.after() == last) {
                    appendPieces(out, ins.pieces(), b);
                }
            }
            i = last + 1;
        }
        out.append(src, emitted, src.length());
        return out.toString();
    }

    private static void appendPieces(StringBuilder out, List<Piece> pieces, Binding b) {
        Tokens t = b.tokens();
        for (Piece p : pieces) {
            if (p instanceof Text) {
                out.append(((Text) p).text());
            } else if (p instanceof Copy) {
                Copy c = (Copy) p;
                out.append(b.text(), t.start(c.from()), t.end(c.to()));
            } else {
                out.append(((Computed) p).value().apply(b));
            }
        }
    }
}
