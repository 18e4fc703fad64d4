package io.shardproxy.server.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Md5PasswordTest {

    // python3: "md5" + hashlib.md5(b"pencil" + b"user").hexdigest()
    private static final String STORED = "md520c46e3762c864548e296b33c3406aa9";
    private static final byte[] SALT = {1, 2, 3, 4};
    // python3: "md5" + hashlib.md5(STORED[3:].encode() + bytes([1, 2, 3, 4])).hexdigest()
    private static final String RESPONSE = "md54376eb6913b38f9aaff38dc7cf19ca76";

    @Test
    void hashIsMd5OfPasswordThenUser() {
        assertEquals(STORED, Md5Password.hash("user", "pencil"));
        assertEquals("md54a0a68b43b6cd5cf266fa02f196e2371", Md5Password.hash("alice", "secret"));
    }

    @Test
    void verifyAcceptsTheClientsAnswerWithOrWithoutItsNul() {
        assertTrue(Md5Password.verify(STORED, SALT, bytes(RESPONSE + "\0")));
        assertTrue(Md5Password.verify(STORED, SALT, bytes(RESPONSE)));
    }

    @Test
    void verifyRejectsWrongAnswers() {
        assertFalse(Md5Password.verify(STORED, new byte[] {1, 2, 3, 5}, bytes(RESPONSE + "\0")));
        assertFalse(Md5Password.verify(Md5Password.hash("user", "pencil2"), SALT, bytes(RESPONSE + "\0")));
        assertFalse(Md5Password.verify(STORED, SALT, bytes(RESPONSE.toUpperCase() + "\0")));
        assertFalse(Md5Password.verify(STORED, SALT, bytes(RESPONSE + "\0\0")));
        assertFalse(Md5Password.verify(STORED, SALT, new byte[0]));
    }

    @Test
    void malformedStoredHashIsAConfigErrorThatDoesNotQuoteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Md5Password.verify("md5nothex", SALT, bytes(RESPONSE)));
        assertFalse(e.getMessage().contains("nothex"));
        assertFalse(Md5Password.isHash("SCRAM-SHA-256$4096:x$y:z"));
        assertTrue(Md5Password.isHash(STORED));
    }

    @Test
    void saltsAreFourFreshBytes() {
        assertEquals(4, Md5Password.newSalt(new SecureRandom()).length);
    }

    @Test
    void passwordToolProducesWhatTheVerifiersAccept() throws Exception {
        assertEquals(STORED, PasswordTool.md5("user", "pencil"));
        ScramVerifier verifier = ScramVerifier.parse(PasswordTool.scramVerifier("pencil"));
        assertEquals(verifier, ScramVerifier.of("pencil", verifier.salt(), verifier.iterations()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
