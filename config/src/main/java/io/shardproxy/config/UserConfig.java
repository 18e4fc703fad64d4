package io.shardproxy.config;

/**
 * A client user of the proxy. The secret is never a password: for SCRAM it is a verifier
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, for md5 it is
 * {@code md5<32 hex>}; for trust it is null. {@link #toString()} never prints it.
 *
 * @param name   user name as sent in the StartupMessage
 * @param auth   authentication method
 * @param secret SCRAM verifier or md5 hash, or null for trust
 * @param admin  whether the user may run admin commands (SHOW SHARDS, EXPLAIN ROUTE, ...)
 */
public record UserConfig(String name, AuthMethod auth, String secret, boolean admin) {

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", auth=" + auth.configName() + ", admin=" + admin + "]";
    }
}
