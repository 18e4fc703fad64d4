package io.shardproxy.merge.value;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * A numeric value as PostgreSQL holds it: finite with a display scale (the digits numeric_out
 * prints after the point), NaN, or +-Infinity. The display scale is the BigDecimal's scale, so
 * 1.50 + 2.250 prints as 3.750, as PostgreSQL's add_var keeps max(dscale1, dscale2).
 * Ordering is PostgreSQL's: -Infinity &lt; finite &lt; Infinity &lt; NaN, and NaN equals NaN.
 */
public final class PgNumeric implements Comparable<PgNumeric> {

    /** numeric.c NUMERIC_MIN_SIG_DIGITS: a quotient gets at least this many significant digits. */
    private static final int MIN_SIG_DIGITS = 16;
    /** numeric.c DEC_DIGITS: decimal digits per base-10000 NumericDigit. */
    private static final int DEC_DIGITS = 4;
    /** numeric.c NUMERIC_MAX_DISPLAY_SCALE. */
    private static final int MAX_DISPLAY_SCALE = 1000;

    /** In PostgreSQL's sort order. */
    private enum Kind { NEGATIVE_INFINITY, FINITE, POSITIVE_INFINITY, NAN }

    public static final PgNumeric NAN = new PgNumeric(Kind.NAN, null);
    public static final PgNumeric POSITIVE_INFINITY = new PgNumeric(Kind.POSITIVE_INFINITY, null);
    public static final PgNumeric NEGATIVE_INFINITY = new PgNumeric(Kind.NEGATIVE_INFINITY, null);

    private final Kind kind;
    private final BigDecimal value;

    private PgNumeric(Kind kind, BigDecimal value) {
        this.kind = kind;
        this.value = value;
    }

    /** A finite value; a negative scale (never produced by numeric_out) is widened to 0. */
    public static PgNumeric of(BigDecimal value) {
        return new PgNumeric(Kind.FINITE, value.scale() < 0 ? value.setScale(0) : value);
    }

    /** Parses numeric_out's text (also int8out's, whose integers are numerics of scale 0). */
    public static PgNumeric parse(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        switch (s) {
            case "NaN": return NAN;
            case "Infinity": return POSITIVE_INFINITY;
            case "-Infinity": return NEGATIVE_INFINITY;
            default:
                try {
                    return of(new BigDecimal(s));
                } catch (NumberFormatException e) {
                    throw PgType.malformed(PgType.NUMERIC, text);
                }
        }
    }

    public boolean isFinite() {
        return kind == Kind.FINITE;
    }

    /** The finite value; only for {@link #isFinite()} values. */
    public BigDecimal value() {
        return value;
    }

    /** add_var and numeric_add's special values: NaN wins, Infinity + -Infinity is NaN. */
    public PgNumeric add(PgNumeric other) {
        if (kind == Kind.NAN || other.kind == Kind.NAN) {
            return NAN;
        }
        if (kind == Kind.FINITE && other.kind == Kind.FINITE) {
            return new PgNumeric(Kind.FINITE, value.add(other.value));
        }
        if (kind == Kind.FINITE) {
            return other;
        }
        if (other.kind == Kind.FINITE || other.kind == kind) {
            return this;
        }
        return NAN;
    }

    /**
     * numeric_div(this, count) for a positive count, as numeric_avg finishes: the scale is
     * {@link #divisionScale}, the quotient rounded half away from zero.
     */
    public PgNumeric divide(long count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        if (kind != Kind.FINITE) {
            return this;
        }
        BigDecimal divisor = BigDecimal.valueOf(count);
        return new PgNumeric(Kind.FINITE, value.divide(divisor, divisionScale(value, divisor), RoundingMode.HALF_UP));
    }

    /**
     * div_var(this, divisor, select_div_scale(...), round): the quotient of two finite values at
     * the scale numeric_div picks, rounded half away from zero.
     */
    public static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
        return dividend.divide(divisor, divisionScale(dividend, divisor), RoundingMode.HALF_UP);
    }

    /**
     * sqrt_var(value, rscale) for a finite non-negative value: numeric.c computes the truncated
     * square root with at least one digit beyond {@code rscale} and rounds that half up, which is
     * the exact square root rounded half up (a tie would need the truncated digits to be exact).
     */
    public static BigDecimal sqrt(BigDecimal value, int rscale) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("square root of a negative number: " + value);
        }
        // floor(sqrt(value) * 10^(rscale + 1)), then round the last digit away.
        BigDecimal scaled = value.movePointRight(2 * (rscale + 1)).setScale(0, RoundingMode.DOWN);
        java.math.BigInteger root = scaled.toBigIntegerExact().sqrt();
        return new BigDecimal(root, rscale + 1).setScale(rscale, RoundingMode.HALF_UP);
    }

    /**
     * numeric.c select_div_scale: enough scale for NUMERIC_MIN_SIG_DIGITS significant digits,
     * estimated from the base-10000 weights and first digits of both operands, and no less than
     * either operand's display scale; within [0, 1000].
     */
    public static int divisionScale(BigDecimal dividend, BigDecimal divisor) {
        int quotientWeight = weight(dividend) - weight(divisor);
        // Equal first digits: PostgreSQL cannot tell, and assumes dividend < divisor.
        if (firstDigit(dividend) <= firstDigit(divisor)) {
            quotientWeight--;
        }
        int scale = MIN_SIG_DIGITS - quotientWeight * DEC_DIGITS;
        scale = Math.max(scale, Math.max(dividend.scale(), divisor.scale()));
        scale = Math.max(scale, 0);
        return Math.min(scale, MAX_DISPLAY_SCALE);
    }

    /** The weight of the first non-zero base-10000 digit (10000^weight), 0 for zero. */
    private static int weight(BigDecimal v) {
        if (v.signum() == 0) {
            return 0;
        }
        int decimalExponent = v.precision() - v.scale() - 1;
        return Math.floorDiv(decimalExponent, DEC_DIGITS);
    }

    /** The first non-zero base-10000 digit (1..9999), 0 for zero. */
    private static int firstDigit(BigDecimal v) {
        if (v.signum() == 0) {
            return 0;
        }
        return v.abs().movePointLeft(weight(v) * DEC_DIGITS).setScale(0, RoundingMode.DOWN).intValueExact();
    }

    /** numeric_out's text: plain notation with exactly the display scale's digits. */
    public String toText() {
        switch (kind) {
            case NAN: return "NaN";
            case POSITIVE_INFINITY: return "Infinity";
            case NEGATIVE_INFINITY: return "-Infinity";
            default: return value.toPlainString();
        }
    }

    @Override
    public int compareTo(PgNumeric other) {
        if (kind != other.kind) {
            return kind.compareTo(other.kind);
        }
        return kind == Kind.FINITE ? value.compareTo(other.value) : 0;
    }

    /** Equal in PostgreSQL's sense: 1.0 equals 1.00. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PgNumeric && compareTo((PgNumeric) o) == 0;
    }

    @Override
    public int hashCode() {
        return kind == Kind.FINITE ? value.stripTrailingZeros().hashCode() : kind.hashCode();
    }

    @Override
    public String toString() {
        return toText();
    }
}
