package io.shardproxy.config;

/**
 * One PostgreSQL server (database) that holds a shard. {@link #toString()} never prints the
 * password; use {@link #redactedUrl()} wherever a URL is shown.
 *
 * @param name     unique shard name, used by bucket maps and admin output
 * @param url      JDBC URL, {@code jdbc:postgresql://host:port/db[?props]}
 * @param user     user the proxy connects as
 * @param password password (already resolved from {@code ${ENV_VAR}}), or null
 * @param poolSize most pooled connections to this shard
 */
public record ShardConfig(String name, String url, String user, String password, int poolSize) {

    public static final int DEFAULT_POOL_SIZE = 8;

    /** The URL with any {@code password=} property value replaced by {@code ***}. */
    public String redactedUrl() {
        return redact(url);
    }

    /**
     * {@code url} with every {@code password=} property value and any {@code user:password@} part
     * replaced by {@code ***}; for showing any URL, valid or not.
     */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//[^/@]*@", "//***@");
    }

    @Override
    public String toString() {
        return "ShardConfig[name=" + name + ", url=" + redactedUrl() + ", user=" + user
                + ", poolSize=" + poolSize + "]";
    }
}
