package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

/**
 * uuid: the 16 bytes (uuid_send). The text is uuid_out's lower-case 8-4-4-4-12 hex; reading
 * accepts what uuid_in does: either case, optional braces, and a hyphen after any group of four
 * digits.
 */
final class UuidCodec {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private UuidCodec() {
    }

    static byte[] encode(byte[] text) {
        byte[] out = new byte[16];
        int i = 0;
        boolean braces = text.length > 0 && text[0] == '{';
        if (braces) {
            i++;
        }
        for (int n = 0; n < 16; n++) {
            int high = i < text.length ? Ascii.hexValue(text[i]) : -1;
            int low = i + 1 < text.length ? Ascii.hexValue(text[i + 1]) : -1;
            if (high < 0 || low < 0) {
                throw TypeErrors.badText(PgType.UUID, text);
            }
            out[n] = (byte) (high << 4 | low);
            i += 2;
            if (i < text.length && text[i] == '-' && n % 2 == 1 && n < 15) {
                i++;
            }
        }
        if (braces) {
            if (i >= text.length || text[i] != '}') {
                throw TypeErrors.badText(PgType.UUID, text);
            }
            i++;
        }
        if (i != text.length) {
            throw TypeErrors.badText(PgType.UUID, text);
        }
        return out;
    }

    static byte[] decode(byte[] binary) {
        BinaryReader in = new BinaryReader(PgType.UUID, binary);
        byte[] b = in.bytes(16);
        in.end();
        byte[] out = new byte[36];
        int o = 0;
        for (int n = 0; n < 16; n++) {
            if (n == 4 || n == 6 || n == 8 || n == 10) {
                out[o++] = '-';
            }
            out[o++] = HEX[(b[n] >> 4) & 0xf];
            out[o++] = HEX[b[n] & 0xf];
        }
        return out;
    }
}
