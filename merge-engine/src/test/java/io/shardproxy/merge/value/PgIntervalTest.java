package io.shardproxy.merge.value;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PgIntervalTest {

    /** The order PostgreSQL 17.11 gave these values (ORDER BY v); "1 mon" and "30 days" compare equal. */
    private static final List<String> POSTGRES_ORDER = List.of("-infinity", "-10 mons -3 days +04:05:06.789",
            "-2 days +01:00:00", "-00:00:01", "00:00:00", "00:00:01.5", "1 day", "25:00:00", "123:45:00", "30 days",
            "1 mon", "11 mons", "infinity");

    @Test
    void intervalsOrderAsPostgresComparesThem() {
        List<String> shuffled = new ArrayList<>(POSTGRES_ORDER);
        Collections.reverse(shuffled);
        Comparator<byte[]> order = ValueOrdering.forType(PgType.INTERVAL, false);
        shuffled.sort((a, b) -> order.compare(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII)));
        // Reversed input keeps "1 mon" before "30 days" (equal, stable): swap them back for the check.
        int mon = shuffled.indexOf("1 mon");
        int days = shuffled.indexOf("30 days");
        assertEquals(1, Math.abs(mon - days));
        Collections.swap(shuffled, mon, days);
        assertEquals(POSTGRES_ORDER, shuffled);
    }

    @Test
    void monthIsThirtyDaysAndDayIsTwentyFourHours() {
        assertEquals(PgInterval.key("1 mon".getBytes()), PgInterval.key("30 days".getBytes()));
        assertEquals(PgInterval.key("1 day".getBytes()), PgInterval.key("24:00:00".getBytes()));
        assertEquals(PgInterval.key("1 year".getBytes()), PgInterval.key("360 days".getBytes()));
    }
}
