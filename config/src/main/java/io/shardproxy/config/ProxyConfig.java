package io.shardproxy.config;

import java.util.List;

/**
 * The whole validated configuration of one proxy. Built only by {@link ConfigLoader}; every list is
 * unmodifiable and every cross reference (bucket map to shard, table names) has been checked.
 *
 * @param listen          where clients connect
 * @param users           client users and how each authenticates
 * @param shards          the PostgreSQL servers, in config order; the first is the default shard
 * @param shardedTables   tables split across shards by a shard key
 * @param referenceTables tables with a full copy on every shard
 * @param execution       execution knobs (fetch size, shape cache)
 * @param transactions    two-phase commit and recovery
 */
public record ProxyConfig(
        ListenConfig listen,
        List<UserConfig> users,
        List<ShardConfig> shards,
        List<ShardedTableConfig> shardedTables,
        List<ReferenceTableConfig> referenceTables,
        ExecutionConfig execution,
        TransactionsConfig transactions) {

    public ProxyConfig {
        users = List.copyOf(users);
        shards = List.copyOf(shards);
        shardedTables = List.copyOf(shardedTables);
        referenceTables = List.copyOf(referenceTables);
    }

    /** The shard that holds local (unconfigured) tables and answers catalog queries. */
    public ShardConfig defaultShard() {
        return shards.get(0);
    }

    /** The same config with {@code transactions} in place of this one's. */
    public ProxyConfig withTransactions(TransactionsConfig transactions) {
        return new ProxyConfig(listen, users, shards, shardedTables, referenceTables, execution, transactions);
    }

    /** Index of the named shard in {@link #shards()}, or -1. */
    public int shardIndex(String name) {
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
