package io.shardproxy.server.auth;

/**
 * Turns a password into the secret the config stores, for the command line. The password itself is
 * never stored or printed by the proxy.
 */
public final class PasswordTool {

    private PasswordTool() {
    }

    /** A SCRAM-SHA-256 verifier in pg_authid format, with a fresh random salt. */
    public static String scramVerifier(String password) {
        return ScramVerifier.generate(password).toString();
    }

    /** The md5 secret: "md5" + hex(md5(password + user)). */
    public static String md5(String user, String password) {
        return Md5Password.hash(user, password);
    }
}
