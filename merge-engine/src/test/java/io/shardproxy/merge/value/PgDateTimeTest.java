package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The orders below are PostgreSQL 15.18's ORDER BY of the same texts (e.g.
 * {@code order by x::timestamptz}), printed with TimeZone Europe/Amsterdam, Asia/Kolkata and
 * America/St_Johns, which is where the +00:19:32, +05:30 and -03:30 offsets come from.
 */
class PgDateTimeTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertStrictlyAscending(ToLongFunction<byte[]> key, String... postgresOrder) {
        for (int i = 0; i + 1 < postgresOrder.length; i++) {
            assertTrue(key.applyAsLong(b(postgresOrder[i])) < key.applyAsLong(b(postgresOrder[i + 1])),
                    postgresOrder[i] + " < " + postgresOrder[i + 1]);
        }
    }

    @Test
    void timestamptzOrdersByInstantAcrossOffsetsAndEras() {
        assertStrictlyAscending(PgDateTime::timestamptzKey,
                "-infinity",
                "4713-11-24 00:19:32+00:19:32 BC",
                "0044-03-15 10:19:32+00:19:32 BC",
                "0001-12-31 23:59:59+00 BC",
                "0001-01-01 00:00:00+00",
                "1900-01-01 00:19:32+00:19:32",
                "2024-01-02 03:04:05.1+01",
                "2024-01-02 03:04:05.12+01",
                "2024-01-02 03:04:05.123456+01",
                "2024-01-02 08:34:05.5+05:30",
                "10000-01-01 01:00:00+01",
                "294277-01-01 00:59:59.999999+01",
                "infinity");
    }

    @Test
    void timestamptzWithDifferentOffsetsForOneInstantAreEqual() {
        assertEquals(PgDateTime.timestamptzKey(b("2024-01-02 02:04:05.123456+00")),
                PgDateTime.timestamptzKey(b("2024-01-02 03:04:05.123456+01")));
        assertEquals(PgDateTime.timestamptzKey(b("2024-01-01 23:34:05.5-03:30")),
                PgDateTime.timestamptzKey(b("2024-01-02 08:34:05.5+05:30")));
        assertEquals(PgDateTime.timestamptzKey(b("1900-01-01 00:19:32+00:19:32")),
                PgDateTime.timestamptzKey(b("1900-01-01 00:00:00+00")));
    }

    @Test
    void timestampOrdersBcBeforeAd() {
        assertStrictlyAscending(PgDateTime::timestampKey,
                "-infinity", "0044-03-15 10:00:00 BC", "0001-12-31 23:59:59 BC", "0001-01-01 00:00:00",
                "1999-12-31 23:59:59.999999", "2000-02-29 00:00:00", "2024-01-02 03:04:05",
                "2024-01-02 03:04:05.119999", "2024-01-02 03:04:05.12", "12345-06-07 08:09:10", "infinity");
        assertEquals(0, PgDateTime.timestampKey(b("2000-01-01 00:00:00")));
    }

    @Test
    void dateCountsDaysFromPostgresEpoch() {
        assertStrictlyAscending(PgDateTime::dateKey,
                "-infinity", "4714-11-24 BC", "0044-03-15 BC", "0005-02-29 BC", "0005-03-01 BC", "0001-01-01 BC",
                "0001-12-31 BC", "0001-01-01", "1900-02-28", "1900-03-01", "2000-02-29", "2000-03-01",
                "2024-01-02", "5874897-12-31", "infinity");
        // '2000-01-01'::date - '4714-11-24 BC'::date = 2451545 and similar, from PostgreSQL.
        assertEquals(-2_451_545, PgDateTime.dateKey(b("4714-11-24 BC")));
        assertEquals(2_145_031_948, PgDateTime.dateKey(b("5874897-12-31")));
        assertEquals(-2_451_545 + 1_719_658, PgDateTime.dateKey(b("0005-02-29 BC")));
        assertEquals(1, PgDateTime.dateKey(b("0001-01-01")) - PgDateTime.dateKey(b("0001-12-31 BC")));
    }

    @Test
    void timeOrdersUpTo24Hours() {
        assertStrictlyAscending(PgDateTime::timeKey,
                "00:00:00", "00:00:00.000001", "12:34:56.789", "12:34:56.7891", "23:59:59.999999", "24:00:00");
    }

    @Test
    void otherDateStylesAreRefused() {
        for (String text : new String[] {"Tue Jan 02 03:04:05 2024 CET", "01/02/2024 03:04:05 CET", "02.01.2024 03:04:05 CET"}) {
            ShardProxyException e = assertThrows(ShardProxyException.class, () -> PgDateTime.timestamptzKey(b(text)));
            assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        }
        assertThrows(ShardProxyException.class, () -> PgDateTime.dateKey(b("01/02/2024")));
        assertThrows(ShardProxyException.class, () -> PgDateTime.timestampKey(b("2024-01-02 03:04:05+01")));
    }
}
