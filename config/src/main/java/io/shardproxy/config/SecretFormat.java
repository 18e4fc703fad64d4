package io.shardproxy.config;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Checks that a user's secret has the form its auth method needs; these are the two forms
 * PostgreSQL itself stores in {@code pg_authid.rolpassword}:
 * <pre>
 * scram-sha-256  SCRAM-SHA-256$&lt;iterations&gt;:&lt;base64 salt&gt;$&lt;base64 StoredKey&gt;:&lt;base64 ServerKey&gt;
 *                (StoredKey and ServerKey are 32 bytes: SHA-256 sized)
 * md5            md5&lt;32 lowercase hex digits&gt;   = "md5" + md5(password + username)
 * </pre>
 * Only the form is checked: whether an md5 hash was computed with this user's name cannot be known.
 * Problems describe the form, never the value.
 */
final class SecretFormat {

    static final String SCRAM_PREFIX = "SCRAM-SHA-256$";
    static final String SCRAM_FORM = "SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>";
    static final String HOW_TO_GET = "print one with ./shardproxy passwd <user>, or read pg_authid.rolpassword";

    private static final Pattern MD5 = Pattern.compile("md5[0-9a-f]{32}");
    private static final Pattern ITERATIONS = Pattern.compile("[1-9][0-9]{0,9}");
    private static final int SCRAM_KEY_BYTES = 32;

    private SecretFormat() {
    }

    /** The problem with {@code secret} as a SCRAM-SHA-256 verifier, or null when it is one. */
    static String scramProblem(String secret) {
        if (!secret.startsWith(SCRAM_PREFIX)) {
            return (MD5.matcher(secret).matches() ? "is an md5 hash, but auth is scram-sha-256 (set auth: md5)"
                    : "is not a SCRAM-SHA-256 verifier (expected " + SCRAM_FORM + ")")
                    + "; the secret is never the password itself: " + HOW_TO_GET;
        }
        String[] halves = secret.substring(SCRAM_PREFIX.length()).split("\\$", -1);
        String[] params = halves[0].split(":", -1);
        String[] keys = halves.length == 2 ? halves[1].split(":", -1) : new String[0];
        if (halves.length != 2 || params.length != 2 || keys.length != 2) {
            return "is not a SCRAM-SHA-256 verifier (expected " + SCRAM_FORM + "); " + HOW_TO_GET;
        }
        if (!ITERATIONS.matcher(params[0]).matches() || Long.parseLong(params[0]) > Integer.MAX_VALUE) {
            return "SCRAM verifier has a bad iteration count (expected a positive integer, e.g. 4096)";
        }
        byte[] salt = base64(params[1]);
        if (salt == null || salt.length == 0) {
            return "SCRAM verifier has a salt that is not non-empty base64";
        }
        String storedKey = keyProblem("StoredKey", keys[0]);
        return storedKey != null ? storedKey : keyProblem("ServerKey", keys[1]);
    }

    /** The problem with {@code secret} as an md5 hash, or null when it is one. */
    static String md5Problem(String secret) {
        if (MD5.matcher(secret).matches()) {
            return null;
        }
        if (secret.startsWith(SCRAM_PREFIX)) {
            return "is a SCRAM verifier, but auth is md5 (set auth: scram-sha-256)";
        }
        return "is not an md5 hash (expected \"md5\" followed by 32 lowercase hex digits, md5(password + username));"
                + " the secret is never the password itself: " + HOW_TO_GET;
    }

    private static String keyProblem(String name, String base64) {
        byte[] key = base64(base64);
        if (key == null) {
            return "SCRAM verifier has a " + name + " that is not base64";
        }
        if (key.length != SCRAM_KEY_BYTES) {
            return "SCRAM verifier has a " + name + " of " + key.length + " bytes, expected " + SCRAM_KEY_BYTES;
        }
        return null;
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
