package io.shardproxy.server.auth;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScramVerifierTest {

    /** "pencil" with the RFC 7677 salt, computed independently with Python's hashlib/hmac. */
    private static final String PENCIL =
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="
                    + ":wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

    @Test
    void computesWhatPostgresStoresForAPassword() {
        ScramVerifier v = ScramVerifier.of("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        assertEquals(PENCIL, v.toString());
    }

    @Test
    void parseAndToStringRoundTrip() {
        ScramVerifier v = ScramVerifier.parse(PENCIL);
        assertEquals(4096, v.iterations());
        assertEquals(16, v.salt().length);
        assertEquals(PENCIL, v.toString());
        assertEquals(v, ScramVerifier.parse(v.toString()));
    }

    @Test
    void generateUsesAFreshSixteenByteSaltAnd4096Iterations() {
        ScramVerifier a = ScramVerifier.generate("pencil");
        ScramVerifier b = ScramVerifier.generate("pencil");
        assertEquals(16, a.salt().length);
        assertEquals(4096, a.iterations());
        assertNotEquals(a, b);
        assertEquals(a, ScramVerifier.of("pencil", a.salt(), 4096));
        assertEquals(a, ScramVerifier.parse(a.toString()));
    }

    @Test
    void passwordsAreSaslPrepped() {
        byte[] salt = new byte[16];
        // U+00A0 NO-BREAK SPACE maps to a space under SASLprep, as PostgreSQL does it
        assertEquals(ScramVerifier.of("a b", salt, 4096), ScramVerifier.of("a\u00a0b", salt, 4096));
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.of("", salt, 4096));
    }

    @Test
    void malformedVerifiersAreRefusedWithoutQuotingThem() {
        String key = "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=";
        for (String bad : List.of("", "md5abc", "SCRAM-SHA-256$4096:c2FsdA==$" + key,
                "SCRAM-SHA-1$4096:c2FsdA==$" + key + ":" + key,
                "SCRAM-SHA-256$x:c2FsdA==$" + key + ":" + key,
                "SCRAM-SHA-256$0:c2FsdA==$" + key + ":" + key,
                "SCRAM-SHA-256$4096:c2Fs*A==$" + key + ":" + key,
                "SCRAM-SHA-256$4096:$" + key + ":" + key,
                "SCRAM-SHA-256$4096:c2FsdA==$c2FsdA==:" + key,
                "SCRAM-SHA-256$4096:c2FsdA==$" + key + ":" + key + "$x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScramVerifier.parse(bad),
                    bad);
            assertTrue(e.getMessage().startsWith("malformed SCRAM-SHA-256 verifier"), e.getMessage());
            assertFalse(!bad.isEmpty() && e.getMessage().contains(bad), "message quotes the secret");
            assertFalse(e.getMessage().contains(key), "message quotes the key");
        }
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.parse(null));
    }

    @Test
    void accessorsCopySoTheVerifierCannotBeChanged() {
        ScramVerifier v = ScramVerifier.parse(PENCIL);
        v.storedKey()[0] ^= 1;
        v.salt()[0] ^= 1;
        assertEquals(PENCIL, v.toString());
    }
}
