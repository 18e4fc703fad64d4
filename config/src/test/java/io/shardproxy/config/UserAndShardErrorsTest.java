package io.shardproxy.config;

import static io.shardproxy.config.Fixtures.SHARDS;
import static io.shardproxy.config.Fixtures.USERS;
import static io.shardproxy.config.Fixtures.failure;
import static io.shardproxy.config.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors in the users and shards sections. */
class UserAndShardErrorsTest {

    private static final String SCRAM = Fixtures.scramVerifier("pw", new byte[16], 4096);

    @Test
    void duplicateUserNamesAreAnError() {
        ConfigException e = failure("""
                users:
                  - {name: app, auth: trust}
                  - {name: admin, auth: trust}
                  - {name: app, auth: trust}
                """ + SHARDS);

        assertEquals("users[2].name", e.path());
        assertEquals("test.yaml: users[2].name: duplicate user name \"app\" (also at users[0].name)", e.getMessage());
    }

    @Test
    void unknownAuthMethodListsTheAllowedOnes() {
        ConfigException e = failure(user("password", null) + SHARDS);

        assertEquals("test.yaml: users[0].auth: unknown value \"password\" (allowed: scram-sha-256, md5, trust)",
                e.getMessage());
    }

    @Test
    void trustUserWithSecretIsAnError() {
        ConfigException e = failure(user("trust", SCRAM) + SHARDS);

        assertEquals("users[0].secret", e.path());
        assertEquals("test.yaml: users[0].secret: a trust user takes no secret (remove it, or use auth:"
                + " scram-sha-256)", e.getMessage());
    }

    @Test
    void scramUserWithoutSecretIsAnError() {
        assertEquals("test.yaml: users[0].secret: required key is missing",
                failure(user("scram-sha-256", null) + SHARDS).getMessage());
    }

    @Test
    void passwordInsteadOfScramVerifierIsAnError() {
        ConfigException e = failure(user("scram-sha-256", "not-a-verifier") + SHARDS);

        assertEquals("users[0].secret", e.path());
        assertEquals("test.yaml: users[0].secret: is not a SCRAM-SHA-256 verifier (expected"
                + " SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>); the secret is"
                + " never the password itself: print one with ./shardproxy passwd <user>, or read"
                + " pg_authid.rolpassword", e.getMessage());
    }

    @Test
    void scramVerifierWithShortKeyIsAnError() {
        String shortKey = SCRAM.substring(0, SCRAM.lastIndexOf(':')) + ":AAAA";

        assertEquals("test.yaml: users[0].secret: SCRAM verifier has a ServerKey of 3 bytes, expected 32",
                failure(user("scram-sha-256", shortKey) + SHARDS).getMessage());
    }

    @Test
    void scramVerifierWithBadIterationCountIsAnError() {
        String zero = SCRAM.replace("$4096:", "$0:");

        assertEquals("test.yaml: users[0].secret: SCRAM verifier has a bad iteration count (expected a positive"
                + " integer, e.g. 4096)", failure(user("scram-sha-256", zero) + SHARDS).getMessage());
    }

    @Test
    void scramVerifierWithKeyThatIsNotBase64IsAnError() {
        String[] parts = SCRAM.split("\\$"); // SCRAM-SHA-256, iterations:salt, StoredKey:ServerKey
        String notBase64 = parts[0] + "$" + parts[1] + "$!!!!" + parts[2].substring(parts[2].indexOf(':'));

        assertEquals("test.yaml: users[0].secret: SCRAM verifier has a StoredKey that is not base64",
                failure(user("scram-sha-256", notBase64) + SHARDS).getMessage());
    }

