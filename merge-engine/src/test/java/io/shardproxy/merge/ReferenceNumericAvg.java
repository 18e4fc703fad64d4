package io.shardproxy.merge;

import java.math.BigDecimal;
import java.math.BigInteger;

/** An independent PostgreSQL numeric avg for the property tests, checked against PostgreSQL itself. */
final class ReferenceNumericAvg {

    private ReferenceNumericAvg() {
    }

    /**
     * PostgreSQL's numeric avg, sum / count through numeric_div, written the way numeric.c does
     * it: the operands as base-10000 digit groups, select_div_scale on their weights and first
     * groups, then a quotient rounded half away from zero.
     */
    static String postgresAvg(BigDecimal sum, long count) {
        BigDecimal dividend = sum.scale() < 0 ? sum.setScale(0) : sum;
        int[] d1 = groups(dividend);
        int[] d2 = groups(BigDecimal.valueOf(count));
        int qweight = d1[0] - d2[0];
        if (d1[1] <= d2[1]) {
            qweight--;
        }
        int rscale = 16 - qweight * 4;
        rscale = Math.max(rscale, dividend.scale());
        rscale = Math.max(rscale, 0);
        rscale = Math.min(rscale, 1000);

        BigInteger numerator = dividend.unscaledValue().abs().multiply(BigInteger.TEN.pow(rscale - dividend.scale()));
        BigInteger[] qr = numerator.divideAndRemainder(BigInteger.valueOf(count));
        BigInteger quotient = qr[0];
        if (qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(count)) >= 0) {
            quotient = quotient.add(BigInteger.ONE);
        }
        String digits = quotient.toString();
        if (digits.length() <= rscale) {
            digits = "0".repeat(rscale - digits.length() + 1) + digits;
        }
        String text = rscale == 0 ? digits
                : digits.substring(0, digits.length() - rscale) + "." + digits.substring(digits.length() - rscale);
        return dividend.signum() < 0 && quotient.signum() != 0 ? "-" + text : text;
    }

    /**
     * {weight, first digit group} of a value in base 10000, as numeric.c stores it: the decimal
     * digits are cut into groups of four on both sides of the point; zero is {0, 0}.
     */
    private static int[] groups(BigDecimal value) {
        String digits = value.unscaledValue().abs().toString();
        int scale = value.scale();
        String integer = digits.length() > scale ? digits.substring(0, digits.length() - scale) : "";
        String fraction = digits.length() > scale ? digits.substring(digits.length() - scale)
                : "0".repeat(scale - digits.length()) + digits;
        integer = "0".repeat((4 - integer.length() % 4) % 4) + integer;
        fraction = fraction + "0".repeat((4 - fraction.length() % 4) % 4);
        String all = integer + fraction;
        int weight = integer.length() / 4 - 1;
        for (int i = 0; i < all.length(); i += 4, weight--) {
            int group = Integer.parseInt(all.substring(i, i + 4));
            if (group != 0) {
                return new int[] {weight, group};
            }
        }
        return new int[] {0, 0};
    }
}
