package io.shardproxy.server.types;

/** Byte-level character classes of PostgreSQL's C code, independent of any locale. */
final class Ascii {

    private Ascii() {
    }

    /** scanner_isspace and isspace in the C locale: space, \t, \n, \r, \f, \v. */
    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b;
    }

    static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** 0..15 for a hex digit in either case, -1 for any other byte. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** ASCII case-insensitive equality of bytes and a lower-case word. */
    static boolean equalsIgnoreCase(byte[] text, int from, int to, String lowerWord) {
        if (to - from != lowerWord.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            int c = text[i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerWord.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsIgnoreCase(byte[] text, String lowerWord) {
        return equalsIgnoreCase(text, 0, text.length, lowerWord);
    }
}
