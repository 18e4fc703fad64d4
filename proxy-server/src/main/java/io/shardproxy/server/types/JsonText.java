package io.shardproxy.server.types;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JSON text as PostgreSQL's lexer reads it, in two modes. {@link #validate} is json_in's check
 * (grammar only; json keeps its text). {@link #normalize} is jsonb_in followed by jsonb_out:
 * escapes resolved (the escape of code point 0 and unpaired surrogates refused), numbers through numeric_in and
 * numeric_out ("1e2" -&gt; "100"), object keys sorted by byte length then bytes with the last of
 * equal keys kept, and the layout jsonb_out writes: {@code {"a": 1, "b": [1, 2]}}.
 * Each value is rendered as it is parsed, so an object only sorts its rendered members.
 */
final class JsonText {
    /** Deeper nesting is refused rather than risk the caller's stack. */
    private static final int MAX_DEPTH = 1000;

    private final byte[] in;
    private final int typeOid;
    private final boolean jsonb;
    private int pos;

    private JsonText(byte[] in, int typeOid, boolean jsonb) {
        this.in = in;
        this.typeOid = typeOid;
        this.jsonb = jsonb;
    }

    /** 22P02 unless the UTF-8 bytes are one JSON value. */
    static void validate(byte[] utf8, int typeOid) {
        new JsonText(utf8, typeOid, false).document();
    }

    /** jsonb_out's text of the jsonb value that the UTF-8 JSON text denotes. */
    static byte[] normalize(byte[] utf8, int typeOid) {
        return new JsonText(utf8, typeOid, true).document();
    }

    private byte[] document() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        skipSpace();
        value(out, 0);
        skipSpace();
        if (pos != in.length) {
            throw syntax();
        }
        return out.toByteArray();
    }

    private void value(ByteArrayOutputStream out, int depth) {
        if (pos >= in.length) {
            throw syntax();
        }
        byte b = in[pos];
        if (b == '{') {
            object(out, depth + 1);
        } else if (b == '[') {
            array(out, depth + 1);
        } else if (b == '"') {
            byte[] s = string();
            if (jsonb) {
                escape(out, s);
            }
        } else if (b == '-' || Ascii.isDigit(b)) {
            number(out);
        } else {
            literal(out);
        }
    }

    private void object(ByteArrayOutputStream out, int depth) {
        checkDepth(depth);
        pos++;
        List<Member> members = new ArrayList<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw syntax();
                }
                byte[] key = string();
                skipSpace();
                expect(':');
                skipSpace();
                ByteArrayOutputStream member = new ByteArrayOutputStream();
                value(member, depth);
                members.add(new Member(key, member.toByteArray(), members.size()));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    break;
                }
            }
        }
        if (!jsonb) {
            return;
        }
        // jsonb's key order: shorter first, then bytewise; among equal keys the last one wins.
        members.sort((x, y) -> {
            int c = x.key.length != y.key.length ? Integer.compare(x.key.length, y.key.length)
                    : Arrays.compareUnsigned(x.key, y.key);
            return c != 0 ? c : Integer.compare(y.order, x.order);
        });
        out.write('{');
        byte[] previous = null;
        boolean first = true;
        for (Member m : members) {
            if (previous != null && Arrays.equals(previous, m.key)) {
                continue;
            }
            previous = m.key;
            if (!first) {
                out.write(',');
                out.write(' ');
            }
            first = false;
            escape(out, m.key);
            out.write(':');
            out.write(' ');
            out.writeBytes(m.value);
        }
        out.write('}');
    }

    private void array(ByteArrayOutputStream out, int depth) {
        checkDepth(depth);
        pos++;
        out.write('[');
        skipSpace();
        if (peek() == ']') {
            pos++;
            out.write(']');
            return;
        }
        while (true) {
            skipSpace();
            value(out, depth);
            skipSpace();
            if (peek() == ',') {
                pos++;
                out.write(',');
                out.write(' ');
            } else {
                expect(']');
                out.write(']');
                return;
            }
        }
    }

    /** A string token; in jsonb mode its value with escapes resolved, else null. */
    private byte[] string() {
        pos++;
        ByteArrayOutputStream value = jsonb ? new ByteArrayOutputStream() : null;
        int highSurrogate = -1;
        while (true) {
            if (pos >= in.length) {
                throw syntax();
            }
            int b = in[pos] & 0xff;
            if (b == '"') {
                pos++;
                if (highSurrogate != -1) {
                    throw unicode();
                }
                return value == null ? null : value.toByteArray();
            }
            if (b < 0x20) {
                throw syntax();
            }
            if (b != '\\') {
                if (highSurrogate != -1) {
                    throw unicode();
                }
                if (value != null) {
                    value.write(b);
                }
                pos++;
                continue;
            }
            if (pos + 1 >= in.length) {
                throw syntax();
            }
            byte e = in[pos + 1];
            pos += 2;
            if (e == 'u') {
                int cp = 0;
                for (int i = 0; i < 4; i++) {
                    int h = pos < in.length ? Ascii.hexValue(in[pos]) : -1;
                    if (h < 0) {
                        throw syntax();
                    }
                    cp = cp << 4 | h;
                    pos++;
                }
                if (value == null) {
                    continue;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (highSurrogate != -1) {
                        throw unicode();
                    }
                    highSurrogate = cp;
                    continue;
                }
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    if (highSurrogate == -1) {
                        throw unicode();
                    }
                    cp = Character.toCodePoint((char) highSurrogate, (char) cp);
                    highSurrogate = -1;
                } else if (highSurrogate != -1) {
                    throw unicode();
                }
                if (cp == 0) {
                    throw unicode();
                }
                value.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (highSurrogate != -1) {
                throw unicode();
            }
            int c;
            switch (e) {
                case '"': c = '"'; break;
                case '\\': c = '\\'; break;
                case '/': c = '/'; break;
                case 'b': c = '\b'; break;
                case 'f': c = '\f'; break;
                case 'n': c = '\n'; break;
                case 'r': c = '\r'; break;
                case 't': c = '\t'; break;
                default: throw syntax();
            }
            if (value != null) {
                value.write(c);
            }
        }
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, not followed by a word character. */
    private void number(ByteArrayOutputStream out) {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw syntax();
        }
        if (peek() == '.') {
            pos++;
            if (!Ascii.isDigit(peek())) {
                throw syntax();
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!Ascii.isDigit(peek())) {
                throw syntax();
            }
            digits();
        }
        if (isWordByte(peek())) {
            throw syntax();
        }
        if (jsonb) {
            byte[] token = Arrays.copyOfRange(in, start, pos);
            out.writeBytes(NumericCodec.decode(NumericCodec.encode(token)));
        }
    }

    private void literal(ByteArrayOutputStream out) {
        int start = pos;
        while (pos < in.length && isWordByte(in[pos])) {
            pos++;
        }
        String word = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        if (!word.equals("true") && !word.equals("false") && !word.equals("null")) {
            throw syntax();
        }
        out.writeBytes(word.getBytes(StandardCharsets.US_ASCII));
    }

    private void digits() {
        while (Ascii.isDigit(peek())) {
            pos++;
        }
    }

    /** escape_json: the six short escapes, other control bytes as a six-character escape, everything else as is. */
    private static void escape(ByteArrayOutputStream out, byte[] s) {
        out.write('"');
        for (byte b : s) {
            switch (b) {
                case '\b': out.write('\\'); out.write('b'); break;
                case '\f': out.write('\\'); out.write('f'); break;
                case '\n': out.write('\\'); out.write('n'); break;
                case '\r': out.write('\\'); out.write('r'); break;
                case '\t': out.write('\\'); out.write('t'); break;
                case '"': out.write('\\'); out.write('"'); break;
                case '\\': out.write('\\'); out.write('\\'); break;
                default:
                    if (b >= 0 && b < 0x20) {
                        out.writeBytes(String.format("\\u%04x", b).getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(b);
                    }
            }
        }
        out.write('"');
    }

    /** JSON_ALPHANUMERIC_CHAR: what may not directly follow a number or literal. */
    private static boolean isWordByte(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b < 0 && b != -1;
    }

    /** The next byte, or -1 at the end (never a valid byte here: -1 is 0xff, not UTF-8). */
    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw syntax();
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
            pos++;
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new ShardProxyException(SqlState.PROGRAM_LIMIT_EXCEEDED,
                    "JSON nested deeper than " + MAX_DEPTH + " levels is not supported by ShardProxy in binary format");
        }
    }

    private ShardProxyException syntax() {
        return TypeErrors.badText(typeOid, in);
    }

    private ShardProxyException unicode() {
        return new ShardProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                "unsupported Unicode escape sequence in " + TypeOids.name(typeOid) + " value");
    }

    private record Member(byte[] key, byte[] value, int order) {
    }
}
