package io.shardproxy.server.types;

import io.shardproxy.error.ShardProxyException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Array text as array_out writes it and array_in reads it:
 * <pre>
 *   [lb:ub][lb:ub]={{e,e},{e,e}}     bounds only when some lower bound is not 1
 *   {}                                the empty array
 *   e = NULL | "quoted \" \\" | unquoted
 * </pre>
 * array_out quotes an element that is empty, spells NULL in any case, or holds a quote, a
 * backslash, a brace, the delimiter or white space, and escapes only '"' and '\' inside quotes.
 * Reading also takes what PostgreSQL 17's array_in takes: white space around tokens (dropped from
 * the ends of unquoted elements), backslash escapes outside quotes, "[n]" for "[1:n]", and empty
 * inner braces in an array without elements. The delimiter is ',' for every type here (only box uses ';').
 */
final class ArrayText {
    private static final byte DELIMITER = ',';
    private static final byte[] NULL_TEXT = "NULL".getBytes(StandardCharsets.US_ASCII);

    private final int arrayOid;
    private final byte[] text;
    private int pos;
    /** Known once the first element or the first closing brace of the deepest level is read. */
    private int ndim = -1;
    private final int[] dims = new int[ArrayValue.MAX_DIMENSIONS];
    private final int[] counts = new int[ArrayValue.MAX_DIMENSIONS];
    private final List<byte[]> elements = new ArrayList<>();
    /** Whether some brace level was empty: allowed only when no level holds an element. */
    private boolean sawEmpty;

    private ArrayText(int arrayOid, byte[] text) {
        this.arrayOid = arrayOid;
        this.text = text;
        Arrays.fill(dims, -1);
    }

    /** The dimensions and element texts of an array text. */
    static ArrayValue parse(int arrayOid, byte[] text) {
        return new ArrayText(arrayOid, text).read();
    }

