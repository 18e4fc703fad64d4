package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * numeric in numeric_send's layout, base-10000 digits with no leading or trailing zero digit:
 * <pre>
 *   Int16   ndigits
 *   Int16   weight     the first digit counts 10000^weight
 *   Int16   sign       0x0000 +, 0x4000 -, 0xC000 NaN, 0xD000 Infinity, 0xF000 -Infinity
 *   Int16   dscale     decimal digits numeric_out prints after the point
 *   Int16[ndigits]     each 0..9999
 * </pre>
 * Zero is (0, 0, +, dscale). The trap: for +-Infinity numeric_send writes dscale 32, an artifact
 * of reading the special value's header as a short numeric; NaN has dscale 0. numeric_recv
 * truncates digits the dscale hides, and so does decode here.
 */
final class NumericCodec {
    private static final int POS = 0x0000;
    private static final int NEG = 0x4000;
    private static final int NAN = 0xC000;
    private static final int PINF = 0xD000;
    private static final int NINF = 0xF000;
    /** NUMERIC_DSCALE_MASK: the largest display scale. */
    private static final int MAX_DSCALE = 0x3FFF;
    /** NUMERIC_WEIGHT_MAX + 1 base-10000 digits before the point. */
    private static final int MAX_INTEGER_DIGITS = 131_072;
    /** Beyond any exponent a valid numeric could need; keeps the arithmetic in range. */
    private static final long EXPONENT_CAP = 1L << 40;
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);

    private NumericCodec() {
    }

    static byte[] encode(byte[] text) {
        String s = trimmed(text);
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "nan": return special(NAN, 0);
            case "infinity": case "+infinity": case "inf": case "+inf": return special(PINF, 32);
            case "-infinity": case "-inf": return special(NINF, 32);
            default: break;
        }
        long exponent = checkSyntax(text, s);
        int e = Math.max(s.indexOf('e'), s.indexOf('E'));
        BigDecimal value = new BigDecimal(e < 0 ? s : s.substring(0, e));
        // numeric_in's limits: at most 16383 digits after the point and 131072 before it.
        long scale = value.scale() - exponent;
        if (scale > MAX_DSCALE) {
            throw TypeErrors.outOfRange(PgType.NUMERIC, text);
        }
        if (value.signum() == 0) {
            value = BigDecimal.ZERO.setScale((int) Math.max(scale, 0));
        } else {
            if (value.precision() - scale > MAX_INTEGER_DIGITS) {
                throw TypeErrors.outOfRange(PgType.NUMERIC, text);
            }
            value = value.scaleByPowerOfTen((int) exponent);
            if (value.scale() < 0) {
                value = value.setScale(0);
            }
        }
        return finite(value, text);
    }

    static byte[] decode(byte[] binary) {
        BinaryReader in = new BinaryReader(PgType.NUMERIC, binary);
        int ndigits = in.int16() & 0xffff;
        int weight = in.int16();
        int sign = in.int16() & 0xffff;
        int dscale = in.int16() & 0xffff;
        if (sign != POS && sign != NEG && sign != NAN && sign != PINF && sign != NINF) {
            throw TypeErrors.badBinary(PgType.NUMERIC, "invalid sign in external \"numeric\" value");
        }
        if (dscale > MAX_DSCALE) {
            throw TypeErrors.badBinary(PgType.NUMERIC, "invalid scale in external \"numeric\" value");
        }
        BigInteger unscaled = BigInteger.ZERO;
        for (int i = 0; i < ndigits; i++) {
            int digit = in.int16();
            if (digit < 0 || digit >= 10_000) {
                throw TypeErrors.badBinary(PgType.NUMERIC, "invalid digit in external \"numeric\" value");
            }
            unscaled = unscaled.multiply(NBASE).add(BigInteger.valueOf(digit));
        }
        in.end();
        String text;
        switch (sign) {
            case NAN: text = "NaN"; break;
            case PINF: text = "Infinity"; break;
            case NINF: text = "-Infinity"; break;
            default:
                // The last digit counts 10000^(weight - ndigits + 1).
                BigDecimal value = new BigDecimal(sign == NEG ? unscaled.negate() : unscaled, (ndigits - 1 - weight) * 4);
                text = value.setScale(dscale, RoundingMode.DOWN).toPlainString();
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] special(int sign, int dscale) {
        return ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0).putShort((short) sign)
                .putShort((short) dscale).array();
    }

    /** The base-10000 form of a finite value whose scale is its display scale. */
    private static byte[] finite(BigDecimal value, byte[] text) {
        int dscale = value.scale();
        int fractionGroups = (dscale + 3) / 4;
        // Align the point on a group boundary, then split into base-10000 digits, last first.
        BigInteger n = value.unscaledValue().abs().multiply(BigInteger.TEN.pow(fractionGroups * 4 - dscale));
        java.util.ArrayList<Integer> groups = new java.util.ArrayList<>();
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(NBASE);
            groups.add(qr[1].intValue());
            n = qr[0];
        }
        int weight = groups.size() - fractionGroups - 1;
        int first = 0;
        while (first < groups.size() && groups.get(first) == 0) {
            first++;
        }
        int ndigits = groups.size() - first;
        if (ndigits == 0) {
            weight = 0;
        }
        if (weight > Short.MAX_VALUE || weight < Short.MIN_VALUE || ndigits > 0xffff) {
            throw TypeErrors.outOfRange(PgType.NUMERIC, text);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + 2 * ndigits);
        out.putShort((short) ndigits).putShort((short) weight).putShort((short) (value.signum() < 0 ? NEG : POS))
                .putShort((short) dscale);
        for (int i = groups.size() - 1; i >= first; i--) {
            out.putShort(groups.get(i).shortValue());
        }
        return out.array();
    }

    private static String trimmed(byte[] text) {
        int from = 0;
        int to = text.length;
        while (from < to && Ascii.isSpace(text[from])) {
            from++;
        }
        while (to > from && Ascii.isSpace(text[to - 1])) {
            to--;
        }
        return new String(text, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Checks [+-]digits[.digits][e[+-]digits] with at least one digit; returns the exponent. */
    private static long checkSyntax(byte[] text, String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            throw TypeErrors.badText(PgType.NUMERIC, text);
        }
        long exponent = 0;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            boolean negative = false;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                negative = s.charAt(i) == '-';
                i++;
            }
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                exponent = Math.min(exponent * 10 + (s.charAt(i) - '0'), EXPONENT_CAP);
                i++;
            }
            if (i == start) {
                throw TypeErrors.badText(PgType.NUMERIC, text);
            }
            exponent = negative ? -exponent : exponent;
        }
        if (i != n) {
            throw TypeErrors.badText(PgType.NUMERIC, text);
        }
        return exponent;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
