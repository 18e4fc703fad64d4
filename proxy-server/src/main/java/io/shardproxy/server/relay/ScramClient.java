package io.shardproxy.server.relay;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it: no channel
 * binding, and an empty user name in the client-first message (the server takes the user from the
 * startup packet).
 */
final class ScramClient {
    static final String MECHANISM = "SCRAM-SHA-256";
    private static final ScramMechanism SHA_256 = ScramMechanism.SCRAM_SHA_256;

    private final String password;
    private final String clientNonce;
    private final String clientFirstBare;
    private byte[] serverSignature;

    ScramClient(String password, SecureRandom random) {
        this.password = password;
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    byte[] clientFirst() {
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** The client-final message for the server-first message {@code serverFirst}. */
    byte[] clientFinal(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String nonce = null;
        byte[] salt = null;
        int iterations = 0;
        for (String attribute : serverFirst.split(",")) {
            if (attribute.startsWith("r=")) {
                nonce = attribute.substring(2);
            } else if (attribute.startsWith("s=")) {
                salt = Base64.getDecoder().decode(attribute.substring(2));
            } else if (attribute.startsWith("i=")) {
                iterations = Integer.parseInt(attribute.substring(2));
            }
        }
        if (nonce == null || !nonce.startsWith(clientNonce) || salt == null || iterations <= 0) {
            throw new IllegalStateException("malformed SCRAM server-first message");
        }
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] salted = ScramFunctions.saltedPassword(SHA_256, StringPreparation.POSTGRESQL_PREPARATION,
                password.toCharArray(), salt, iterations);
        byte[] clientKey = ScramFunctions.clientKey(SHA_256, salted);
        byte[] storedKey = ScramFunctions.storedKey(SHA_256, clientKey);
        byte[] clientSignature = ScramFunctions.hmac(SHA_256, storedKey, authMessage);
        byte[] proof = clientKey.clone();
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= clientSignature[i];
        }
        serverSignature = ScramFunctions.hmac(SHA_256, ScramFunctions.serverKey(SHA_256, salted), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the server-final message: the server knew the password too. */
    void serverFinal(byte[] serverFinalBytes) {
        String serverFinal = new String(serverFinalBytes, StandardCharsets.UTF_8);
        if (!serverFinal.startsWith("v=") || serverSignature == null
                || !MessageDigest.isEqual(serverSignature, Base64.getDecoder().decode(serverFinal.substring(2).split(",")[0]))) {
            throw new IllegalStateException("the shard's SCRAM server signature does not match");
        }
    }
}
