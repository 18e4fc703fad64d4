package io.shardproxy.server.txn;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardproxy.config.ShardConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The commit decisions of two-phase commits, kept in a PostgreSQL database that every proxy
 * reaches (by default {@code shardproxy_meta} on the first shard's server), and the liveness locks
 * that tell one proxy run from another.
 *
 * <p>A decision is one row per gid, and the first writer wins: the coordinator inserts
 * {@code committed = true} after every participant prepared; recovery inserts
 * {@code committed = false} for a transaction whose coordinator is gone. Whichever insert lands
 * first is the outcome, so a coordinator and a recovery that race can never disagree.
 *
 * <p>Each proxy run holds a session advisory lock keyed by its instance ({@code proxy:boot}) on a
 * connection of its own for as long as it runs. Another proxy that can take that lock knows the
 * run is over, and only then resolves its transactions.
 */
final class DecisionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    /** The first key of the liveness advisory locks ("SP"). */
    private static final int LOCK_CLASS = 0x5350;
    static final String TABLE = "shardproxy_decisions";

    private final String shardUrl;
    private final String shardName;
    private final String database;
    private final String url;
    private final Properties credentials;
    private final String instance;
    /** Opened on first use, so a proxy starts while the decision database's server is down. */
    private HikariDataSource pool;
    private Connection lockHolder;
    private boolean closed;

    private DecisionLog(ShardConfig shard, String database, Properties credentials, String instance) {
        this.shardUrl = shard.url();
        this.shardName = shard.name();
        this.database = database;
        this.url = withDatabase(shard.url(), database);
        this.credentials = credentials;
        this.instance = instance;
    }

    /**
     * The decision database {@code database} on {@code shard}'s server. It is opened (created with
     * its table when missing) on first use, and this run's liveness lock taken then.
     */
    static DecisionLog open(ShardConfig shard, String database, String instance) {
        Properties credentials = new Properties();
        credentials.setProperty("user", shard.user());
        if (shard.password() != null) {
            credentials.setProperty("password", shard.password());
        }
        credentials.setProperty("ApplicationName", "shardproxy-decisions");
        credentials.setProperty("connectTimeout", "10");
        return new DecisionLog(shard, database, credentials, instance);
    }

    /** The pool, opening the database first when this is the first use. */
    private synchronized HikariDataSource pool() throws SQLException {
        if (closed) {
            throw new SQLException("the proxy is shutting down", "57P01");
        }
        if (pool != null) {
            return pool;
        }
        try {
            createDatabase(shardUrl, database, credentials);
            HikariConfig c = new HikariConfig();
            c.setPoolName("decisions");
            c.setJdbcUrl(url);
            c.setDataSourceProperties(credentials);
            c.setMaximumPoolSize(4);
            c.setMinimumIdle(1);
            c.setConnectionTimeout(10_000);
            c.setInitializationFailTimeout(-1);
            c.setAutoCommit(true);
            HikariDataSource p = new HikariDataSource(c);
            try {
                createTable(p);
            } catch (SQLException | RuntimeException e) {
                p.close();
                throw e;
            }
            pool = p;
            return p;
        } catch (SQLException e) {
            throw new SQLException("cannot open the transaction decision database \"" + database + "\" on shard "
                    + shardName + ": " + e.getMessage()
                    + " (transactions.decision-shard and decision-database in the config say where it is)",
                    e.getSQLState(), e);
        }
    }

    private Connection connection() throws SQLException {
        return pool().getConnection();
    }

    static String withDatabase(String shardUrl, String database) {
        int slash = shardUrl.indexOf('/', "jdbc:postgresql://".length());
        int end = shardUrl.indexOf('?', slash);
        return shardUrl.substring(0, slash + 1) + database + (end < 0 ? "" : shardUrl.substring(end));
    }

    private static void createDatabase(String shardUrl, String database, Properties credentials) throws SQLException {
        try (Connection c = DriverManager.getConnection(shardUrl, credentials);
             PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
                LOG.info("created the transaction decision database {}", database);
            } catch (SQLException e) {
                // 42P04: another proxy created it first.
                if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private static void createTable(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists " + TABLE + " (gid text primary key, committed boolean not null,"
                    + " decided_at timestamptz not null default now())");
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Takes the liveness lock unless this run holds it already (no round trip then). */
    synchronized void ensureLivenessLock() throws SQLException {
        if (lockHolder == null) {
            holdLivenessLock();
        }
    }

    /** Takes (again, after a lost connection) the advisory lock that says this run is alive. */
    synchronized void holdLivenessLock() throws SQLException {
        pool();
        if (lockHolder != null) {
            try {
                if (lockHolder.isValid(5)) {
                    return;
                }
            } catch (SQLException e) {
                LOG.debug("liveness lock connection check failed", e);
            }
            closeQuietly(lockHolder);
            lockHolder = null;
        }
        Connection c = DriverManager.getConnection(url, credentials);
        try (PreparedStatement q = c.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
            q.setInt(1, LOCK_CLASS);
            q.setString(2, instance);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    LOG.warn("the liveness lock of {} is held by another session", instance);
                }
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        lockHolder = c;
    }

    /** True while the proxy run {@code other} holds its liveness lock (or cannot be checked). */
    boolean alive(String other) throws SQLException {
        if (other.equals(instance)) {
            return true;
        }
        try (Connection c = connection();
             PreparedStatement lock = c.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setString(2, other);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return true;
                }
            }
            try (PreparedStatement unlock = c.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
                unlock.setInt(1, LOCK_CLASS);
                unlock.setString(2, other);
                unlock.execute();
            }
            return false;
        }
    }

    /**
     * Records the commit decision for {@code gid}. False when recovery decided first that it rolls
     * back. Throws when the outcome of the insert is unknown (the connection failed).
     */
    boolean decideCommit(Gid gid) throws SQLException {
        try (Connection c = connection();
             PreparedStatement q = c.prepareStatement("insert into " + TABLE
                     + " (gid, committed) values (?, true) on conflict (gid) do nothing")) {
            q.setString(1, gid.text());
            return q.executeUpdate() == 1;
        }
    }

    /**
     * The decision for {@code gid}, recording a rollback when there is none yet: true when it
     * commits, false when it rolls back.
     */
    boolean decideUnlessDecided(Gid gid) throws SQLException {
        try (Connection c = connection()) {
            try (PreparedStatement q = c.prepareStatement("insert into " + TABLE
                    + " (gid, committed) values (?, false) on conflict (gid) do nothing")) {
                q.setString(1, gid.text());
                q.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("select committed from " + TABLE + " where gid = ?")) {
                q.setString(1, gid.text());
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("decision row for " + gid + " vanished");
                    }
                    return rs.getBoolean(1);
                }
            }
        }
    }

    /**
     * Deletes decisions older than {@code minAgeSeconds} whose gid no shard holds prepared any more
     * ({@code stillPrepared}): their transactions are fully resolved.
     */
    int forget(java.util.Set<String> stillPrepared, int minAgeSeconds) throws SQLException {
        try (Connection c = connection();
             PreparedStatement q = c.prepareStatement("delete from " + TABLE
                     + " where decided_at < now() - make_interval(secs => ?) and gid <> all (?)")) {
            q.setInt(1, minAgeSeconds);
            q.setArray(2, c.createArrayOf("text", stillPrepared.toArray()));
            return q.executeUpdate();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (lockHolder != null) {
            closeQuietly(lockHolder);
            lockHolder = null;
        }
        if (pool != null) {
            pool.close();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a decision log connection failed", e);
        }
    }
}
