package io.shardproxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the proxy's YAML configuration into a {@link ProxyConfig}. Everything is checked here, once:
 * the result is a fully valid config or a {@link ConfigException} naming the file, the key path and
 * the problem; there is no partly loaded state. Sections are read in a fixed order (listen, users,
 * shards, tables, execution) and the first problem found is reported.
 *
 * <p>Keys are kebab-case; an unknown key anywhere is an error, so a misspelt option never silently
 * falls back to its default. {@code ${NAME}} and {@code ${NAME:-default}} in any string value are
 * replaced from the environment. The schema is described key by key in docs/configuration.md.
 */
public final class ConfigLoader {

    private static final List<String> ROOT_KEYS =
            List.of("listen", "users", "shards", "sharded-tables", "reference-tables", "execution",
                    "transactions");
    private static final List<String> LISTEN_KEYS =
            List.of("host", "port", "max-message-bytes", "max-clients", "tls");
    private static final List<String> TLS_KEYS = List.of("cert-file", "key-file");
    private static final List<String> USER_KEYS = List.of("name", "auth", "secret", "admin");
    private static final List<String> SHARD_KEYS = List.of("name", "url", "user", "password", "pool-size");
    private static final List<String> EXECUTION_KEYS = List.of("fetch-size", "shape-cache-size", "relay");
    private static final List<String> TRANSACTION_KEYS =
            List.of("proxy-id", "decision-shard", "decision-database", "recovery-interval");
    private static final Pattern PROXY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static final Map<String, AuthMethod> AUTH_METHODS =
            YamlNode.byName(AuthMethod.values(), AuthMethod::configName);
    private static final Pattern SHARD_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** Secrets shorter than this are not scrubbed from messages: it would garble ordinary words. */
    private static final int SHORTEST_SCRUBBED_SECRET = 4;

    private ConfigLoader() {
    }

