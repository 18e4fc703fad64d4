package io.shardproxy.config;

/**
 * A configuration problem: which file, which key, what is wrong. The message reads
 * {@code <source>: <key path>: <problem>}, or {@code <source>: <problem>} when the problem belongs
 * to no single key (a YAML syntax error, an unreadable file).
 *
 * <p>Invariant: the message never contains a password or secret, neither as written nor as
 * resolved from the environment, and no cause is attached whose message could (SnakeYAML's messages
 * quote the offending source line). Log it freely.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String path;
    private final String problem;

    /**
     * @param source  file name or other source name, e.g. {@code proxy.yaml}
     * @param path    key path in YAML spelling, e.g. {@code shards[2].url}; empty when none
     * @param problem what is wrong, without any secret value
     */
    public ConfigException(String source, String path, String problem) {
        super(path.isEmpty() ? source + ": " + problem : source + ": " + path + ": " + problem);
        this.source = source;
        this.path = path;
        this.problem = problem;
    }

    /** The file (or other source name) the problem is in. */
    public String source() {
        return source;
    }

    /** The key path in YAML spelling, e.g. {@code users[1].secret}; empty when no key applies. */
    public String path() {
        return path;
    }

    /** The problem alone, without source and path. */
    public String problem() {
        return problem;
    }
}
