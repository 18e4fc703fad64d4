package io.shardproxy.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns YAML text into a Jackson tree, or a {@link ConfigException} with line and column. Beyond
 * YAML syntax it rejects what Jackson would otherwise accept silently: duplicate keys (Jackson keeps
 * the last), aliases (Jackson reads {@code *a} as the string "a") and a second document after
 * {@code ---} (Jackson ignores it).
 *
 * <p>Trap: SnakeYAML's own messages quote the offending source line, which may hold a secret. Only
 * its problem and context phrases are used, and the exception is never attached as a cause.
 */
final class YamlReader {

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlReader() {
    }

    /** The root node of the single document in {@code yaml}; never null or missing. */
    static JsonNode read(String yaml, String source) {
        try (YAMLParser parser = MAPPER.getFactory().createParser(yaml)) {
            JsonParser checked = new RejectAliases(parser, source);
            JsonNode root = MAPPER.readTree(checked);
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ConfigException(source, "", "the file is empty (it needs at least users and shards)");
            }
            if (checked.nextToken() != null) {
                throw new ConfigException(source, "", "more than one YAML document (a second one starts"
                        + " at line " + parser.currentTokenLocation().getLineNr() + "); keep the whole config"
                        + " in one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        } catch (IOException e) {
            // Reading from a String does no I/O; this is only the declared exception of close().
            throw new UncheckedIOException(e);
        }
    }

    private static ConfigException syntaxError(JsonProcessingException e, String source) {
        if (e.getCause() instanceof MarkedYAMLException) {
            MarkedYAMLException yaml = (MarkedYAMLException) e.getCause();
            Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
            String where = mark != null
                    ? at(mark.getLine() + 1, mark.getColumn() + 1)
                    : at(e.getLocation());
            String context = yaml.getContext() == null ? "" : " (" + yaml.getContext()
                    + (yaml.getContextMark() == null ? "" : " that starts at line " + (yaml.getContextMark().getLine() + 1))
                    + ")";
            return new ConfigException(source, "", "YAML syntax error at " + where + ": "
                    + yaml.getProblem() + context);
        }
        JsonParser parser = e.getProcessor() instanceof JsonParser ? (JsonParser) e.getProcessor() : null;
        String path = parser == null ? "" : pathOf(parser.getParsingContext());
        String problem = firstLine(e.getOriginalMessage());
        if (problem.startsWith("Duplicate field")) {
            return new ConfigException(source, path, "duplicate key (second one at " + at(e.getLocation()) + ")");
        }
        if (YamlNode.isSensitive(path)) {
            // Jackson's scalar messages quote the value, e.g. "Malformed numeric value '...'".
            problem = "malformed value";
        }
        return new ConfigException(source, path, "YAML error at " + at(e.getLocation()) + ": " + problem);
    }

    private static String at(JsonLocation location) {
        return location == null ? "unknown position" : at(location.getLineNr(), location.getColumnNr());
    }

    private static String at(int line, int column) {
        return "line " + line + ", column " + column;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** The key path ({@code users[0].secret}) of the parser's position. */
    static String pathOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray() && c.getCurrentIndex() >= 0) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** Fails on the first alias, which Jackson's tree model would read as a plain string. */
    private static final class RejectAliases extends JsonParserDelegate {
        private final YAMLParser yaml;
        private final String source;

        RejectAliases(YAMLParser yaml, String source) {
            super(yaml);
            this.yaml = yaml;
            this.source = source;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (yaml.isCurrentAlias()) {
                throw new ConfigException(source, pathOf(yaml.getParsingContext()), "YAML alias \"*"
                        + yaml.getText() + "\" at " + at(yaml.currentTokenLocation())
                        + " is not supported; write the value out");
            }
            return token;
        }
    }
}
