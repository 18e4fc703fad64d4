package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

import java.io.ByteArrayOutputStream;

/**
 * bytea: the send format is the raw bytes. The text is byteaout's hex format,
 * <pre>
 *   \x0a1bff          two lower-case hex digits per byte
 * </pre>
 * and byteain also reads white space between the digit pairs, and the escape format: a byte as
 * itself, "\\" for a backslash, "\ooo" (first digit 0-3) for any byte.
 */
final class ByteaCodec {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ByteaCodec() {
    }

    static byte[] encode(byte[] text) {
        if (text.length >= 2 && text[0] == '\\' && text[1] == 'x') {
            return hex(text);
        }
        return escaped(text);
    }

    static byte[] decode(byte[] binary) {
        byte[] out = new byte[2 + 2 * binary.length];
        out[0] = '\\';
        out[1] = 'x';
        for (int i = 0; i < binary.length; i++) {
            out[2 + 2 * i] = HEX[(binary[i] >> 4) & 0xf];
            out[3 + 2 * i] = HEX[binary[i] & 0xf];
        }
        return out;
    }

    private static byte[] hex(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 2);
        int i = 2;
        while (i < text.length) {
            if (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r') {
                i++;
                continue;
            }
            int high = Ascii.hexValue(text[i]);
            int low = i + 1 < text.length ? Ascii.hexValue(text[i + 1]) : -1;
            if (high < 0 || low < 0) {
                throw TypeErrors.badText(PgType.BYTEA, text);
            }
            out.write(high << 4 | low);
            i += 2;
        }
        return out.toByteArray();
    }

    private static byte[] escaped(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int i = 0;
        while (i < text.length) {
            byte b = text[i];
            if (b == 0) {
                throw TypeErrors.badText(PgType.BYTEA, text);
            }
            if (b != '\\') {
                out.write(b);
                i++;
            } else if (i + 1 < text.length && text[i + 1] == '\\') {
                out.write('\\');
                i += 2;
            } else if (i + 3 < text.length && text[i + 1] >= '0' && text[i + 1] <= '3'
                    && isOctal(text[i + 2]) && isOctal(text[i + 3])) {
                out.write((text[i + 1] - '0') << 6 | (text[i + 2] - '0') << 3 | (text[i + 3] - '0'));
                i += 4;
            } else {
                throw TypeErrors.badText(PgType.BYTEA, text);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }
}
