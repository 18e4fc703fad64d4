package io.shardproxy.config;

import static io.shardproxy.config.Fixtures.SHARDS;
import static io.shardproxy.config.Fixtures.USERS;
import static io.shardproxy.config.Fixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors in the shape of the YAML: syntax, keys, types, environment references. */
class StructureErrorsTest {

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        ConfigException e = failure(USERS + SHARDS + "listen:\n  port: 1\n   host: x\n");

        assertEquals("", e.path());
        assertEquals("test.yaml: YAML syntax error at line 8, column 8: mapping values are not allowed here",
                e.getMessage());
    }

    @Test
    void unterminatedQuoteNamesWhereTheQuoteStarted() {
        ConfigException e = failure(USERS + "shards:\n  - name: \"s0\n");

        assertEquals("test.yaml: YAML syntax error at line 5, column 1: found unexpected end of stream"
                + " (while scanning a quoted scalar that starts at line 4)", e.getMessage());
    }

    @Test
    void duplicateKeyIsAnErrorNotLastOneWins() {
        ConfigException e = failure(USERS + SHARDS + "listen:\n  port: 1\n  port: 2\n");

        assertEquals("listen.port", e.path());
        assertEquals("test.yaml: listen.port: duplicate key (second one at line 8, column 7)", e.getMessage());
    }

    @Test
    void yamlAliasIsRejectedRatherThanReadAsItsName() {
        ConfigException e = failure(USERS + SHARDS + "execution: {fetch-size: &n 5, shape-cache-size: *n}\n");

        assertEquals("execution.shape-cache-size", e.path());
        assertEquals("test.yaml: execution.shape-cache-size: YAML alias \"*n\" at line 6, column 49 is not"
                + " supported; write the value out", e.getMessage());
    }

    @Test
    void secondYamlDocumentIsRejectedRatherThanIgnored() {
        ConfigException e = failure(USERS + SHARDS + "---\nlisten: {port: 1}\n");

        assertEquals("test.yaml: more than one YAML document (a second one starts at line 7); keep the whole"
                + " config in one document", e.getMessage());
    }

    @Test
    void emptyFileNeedsUsersAndShards() {
        assertEquals("test.yaml: the file is empty (it needs at least users and shards)",
                failure("# nothing\n").getMessage());
    }

    @Test
    void topLevelMustBeAMapping() {
        assertEquals("test.yaml: expected a mapping (key: value lines), got a list",
                failure("- users\n- shards\n").getMessage());
    }

    @Test
    void unknownTopLevelKeyListsTheAllowedKeys() {
        ConfigException e = failure(USERS + SHARDS + "shard-tables: []\n");

        assertEquals("shard-tables", e.path());
        assertEquals("test.yaml: shard-tables: unknown key \"shard-tables\" (allowed: listen, users, shards,"
                + " sharded-tables, reference-tables, execution, transactions)", e.getMessage());
    }

    @Test
    void unknownNestedKeyListsTheAllowedKeysOfItsSection() {
        ConfigException e = failure(USERS + """
                shards:
                  - {name: s0, url: "jdbc:postgresql://h/db", user: u, poolSize: 4}
                """);

        assertEquals("shards[0].poolSize", e.path());
        assertEquals("test.yaml: shards[0].poolSize: unknown key \"poolSize\" (allowed: name, url, user,"
                + " password, pool-size)", e.getMessage());
    }

    @Test
    void portThatIsNotANumberIsATypeError() {
        ConfigException e = failure(USERS + SHARDS + "listen: {port: \"abc\"}\n");

        assertEquals("listen.port", e.path());
        assertEquals("test.yaml: listen.port: expected an integer, got \"abc\"", e.getMessage());
    }

    @Test
    void fractionalPoolSizeIsATypeError() {
        ConfigException e = failure(USERS + """
                shards:
                  - {name: s0, url: "jdbc:postgresql://h/db", user: u, pool-size: 2.5}
                """);

        assertEquals("test.yaml: shards[0].pool-size: expected an integer, got the number 2.5", e.getMessage());
    }

    @Test
    void unquotedNoAsAStringValueExplainsYamlBooleans() {
        ConfigException e = failure(USERS + """
                shards:
                  - {name: s0, url: "jdbc:postgresql://h/db", user: no}
                """);

        assertEquals("test.yaml: shards[0].user: expected a string, got the boolean false (YAML reads"
                + " yes/no/on/off as booleans); put it in quotes", e.getMessage());
    }

    @Test
    void sectionOfTheWrongKindIsATypeError() {
        ConfigException e = failure(USERS + "shards: {name: s0}\n");

        assertEquals("test.yaml: shards: expected a list (lines starting with \"- \"), got a mapping",
                e.getMessage());
    }

    @Test
    void adminMustBeABoolean() {
        ConfigException e = failure("users:\n  - {name: app, auth: trust, admin: maybe}\n" + SHARDS);

        assertEquals("test.yaml: users[0].admin: expected true or false, got \"maybe\"", e.getMessage());
    }

    @Test
    void missingUsersSectionIsAnError() {
        ConfigException e = failure(SHARDS);

        assertEquals("users", e.path());
        assertEquals("test.yaml: users: required key is missing", e.getMessage());
    }

    @Test
    void emptyUsersListIsAnError() {
        assertEquals("test.yaml: users: at least one user is required", failure("users: []\n" + SHARDS).getMessage());
    }

    @Test
    void emptyShardsListIsAnError() {
        assertEquals("test.yaml: shards: at least one shard is required", failure(USERS + "shards: []\n").getMessage());
    }

    @Test
    void missingShardUrlIsAnError() {
        ConfigException e = failure(USERS + SHARDS + "  - {name: s2, user: postgres}\n");

        assertEquals("shards[2].url", e.path());
        assertEquals("test.yaml: shards[2].url: required key is missing", e.getMessage());
    }

    @Test
    void requiredKeyWithoutValueIsAnError() {
        ConfigException e = failure(USERS + "shards:\n  - name: s0\n    url:\n    user: u\n");

        assertEquals("test.yaml: shards[0].url: required key has no value", e.getMessage());
    }

    @Test
    void unsetEnvironmentVariableNamesTheVariableAndTheKey() {
        ConfigException e = failure(USERS + """
                shards:
                  - {name: s0, url: "jdbc:postgresql://h/db", user: u, password: "${PG_PASSWORD}"}
                """, Map.of("PG_PASSWORD_TYPO", "x"));

        assertEquals("shards[0].password", e.path());
        assertEquals("test.yaml: shards[0].password: environment variable PG_PASSWORD is not set (set it, or"
                + " write ${PG_PASSWORD:-default} to give a default)", e.getMessage());
    }

    @Test
    void unterminatedEnvironmentReferenceIsAnError() {
        ConfigException e = failure(USERS + SHARDS + "listen: {host: \"${HOST\"}\n");

        assertEquals("test.yaml: listen.host: unterminated \"${\" (write \"$${\" for a literal \"${\")",
                e.getMessage());
    }

    @Test
    void portOutOfRangeIsAnError() {
        ConfigException e = failure(USERS + SHARDS + "listen: {port: 65536}\n");

        assertEquals("listen.port", e.path());
        assertEquals("test.yaml: listen.port: must be between 0 and 65535, got 65536", e.getMessage());
    }

    @Test
    void poolSizeZeroIsAnError() {
        ConfigException e = failure(USERS + """
                shards:
                  - {name: s0, url: "jdbc:postgresql://h/db", user: u, pool-size: 0}
                """);

        assertEquals("shards[0].pool-size", e.path());
        assertEquals("test.yaml: shards[0].pool-size: must be at least 1, got 0", e.getMessage());
    }

    @Test
    void executionKnobsMustBePositive() {
        assertEquals("test.yaml: execution.shape-cache-size: must be at least 1, got -5",
                failure(USERS + SHARDS + "execution: {shape-cache-size: -5}\n").getMessage());
    }

    @Test
    void hugeNumberIsOutOfRangeNotWrapped() {
        assertEquals("test.yaml: listen.max-clients: must be at least 1, got 99999999999999999999999",
                failure(USERS + SHARDS + "listen: {max-clients: 99999999999999999999999}\n").getMessage());
    }

    @Test
    void tlsNeedsBothFiles() {
        ConfigException e = failure(USERS + SHARDS + "listen:\n  tls: {cert-file: /tls/server.crt}\n");

        assertEquals("test.yaml: listen.tls.key-file: required key is missing", e.getMessage());
    }
}
