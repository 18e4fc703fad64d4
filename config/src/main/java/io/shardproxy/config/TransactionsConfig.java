package io.shardproxy.config;

/**
 * How transactions that write on several shards commit: two-phase commit with the decision kept in
 * a PostgreSQL database that every proxy can reach (see docs/transactions.md).
 *
 * @param proxyId          this proxy's name in transaction ids ({@code [A-Za-z0-9_-]}, at most 32),
 *                         or null for one made from the host name and listen port
 * @param decisionShard    the shard whose server holds the decision database
 * @param decisionDatabase the database on that server that holds the commit decisions; created
 *                         when missing
 * @param recoveryInterval seconds between recovery passes over the shards' prepared transactions
 */
public record TransactionsConfig(String proxyId, String decisionShard, String decisionDatabase,
                                 int recoveryInterval) {

    public static final String DEFAULT_DECISION_DATABASE = "shardproxy_meta";
    public static final int DEFAULT_RECOVERY_INTERVAL = 30;

    /** The defaults, with the decision database on {@code firstShard}. */
    public static TransactionsConfig defaults(String firstShard) {
        return new TransactionsConfig(null, firstShard, DEFAULT_DECISION_DATABASE, DEFAULT_RECOVERY_INTERVAL);
    }

    /** A copy with another proxy id (tests run several proxies over one cluster). */
    public TransactionsConfig withProxyId(String id) {
        return new TransactionsConfig(id, decisionShard, decisionDatabase, recoveryInterval);
    }
}
