package io.shardproxy.server.txn;

import io.shardproxy.server.exec.ShardPools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves the prepared transactions that two-phase commits left on the shards: commit where the
 * decision log says commit, roll back where it has no decision (recording the rollback first, so
 * a coordinator still about to decide learns it lost).
 *
 * <p>It touches only what no live proxy run is working on: this run's own gids once their commit
 * has left them (in doubt after a failure), and other runs' gids once their liveness lock is free
 * (the run is over: crashed, killed or stopped). Decisions whose transactions no shard holds any
 * more are deleted after ten minutes.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    /** How long a decision outlives its transaction's last prepared participant. */
    static final int DECISION_RETENTION_SECONDS = 600;

    /** What one pass did. */
    public record Result(int committed, int rolledBack, int skipped, List<String> problems) {
    }

    private final ShardPools pools;
    private final DecisionLog log;
    private final Set<String> inFlight;
    private final String instance;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong rollbacks = new AtomicLong();
    /** Shards already found with max_prepared_transactions = 0 (warned once each). */
    private final Set<Integer> withoutTwoPhase = new HashSet<>();

    Recovery(ShardPools pools, DecisionLog log, Set<String> inFlight, String instance) {
        this.pools = pools;
        this.log = log;
        this.inFlight = inFlight;
        this.instance = instance;
    }

    long commits() {
        return commits.get();
    }

    long rollbacks() {
        return rollbacks.get();
    }

    /** One pass over every shard's prepared transactions. */
    synchronized Result run() {
        List<String> problems = new ArrayList<>();
        try {
            log.holdLivenessLock();
        } catch (SQLException e) {
            problems.add("decision log: " + e.getMessage());
            return new Result(0, 0, 0, problems);
        }
        int committed = 0;
        int rolledBack = 0;
        int skipped = 0;
        Set<String> stillPrepared = new HashSet<>();
        for (int shard = 0; shard < pools.size(); shard++) {
            try (Connection c = pools.lookupConnection(shard)) {
                warnWithoutTwoPhase(c, shard);
                List<String> gids = new ArrayList<>();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select gid from pg_prepared_xacts"
                             + " where database = current_database() and gid like 'shardproxy:%' order by prepared")) {
                    while (rs.next()) {
                        gids.add(rs.getString(1));
                    }
                }
                for (String text : gids) {
                    Gid gid = Gid.parse(text);
                    if (gid == null) {
                        continue;
                    }
                    stillPrepared.add(gid.text());
                    if (inFlight.contains(gid.text())
                            || !gid.instance().equals(instance) && log.alive(gid.instance())) {
                        skipped++;
                        continue;
                    }
                    boolean commit = log.decideUnlessDecided(gid);
                    if (resolve(c, text, commit)) {
                        if (commit) {
                            committed++;
                            commits.incrementAndGet();
                        } else {
                            rolledBack++;
                            rollbacks.incrementAndGet();
                        }
                        LOG.info("recovery: {} {} on shard {}", commit ? "committed" : "rolled back", text,
                                pools.name(shard));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                problems.add(pools.name(shard) + ": " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                log.forget(stillPrepared, DECISION_RETENTION_SECONDS);
            } catch (SQLException e) {
                problems.add("decision log cleanup: " + e.getMessage());
            }
        }
        return new Result(committed, rolledBack, skipped, problems);
    }

    /** Says once per shard when it cannot prepare transactions: multi-shard writes would fail. */
    private void warnWithoutTwoPhase(Connection c, int shard) throws SQLException {
        if (withoutTwoPhase.contains(shard)) {
            return;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('max_prepared_transactions')::int")) {
            if (rs.next() && rs.getInt(1) == 0) {
                withoutTwoPhase.add(shard);
                LOG.warn("shard {} has max_prepared_transactions = 0: transactions that write on it and another"
                        + " shard will fail at commit (and roll back); set it to at least the pool size",
                        pools.name(shard));
            }
        }
    }

    /** COMMIT or ROLLBACK PREPARED; false when another session resolved it first. */
    private static boolean resolve(Connection c, String gid, boolean commit) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute((commit ? "COMMIT PREPARED '" : "ROLLBACK PREPARED '") + gid.replace("'", "''") + "'");
            return true;
        } catch (SQLException e) {
            // 42704: already resolved; 55000: another session is resolving it right now.
            if ("42704".equals(e.getSQLState()) || "55000".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
