package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * int2, int4, int8 and oid: big-endian two's complement of 2, 4, 8 and 4 bytes (int2send ...
 * oidsend). The text is an optional sign and decimal digits, as int4in reads it (surrounding
 * white space allowed); oid prints unsigned but, like oidin, also reads -2147483648..-1 as the
 * same 32 bits.
 */
final class IntCodec {

    private IntCodec() {
    }

    static byte[] encode(int typeOid, byte[] text) {
        long v = parse(typeOid, text);
        switch (typeOid) {
            case PgType.INT2:
                if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                    throw TypeErrors.outOfRange(typeOid, text);
                }
                return ByteBuffer.allocate(2).putShort((short) v).array();
            case PgType.INT4:
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw TypeErrors.outOfRange(typeOid, text);
                }
                return ByteBuffer.allocate(4).putInt((int) v).array();
            case PgType.OID:
                if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
                    throw TypeErrors.outOfRange(typeOid, text);
                }
                return ByteBuffer.allocate(4).putInt((int) v).array();
            default:
                return ByteBuffer.allocate(8).putLong(v).array();
        }
    }

    static byte[] decode(int typeOid, byte[] binary) {
        BinaryReader in = new BinaryReader(typeOid, binary);
        String text;
        switch (typeOid) {
            case PgType.INT2: text = Short.toString(in.int16()); break;
            case PgType.INT4: text = Integer.toString(in.int32()); break;
            case PgType.OID: text = Integer.toUnsignedString(in.int32()); break;
            default: text = Long.toString(in.int64()); break;
        }
        in.end();
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sign and digits into a long; 22003 past the long range, 22P02 for anything else. */
    private static long parse(int typeOid, byte[] text) {
        int i = 0;
        int end = text.length;
        while (i < end && Ascii.isSpace(text[i])) {
            i++;
        }
        while (end > i && Ascii.isSpace(text[end - 1])) {
            end--;
        }
        boolean negative = false;
        if (i < end && (text[i] == '-' || text[i] == '+')) {
            negative = text[i] == '-';
            i++;
        }
        if (i == end) {
            throw TypeErrors.badText(typeOid, text);
        }
        // Accumulate negatively so that Long.MIN_VALUE parses.
        long v = 0;
        for (; i < end; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                throw TypeErrors.badText(typeOid, text);
            }
            if (v < (Long.MIN_VALUE + digit) / 10) {
                throw TypeErrors.outOfRange(typeOid, text);
            }
            v = v * 10 - digit;
        }
        if (negative) {
            return v;
        }
        if (v == Long.MIN_VALUE) {
            throw TypeErrors.outOfRange(typeOid, text);
        }
        return -v;
    }
}
