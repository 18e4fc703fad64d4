package io.shardproxy.merge.value;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected texts were printed by PostgreSQL 15.18 for the matching sum/avg/division. */
class PgNumericTest {

    private static PgNumeric n(String text) {
        return PgNumeric.parse(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** avg over the values, as sum then numeric_div by the count. */
    private static String avg(String... values) {
        PgNumeric sum = n(values[0]);
        for (int i = 1; i < values.length; i++) {
            sum = sum.add(n(values[i]));
        }
        return sum.divide(values.length).toText();
    }

    @Test
    void additionKeepsTheLargerDisplayScale() {
        assertEquals("3.750", n("1.50").add(n("2.250")).toText());
        assertEquals("0.0", n("-1.5").add(n("1.5")).toText());
        assertEquals("9223372036854775808", n("9223372036854775807").add(n("1")).toText());
    }

    @Test
    void additionOfSpecialValuesFollowsPostgres() {
        assertEquals("NaN", n("NaN").add(n("1")).toText());
        assertEquals("NaN", n("Infinity").add(n("-Infinity")).toText());
        assertEquals("Infinity", n("Infinity").add(n("2.5")).toText());
        assertEquals("-Infinity", n("-1").add(n("-Infinity")).toText());
        assertEquals("Infinity", n("Infinity").add(n("Infinity")).toText());
    }

    @Test
    void avgOfIntegersHasPostgresScale() {
        assertEquals("5.0000000000000000", avg("1", "2", "3", "4", "5", "6", "7", "8", "9"));
        assertEquals("1.5000000000000000", avg("1", "2"));
        assertEquals("-7.5000000000000000", avg("-7", "-8"));
        assertEquals("-6.5000000000000000", avg("-5", "-8"));
        assertEquals("0.00000000000000000000", avg("0", "0"));
        assertEquals("370370371.66666667", avg("123456789", "987654321", "5"));
        assertEquals("50000.000000000000", avg("99999", "1"));
        assertEquals("5000.0000000000000000", avg("9999", "1"));
        assertEquals("5000.0000000000000000", avg("10000", "0"));
        assertEquals("61728394506172839450617283946", avg("123456789012345678901234567890", "1"));
    }

    @Test
    void avgOfNumericsKeepsTheInputScaleWhenLarger() {
        assertEquals("1.8750000000000000", avg("1.25", "2.5"));
        assertEquals("2.2916666666666667", avg("1.25", "2.5", "3.125"));
        assertEquals("6172.8395000000000000", avg("12345.678", "0.001"));
        assertEquals("0.000000015000000000000000", avg("0.00000001", "0.00000002"));
        assertEquals("0.000113333333333333333333", avg("0.0001", "0.0002", "0.00004"));
        assertEquals("50000000.250000000000", avg("99999999.5", "1"));
        assertEquals("0.00000000000000000000", avg("0.000", "0"));
    }

    @Test
    void sumOf1To10000DividedBy10000HasPostgresScale() {
        assertEquals("5000.5000000000000000", n("50005000").divide(10_000).toText());
        assertEquals("10000.5000000000000000", n("200010000").divide(20_000).toText());
    }

    @Test
    void divisionScaleMatchesSelectDivScale() {
        // 10/3, 1/3, 2/3 and 20000/3 as PostgreSQL prints them.
        assertEquals(16, PgNumeric.divisionScale(new BigDecimal("10"), new BigDecimal("3")));
        assertEquals(20, PgNumeric.divisionScale(new BigDecimal("1"), new BigDecimal("3")));
        assertEquals("0.66666666666666666667", n("2").divide(3).toText());
        assertEquals(16, PgNumeric.divisionScale(new BigDecimal("20000"), new BigDecimal("3")));
        assertEquals(1000, PgNumeric.divisionScale(new BigDecimal("1").movePointLeft(1000), new BigDecimal("1")));
    }

    @Test
    void avgOfSpecialValuesFollowsPostgres() {
        assertEquals("NaN", avg("NaN", "2"));
        assertEquals("Infinity", avg("Infinity", "2"));
        assertEquals("NaN", avg("Infinity", "-Infinity"));
    }

    @Test
    void orderingPutsInfinitiesAroundFiniteValuesAndNaNLast() {
        String[] postgresOrder = {"-Infinity", "-12.25", "-1", "-0.5", "0", "0.000", "0.00000000000000000001",
            "12.25", "12.250", "99999999999999999999.1", "Infinity", "NaN"};
        for (int i = 0; i + 1 < postgresOrder.length; i++) {
            assertTrue(n(postgresOrder[i]).compareTo(n(postgresOrder[i + 1])) <= 0, postgresOrder[i]);
        }
        assertEquals(0, n("12.25").compareTo(n("12.250")));
        assertEquals(0, n("NaN").compareTo(n("NaN")));
        assertTrue(n("Infinity").compareTo(n("NaN")) < 0);
        assertTrue(n("-Infinity").compareTo(n("-99999999999999999999")) < 0);
    }
}
