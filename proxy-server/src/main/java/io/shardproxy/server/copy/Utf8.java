package io.shardproxy.server.copy;

/**
 * UTF8 checked as PostgreSQL checks it (pg_utf8_islegal): no overlong forms, no surrogates,
 * nothing above U+10FFFF, and no NUL byte. Errors show the bytes PostgreSQL shows.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Length of the valid character at {@code p} (1-4), 0 when the bytes before {@code len} are
     * the valid start of a longer character, -1 when invalid.
     */
    static int validLength(byte[] b, int p, int len) {
        int c = b[p] & 0xff;
        if (c < 0x80) {
            return c == 0 ? -1 : 1;
        }
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return -1;
        }
        for (int i = 1; i < n; i++) {
            if (p + i >= len) {
                return 0;
            }
            int t = b[p + i] & 0xff;
            if (t < (i == 1 ? lo : 0x80) || t > (i == 1 ? hi : 0xBF)) {
                return -1;
            }
        }
        return n;
    }

    /** Whether all of {@code b[p, len)} is valid UTF8. */
    static boolean valid(byte[] b, int p, int len) {
        while (p < len) {
            int n = validLength(b, p, len);
            if (n <= 0) {
                return false;
            }
            p += n;
        }
        return true;
    }

    /**
     * Whether PostgreSQL reports the bad bytes at {@code p} now: it reads until it holds four
     * unchecked bytes (the longest character) or the data ends.
     */
    static boolean reportable(byte[] b, int p, int len, boolean eof) {
        return eof || len - p >= 4;
    }

    /**
     * The bad character as report_invalid_encoding prints it: as many bytes as its first byte
     * announces (pg_utf_mblen), or fewer at the end, e.g. {@code 0xe2 0x82}.
     */
    static String describe(byte[] b, int p, int len) {
        int c = b[p] & 0xff;
        int n = (c & 0x80) == 0 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n && p + i < len; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("0x%02x", b[p + i] & 0xff));
        }
        return sb.toString();
    }
}