    /** array_out's text. */
    static byte[] format(ArrayValue array) {
        int n = array.dims().length;
        if (n == 0 || array.elements().isEmpty()) {
            return new byte[] {'{', '}'};
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean bounds = false;
        for (int lb : array.lowerBounds()) {
            bounds |= lb != 1;
        }
        if (bounds) {
            for (int d = 0; d < n; d++) {
                long upper = (long) array.lowerBounds()[d] + array.dims()[d] - 1;
                out.writeBytes(("[" + array.lowerBounds()[d] + ":" + upper + "]").getBytes(StandardCharsets.US_ASCII));
            }
            out.write('=');
        }
        // indices[d] counts the elements written at depth d inside the current sub-array.
        int[] indices = new int[n];
        for (int d = 0; d < n; d++) {
            out.write('{');
        }
        for (int i = 0; i < array.elements().size(); i++) {
            writeElement(out, array.elements().get(i));
            int d = n - 1;
            indices[d]++;
            while (d > 0 && indices[d] == array.dims()[d]) {
                out.write('}');
                indices[d] = 0;
                d--;
                indices[d]++;
            }
            if (d == 0 && indices[0] == array.dims()[0]) {
                out.write('}');
            } else {
                out.write(DELIMITER);
                for (int open = d + 1; open < n; open++) {
                    out.write('{');
                }
            }
        }
        return out.toByteArray();
    }

    private static void writeElement(ByteArrayOutputStream out, byte[] e) {
        if (e == null) {
            out.writeBytes(NULL_TEXT);
            return;
        }
        boolean quote = e.length == 0 || Ascii.equalsIgnoreCase(e, "null");
        for (byte b : e) {
            quote |= b == '"' || b == '\\' || b == '{' || b == '}' || b == DELIMITER || Ascii.isSpace(b);
        }
        if (!quote) {
            out.writeBytes(e);
            return;
        }
        out.write('"');
        for (byte b : e) {
            if (b == '"' || b == '\\') {
                out.write('\\');
            }
            out.write(b);
        }
        out.write('"');
    }

    private ArrayValue read() {
        skipSpace();
        int[] declaredDims = null;
        int[] lowerBounds = null;
        if (peek() == '[') {
            List<int[]> bounds = new ArrayList<>();
            while (peek() == '[') {
                pos++;
                if (bounds.size() == ArrayValue.MAX_DIMENSIONS) {
                    throw bad();
                }
                long first = integer();
                long lower = 1;
                long upper = first;
                if (peek() == ':') {
                    pos++;
                    lower = first;
                    upper = integer();
                }
                expect(']');
                if (upper < lower || upper == Integer.MAX_VALUE) {
                    throw bad();
                }
                bounds.add(new int[] {(int) lower, (int) (upper - lower + 1)});
            }
            skipSpace();
            expect('=');
            skipSpace();
            declaredDims = new int[bounds.size()];
            lowerBounds = new int[bounds.size()];
            for (int d = 0; d < bounds.size(); d++) {
                lowerBounds[d] = bounds.get(d)[0];
                declaredDims[d] = bounds.get(d)[1];
            }
        }
        if (peek() != '{') {
            throw bad();
        }
        level(0);
        skipSpace();
        if (pos != text.length || sawEmpty && !elements.isEmpty()) {
            throw bad();
        }
        if (sawEmpty) {
            if (declaredDims != null) {
                throw bad();
            }
            return ArrayValue.empty();
        }
        int[] actual = Arrays.copyOf(dims, ndim);
        if (declaredDims == null) {
            lowerBounds = new int[ndim];
            Arrays.fill(lowerBounds, 1);
        } else if (!Arrays.equals(declaredDims, actual)) {
            throw bad();
        }
        return new ArrayValue(actual, lowerBounds, Collections.unmodifiableList(elements));
    }

    /** One brace level from its '{' to its '}'. */
    private void level(int depth) {
        if (depth >= ArrayValue.MAX_DIMENSIONS) {
            throw bad();
        }
        pos++;
        skipSpace();
        if (peek() == '}') {
            // "{}", and in PostgreSQL 17 also "{{},{}}": empty, provided no level holds an element.
            pos++;
            sawEmpty = true;
            return;
        }
        counts[depth] = 0;
        while (true) {
            skipSpace();
            if (peek() == '{') {
                if (ndim != -1 && depth + 1 >= ndim) {
                    throw bad();
                }
                level(depth + 1);
            } else {
                if (ndim == -1) {
                    ndim = depth + 1;
                } else if (ndim != depth + 1) {
                    throw bad();
                }
                elements.add(element());
            }
            counts[depth]++;
            skipSpace();
            int c = peek();
            pos++;
            if (c == '}') {
                break;
            }
            if (c != DELIMITER) {
                throw bad();
            }
        }
        if (dims[depth] == -1) {
            dims[depth] = counts[depth];
        } else if (dims[depth] != counts[depth]) {
            throw bad();
        }
    }

    /**
     * One element up to the delimiter or '}' (not consumed); null for an unquoted NULL. As in
     * PostgreSQL 17, a quoted element is quoted whole: only white space may follow its closing
     * quote, and a quote may not open inside an unquoted element.
     */
    private byte[] element() {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        if (peek() == '"') {
            pos++;
            while (true) {
                if (pos >= text.length) {
                    throw bad();
                }
                byte b = text[pos++];
                if (b == '"') {
                    break;
                }
                if (b == '\\') {
                    if (pos >= text.length) {
                        throw bad();
                    }
                    b = text[pos++];
                }
                value.write(b);
            }
            skipSpace();
            if (peek() != DELIMITER && peek() != '}') {
                throw bad();
            }
            return value.toByteArray();
        }
        boolean escaped = false;
        // Bytes up to here must stay: escaped or not white space.
        int keep = 0;
        while (true) {
            if (pos >= text.length) {
                throw bad();
            }
            byte b = text[pos];
            if (b == DELIMITER || b == '}') {
                break;
            }
            if (b == '{' || b == '"') {
                throw bad();
            }
            if (b == '\\') {
                if (pos + 1 >= text.length) {
                    throw bad();
                }
                value.write(text[pos + 1]);
                pos += 2;
                escaped = true;
                keep = value.size();
                continue;
            }
            value.write(b);
            pos++;
            if (!Ascii.isSpace(b)) {
                keep = value.size();
            }
        }
        byte[] bytes = Arrays.copyOf(value.toByteArray(), keep);
        if (bytes.length == 0) {
            throw bad();
        }
        return !escaped && Ascii.equalsIgnoreCase(bytes, "null") ? null : bytes;
    }

    /** An optionally signed decimal integer inside the dimension brackets, no white space. */
    private long integer() {
        int start = pos;
        if (peek() == '+' || peek() == '-') {
            pos++;
        }
        while (pos < text.length && Ascii.isDigit(text[pos]) && pos - start < 12) {
            pos++;
        }
        String s = new String(text, start, pos - start, StandardCharsets.US_ASCII);
        try {
            long v = Long.parseLong(s);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw bad();
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad();
        }
    }

    private int peek() {
        return pos < text.length ? text[pos] : -1;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw bad();
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length && Ascii.isSpace(text[pos])) {
            pos++;
        }
    }

    private ShardProxyException bad() {
        return TypeErrors.badText(arrayOid, text);
    }
}
