package io.shardproxy.merge.value;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PgIntTest {

    private static long parse(String s) {
        return PgInt.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parsesTheWholeBigintRange() {
        assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
        assertEquals(0, parse("0"));
        assertEquals(-42, parse("-42"));
        assertEquals(4294967295L, parse("4294967295"));
    }

    @Test
    void rejectsTextThatIsNotAnInteger() {
        for (String bad : new String[] {"", "-", "9223372036854775808", "-9223372036854775809", "1.0", " 1", "1e3"}) {
            ShardProxyException e = assertThrows(ShardProxyException.class, () -> parse(bad), bad);
            assertEquals(SqlState.INTERNAL_ERROR, e.state());
        }
    }

    @Test
    void additionOverflowsWithPostgresMessage() {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> PgInt.add(Long.MAX_VALUE, 1));
        assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state());
        assertEquals("bigint out of range", e.getMessage());
        assertThrows(ShardProxyException.class, () -> PgInt.add(Long.MIN_VALUE, -1));
        assertEquals(-1, PgInt.add(Long.MAX_VALUE, Long.MIN_VALUE));
    }
}
