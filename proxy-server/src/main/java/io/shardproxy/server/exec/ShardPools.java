package io.shardproxy.server.exec;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.shardproxy.config.ShardConfig;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One HikariCP pool of pgjdbc connections per shard. Shard connections use the text format for
 * every value ({@code binaryTransfer=false}) so values pass through as the shard wrote them.
 * A connection comes back to its pool outside any transaction: {@link #release} rolls back one
 * that is still in a transaction, and evicts one whose socket failed.
 */
public final class ShardPools implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardPools.class);

    /** A pool's counters, for SHOW SHARDS. */
    public record State(int active, int idle, int total, int waiting, int max) {
    }

    private final List<ShardConfig> shards;
    private final List<HikariDataSource> pools = new ArrayList<>();
    /**
     * A small pool of its own on the default shard for catalog lookups, so a lookup never waits
     * behind sessions that hold every connection of the shard's main pool.
     */
    private final HikariDataSource catalog;
    /** Per shard, one connection for catalog lookups that sessions never hold (OID translation). */
    private final List<HikariDataSource> lookups = new ArrayList<>();
    private final Executor prefetcher;

    public ShardPools(List<ShardConfig> shards, Executor prefetcher) {
        this.shards = List.copyOf(shards);
        this.prefetcher = prefetcher;
        for (ShardConfig s : shards) {
            pools.add(new HikariDataSource(hikari(s)));
        }
        HikariConfig c = hikari(shards.get(0));
        c.setPoolName("catalog-" + shards.get(0).name());
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(0);
        this.catalog = new HikariDataSource(c);
        for (ShardConfig s : shards) {
            HikariConfig l = hikari(s);
            l.setPoolName("lookup-" + s.name());
            l.setMaximumPoolSize(1);
            l.setMinimumIdle(0);
            lookups.add(new HikariDataSource(l));
        }
    }

    private static HikariConfig hikari(ShardConfig s) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("shard-" + s.name());
        c.setJdbcUrl(s.url());
        c.setUsername(s.user());
        if (s.password() != null) {
            c.setPassword(s.password());
        }
        c.setMaximumPoolSize(s.poolSize());
        c.setMinimumIdle(Math.min(2, s.poolSize()));
        c.setConnectionTimeout(10_000);
        c.setValidationTimeout(5_000);
        // Start even when a shard is down; statements for it fail with a clear error until it is back.
        c.setInitializationFailTimeout(-1);
        c.setAutoCommit(true);
        c.addDataSourceProperty("binaryTransfer", "false");
        c.addDataSourceProperty("prepareThreshold", "0");
        c.addDataSourceProperty("ApplicationName", "shardproxy");
        c.addDataSourceProperty("tcpKeepAlive", "true");
        c.addDataSourceProperty("assumeMinServerVersion", "12");
        return c;
    }

    public int size() {
        return shards.size();
    }

    public String name(int shard) {
        return shards.get(shard).name();
    }

    public ShardConfig config(int shard) {
        return shards.get(shard);
    }

    /** A connection to {@code shard}; fails with SQLSTATE 08001 when none can be had in time. */
    public ShardConnection acquire(int shard) {
        return acquire(shard, pools.get(shard));
    }

    /** A connection to the default shard for catalog lookups, from a pool sessions never hold. */
    public ShardConnection acquireCatalog() {
        return acquire(0, catalog);
    }

    /**
     * A connection to {@code shard} for a short catalog lookup, from a pool sessions never hold:
     * a lookup made while every session connection is pinned by a waiting session still runs.
     */
    public ShardConnection acquireLookup(int shard) {
        return shard == 0 ? acquireCatalog() : acquire(shard, lookups.get(shard));
    }

    /** A plain JDBC connection to {@code shard} from its lookup pool (recovery's short work). */
    public Connection lookupConnection(int shard) throws SQLException {
        return (shard == 0 ? catalog : lookups.get(shard)).getConnection();
    }

    private ShardConnection acquire(int shard, HikariDataSource pool) {
        try {
            Connection c = pool.getConnection();
            return new ShardConnection(shard, name(shard), pool, c, prefetcher);
        } catch (SQLException e) {
            java.util.Map<Byte, String> f = new java.util.LinkedHashMap<>();
            f.put((byte) 'S', "ERROR");
            f.put((byte) 'V', "ERROR");
            f.put((byte) 'C', "08001");
            f.put((byte) 'M', "cannot connect to shard " + name(shard) + ": " + e.getMessage());
            throw new ShardError(name(shard), f, e);
        }
    }

    /** Returns a connection to its pool, clean: no open transaction, or evicted. */
    public void release(ShardConnection c) {
        c.notices(null);
        // A connection a cancel was sent on is never reused: the cancel could still land on the
        // next borrower's statement.
        boolean cancelled = c.released();
        HikariDataSource pool = c.pool();
        try {
            if (!c.broken() && c.transactionState() != TransactionState.IDLE) {
                c.rollback();
            }
        } catch (RuntimeException e) {
            LOG.debug("rollback before release failed on shard {}", c.shardName(), e);
        }
        try {
            if (c.broken() || cancelled) {
                pool.evictConnection(c.pooled());
            } else {
                c.pooled().close();
            }
        } catch (SQLException e) {
            LOG.debug("closing connection of shard {} failed", c.shardName(), e);
        }
    }

    public State state(int shard) {
        HikariPoolMXBean bean = pools.get(shard).getHikariPoolMXBean();
        int max = shards.get(shard).poolSize();
        if (bean == null) {
            return new State(0, 0, 0, 0, max);
        }
        return new State(bean.getActiveConnections(), bean.getIdleConnections(), bean.getTotalConnections(),
                bean.getThreadsAwaitingConnection(), max);
    }

    @Override
    public void close() {
        for (HikariDataSource p : pools) {
            p.close();
        }
        for (HikariDataSource p : lookups) {
            p.close();
        }
        catalog.close();
    }
}
