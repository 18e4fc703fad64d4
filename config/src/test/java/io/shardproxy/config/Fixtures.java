package io.shardproxy.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** Small valid configs to build test cases from, and secrets computed the way PostgreSQL does. */
final class Fixtures {

    static final String SOURCE = "test.yaml";

    /** One trust user. */
    static final String USERS = """
            users:
              - {name: app, auth: trust}
            """;

    /** Two shards, s0 and s1. */
    static final String SHARDS = """
            shards:
              - {name: s0, url: "jdbc:postgresql://127.0.0.1:5432/db", user: postgres}
              - {name: s1, url: "jdbc:postgresql://127.0.0.1:5433/db", user: postgres}
            """;

    private Fixtures() {
    }

    static ProxyConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    static ProxyConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, SOURCE, env);
    }

    static ConfigException failure(String yaml) {
        return failure(yaml, Map.of());
    }

    static ConfigException failure(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE, env));
    }

    /** A users section with one user whose auth and secret lines are given. */
    static String user(String auth, String secret) {
        return "users:\n  - name: app\n    auth: " + auth + "\n"
                + (secret == null ? "" : "    secret: \"" + secret + "\"\n");
    }

    /** PostgreSQL's pg_authid SCRAM-SHA-256 verifier for a password (RFC 5802 keys). */
    static String scramVerifier(String password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$"
                    + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code verifier} was made from {@code password}, recomputed with its own salt. */
    static boolean scramMatches(String verifier, String password) {
        String[] parts = verifier.substring("SCRAM-SHA-256$".length()).split("[:$]");
        byte[] salt = Base64.getDecoder().decode(parts[1]);
        return scramVerifier(password, salt, Integer.parseInt(parts[0])).equals(verifier);
    }

    /** PostgreSQL's md5 password hash: "md5" + md5(password + username). */
    static String md5Secret(String password, String user) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest((password + user).getBytes(StandardCharsets.UTF_8));
            return "md5" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
