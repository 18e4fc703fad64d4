package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

/**
 * bool: one byte, 1 or 0 (boolsend); boolrecv takes any non-zero byte as true. The text is "t" or
 * "f" (boolout); reading accepts what boolin does: a case-insensitive prefix of true, false, yes,
 * no, "on", "of[f]", or 1 and 0, with surrounding white space.
 */
final class BoolCodec {
    private static final byte[] TRUE_TEXT = {'t'};
    private static final byte[] FALSE_TEXT = {'f'};

    private BoolCodec() {
    }

    static byte[] encode(byte[] text) {
        int from = 0;
        int to = text.length;
        while (from < to && Ascii.isSpace(text[from])) {
            from++;
        }
        while (to > from && Ascii.isSpace(text[to - 1])) {
            to--;
        }
        if (prefixOf(text, from, to, "true", 1) || prefixOf(text, from, to, "yes", 1)
                || prefixOf(text, from, to, "on", 2) || prefixOf(text, from, to, "1", 1)) {
            return new byte[] {1};
        }
        if (prefixOf(text, from, to, "false", 1) || prefixOf(text, from, to, "no", 1)
                || prefixOf(text, from, to, "off", 2) || prefixOf(text, from, to, "0", 1)) {
            return new byte[] {0};
        }
        throw TypeErrors.badText(PgType.BOOL, text);
    }

    static byte[] decode(byte[] binary) {
        BinaryReader in = new BinaryReader(PgType.BOOL, binary);
        boolean value = in.uint8() != 0;
        in.end();
        return (value ? TRUE_TEXT : FALSE_TEXT).clone();
    }

    /** Whether text[from, to) is a case-insensitive prefix of word at least minLength long. */
    private static boolean prefixOf(byte[] text, int from, int to, String word, int minLength) {
        int length = to - from;
        return length >= minLength && length <= word.length()
                && Ascii.equalsIgnoreCase(text, from, to, word.substring(0, length));
    }
}
