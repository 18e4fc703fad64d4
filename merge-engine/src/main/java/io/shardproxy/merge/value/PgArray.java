package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One-dimensional arrays in the text form array_out writes:
 * <pre>
 *   {elem,elem,...}       elem = NULL | "quoted \" \\ text" | unquoted
 * </pre>
 * An element is quoted when it is empty, is NULL in any case, or holds a delimiter, a brace, a
 * double quote, a backslash or white space; inside quotes only '"' and '\' are escaped. Elements
 * keep their token exactly as the shard printed it, so an array put back together from tokens is
 * byte for byte what array_out would print. Multi-dimensional arrays and arrays with explicit
 * bounds ("[0:1]={...}") are refused with 0A000: array_agg never builds the latter, and merging
 * the former needs the dimensions checked, which the proxy does not do yet.
 */
public final class PgArray {

    /** One element: its token as printed, and its value text (null for NULL). */
    public record Element(byte[] token, byte[] value) {
    }

    private static final byte[] NULL_TOKEN = "NULL".getBytes(StandardCharsets.US_ASCII);

    private PgArray() {
    }

    /** The element type of an array type OID, or 0 for an array type this class does not know. */
    public static int elementType(int arrayTypeOid) {
        return PgType.arrayElement(arrayTypeOid);
    }

    /** The element delimiter array_out uses: ';' for box[] (OID 1020), ',' for every other type. */
    public static byte delimiter(int arrayTypeOid) {
        return arrayTypeOid == 1020 ? (byte) ';' : (byte) ',';
    }

    /**
     * The elements of a one-dimensional array text.
     *
     * @throws ShardProxyException 0A000 for a multi-dimensional array or explicit bounds, XX000
     *                             for text array_out would not write
     */
    public static List<Element> elements(byte[] text, byte delimiter) {
        int end = contentEnd(text);
        List<Element> out = new ArrayList<>();
        int i = 1;
        if (i == end) {
            return out;
        }
        while (true) {
            int start = i;
            if (text[i] == '"') {
                i++;
                while (i < end && text[i] != '"') {
                    i += text[i] == '\\' ? 2 : 1;
                }
                if (i >= end) {
                    throw malformed(text);
                }
                i++;
                byte[] token = slice(text, start, i);
                out.add(new Element(token, unquote(token)));
            } else {
                while (i < end && text[i] != delimiter) {
                    i++;
                }
                byte[] token = slice(text, start, i);
                if (token.length == 0) {
                    throw malformed(text);
                }
                out.add(new Element(token, isNullToken(token) ? null : token));
            }
            if (i == end) {
                return out;
            }
            if (text[i] != delimiter) {
                throw malformed(text);
            }
            i++;
        }
    }

    /**
     * The text between the outer braces of a one-dimensional array (empty for '{}'), for
     * concatenating arrays without parsing their elements.
     */
    public static byte[] content(byte[] text) {
        return slice(text, 1, contentEnd(text));
    }

    /** array_out's text for elements given by their tokens. */
    public static byte[] format(List<byte[]> tokens, byte delimiter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('{');
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) {
                out.write(delimiter);
            }
            byte[] token = tokens.get(i) == null ? NULL_TOKEN : tokens.get(i);
            out.write(token, 0, token.length);
        }
        out.write('}');
        return out.toByteArray();
    }

    /** Checks the outer form and returns the index of the closing brace. */
    private static int contentEnd(byte[] text) {
        if (text.length > 0 && text[0] == '[') {
            throw ShardProxyException.unsupported("merging arrays with explicit bounds across shards is not supported",
                    null);
        }
        if (text.length < 2 || text[0] != '{' || text[text.length - 1] != '}') {
            throw malformed(text);
        }
        if (text[1] == '{') {
            throw ShardProxyException.unsupported("merging multi-dimensional arrays across shards is not supported",
                    "aggregate the arrays on a single shard, or unnest them first");
        }
        return text.length - 1;
    }

    private static boolean isNullToken(byte[] token) {
        return token.length == 4 && (token[0] | 0x20) == 'n' && (token[1] | 0x20) == 'u'
                && (token[2] | 0x20) == 'l' && (token[3] | 0x20) == 'l';
    }

    /** A quoted token's value: the quotes dropped and each backslash escape resolved. */
    private static byte[] unquote(byte[] token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length);
        for (int i = 1; i < token.length - 1; i++) {
            if (token[i] == '\\') {
                i++;
            }
            out.write(token[i]);
        }
        return out.toByteArray();
    }

    private static byte[] slice(byte[] text, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(text, from, out, 0, out.length);
        return out;
    }

    private static ShardProxyException malformed(byte[] text) {
        return new ShardProxyException(SqlState.INTERNAL_ERROR,
                "a shard sent \"" + new String(text, StandardCharsets.UTF_8) + "\" as an array");
    }
}
