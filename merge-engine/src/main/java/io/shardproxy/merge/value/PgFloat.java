package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * float4 and float8 values in PostgreSQL text format: parsing, PostgreSQL's ordering, overflow
 * checked addition, and output exactly as float4out/float8out write it with extra_float_digits
 * &gt;= 1 (PostgreSQL 12+): the shortest digits that read back as the same value (Ryu), in fixed
 * notation when the decimal exponent is in [-4, 15) for float8 or [-4, 6) for float4, otherwise
 * as "1.5e-05". The trap: JDK 17's Double.toString is not always shortest, and PostgreSQL's Ryu is
 * not quite upstream Ryu either (see {@link #shortest}), so the digits are found by a search over
 * exact decimal expansions.
 */
public final class PgFloat {

    private PgFloat() {
    }

    public static double parseDouble(byte[] text) {
        try {
            return Double.parseDouble(new String(text, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw PgType.malformed(PgType.FLOAT8, text);
        }
    }

    public static float parseFloat(byte[] text) {
        try {
            return Float.parseFloat(new String(text, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw PgType.malformed(PgType.FLOAT4, text);
        }
    }

    /** PostgreSQL's float ordering: NaN equals NaN and is greater than everything; -0 equals 0. */
    public static int compare(double a, double b) {
        boolean aNaN = Double.isNaN(a);
        boolean bNaN = Double.isNaN(b);
        if (aNaN || bNaN) {
            return aNaN == bNaN ? 0 : aNaN ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /** float8pl: "value out of range: overflow" when finite operands give an infinite sum. */
    public static double add(double a, double b) {
        double sum = a + b;
        if (Double.isInfinite(sum) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
            throw overflow();
        }
        return sum;
    }

    /** float4pl, in single precision like PostgreSQL's C float arithmetic. */
    public static float add(float a, float b) {
        float sum = a + b;
        if (Float.isInfinite(sum) && !Float.isInfinite(a) && !Float.isInfinite(b)) {
            throw overflow();
        }
        return sum;
    }

    /** float8out with extra_float_digits &gt;= 1. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
        }
        double magnitude = Math.abs(value);
        BigDecimal exact = new BigDecimal(magnitude);
        BigDecimal below = new BigDecimal(Math.nextDown(magnitude));
        BigDecimal above = magnitude == Double.MAX_VALUE
                ? exact.add(exact.subtract(below))
                : new BigDecimal(Math.nextUp(magnitude));
        return layout(value < 0, shortest(exact, below, above, 17), 15);
    }

    /**
     * float8out under extra_float_digits {@code extraDigits}: shortest exact above 0, else C's
     * {@code %.*g} with 15 + extraDigits significant digits (at least 1), as PostgreSQL prints.
     */
    public static String format(double value, int extraDigits) {
        if (extraDigits > 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return format(value);
        }
        return printfG(value, Math.max(1, 15 + extraDigits));
    }

    /** float4out under extra_float_digits {@code extraDigits} (6 + extraDigits digits at or below 0). */
    public static String format(float value, int extraDigits) {
        if (extraDigits > 0 || Float.isNaN(value) || Float.isInfinite(value)) {
            return format(value);
        }
        return printfG(value, Math.max(1, 6 + extraDigits));
    }

    /**
     * C's {@code %.Pg}: the exact binary value rounded to P significant digits (half to even, as
     * glibc does), in fixed notation when the exponent X satisfies -4 &lt;= X &lt; P, else as
     * {@code d.ddde+XX}; trailing zeros and a trailing point removed.
     */
    static String printfG(double value, int precision) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(Math.abs(value));
        BigDecimal rounded = exact.round(new java.math.MathContext(precision, java.math.RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        String sign = value < 0 ? "-" : "";
        if (exponent >= -4 && exponent < precision) {
            String fixed = rounded.setScale(Math.max(0, precision - 1 - exponent), java.math.RoundingMode.HALF_EVEN)
                    .toPlainString();
            return sign + stripZeros(fixed);
        }
        BigDecimal mantissa = rounded.movePointLeft(exponent).setScale(precision - 1, java.math.RoundingMode.HALF_EVEN);
        String e = Integer.toString(Math.abs(exponent));
        return sign + stripZeros(mantissa.toPlainString()) + (exponent < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
    }

    private static String stripZeros(String digits) {
        if (digits.indexOf('.') < 0) {
            return digits;
        }
        String s = digits.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** float4out with extra_float_digits &gt;= 1. */
    public static String format(float value) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return Float.floatToRawIntBits(value) < 0 ? "-0" : "0";
        }
        float magnitude = Math.abs(value);
        BigDecimal exact = new BigDecimal(magnitude);
        BigDecimal below = new BigDecimal(Math.nextDown(magnitude));
        BigDecimal above = magnitude == Float.MAX_VALUE
                ? exact.add(exact.subtract(below))
                : new BigDecimal(Math.nextUp(magnitude));
        return layout(value < 0, shortest(exact, below, above, 9), 6);
    }

    /**
     * The decimal with the fewest significant digits strictly between the midpoints to the
     * neighbouring floats {@code below} and {@code above}; among those of that length the nearest
     * to the exact value, ties to an even last digit. Strictly: PostgreSQL builds Ryu with
     * STRICTLY_SHORTEST 0, so it never prints a midpoint, even one that would read back correctly
     * under round-half-even (2.8311070969519078e+17, not 2.831107096951908e+17).
     */
    private static BigDecimal shortest(BigDecimal exact, BigDecimal below, BigDecimal above, int maxDigits) {
        BigDecimal half = BigDecimal.valueOf(5, 1);
        BigDecimal low = exact.add(below).multiply(half);
        BigDecimal high = exact.add(above).multiply(half);
        for (int precision = 1; precision < maxDigits; precision++) {
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downInside = down.compareTo(low) > 0;
            boolean upInside = up.compareTo(high) < 0;
            if (downInside && upInside) {
                return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN)).stripTrailingZeros();
            }
            if (downInside) {
                return down.stripTrailingZeros();
            }
            if (upInside) {
                return up.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(maxDigits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** Ryu's to_chars as PostgreSQL configures it: fixed for exponents in [-4, fixedBelow). */
    private static String layout(boolean negative, BigDecimal digits, int fixedBelow) {
        String d = digits.unscaledValue().toString();
        int exponent = digits.precision() - digits.scale() - 1;
        StringBuilder out = new StringBuilder(d.length() + 8);
        if (negative) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < fixedBelow) {
            if (exponent < 0) {
                out.append("0.");
                out.append("0".repeat(-exponent - 1)).append(d);
            } else if (d.length() <= exponent + 1) {
                out.append(d).append("0".repeat(exponent + 1 - d.length()));
            } else {
                out.append(d, 0, exponent + 1).append('.').append(d, exponent + 1, d.length());
            }
        } else {
            out.append(d.charAt(0));
            if (d.length() > 1) {
                out.append('.').append(d, 1, d.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }

    private static ShardProxyException overflow() {
        return new ShardProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
    }
}
