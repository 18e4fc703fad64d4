package io.shardproxy.config;

import static io.shardproxy.config.Fixtures.SHARDS;
import static io.shardproxy.config.Fixtures.USERS;
import static io.shardproxy.config.Fixtures.failure;
import static io.shardproxy.config.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No message, and no cause behind it, ever shows a secret or password, written or resolved. */
class SecretRedactionTest {

    private static final String SECRET = "hunter2-do-not-print";
    private static final Map<String, String> ENV = Map.of("APP_SECRET", SECRET, "PG_PASSWORD", SECRET);

    private static String shard(String extra) {
        return "shards:\n  - {name: s0, url: \"jdbc:postgresql://h/db\", user: u, " + extra + "}\n";
    }

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
                Arguments.of("password as scram secret", user("scram-sha-256", SECRET) + SHARDS),
                Arguments.of("password as md5 secret", user("md5", SECRET) + SHARDS),
                Arguments.of("env password as md5 secret", user("md5", "${APP_SECRET}") + SHARDS),
                Arguments.of("env password as scram secret", user("scram-sha-256", "pre-${APP_SECRET}") + SHARDS),
                Arguments.of("secret on a trust user", user("trust", SECRET) + SHARDS),
                Arguments.of("numeric secret", "users:\n  - {name: a, auth: md5, secret: 2718281828459}\n" + SHARDS),
                Arguments.of("numeric password", USERS + shard("password: 2718281828459")),
                Arguments.of("boolean password", USERS + shard("password: yes")),
                Arguments.of("malformed env reference in secret",
                        user("md5", "${" + SECRET + "}") + SHARDS),
                Arguments.of("unterminated env reference in password", USERS + shard("password: \"${" + SECRET + "\"")),
                Arguments.of("syntax error on the secret line",
                        "users:\n  - name: a\n    auth: md5\n    secret: \"" + SECRET + "\n" + SHARDS),
                Arguments.of("syntax error just after the password",
                        USERS + "shards:\n  - name: s0\n    password: " + SECRET + "\n     url: x\n"),
                Arguments.of("duplicate secret key",
                        "users:\n  - {name: a, auth: md5, secret: " + SECRET + ", secret: x}\n" + SHARDS),
                Arguments.of("password value Jackson cannot read", USERS + shard("password: .inf")),
                Arguments.of("password property in malformed url",
                        USERS + "shards:\n  - {name: s0, url: \"jdbc:pg://h/db?user=u&password=" + SECRET + "\", user: u}\n"),
                Arguments.of("env password property in malformed url",
                        USERS + "shards:\n  - {name: s0, url: \"jdbc:pg://h/db?password=${PG_PASSWORD}\", user: u}\n"),
                Arguments.of("user info in url",
                        USERS + "shards:\n  - {name: s0, url: \"jdbc:postgresql://u:" + SECRET + "@h/db\", user: u}\n"),
                Arguments.of("password quoted by an unrelated message",
                        USERS + "shards:\n  - {name: s0, url: \"jdbc:mysql://" + SECRET + "/db\", user: u,"
                                + " password: " + SECRET + "}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void messageNeverShowsTheSecret(String name, String yaml) {
        ConfigException e = failure(yaml, ENV);

        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.getMessage().contains("2718281828459"), e.getMessage());
        assertFalse(e.getMessage().contains(".inf"), e.getMessage());
        assertNull(e.getCause(), "a cause could carry the source line");
    }

    @Test
    void passwordQuotedByAnUnrelatedMessageIsStarredOut() {
        ConfigException e = failure(USERS + "shards:\n  - {name: s0, url: \"jdbc:mysql://" + SECRET + "/db\","
                + " user: u, password: " + SECRET + "}\n");

        assertEquals("test.yaml: shards[0].url: malformed JDBC URL \"jdbc:mysql://***/db\" (expected"
                + " jdbc:postgresql://host[:port]/database)", e.getMessage());
        assertEquals("shards[0].url", e.path());
    }

    @Test
    void loadedConfigPrintsNoSecret() {
        String verifier = Fixtures.scramVerifier(SECRET, new byte[16], 4096);
        ProxyConfig config = Fixtures.parse("users:\n  - {name: a, auth: scram-sha-256, secret: \"" + verifier + "\"}\n"
                + "shards:\n  - {name: s0, url: \"jdbc:postgresql://h/db?password=${PG_PASSWORD}\", user: u,"
                + " password: \"${PG_PASSWORD}\"}\n", ENV);

        assertEquals(SECRET, config.shards().get(0).password());
        assertFalse(config.toString().contains(SECRET), config.toString());
        assertFalse(config.toString().contains(verifier), config.toString());
        assertTrue(config.toString().contains("password=***"), config.toString());
    }
}
