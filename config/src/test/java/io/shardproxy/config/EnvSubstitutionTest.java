package io.shardproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

    private static final Map<String, String> ENV = Map.of("HOST", "db", "PORT", "5432", "EMPTY", "",
            "DOLLAR", "${HOST}");

    private static String resolve(String text) {
        return EnvSubstitution.resolve(text, ENV, "test.yaml", "k");
    }

    @Test
    void textWithoutReferencesIsUnchanged() {
        assertEquals("SCRAM-SHA-256$4096:c2FsdA==$a:b", resolve("SCRAM-SHA-256$4096:c2FsdA==$a:b"));
        assertEquals("cost $5 or $", resolve("cost $5 or $"));
    }

    @Test
    void everyReferenceInAValueIsReplaced() {
        assertEquals("jdbc:postgresql://db:5432/app", resolve("jdbc:postgresql://${HOST}:${PORT}/app"));
    }

    @Test
    void defaultAppliesWhenUnsetOrEmpty() {
        assertEquals("app", resolve("${DB:-app}"));
        assertEquals("x", resolve("${EMPTY:-x}"));
        assertEquals("db", resolve("${HOST:-other}"));
        assertEquals("", resolve("${DB:-}"));
        assertEquals("a:-b", resolve("${DB:-a:-b}"));
    }

    @Test
    void setButEmptyVariableWithoutDefaultIsEmpty() {
        assertEquals("", resolve("${EMPTY}"));
    }

    @Test
    void doubledDollarBraceIsALiteral() {
        assertEquals("${HOST}", resolve("$${HOST}"));
        assertEquals("$$5", resolve("$$5"), "only $${ is an escape");
    }

    @Test
    void substitutedTextIsNotExpandedAgain() {
        assertEquals("${HOST}", resolve("${DOLLAR}"));
    }

    @Test
    void unsetVariableWithoutDefaultNamesTheVariableAndThePath() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve("x${NOPE}"));

        assertEquals("k", e.path());
        assertEquals("test.yaml: k: environment variable NOPE is not set (set it, or write ${NOPE:-default} to give"
                + " a default)", e.getMessage());
    }

    @Test
    void malformedReferenceIsAnError() {
        for (String text : new String[] {"${}", "${1X}", "${HOST-x}", "${ HOST }"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> resolve(text), text);
            assertEquals("malformed environment reference inside \"${...}\" (expected ${NAME} or ${NAME:-default};"
                    + " NAME is letters, digits and _)", e.problem(), text);
        }
    }
}