    @Test
    void scramVerifierMissingAPartIsAnError() {
        String noServerKey = SCRAM.substring(0, SCRAM.lastIndexOf(':'));

        ConfigException e = failure(user("scram-sha-256", noServerKey) + SHARDS);
        assertTrue(e.getMessage().startsWith("test.yaml: users[0].secret: is not a SCRAM-SHA-256 verifier"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5", "md5C0BB0377275F05208B4D07C33A830E44", "md5c0bb0377275f05208b4d07c33a830e4",
        "c0bb0377275f05208b4d07c33a830e44xyz"})
    void badMd5SecretIsAnError(String secret) {
        ConfigException e = failure(user("md5", secret) + SHARDS);

        assertEquals("users[0].secret", e.path());
        assertEquals("test.yaml: users[0].secret: is not an md5 hash (expected \"md5\" followed by 32 lowercase hex"
                + " digits, md5(password + username)); the secret is never the password itself: print one with"
                + " ./shardproxy passwd <user>, or read pg_authid.rolpassword", e.getMessage());
    }

    @Test
    void secretOfTheOtherMethodSaysWhichAuthToUse() {
        assertEquals("test.yaml: users[0].secret: is a SCRAM verifier, but auth is md5 (set auth: scram-sha-256)",
                failure(user("md5", SCRAM) + SHARDS).getMessage());
        assertEquals("test.yaml: users[0].secret: is an md5 hash, but auth is scram-sha-256 (set auth: md5); the"
                + " secret is never the password itself: print one with ./shardproxy passwd <user>, or read"
                + " pg_authid.rolpassword",
                failure(user("scram-sha-256", Fixtures.md5Secret("pw", "app")) + SHARDS).getMessage());
    }

    @Test
    void duplicateShardNamesAreAnError() {
        ConfigException e = failure(USERS + SHARDS + "  - {name: s0, url: \"jdbc:postgresql://h/other\", user: u}\n");

        assertEquals("shards[2].name", e.path());
        assertEquals("test.yaml: shards[2].name: duplicate shard name \"s0\" (also at shards[0].name)", e.getMessage());
    }

    @Test
    void shardNameWithOtherCharactersIsAnError() {
        ConfigException e = failure(USERS + "shards:\n  - {name: \"shard 0\", url: \"jdbc:postgresql://h/d\", user: u}\n");

        assertEquals("test.yaml: shards[0].name: malformed shard name \"shard 0\" (use letters, digits, _ and -)",
                e.getMessage());
    }

    @Test
    void malformedJdbcUrlIsAnError() {
        ConfigException e = failure(USERS + SHARDS + "  - {name: s2, url: \"jdbc:mysql://x/db\", user: u}\n");

        assertEquals("shards[2].url", e.path());
        assertEquals("test.yaml: shards[2].url: malformed JDBC URL \"jdbc:mysql://x/db\" (expected"
                + " jdbc:postgresql://host[:port]/database)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://h", "jdbc:postgresql://h:5432/", "jdbc:postgresql:db",
        "postgresql://h/db", "jdbc:postgresql://h1:5432,h2:5432/db", "jdbc:postgresql://h:port/db",
        "jdbc:postgresql://h/db/extra", "jdbc:postgresql://h/d b"})
    void urlThatIsNotOneHostAndOneDatabaseIsMalformed(String url) {
        ConfigException e = failure(USERS + "shards:\n  - {name: s0, url: \"" + url + "\", user: u}\n");

        assertEquals("test.yaml: shards[0].url: malformed JDBC URL \"" + url + "\" (expected"
                + " jdbc:postgresql://host[:port]/database)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1/db", "jdbc:postgresql://db-1.internal:6543/app_db",
        "jdbc:postgresql://[::1]:5432/db", "jdbc:postgresql://h/db?sslmode=require&ApplicationName=proxy"})
    void urlWithOneHostAndOneDatabaseIsAccepted(String url) {
        ProxyConfig config = Fixtures.parse(USERS + "shards:\n  - {name: s0, url: \"" + url + "\", user: u}\n");

        assertEquals(url, config.shards().get(0).url());
    }

    @Test
    void urlPortOutOfRangeIsAnError() {
        assertEquals("test.yaml: shards[0].url: port 70000 in JDBC URL \"jdbc:postgresql://h:70000/db\" is out of"
                + " range (1..65535)",
                failure(USERS + "shards:\n  - {name: s0, url: \"jdbc:postgresql://h:70000/db\", user: u}\n")
                        .getMessage());
    }

    @Test
    void twoShardsOnTheSameUrlAreAnError() {
        ConfigException e = failure(USERS + SHARDS + "  - {name: s2, url: \"jdbc:postgresql://127.0.0.1:5432/db\","
                + " user: other}\n");

        assertEquals("test.yaml: shards[2].url: same URL as shards[0].url; two shards must be two databases",
                e.getMessage());
    }
}
