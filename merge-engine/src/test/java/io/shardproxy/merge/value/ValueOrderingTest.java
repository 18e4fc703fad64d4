package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each expected order is PostgreSQL 15.18's ORDER BY of the same values (text types with
 * COLLATE "C"); values are written as the server's text output.
 */
class ValueOrderingTest {

    /** Shuffles the values, sorts them with the type's comparator, expects PostgreSQL's order back. */
    private static void assertSortsAsPostgres(int typeOid, String... postgresOrder) {
        Comparator<byte[]> order = ValueOrdering.forType(typeOid, true);
        List<byte[]> values = new ArrayList<>();
        for (String v : postgresOrder) {
            values.add(v.getBytes(StandardCharsets.UTF_8));
        }
        Collections.shuffle(values, new Random(typeOid));
        values.sort(order);
        List<String> sorted = new ArrayList<>();
        for (byte[] v : values) {
            sorted.add(new String(v, StandardCharsets.UTF_8));
        }
        // Values that compare equal may come out in either order; compare them via the comparator.
        for (int i = 0; i < postgresOrder.length; i++) {
            assertEquals(0, order.compare(postgresOrder[i].getBytes(StandardCharsets.UTF_8),
                    sorted.get(i).getBytes(StandardCharsets.UTF_8)), "position " + i + " in " + sorted);
        }
    }

    @Test
    void integersOrderNumericallyNotByText() {
        assertSortsAsPostgres(PgType.INT4, "-100", "-9", "0", "2", "10", "2147483647");
        assertSortsAsPostgres(PgType.INT8, "-9223372036854775808", "-1", "9", "10", "9223372036854775807");
        assertSortsAsPostgres(PgType.INT2, "-32768", "-1", "32767");
        assertSortsAsPostgres(PgType.OID, "0", "1", "2147483648", "4294967295");
    }

    @Test
    void floatsPutNaNLastAndMinusZeroEqualToZero() {
        assertSortsAsPostgres(PgType.FLOAT8, "-Infinity", "-1e+308", "-5e-324", "-0", "0", "5e-324", "1e-05", "1.5",
                "1e+308", "Infinity", "NaN");
        assertSortsAsPostgres(PgType.FLOAT4, "-Infinity", "-0", "0", "1e-45", "1", "1.0000001", "3.4028235e+38",
                "Infinity", "NaN");
        Comparator<byte[]> order = ValueOrdering.forType(PgType.FLOAT8, false);
        assertEquals(0, order.compare(b("-0"), b("0")));
        assertEquals(0, order.compare(b("NaN"), b("NaN")));
    }

    @Test
    void numericsIgnoreScaleAndPutNaNLast() {
        assertSortsAsPostgres(PgType.NUMERIC, "-Infinity", "-12.25", "-1", "-0.5", "0", "0.000", "0.00000000000000000001",
                "12.25", "12.250", "99999999999999999999.1", "Infinity", "NaN");
    }

    @Test
    void textOrdersByUtf8BytesWhenShardsUseC() {
        assertSortsAsPostgres(PgType.TEXT, "", "B", "a", "a b", "ab", "z", "é", "Ω", "😀");
        assertSortsAsPostgres(PgType.VARCHAR, "", "B", "a", "a b", "ab", "z", "é", "Ω", "😀");
        // UTF-16 order would put U+FFFD (3 UTF-8 bytes) after the surrogate pair of 😀; C order does not.
        Comparator<byte[]> order = ValueOrdering.forType(PgType.TEXT, true);
        assertTrue(order.compare(b("\uFFFD"), b("😀")) < 0);
        assertTrue("\uFFFD".compareTo("😀") > 0);
    }

    @Test
    void bpcharIgnoresTrailingSpaces() {
        // char(4) values as the server sends them, padded.
        assertSortsAsPostgres(PgType.BPCHAR, "a   ", "a\t  ", "a  b", "ab  ");
        assertEquals(0, ValueOrdering.forType(PgType.BPCHAR, true).compare(b("a   "), b("a")));
    }

    @Test
    void textRefusesWithoutBytewiseCollation() {
        for (int type : new int[] {PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME}) {
            ShardProxyException e = assertThrows(ShardProxyException.class, () -> ValueOrdering.forType(type, false));
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
            assertEquals("ordering text across shards needs a C collation on the shards (the shards use another)",
                    e.getMessage());
            // COLLATE in a fan-out is refused too, so the hint must not suggest it
            assertEquals(ValueOrdering.NO_TEXT_ORDER_HINT, e.hint());
            assertFalse(e.hint().contains("COLLATE"), e.hint());
        }
    }

    @Test
    void internalCharIsNotCollatableAndComparesUnsignedBytes() {
        // charout writes bytes >= 0x80 as octal escapes; "é" stores its first byte, \303.
        Comparator<byte[]> order = ValueOrdering.forType(PgType.CHAR, false);
        String[] postgresOrder = {"", "Z", "\\", "a", "\\303", "\\377"};
        for (int i = 0; i + 1 < postgresOrder.length; i++) {
            assertTrue(order.compare(b(postgresOrder[i]), b(postgresOrder[i + 1])) < 0, postgresOrder[i]);
        }
    }

    @Test
    void boolUuidAndByteaOrderAsPostgres() {
        assertSortsAsPostgres(PgType.BOOL, "f", "t");
        assertSortsAsPostgres(PgType.UUID, "00000000-0000-0000-0000-000000000000", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a10",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertSortsAsPostgres(PgType.BYTEA, "\\x", "\\x00", "\\x0001", "\\x7f", "\\x80", "\\xff");
    }

    @Test
    void byteaInEscapeFormatIsRefused() {
        Comparator<byte[]> order = ValueOrdering.forType(PgType.BYTEA, true);
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> order.compare(b("abc"), b("\\x00")));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    }

    @Test
    void dateTimeTypesOrderAsPostgres() {
        assertSortsAsPostgres(PgType.DATE, "-infinity", "0044-03-15 BC", "0001-01-01", "2024-01-02", "infinity");
        assertSortsAsPostgres(PgType.TIME, "00:00:00", "12:34:56.789", "24:00:00");
        assertSortsAsPostgres(PgType.TIMESTAMP, "-infinity", "0001-12-31 23:59:59 BC", "2024-01-02 03:04:05", "infinity");
        assertSortsAsPostgres(PgType.TIMESTAMPTZ, "2024-01-02 03:04:05.1+01", "2024-01-02 03:04:05.123456+01",
                "2024-01-01 23:34:05.5-03:30", "10000-01-01 01:00:00+01");
    }

    @Test
    void unknownTypeIsRefusedNamingItsOid() {
        for (int type : new int[] {PgType.MONEY, 1266, 114, 3802, 99999}) {
            ShardProxyException e = assertThrows(ShardProxyException.class, () -> ValueOrdering.forType(type, true));
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
            assertTrue(e.getMessage().contains("type OID " + type), e.getMessage());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pgTypeNamesKnownTypes() {
        assertEquals("bigint", PgType.name(PgType.INT8));
        assertEquals("type OID 4242", PgType.name(4242));
        assertEquals("money", PgType.name(PgType.MONEY));
    }
}
