package io.shardproxy.server.wire;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import static io.shardproxy.server.wire.FrontendDecoderTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SaslInitialResponseTest {

    @Test
    void parsesMechanismAndInitialResponse() {
        // "SCRAM-SHA-256" NUL, Int32 5, "n,,n="
        SaslInitialResponse r = SaslInitialResponse.parse(hex("534352414d2d5348412d32353600 00000005 6e2c2c6e3d"));
        assertEquals("SCRAM-SHA-256", r.mechanism());
        assertArrayEquals("n,,n=".getBytes(), r.data());
    }

    @Test
    void lengthMinusOneMeansNoData() {
        assertNull(SaslInitialResponse.parse(hex("7800 ffffffff")).data());
    }

    @Test
    void dataThatOverrunsOrTrailsIsAProtocolViolation() {
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> SaslInitialResponse.parse(hex("7800 00000005 6e2c")));
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertEquals("invalid SASLInitialResponse message: initial response needs 5 byte(s) but only 2 remain",
                e.getMessage());
        assertThrows(ShardProxyException.class, () -> SaslInitialResponse.parse(hex("7800 00000001 6e 2c")));
        assertThrows(ShardProxyException.class, () -> SaslInitialResponse.parse(hex("7800 fffffffe")));
        assertThrows(ShardProxyException.class, () -> SaslInitialResponse.parse(hex("78")));
    }
}
