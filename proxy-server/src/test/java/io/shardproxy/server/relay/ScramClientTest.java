package io.shardproxy.server.relay;

import io.shardproxy.server.auth.AuthenticationFailedException;
import io.shardproxy.server.auth.ScramServerExchange;
import io.shardproxy.server.auth.ScramVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The relay's SCRAM client against the proxy's own SCRAM server (the integration test runs it against PostgreSQL). */
class ScramClientTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void theRightPasswordPassesBothWays() throws AuthenticationFailedException {
        ScramServerExchange server = new ScramServerExchange(ScramVerifier.generate("s3cret ü"), random);
        ScramClient client = new ScramClient("s3cret ü", random);
        byte[] serverFirst = server.clientFirst(client.clientFirst());
        byte[] serverFinal = server.clientFinal(client.clientFinal(serverFirst));
        client.serverFinal(serverFinal);
    }

    @Test
    void aWrongPasswordFailsOnTheServer() {
        ScramServerExchange server = new ScramServerExchange(ScramVerifier.generate("right"), random);
        ScramClient client = new ScramClient("wrong", random);
        byte[] serverFirst = server.clientFirst(client.clientFirst());
        assertThrows(AuthenticationFailedException.class, () -> server.clientFinal(client.clientFinal(serverFirst)));
    }

    @Test
    void aServerThatDoesNotKnowThePasswordIsRefused() throws AuthenticationFailedException {
        ScramServerExchange server = new ScramServerExchange(ScramVerifier.generate("pw"), random);
        ScramClient client = new ScramClient("pw", random);
        byte[] serverFirst = server.clientFirst(client.clientFirst());
        server.clientFinal(client.clientFinal(serverFirst));
        byte[] forged = "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalStateException.class, () -> client.serverFinal(forged));
    }

    @Test
    void aServerNonceThatDropsTheClientsIsRefused() {
        ScramClient client = new ScramClient("pw", random);
        client.clientFirst();
        byte[] serverFirst = "r=someoneelses,s=c2FsdA==,i=4096".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalStateException.class, () -> client.clientFinal(serverFirst));
    }
}
