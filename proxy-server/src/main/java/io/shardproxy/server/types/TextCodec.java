package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The string types whose send format is their text: text, varchar, bpchar (padding kept) and name
 * (textsend, namesend), so text -&gt; binary is the identity. Binary -&gt; text checks what
 * textrecv's encoding check would: valid UTF-8 (the proxy's only client encoding) without NUL;
 * name is also shorter than NAMEDATALEN. The one-byte {@code "char"} is here too: charsend sends
 * the byte, charout prints a byte with the high bit set as \ooo and the zero byte as "".
 */
final class TextCodec {
    /** NAMEDATALEN - 1: the longest name in bytes. */
    private static final int MAX_NAME_BYTES = 63;

    private TextCodec() {
    }

    static byte[] encode(int typeOid, byte[] text) {
        if (typeOid == PgType.CHAR) {
            return new byte[] {charIn(text)};
        }
        if (typeOid == PgType.NAME && text.length > MAX_NAME_BYTES) {
            throw TypeErrors.outOfRange(typeOid, text);
        }
        return text.clone();
    }

    static byte[] decode(int typeOid, byte[] binary) {
        if (typeOid == PgType.CHAR) {
            BinaryReader in = new BinaryReader(typeOid, binary);
            int b = in.uint8();
            in.end();
            return charOut(b);
        }
        checkUtf8(typeOid, binary);
        if (typeOid == PgType.NAME && binary.length > MAX_NAME_BYTES) {
            throw TypeErrors.badBinary(typeOid, "identifier too long (" + binary.length + " bytes)");
        }
        return binary.clone();
    }

    /** 08P01 unless the bytes are UTF-8 without NUL, as pq_getmsgtext's encoding check demands. */
    static void checkUtf8(int typeOid, byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                throw TypeErrors.badBinary(typeOid, "invalid byte sequence for encoding \"UTF8\": 0x00");
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw TypeErrors.badBinary(typeOid, "invalid byte sequence for encoding \"UTF8\"");
        }
    }

    /** charin: backslash and three octal digits is that byte (mod 256), "" the zero byte, else the first byte. */
    private static byte charIn(byte[] text) {
        if (text.length == 4 && text[0] == '\\' && isOctal(text[1]) && isOctal(text[2]) && isOctal(text[3])) {
            return (byte) ((text[1] - '0') << 6 | (text[2] - '0') << 3 | (text[3] - '0'));
        }
        return text.length == 0 ? 0 : text[0];
    }

    /** charout (PostgreSQL 15+). */
    private static byte[] charOut(int b) {
        if (b == 0) {
            return new byte[0];
        }
        if (b < 0x80) {
            return new byte[] {(byte) b};
        }
        return new byte[] {'\\', (byte) ('0' + (b >> 6)), (byte) ('0' + (b >> 3 & 7)), (byte) ('0' + (b & 7))};
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }
}
