package io.shardproxy.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * PostgreSQL's md5 password scheme. The stored secret is {@code "md5" + hex(md5(password + user))};
 * the client answers AuthenticationMD5Password with {@code "md5" + hex(md5(hex-part + salt))} and
 * a NUL. Kept for clients that cannot do SCRAM; md5 is weak, so prefer scram-sha-256.
 */
public final class Md5Password {
    private static final HexFormat HEX = HexFormat.of();

    private Md5Password() {
    }

    /** The stored form for a user: "md5" + 32 lowercase hex digits. */
    public static String hash(String user, String password) {
        return "md5" + HEX.formatHex(md5(concat(password.getBytes(StandardCharsets.UTF_8),
                user.getBytes(StandardCharsets.UTF_8))));
    }

    /** Whether {@code text} has the stored form ("md5" + 32 lowercase hex digits). */
    public static boolean isHash(String text) {
        return text != null && text.length() == 35 && text.startsWith("md5")
                && text.substring(3).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** Four random bytes for AuthenticationMD5Password, fresh per attempt. */
    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[4];
        random.nextBytes(salt);
        return salt;
    }

    /**
     * Checks the client's answer in constant time.
     *
     * @param storedHash     the user's stored secret, from {@link #hash}
     * @param salt           the 4 bytes sent in AuthenticationMD5Password
     * @param clientResponse the PasswordMessage body: "md5" + 32 hex, with or without its NUL
     * @throws IllegalArgumentException when the stored secret is not an md5 hash (a config error;
     *                                  the message does not quote it)
     */
    public static boolean verify(String storedHash, byte[] salt, byte[] clientResponse) {
        if (!isHash(storedHash)) {
            throw new IllegalArgumentException("stored md5 secret is not \"md5\" followed by 32 hex digits");
        }
        if (salt.length != 4) {
            throw new IllegalArgumentException("md5 salt must be 4 bytes");
        }
        byte[] response = clientResponse.length > 0 && clientResponse[clientResponse.length - 1] == 0
                ? Arrays.copyOf(clientResponse, clientResponse.length - 1)
                : clientResponse;
        return MessageDigest.isEqual(response(storedHash, salt).getBytes(StandardCharsets.US_ASCII), response);
    }

    /** The answer to AuthenticationMD5Password: "md5" + hex of md5(hex part of the stored hash + salt). */
    public static String response(String storedHash, byte[] salt) {
        return "md5" + HEX.formatHex(md5(concat(storedHash.substring(3).getBytes(StandardCharsets.US_ASCII), salt)));
    }

    private static byte[] md5(byte[] input) {
        try {
            return MessageDigest.getInstance("MD5").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
