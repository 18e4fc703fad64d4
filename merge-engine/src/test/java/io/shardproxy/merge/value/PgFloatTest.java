package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected texts were printed by PostgreSQL 15.18 (extra_float_digits = 1) for the same input,
 * e.g. {@code select '283110709695190784'::float8::text}.
 */
class PgFloatTest {

    private static void assertFloat8(String postgres, String input) {
        assertEquals(postgres, PgFloat.format(Double.parseDouble(input)), "float8 " + input);
    }

    private static void assertFloat4(String postgres, String input) {
        assertEquals(postgres, PgFloat.format(Float.parseFloat(input)), "float4 " + input);
    }

    @Test
    void float8UsesFixedNotationForExponentsFromMinus4To14() {
        assertFloat8("100", "100");
        assertFloat8("123456789012345", "123456789012345");
        assertFloat8("0.0001", "0.0001");
        assertFloat8("0.1", "0.1");
        assertFloat8("0.3", "0.3");
        assertFloat8("-2.5", "-2.5");
        assertFloat8("0.00025", "2.5e-4");
        assertFloat8("123.456", "123.456");
        assertFloat8("33.333333333333336", "33.3333333333333333");
        assertFloat8("0.30000000000000004", "0.30000000000000004");
    }

    @Test
    void float8UsesScientificNotationOutsideThatRange() {
        assertFloat8("1e+15", "1e15");
        assertFloat8("1e+16", "1e16");
        assertFloat8("1.2345678901234568e+17", "123456789012345678");
        assertFloat8("1e-05", "0.00001");
        assertFloat8("-1.5e-05", "-1.5e-5");
        assertFloat8("1.5e+300", "1.5e300");
        assertFloat8("1e-300", "1e-300");
        assertFloat8("1e+22", "1e22");
        assertFloat8("9.999999999999999e+22", "1e23");
        assertFloat8("9.007199254740992e+15", "9007199254740993");
        assertFloat8("1.234567890123456e+15", "1234567890123456");
    }

    @Test
    void float8PrintsExtremesAndSubnormals() {
        assertFloat8("1.7976931348623157e+308", "1.7976931348623157e308");
        assertFloat8("5e-324", "4.9e-324");
        assertFloat8("2.2250738585072014e-308", "2.2250738585072014e-308");
        assertFloat8("5e-310", "5e-310");
    }

    @Test
    void float8NeverPrintsAnExactMidpointBetweenDoubles() {
        // Upstream Ryu would print 2.831107096951908e+17 (a midpoint that reads back under
        // round-half-even); PostgreSQL builds Ryu with STRICTLY_SHORTEST 0.
        assertFloat8("2.8311070969519078e+17", "283110709695190784");
        assertFloat8("6.7510947459518064e+16", "67510947459518064");
    }

    @Test
    void float8BreaksDigitTiesToEven() {
        assertFloat8("1.1258999068426242e+15", "1125899906842624.25");
    }

