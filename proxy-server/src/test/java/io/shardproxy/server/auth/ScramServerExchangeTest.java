package io.shardproxy.server.auth;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.StringPreparation;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.server.wire.SaslInitialResponse;
import org.junit.jupiter.api.Test;
import org.postgresql.shaded.com.ongres.scram.client.ScramClient;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScramServerExchangeTest {

    // RFC 7677 section 3: user "user", password "pencil"
    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String RFC_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String RFC_CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String RFC_SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String RFC_CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String RFC_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void rfc7677ExampleReproducesTheServerMessagesByteForByte() throws Exception {
        ScramServerExchange exchange = rfcExchange("pencil");
        assertEquals(RFC_SERVER_FIRST, ascii(exchange.clientFirst(ascii(RFC_CLIENT_FIRST))));
        assertEquals(RFC_SERVER_FINAL, ascii(exchange.clientFinal(ascii(RFC_CLIENT_FINAL))));
    }

    @Test
    void wrongPasswordFailsWithAuthenticationFailed() {
        ScramServerExchange exchange = rfcExchange("pencil2");
        exchange.clientFirst(ascii(RFC_CLIENT_FIRST));
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.clientFinal(ascii(RFC_CLIENT_FINAL)));
        assertTrue(e.getMessage().contains("proof"), e.getMessage());
    }

    @Test
    void tamperedNonceFailsEvenWithAProofComputedForIt() {
        ScramServerExchange exchange = rfcExchange("pencil");
        byte[] serverFirst = exchange.clientFirst(ascii(RFC_CLIENT_FIRST));
        Client client = new Client("pencil", "n,,", "n=user,r=rOprNGfwEbeRWgbNEkqO");
        String tampered = ascii(serverFirst).replace("k0,", "k1,");
        String clientFinal = client.clientFinal(tampered, "biws");
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.clientFinal(ascii(clientFinal)));
        assertTrue(e.getMessage().contains("nonce"), e.getMessage());
    }

    @Test
    void channelBindingThatDiffersFromTheGs2HeaderFails() {
        ScramServerExchange exchange = rfcExchange("pencil");
        String serverFirst = ascii(exchange.clientFirst(ascii(RFC_CLIENT_FIRST)));
        // "eSws" is base64("y,,") but the client said "n"
        String clientFinal = new Client("pencil", "n,,", "n=user,r=rOprNGfwEbeRWgbNEkqO")
                .clientFinal(serverFirst, "eSws");
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.clientFinal(ascii(clientFinal)));
        assertTrue(e.getMessage().contains("channel binding"), e.getMessage());
    }

    @Test
    void generatedVerifierAuthenticatesALibpqStyleClientWithAnEmptyUserName() throws Exception {
        ScramVerifier verifier = ScramVerifier.generate("s3cr\u00e9t");
        for (String gs2 : List.of("n,,", "y,,")) {
            ScramServerExchange exchange = new ScramServerExchange(verifier, RANDOM);
            Client client = new Client("s3cr\u00e9t", gs2, "n=,r=" + ScramFunctions.nonce(24, RANDOM));
            String serverFirst = ascii(exchange.clientFirst(ascii(client.clientFirst())));
            String cbind = Base64.getEncoder().encodeToString(ascii(gs2));
            String serverFinal = ascii(exchange.clientFinal(ascii(client.clientFinal(serverFirst, cbind))));
            assertTrue(client.verifiesServer(serverFinal), "server signature verifies for " + gs2);
        }
    }

    @Test
    void pgjdbcsScramClientAuthenticates() throws Exception {
        ScramVerifier verifier = ScramVerifier.generate("pencil");
        ScramServerExchange exchange = new ScramServerExchange(verifier, RANDOM);
        // as pgjdbc's ScramAuthenticator drives it
        ScramClient client = ScramClient.builder()
                .advertisedMechanisms(List.of(ScramServerExchange.MECHANISM))
                .username("*")
                .password("pencil".toCharArray())
                .build();
        byte[] serverFirst = exchange.clientFirst(ascii(client.clientFirstMessage().toString()));
        client.serverFirstMessage(ascii(serverFirst));
        byte[] serverFinal = exchange.clientFinal(ascii(client.clientFinalMessage().toString()));
        client.serverFinalMessage(ascii(serverFinal)); // throws when the server signature is wrong
    }

    @Test
    void doomedExchangeLooksRealUntilTheEnd() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        ScramServerExchange doomed = ScramServerExchange.doomed("ghost", secret, RANDOM);
        String serverFirst = ascii(doomed.clientFirst(ascii("n,,n=,r=abc")));
        assertTrue(serverFirst.matches("r=abc[!-~&&[^,]]{24},s=[A-Za-z0-9+/]{22}==,i=4096"), serverFirst);
        String salt = serverFirst.split(",")[1];
        assertEquals(salt, ascii(ScramServerExchange.doomed("ghost", secret, RANDOM).clientFirst(ascii("n,,n=,r=x")))
                .split(",")[1], "the same unknown user always gets the same salt");
        assertNotEquals(salt, ascii(ScramServerExchange.doomed("other", secret, RANDOM)
                .clientFirst(ascii("n,,n=,r=x"))).split(",")[1]);

        String clientFinal = new Client("anything", "n,,", "n=,r=abc").clientFinal(serverFirst, "biws");
        assertThrows(AuthenticationFailedException.class, () -> doomed.clientFinal(ascii(clientFinal)));
    }

    @Test
    void initialResponseMustNameScramSha256AndCarryData() {
        ScramServerExchange exchange = rfcExchange("pencil");
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> exchange.clientFirst(new SaslInitialResponse("SCRAM-SHA-256-PLUS", ascii(RFC_CLIENT_FIRST))));
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertThrows(ShardProxyException.class,
                () -> exchange.clientFirst(new SaslInitialResponse("SCRAM-SHA-256", null)));
        SaslInitialResponse initial = new SaslInitialResponse("SCRAM-SHA-256", ascii(RFC_CLIENT_FIRST));
        assertEquals(RFC_SERVER_FIRST, ascii(rfcExchange("pencil").clientFirst(initial)));
    }

    @Test
    void channelBindingRequiredIsRefused() {
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> rfcExchange("pencil").clientFirst(ascii("p=tls-server-end-point,,n=,r=abc")));
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertTrue(e.detail().contains("channel binding"), e.detail());
    }

    @Test
    void authorizationIdentityAndMandatoryExtensionsAreRefused() {
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, assertThrows(ShardProxyException.class,
                () -> rfcExchange("pencil").clientFirst(ascii("n,a=admin,n=,r=abc"))).state());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, assertThrows(ShardProxyException.class,
                () -> rfcExchange("pencil").clientFirst(ascii("n,,m=ext,n=,r=abc"))).state());
    }

    @Test
    void malformedClientFirstMessagesAreProtocolViolations() {
        for (String bad : List.of("", "x,,n=,r=abc", "n", "n,", "n,,", "n,,r=abc", "n,,n=,x=abc", "n,,n=,r=",
                "n,,n=,r=a b", "n,,n=,r=abc,1")) {
            ShardProxyException e = assertThrows(ShardProxyException.class,
                    () -> rfcExchange("pencil").clientFirst(ascii(bad)), bad);
            assertEquals(SqlState.PROTOCOL_VIOLATION, e.state(), bad);
        }
        // extensions are ignored, as PostgreSQL does
        rfcExchange("pencil").clientFirst(ascii("n,,n=,r=abc,x=1"));
    }

    @Test
    void malformedClientFinalMessagesAreProtocolViolations() {
        String nonce = "r=rOprNGfwEbeRWgbNEkqO" + RFC_SERVER_NONCE;
        for (String bad : List.of("c=biws," + nonce, "c=biws," + nonce + ",p=!!!", "c=biws," + nonce + ",p=AAAA",
                "c=biws," + nonce + ",p=" + RFC_CLIENT_FINAL.split("p=")[1] + ",x=1", nonce + ",c=biws,p=AAAA")) {
            ScramServerExchange exchange = rfcExchange("pencil");
            exchange.clientFirst(ascii(RFC_CLIENT_FIRST));
            ShardProxyException e = assertThrows(ShardProxyException.class,
                    () -> exchange.clientFinal(ascii(bad)), bad);
            assertEquals(SqlState.PROTOCOL_VIOLATION, e.state(), bad);
        }
    }

    @Test
    void stepsOutOfOrderAreAProgrammingError() {
        ScramServerExchange exchange = rfcExchange("pencil");
        assertThrows(IllegalStateException.class, () -> exchange.clientFinal(ascii(RFC_CLIENT_FINAL)));
        ScramServerExchange done = rfcExchange("pencil");
        done.clientFirst(ascii(RFC_CLIENT_FIRST));
        assertThrows(IllegalStateException.class, () -> done.clientFirst(ascii(RFC_CLIENT_FIRST)));
    }

    @Test
    void clientErrorIsTheSame28P01WhateverTheReason() {
        ShardProxyException e = AuthenticationFailedException.clientError("bob");
        assertEquals(SqlState.INVALID_PASSWORD, e.state());
        assertEquals("password authentication failed for user \"bob\"", e.getMessage());
    }

    private static ScramServerExchange rfcExchange(String password) {
        return ScramServerExchange.withServerNonce(ScramVerifier.of(password, RFC_SALT, 4096), RFC_SERVER_NONCE);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A SCRAM-SHA-256 client built from scram-common's functions, independent of the server code. */
    private static final class Client {
        private static final ScramMechanism SHA256 = ScramMechanism.SCRAM_SHA_256;
        private final String password;
        private final String gs2Header;
        private final String clientFirstBare;
        private byte[] saltedPassword;
        private String authMessage;

        Client(String password, String gs2Header, String clientFirstBare) {
            this.password = password;
            this.gs2Header = gs2Header;
            this.clientFirstBare = clientFirstBare;
        }

        String clientFirst() {
            return gs2Header + clientFirstBare;
        }

        String clientFinal(String serverFirst, String channelBinding) {
            String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf("r=") + 2);
            ServerFirstMessage parsed;
            try {
                parsed = ServerFirstMessage.parseFrom(serverFirst, clientNonce);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            saltedPassword = ScramFunctions.saltedPassword(SHA256, StringPreparation.POSTGRESQL_PREPARATION,
                    password.toCharArray(), Base64.getDecoder().decode(parsed.getSalt()), parsed.getIterationCount());
            String withoutProof = "c=" + channelBinding + ",r=" + parsed.getNonce();
            authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] clientKey = ScramFunctions.clientKey(SHA256, saltedPassword);
            byte[] signature = ScramFunctions.clientSignature(SHA256, ScramFunctions.storedKey(SHA256, clientKey),
                    authMessage);
            byte[] proof = ScramFunctions.clientProof(clientKey, signature);
            return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
        }

        boolean verifiesServer(String serverFinal) {
            byte[] signature = Base64.getDecoder().decode(serverFinal.substring(2));
            return ScramFunctions.verifyServerSignature(SHA256, ScramFunctions.serverKey(SHA256, saltedPassword),
                    authMessage, signature);
        }
    }
}