    /** Reads and validates {@code file} (UTF-8), resolving {@code ${NAME}} from the process environment. */
    public static ProxyConfig load(Path file) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "", "file not found");
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, "", "file is not valid UTF-8");
        } catch (IOException e) {
            throw new ConfigException(source, "", "cannot read file: " + e);
        }
        return parse(yaml, source, System.getenv());
    }

    /**
     * Validates YAML text held in memory.
     *
     * @param yaml       the configuration text
     * @param sourceName name used in error messages, e.g. the file name
     * @param env        environment for {@code ${NAME}} references
     */
    public static ProxyConfig parse(String yaml, String sourceName, Map<String, String> env) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        Map<String, String> environment = Map.copyOf(env);
        JsonNode tree = YamlReader.read(yaml, sourceName);
        try {
            return config(new YamlNode(tree, "", sourceName, environment));
        } catch (ConfigException e) {
            throw scrubbed(e, tree, environment);
        }
    }

    private static ProxyConfig config(YamlNode root) {
        root.mapping(ROOT_KEYS);
        ListenConfig listen = root.optional("listen").map(ConfigLoader::listen).orElseGet(ListenConfig::defaults);
        List<UserConfig> users = users(root.required("users"));
        List<ShardConfig> shards = shards(root.required("shards"));
        List<String> shardNames = shards.stream().map(ShardConfig::name).toList();
        TableSection tables = new TableSection(shardNames);
        List<ShardedTableConfig> sharded = tables.sharded(root.optional("sharded-tables"));
        List<ReferenceTableConfig> reference = tables.reference(root.optional("reference-tables"));
        ExecutionConfig execution = root.optional("execution")
                .map(ConfigLoader::execution).orElseGet(ExecutionConfig::defaults);
        TransactionsConfig transactions = root.optional("transactions")
                .map(t -> transactions(t, shardNames)).orElseGet(() -> TransactionsConfig.defaults(shardNames.get(0)));
        return new ProxyConfig(listen, users, shards, sharded, reference, execution, transactions);
    }

    private static ListenConfig listen(YamlNode listen) {
        listen.mapping(LISTEN_KEYS);
        return new ListenConfig(
                listen.optional("host").map(YamlNode::nonBlankText).orElse(ListenConfig.DEFAULT_HOST),
                listen.optional("port").map(port -> port.integer(0, 65535)).orElse(ListenConfig.DEFAULT_PORT),
                positive(listen.optional("max-message-bytes"), ListenConfig.DEFAULT_MAX_MESSAGE_BYTES),
                positive(listen.optional("max-clients"), ListenConfig.DEFAULT_MAX_CLIENTS),
                listen.optional("tls").map(ConfigLoader::tls).orElse(null));
    }

    private static TlsConfig tls(YamlNode tls) {
        tls.mapping(TLS_KEYS);
        return new TlsConfig(tls.required("cert-file").nonBlankText(), tls.required("key-file").nonBlankText());
    }

    private static List<UserConfig> users(YamlNode section) {
        List<YamlNode> nodes = section.list();
        if (nodes.isEmpty()) {
            throw section.error("at least one user is required");
        }
        Map<String, String> seen = new HashMap<>();
        List<UserConfig> users = new ArrayList<>();
        for (YamlNode user : nodes) {
            user.mapping(USER_KEYS);
            YamlNode nameNode = user.required("name");
            String name = unique(nameNode, nameNode.nonBlankText(), seen, "user");
            AuthMethod auth = user.required("auth").choice(AUTH_METHODS);
            String secret = secret(user, auth);
            boolean admin = user.optional("admin").map(YamlNode::bool).orElse(false);
            users.add(new UserConfig(name, auth, secret, admin));
        }
        return users;
    }

    /** The user's secret in the form its auth method needs; null for trust. */
    private static String secret(YamlNode user, AuthMethod auth) {
        Optional<YamlNode> node = user.optional("secret");
        if (auth == AuthMethod.TRUST) {
            if (node.isPresent()) {
                throw node.get().error("a trust user takes no secret (remove it, or use auth: scram-sha-256)");
            }
            return null;
        }
        YamlNode secretNode = user.required("secret");
        String secret = secretNode.text();
        String problem = auth == AuthMethod.MD5 ? SecretFormat.md5Problem(secret) : SecretFormat.scramProblem(secret);
        if (problem != null) {
            throw secretNode.error(problem);
        }
        return secret;
    }

    private static List<ShardConfig> shards(YamlNode section) {
        List<YamlNode> nodes = section.list();
        if (nodes.isEmpty()) {
            throw section.error("at least one shard is required");
        }
        Map<String, String> names = new HashMap<>();
        Map<String, String> urls = new HashMap<>();
        List<ShardConfig> shards = new ArrayList<>();
        for (YamlNode shard : nodes) {
            shard.mapping(SHARD_KEYS);
            YamlNode nameNode = shard.required("name");
            String name = nameNode.nonBlankText();
            if (!SHARD_NAME.matcher(name).matches()) {
                throw nameNode.error("malformed shard name \"" + name + "\" (use letters, digits, _ and -)");
            }
            unique(nameNode, name, names, "shard");
            YamlNode urlNode = shard.required("url");
            String url = urlNode.nonBlankText();
            String problem = JdbcUrl.problem(url);
            if (problem != null) {
                throw urlNode.error(problem);
            }
            String first = urls.putIfAbsent(url, urlNode.path());
            if (first != null) {
                throw urlNode.error("same URL as " + first + "; two shards must be two databases");
            }
            shards.add(new ShardConfig(name, url,
                    shard.required("user").nonBlankText(),
                    shard.optional("password").map(YamlNode::text).orElse(null),
                    positive(shard.optional("pool-size"), ShardConfig.DEFAULT_POOL_SIZE)));
        }
        return shards;
    }

    private static ExecutionConfig execution(YamlNode execution) {
        execution.mapping(EXECUTION_KEYS);
        return new ExecutionConfig(
                positive(execution.optional("fetch-size"), ExecutionConfig.DEFAULT_FETCH_SIZE),
                positive(execution.optional("shape-cache-size"), ExecutionConfig.DEFAULT_SHAPE_CACHE_SIZE),
                execution.optional("relay").map(YamlNode::bool).orElse(true));
    }

    private static TransactionsConfig transactions(YamlNode t, List<String> shardNames) {
        t.mapping(TRANSACTION_KEYS);
        String proxyId = null;
        Optional<YamlNode> id = t.optional("proxy-id");
        if (id.isPresent()) {
            proxyId = id.get().nonBlankText();
            if (!PROXY_ID.matcher(proxyId).matches()) {
                throw id.get().error("must be 1 to 32 letters, digits, '_' or '-'");
            }
        }
        String shard = shardNames.get(0);
        Optional<YamlNode> s = t.optional("decision-shard");
        if (s.isPresent()) {
            shard = s.get().nonBlankText();
            if (!shardNames.contains(shard)) {
                throw s.get().error("unknown shard \"" + shard + "\" (shards: " + String.join(", ", shardNames) + ")");
            }
        }
        String database = t.optional("decision-database").map(YamlNode::nonBlankText)
                .orElse(TransactionsConfig.DEFAULT_DECISION_DATABASE);
        return new TransactionsConfig(proxyId, shard, database,
                positive(t.optional("recovery-interval"), TransactionsConfig.DEFAULT_RECOVERY_INTERVAL));
    }

    private static int positive(Optional<YamlNode> node, int dflt) {
        return node.map(n -> n.integer(1, Integer.MAX_VALUE)).orElse(dflt);
    }

    /** {@code name}, read from {@code node}, which must not be in {@code seen} (name to path) yet. */
    private static String unique(YamlNode node, String name, Map<String, String> seen, String what) {
        String first = seen.putIfAbsent(name, node.path());
        if (first != null) {
            throw node.error("duplicate " + what + " name \"" + name + "\" (also at " + first + ")");
        }
        return name;
    }

    /**
     * A safety net under the rule that messages never quote secrets: any secret or password value in
     * the tree, as written or as resolved, that still appears in the message is replaced by ***.
     */
    private static ConfigException scrubbed(ConfigException e, JsonNode tree, Map<String, String> env) {
        // Longest first, so a secret that contains another is replaced whole.
        Set<String> secrets = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        collectSecrets(tree, env, secrets);
        String problem = e.problem();
        for (String secret : secrets) {
            if (secret.length() >= SHORTEST_SCRUBBED_SECRET) {
                problem = problem.replace(secret, "***");
            }
        }
        return problem.equals(e.problem()) ? e : new ConfigException(e.source(), e.path(), problem);
    }

    private static void collectSecrets(JsonNode node, Map<String, String> env, Set<String> secrets) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (YamlNode.SENSITIVE_KEYS.contains(field.getKey()) && value.isTextual()) {
                secrets.add(value.textValue());
                try {
                    secrets.add(EnvSubstitution.resolve(value.textValue(), env, "", ""));
                } catch (ConfigException unresolvable) {
                    // Nothing resolved, so nothing more to hide.
                }
            }
        }
        node.elements().forEachRemaining(child -> collectSecrets(child, env, secrets));
    }
}