    @Test
    void specialFloatValuesPrintAsPostgresDoes() {
        assertEquals("NaN", PgFloat.format(Double.NaN));
        assertEquals("Infinity", PgFloat.format(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", PgFloat.format(Double.NEGATIVE_INFINITY));
        assertEquals("-0", PgFloat.format(-0.0));
        assertEquals("0", PgFloat.format(0.0));
        assertEquals("NaN", PgFloat.format(Float.NaN));
        assertEquals("-Infinity", PgFloat.format(Float.NEGATIVE_INFINITY));
        assertEquals("-0", PgFloat.format(-0.0f));
    }

    @Test
    void float4UsesFixedNotationForExponentsFromMinus4To5() {
        assertFloat4("123456", "123456");
        assertFloat4("999999.9", "999999.9");
        assertFloat4("0.0001", "0.0001");
        assertFloat4("0.1", "0.1");
        assertFloat4("3.1415927", "3.14159265");
        assertFloat4("1.0000001", "1.0000001");
        assertFloat4("1e+06", "1e6");
        assertFloat4("1.6777216e+07", "16777217");
        assertFloat4("1.5e-05", "1.5e-5");
        assertFloat4("1e-10", "1e-10");
    }

    @Test
    void float4PrintsShortestDigitsOfTheSinglePrecisionValue() {
        assertFloat4("1.22080784e+08", "122080784");
        assertFloat4("5.8898163e+08", "588981632");
        assertFloat4("3.4028235e+38", "3.4028235e38");
        assertFloat4("1e-45", "1.4e-45");
        assertFloat4("7e-45", "7.0e-45");
        assertFloat4("1.1754944e-38", "1.17549435e-38");
    }

    @Test
    void formattedFloatsReadBackAsTheSameValue() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(d)) {
                assertEquals(d, Double.parseDouble(PgFloat.format(d)), "seed " + seed + ", bits " + Double.doubleToRawLongBits(d));
            }
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isNaN(f)) {
                assertEquals(f, Float.parseFloat(PgFloat.format(f)), "seed " + seed + ", bits " + Float.floatToRawIntBits(f));
            }
        }
    }

    @Test
    void orderingPutsNaNAboveInfinityAndEqualsZeroes() {
        assertTrue(PgFloat.compare(Double.NaN, Double.POSITIVE_INFINITY) > 0);
        assertEquals(0, PgFloat.compare(Double.NaN, Double.NaN));
        assertEquals(0, PgFloat.compare(-0.0, 0.0));
        assertTrue(PgFloat.compare(Double.NEGATIVE_INFINITY, -Double.MAX_VALUE) < 0);
        assertTrue(PgFloat.compare(1.0, Double.NaN) < 0);
    }

    @Test
    void additionOverflowsLikeFloat8pl() {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> PgFloat.add(1e308, 1e308));
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state());
        assertEquals("value out of range: overflow", e.getMessage());
        assertThrows(ShardProxyException.class, () -> PgFloat.add(3e38f, 3e38f));
        assertEquals(Double.POSITIVE_INFINITY, PgFloat.add(Double.POSITIVE_INFINITY, 1.0));
        assertTrue(Double.isNaN(PgFloat.add(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    }

    @Test
    void parsesPostgresSpecialValues() {
        assertTrue(Double.isNaN(PgFloat.parseDouble(bytes("NaN"))));
        assertEquals(Double.NEGATIVE_INFINITY, PgFloat.parseDouble(bytes("-Infinity")));
        assertEquals(1.5e-5, PgFloat.parseDouble(bytes("1.5e-05")));
        assertEquals(Float.POSITIVE_INFINITY, PgFloat.parseFloat(bytes("Infinity")));
        assertEquals(SqlState.INTERNAL_ERROR,
                assertThrows(ShardProxyException.class, () -> PgFloat.parseDouble(bytes("1,5"))).state());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** extra_float_digits, value, float8out, float4out: as PostgreSQL 17.11 printed them. */
    private static final String[] LOW_PRECISION = {
        "0|0.1|0.1|0.1",
        "0|-9.428571428571429|-9.42857142857143|-9.42857",
        "0|123456789012345678|1.23456789012346e+17|1.23457e+17",
        "0|1e-5|1e-05|1e-05",
        "0|0.0001|0.0001|0.0001",
        "0|2.5|2.5|2.5",
        "0|-0.000123456789|-0.000123456789|-0.000123457",
        "0|100000000000000|100000000000000|1e+14",
        "0|1000000000000000|1e+15|1e+15",
        "0|3.14159265358979|3.14159265358979|3.14159",
        "0|1e15|1e+15|1e+15",
        "0|1e16|1e+16|1e+16",
        "0|0.3333333333333333|0.333333333333333|0.333333",
        "0|65536|65536|65536",
        "0|9.999999999999999e22|1e+23|1e+23",
        "0|0.5|0.5|0.5",
        "0|1.25|1.25|1.25",
        "0|99999.99|99999.99|100000",
        "-3|0.1|0.1|0.1",
        "-3|-9.428571428571429|-9.42857142857|-9.43",
        "-3|123456789012345678|1.23456789012e+17|1.23e+17",
        "-3|1e-5|1e-05|1e-05",
        "-3|0.0001|0.0001|0.0001",
        "-3|2.5|2.5|2.5",
        "-3|-0.000123456789|-0.000123456789|-0.000123",
        "-3|100000000000000|1e+14|1e+14",
        "-3|1000000000000000|1e+15|1e+15",
        "-3|3.14159265358979|3.14159265359|3.14",
        "-3|1e15|1e+15|1e+15",
        "-3|1e16|1e+16|1e+16",
        "-3|0.3333333333333333|0.333333333333|0.333",
        "-3|65536|65536|6.55e+04",
        "-3|9.999999999999999e22|1e+23|1e+23",
        "-3|0.5|0.5|0.5",
        "-3|1.25|1.25|1.25",
        "-3|99999.99|99999.99|1e+05",
        "-15|0.1|0.1|0.1",
        "-15|-9.428571428571429|-9|-9",
        "-15|123456789012345678|1e+17|1e+17",
        "-15|1e-5|1e-05|1e-05",
        "-15|0.0001|0.0001|0.0001",
        "-15|2.5|2|2",
        "-15|-0.000123456789|-0.0001|-0.0001",
        "-15|100000000000000|1e+14|1e+14",
        "-15|1000000000000000|1e+15|1e+15",
        "-15|3.14159265358979|3|3",
        "-15|1e15|1e+15|1e+15",
        "-15|1e16|1e+16|1e+16",
        "-15|0.3333333333333333|0.3|0.3",
        "-15|65536|7e+04|7e+04",
        "-15|9.999999999999999e22|1e+23|1e+23",
        "-15|0.5|0.5|0.5",
        "-15|1.25|1|1",
        "-15|99999.99|1e+05|1e+05",
    };

    @Test
    void extraFloatDigitsAtOrBelowZeroPrintsLikePrintfG() {
        for (String c : LOW_PRECISION) {
            String[] p = c.split("\\|");
            int digits = Integer.parseInt(p[0]);
            assertEquals(p[2], PgFloat.format(Double.parseDouble(p[1]), digits), "float8 " + c);
            assertEquals(p[3], PgFloat.format(Float.parseFloat(p[1]), digits), "float4 " + c);
        }
    }
}
