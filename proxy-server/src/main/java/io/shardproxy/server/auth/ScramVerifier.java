package io.shardproxy.server.auth;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * What the proxy stores for a SCRAM-SHA-256 user instead of the password, in PostgreSQL's pg_authid
 * format {@code SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>}
 * (which {@link #toString()} gives back). It lets the proxy check a client's proof, and proves the
 * proxy to the client, without being enough to log in as the user.
 *
 * <p>Invariants: iterations &gt; 0, a non-empty salt, 32-byte keys. Arrays are copied in and out.
 */
public record ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    /** The pg_authid prefix; also the SASL mechanism name. */
    public static final String PREFIX = "SCRAM-SHA-256";
    /** PostgreSQL's default scram_iterations. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** PostgreSQL's SCRAM_DEFAULT_SALT_LEN. */
    public static final int SALT_LENGTH = 16;
    /** SHA-256 output. */
    public static final int KEY_LENGTH = 32;

    static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;

    public ScramVerifier {
        if (iterations <= 0) {
            throw new IllegalArgumentException("SCRAM iterations must be positive");
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("SCRAM salt must not be empty");
        }
        if (storedKey.length != KEY_LENGTH || serverKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("SCRAM-SHA-256 keys must be " + KEY_LENGTH + " bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /**
     * Parses the pg_authid format. The message of the exception never quotes the input, which is a
     * secret.
     *
     * @throws IllegalArgumentException when the text is not a well-formed SCRAM-SHA-256 verifier
     */
    public static ScramVerifier parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("SCRAM verifier is missing");
        }
        // SCRAM-SHA-256 $ iterations:salt $ storedKey:serverKey
        String[] parts = text.split("\\$", -1);
        if (parts.length != 3 || !parts[0].equals(PREFIX)) {
            throw malformed("expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        String[] iterationsAndSalt = parts[1].split(":", -1);
        String[] keys = parts[2].split(":", -1);
        if (iterationsAndSalt.length != 2 || keys.length != 2) {
            throw malformed("expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(iterationsAndSalt[0]);
        } catch (NumberFormatException e) {
            throw malformed("iteration count is not a number");
        }
        if (iterations <= 0) {
            throw malformed("iteration count must be positive");
        }
        byte[] salt = base64(iterationsAndSalt[1], "salt");
        byte[] storedKey = base64(keys[0], "StoredKey");
        byte[] serverKey = base64(keys[1], "ServerKey");
        if (salt.length == 0) {
            throw malformed("salt is empty");
        }
        if (storedKey.length != KEY_LENGTH || serverKey.length != KEY_LENGTH) {
            throw malformed("StoredKey and ServerKey must decode to " + KEY_LENGTH + " bytes");
        }
        return new ScramVerifier(iterations, salt, storedKey, serverKey);
    }

    /** A verifier for {@code password} with a fresh random 16-byte salt and 4096 iterations. */
    public static ScramVerifier generate(String password) {
        return generate(password, new SecureRandom());
    }

    /** As {@link #generate(String)} with the given source of randomness. */
    public static ScramVerifier generate(String password, SecureRandom random) {
        return of(password, ScramFunctions.salt(SALT_LENGTH, random), DEFAULT_ITERATIONS);
    }

    /**
     * The verifier for {@code password} with the given salt and iterations, as PostgreSQL computes
     * it: SASLprep the password when it is valid for SASLprep, else use it as is.
     */
    public static ScramVerifier of(String password, byte[] salt, int iterations) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("SCRAM password must not be empty");
        }
        byte[] saltedPassword = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.POSTGRESQL_PREPARATION,
                password.toCharArray(), salt, iterations);
        byte[] clientKey = ScramFunctions.clientKey(MECHANISM, saltedPassword);
        return new ScramVerifier(iterations, salt, ScramFunctions.storedKey(MECHANISM, clientKey),
                ScramFunctions.serverKey(MECHANISM, saltedPassword));
    }

    /**
     * A stand-in verifier for a user that does not exist (or cannot use SCRAM), so the exchange can
     * run to the end as for a real user and the client cannot probe for user names. Deterministic
     * in the user name and the per-process secret: the same unknown user always gets the same salt,
     * as a real one would. No password matches it in practice; {@link ScramServerExchange#doomed}
     * fails the exchange regardless.
     */
    public static ScramVerifier mock(String user, byte[] processSecret) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] salt = Arrays.copyOf(ScramFunctions.hmac(MECHANISM, processSecret, concat("salt:", name)), SALT_LENGTH);
        return new ScramVerifier(DEFAULT_ITERATIONS, salt,
                ScramFunctions.hmac(MECHANISM, processSecret, concat("stored:", name)),
                ScramFunctions.hmac(MECHANISM, processSecret, concat("server:", name)));
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** The pg_authid format, as stored in the config. */
    @Override
    public String toString() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramVerifier v && iterations == v.iterations && Arrays.equals(salt, v.salt)
                && Arrays.equals(storedKey, v.storedKey) && Arrays.equals(serverKey, v.serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(storedKey);
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // no cause: the JDK's message quotes the offending character
            throw malformed(what + " is not valid base64");
        }
    }

    private static byte[] concat(String label, byte[] name) {
        byte[] prefix = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + name.length);
        System.arraycopy(name, 0, out, prefix.length, name.length);
        return out;
    }

    private static IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("malformed SCRAM-SHA-256 verifier: " + what);
    }
}
