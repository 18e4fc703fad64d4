package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * float4 and float8: the IEEE 754 bits, big-endian (float4send, float8send), NaN included as
 * stored (PostgreSQL's own NaN is 7fc00000 / 7ff8000000000000, Java's canonical NaN). The text is
 * float4out/float8out with extra_float_digits &gt;= 1 ({@link PgFloat#format}), which reads back
 * to the same bits, so binary -&gt; text -&gt; binary is exact for every value but NaN payloads.
 * The trap: Java's parser also reads "1d", "0x1p3" and "Infinityf"; the text is checked against
 * strtod's decimal grammar first, and a finite literal that rounds to 0 or infinity is refused
 * with 22003, as float8in refuses it.
 */
final class FloatCodec {

    private FloatCodec() {
    }

    static byte[] encode(int typeOid, byte[] text) {
        String s = trimmed(typeOid, text);
        if (typeOid == PgType.FLOAT4) {
            float v = Float.parseFloat(s);
            checkRange(typeOid, text, s, v == 0, Float.isInfinite(v));
            return ByteBuffer.allocate(4).putFloat(v).array();
        }
        double v = Double.parseDouble(s);
        checkRange(typeOid, text, s, v == 0, Double.isInfinite(v));
        return ByteBuffer.allocate(8).putDouble(v).array();
    }

    static byte[] decode(int typeOid, byte[] binary) {
        BinaryReader in = new BinaryReader(typeOid, binary);
        String text = typeOid == PgType.FLOAT4
                ? PgFloat.format(Float.intBitsToFloat(in.int32()))
                : PgFloat.format(Double.longBitsToDouble(in.int64()));
        in.end();
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The text without surrounding white space, with the special words spelt as Java reads them;
     * 22P02 unless it is [+-]digits[.digits][e[+-]digits] or a case-insensitive NaN, Infinity or
     * inf with an optional sign.
     */
    private static String trimmed(int typeOid, byte[] text) {
        int from = 0;
        int to = text.length;
        while (from < to && Ascii.isSpace(text[from])) {
            from++;
        }
        while (to > from && Ascii.isSpace(text[to - 1])) {
            to--;
        }
        int i = from;
        String sign = "";
        if (i < to && (text[i] == '+' || text[i] == '-')) {
            sign = text[i] == '-' ? "-" : "";
            i++;
        }
        if (Ascii.equalsIgnoreCase(text, i, to, "nan")) {
            return "NaN";
        }
        if (Ascii.equalsIgnoreCase(text, i, to, "infinity") || Ascii.equalsIgnoreCase(text, i, to, "inf")) {
            return sign + "Infinity";
        }
        int digits = 0;
        while (i < to && Ascii.isDigit(text[i])) {
            i++;
            digits++;
        }
        if (i < to && text[i] == '.') {
            i++;
            while (i < to && Ascii.isDigit(text[i])) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            throw TypeErrors.badText(typeOid, text);
        }
        if (i < to && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            if (i < to && (text[i] == '+' || text[i] == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < to && Ascii.isDigit(text[i])) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                throw TypeErrors.badText(typeOid, text);
            }
        }
        if (i != to) {
            throw TypeErrors.badText(typeOid, text);
        }
        return new String(text, from, to - from, StandardCharsets.US_ASCII);
    }

    /** float8in's ERANGE check: a literal that is not zero must not round to zero, nor to infinity. */
    private static void checkRange(int typeOid, byte[] text, String s, boolean zero, boolean infinite) {
        if (s.endsWith("NaN") || s.endsWith("Infinity")) {
            return;
        }
        if (infinite || zero && hasNonZeroMantissa(s)) {
            throw TypeErrors.outOfRange(typeOid, text);
        }
    }

    private static boolean hasNonZeroMantissa(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
