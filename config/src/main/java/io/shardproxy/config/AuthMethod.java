package io.shardproxy.config;

/** How a client user proves who it is, named as in pg_hba.conf. */
public enum AuthMethod {
    /** SCRAM-SHA-256; the config stores a verifier in PostgreSQL's pg_authid format. */
    SCRAM_SHA_256("scram-sha-256"),
    /** MD5; the config stores "md5" + md5(password + username), as pg_authid does. */
    MD5("md5"),
    /** No password. */
    TRUST("trust");

    private final String configName;

    AuthMethod(String configName) {
        this.configName = configName;
    }

    /** The spelling used in YAML. */
    public String configName() {
        return configName;
    }
}
