package io.shardproxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One node of the parsed YAML together with its key path, with typed readers that fail with a
 * {@link ConfigException} naming that path. String values pass through {@link EnvSubstitution}
 * before any other reading, so {@code port: ${PORT}} is an integer once resolved.
 *
 * <p>Invariant: a node under a sensitive key ({@code secret}, {@code password}) never has its value
 * quoted in an error, only its type.
 *
 * @param json   the Jackson node, never null (absent and null keys never become a YamlNode)
 * @param path   key path in YAML spelling, empty for the root
 * @param source source name, for errors
 * @param env    environment variables for {@code ${NAME}} references
 */
record YamlNode(JsonNode json, String path, String source, Map<String, String> env) {

    /** Keys whose values are never quoted in messages. */
    static final Set<String> SENSITIVE_KEYS = Set.of("secret", "password");

    /** Choices for {@link #choice(Map)}, keyed by their YAML spelling, in the order given. */
    static <T> Map<String, T> byName(T[] values, Function<T, String> name) {
        Map<String, T> byName = new LinkedHashMap<>();
        for (T value : values) {
            byName.put(name.apply(value), value);
        }
        return byName;
    }

    /** Whether the last key of {@code path} is a sensitive key. */
    static boolean isSensitive(String path) {
        int dot = path.lastIndexOf('.');
        return SENSITIVE_KEYS.contains(dot < 0 ? path : path.substring(dot + 1));
    }

    /** A failure at this node's path. */
    ConfigException error(String problem) {
        return new ConfigException(source, path, problem);
    }

    /** Checks that this node is a mapping whose keys are all in {@code allowed}. */
    YamlNode mapping(List<String> allowed) {
        if (!json.isObject()) {
            throw error("expected a mapping (key: value lines), got " + describe());
        }
        for (Iterator<String> keys = json.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key)) {
                throw child(key).error("unknown key \"" + key + "\" (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return this;
    }

    /** The value of {@code key}, or empty when the key is absent or has no value. */
    Optional<YamlNode> optional(String key) {
        JsonNode value = json.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(child(key));
    }

    /** The value of {@code key}, which must be present and not empty. */
    YamlNode required(String key) {
        JsonNode value = json.get(key);
        if (value == null) {
            throw child(key).error("required key is missing");
        }
        if (value.isNull()) {
            throw child(key).error("required key has no value");
        }
        return child(key);
    }

    /** The elements of this list, each with its {@code [i]} path. */
    List<YamlNode> list() {
        if (!json.isArray()) {
            throw error("expected a list (lines starting with \"- \"), got " + describe());
        }
        List<YamlNode> elements = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            elements.add(new YamlNode(json.get(i), path + "[" + i + "]", source, env));
        }
        return elements;
    }

    /** The entries of this mapping in document order, each value with its {@code .key} path. */
    Map<String, YamlNode> entries() {
        if (!json.isObject()) {
            throw error("expected a mapping (key: value lines), got " + describe());
        }
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        json.fieldNames().forEachRemaining(key -> entries.put(key, child(key)));
        return entries;
    }

    /** This scalar as a string with environment references resolved. Numbers are not strings. */
    String text() {
        if (!json.isTextual()) {
            throw error("expected a string, got " + describe()
                    + (json.isNumber() || json.isBoolean() ? "; put it in quotes" : ""));
        }
        return EnvSubstitution.resolve(json.textValue(), env, source, path);
    }

    /** Like {@link #text()}, and not empty or blank. */
    String nonBlankText() {
        String text = text();
        if (text.isBlank()) {
            throw error("must not be empty");
        }
        return text;
    }

    /** This scalar as an int in [min, max]; a string that resolves to a decimal integer counts. */
    int integer(int min, int max) {
        String got;
        if (json.isIntegralNumber()) {
            got = json.asText();
        } else if (json.isTextual()) {
            got = text().strip();
            if (!got.matches("[+-]?[0-9]+")) {
                throw error("expected an integer, got " + quote(got));
            }
        } else {
            throw error("expected an integer, got " + describe());
        }
        long value;
        try {
            value = Long.parseLong(got.startsWith("+") ? got.substring(1) : got);
        } catch (NumberFormatException tooLong) {
            value = got.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (value < min || value > max) {
            String shown = isSensitive(path) ? "" : ", got " + got;
            throw error((max == Integer.MAX_VALUE
                    ? "must be at least " + min
                    : "must be between " + min + " and " + max) + shown);
        }
        return (int) value;
    }

    /** This scalar as a boolean; the strings "true" and "false" count, for {@code ${VAR}}. */
    boolean bool() {
        if (json.isBoolean()) {
            return json.booleanValue();
        }
        if (json.isTextual()) {
            String text = text().strip();
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            throw error("expected true or false, got " + quote(text));
        }
        throw error("expected true or false, got " + describe());
    }

    /** This string, in any case, looked up in {@code choices}; the error lists the allowed spellings. */
    <T> T choice(Map<String, T> choices) {
        String text = text();
        T value = choices.get(text.strip().toLowerCase(Locale.ROOT));
        if (value == null) {
            throw error("unknown value " + quote(text) + " (allowed: " + String.join(", ", choices.keySet()) + ")");
        }
        return value;
    }

    /** The path only: the default record form would print the environment, secrets included. */
    @Override
    public String toString() {
        return "YamlNode[" + source + ": " + path + "]";
    }

    private YamlNode child(String key) {
        JsonNode value = json.get(key);
        return new YamlNode(value, path.isEmpty() ? key : path + "." + key, source, env);
    }

    /** What this node is, with its value unless the key is sensitive. */
    private String describe() {
        boolean show = !isSensitive(path);
        if (json.isObject()) {
            return "a mapping";
        } else if (json.isArray()) {
            return "a list";
        } else if (json.isNumber()) {
            return show ? "the number " + json : "a number";
        } else if (json.isBoolean()) {
            return show ? "the boolean " + json + " (YAML reads yes/no/on/off as booleans)" : "a boolean";
        } else if (json.isTextual()) {
            return show ? "the string " + json : "a string";
        }
        return "a " + json.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
    }

    private String quote(String text) {
        return isSensitive(path) ? "a value that is not shown because it is secret" : "\"" + text + "\"";
    }
}
