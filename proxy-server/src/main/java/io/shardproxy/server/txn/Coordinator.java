package io.shardproxy.server.txn;

import io.shardproxy.config.ProxyConfig;
import io.shardproxy.config.TransactionsConfig;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.server.exec.NoticeSink;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardPools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Commits a client transaction's shard connections atomically, and recovers what a commit left
 * in doubt.
 *
 * <ul>
 *   <li>One shard written (or none): COMMIT, one phase. Shards the transaction only read commit
 *       first; they have nothing to lose.</li>
 *   <li>Two or more written: PREPARE TRANSACTION on each (in parallel), then the commit decision
 *       goes to the {@link DecisionLog}, then COMMIT PREPARED on each. Until the decision is
 *       stored, any failure rolls everything back; once it is stored the transaction is committed,
 *       and a participant that could not be told yet is finished by recovery.</li>
 * </ul>
 *
 * <p>Recovery ({@link Recovery}) runs at start, every {@code recovery-interval} seconds and on
 * {@code RECOVER TRANSACTIONS}.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    /** Counters for SHOW TRANSACTIONS. */
    public record Stats(long onePhase, long twoPhase, long rolledBackAtPrepare, long unknownOutcome,
                        long recoveredCommits, long recoveredRollbacks, long inDoubtNow) {
    }

    private final ShardPools pools;
    private final Executor workers;
    private final DecisionLog log;
    private final String proxyId;
    private final String boot;
    private final AtomicLong seq = new AtomicLong();
    /** Gids between their first PREPARE and their last COMMIT/ROLLBACK PREPARED: not recovery's. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong onePhase = new AtomicLong();
    private final AtomicLong twoPhase = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final Recovery recovery;
    private final ScheduledExecutorService schedule;
    /**
     * Set when a commit left a prepared transaction behind (a participant it could not reach):
     * its locks are held until it is resolved, so recovery retries every second until a pass
     * reaches every shard, not only every recovery interval.
     */
    private final java.util.concurrent.atomic.AtomicBoolean inDoubt = new java.util.concurrent.atomic.AtomicBoolean();
    private final DeadlockDetector deadlocks;

    private Coordinator(ShardPools pools, Executor workers, DecisionLog log, String proxyId, String boot,
                        int recoveryInterval) {
        this.pools = pools;
        this.workers = workers;
        this.log = log;
        this.proxyId = proxyId;
        this.boot = boot;
        this.recovery = new Recovery(pools, log, inFlight, proxyId + ":" + boot);
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardproxy-recovery");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(this::recoverQuietly, 0, recoveryInterval, TimeUnit.SECONDS);
        schedule.scheduleWithFixedDelay(() -> {
            if (inDoubt.get() && recoverQuietly()) {
                inDoubt.set(false);
            }
        }, 1, 1, TimeUnit.SECONDS);
        this.deadlocks = new DeadlockDetector(pools);
    }

    /** Opens the decision log and starts recovery (its first pass runs now, in the background). */
    public static Coordinator start(ProxyConfig config, ShardPools pools, Executor workers) {
        TransactionsConfig t = config.transactions();
        String proxyId = t.proxyId() != null ? t.proxyId() : defaultProxyId(config.listen().port());
        // A run id: seconds since 2020 in base 36 plus a random suffix, unique per start.
        String boot = Long.toString(System.currentTimeMillis() / 1000 - 1_577_836_800L, 36)
                + Long.toString((long) (Math.random() * 36 * 36 * 36), 36);
        Gid probe = new Gid(proxyId, boot, 0);
        DecisionLog log = DecisionLog.open(pools.config(config.shardIndex(t.decisionShard())), t.decisionDatabase(),
                probe.instance());
        LOG.info("transactions: proxy run {}, decisions in {} on shard {}", probe.instance(), t.decisionDatabase(),
                t.decisionShard());
        return new Coordinator(pools, workers, log, proxyId, boot, t.recoveryInterval());
    }

    private static String defaultProxyId(int port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "proxy";
        }
        String id = (host.replaceAll("[^A-Za-z0-9_-]", "-") + "-" + port);
        return id.length() > 32 ? id.substring(id.length() - 32) : id;
    }

    /** This proxy run, as its gids name it. */
    public String instance() {
        return proxyId + ":" + boot;
    }

    /** Breaks deadlocks across shards between this proxy's transaction blocks. */
    public DeadlockDetector deadlocks() {
        return deadlocks;
    }

    public Stats stats() {
        return new Stats(onePhase.get(), twoPhase.get(), rolledBack.get(), unknown.get(),
                recovery.commits(), recovery.rollbacks(), inFlight.size());
    }

    /** One recovery pass now; see {@link Recovery#run}. */
    public Recovery.Result recover() {
        return recovery.run();
    }

    /** One recovery pass, logged; true when it reached every shard. */
    private boolean recoverQuietly() {
        try {
            Recovery.Result r = recovery.run();
            if (r.committed() + r.rolledBack() > 0 || !r.problems().isEmpty()) {
                LOG.info("recovery: {} committed, {} rolled back, {} left to their live proxies{}", r.committed(),
                        r.rolledBack(), r.skipped(), r.problems().isEmpty() ? "" : ", problems: " + r.problems());
            }
            return r.problems().isEmpty();
        } catch (RuntimeException e) {
            LOG.warn("recovery pass failed: {}", e.toString());
            return false;
        }
    }

    /**
     * Commits every connection of one client transaction (each in a transaction on its shard),
     * atomically. On return every connection is outside any transaction. Throws the shard's error
     * when the transaction rolled back, or 08007 when its outcome is unknown.
     */
    public void commit(List<ShardConnection> conns, NoticeSink notices) {
        if (conns.size() == 1) {
            conns.get(0).commit();
            onePhase.incrementAndGet();
            return;
        }
        List<ShardConnection> writers = new ArrayList<>();
        List<ShardConnection> maybeReaders = new ArrayList<>();
        for (ShardConnection c : conns) {
            (c.wroteByTag() ? writers : maybeReaders).add(c);
        }
        // A shard whose tags were all reads may still have written (SELECT INTO, a function):
        // its transaction id says.
        Map<ShardConnection, Throwable> checks = parallel(maybeReaders, c -> {
            if (c.assignedTransactionId()) {
                synchronized (writers) {
                    writers.add(c);
                }
            } else {
                c.commit();
            }
        });
        if (!checks.isEmpty()) {
            for (ShardConnection c : writers) {
                safeRollback(c);
            }
            for (ShardConnection c : maybeReaders) {
                safeRollback(c);
            }
            throw asRuntime(checks.values().iterator().next());
        }
        if (writers.size() <= 1) {
            if (!writers.isEmpty()) {
                writers.get(0).commit();
            }
            onePhase.incrementAndGet();
            return;
        }
        twoPhaseCommit(writers, notices);
    }

    private void twoPhaseCommit(List<ShardConnection> writers, NoticeSink notices) {
        try {
            log.ensureLivenessLock();
        } catch (SQLException e) {
            for (ShardConnection c : writers) {
                safeRollback(c);
            }
            rolledBack.incrementAndGet();
            throw new ShardProxyException(SqlState.UNABLE_TO_CONNECT,
                    "the transaction was rolled back: it wrote on " + writers.size()
                            + " shards, and its two-phase commit cannot reach the decision log",
                    e.getMessage(), "retry when the decision database is reachable", e);
        }
        Gid gid = new Gid(proxyId, boot, seq.incrementAndGet());
        inFlight.add(gid.text());
        try {
            Set<ShardConnection> prepared = ConcurrentHashMap.newKeySet();
            Map<ShardConnection, Throwable> failed = parallel(writers, c -> {
                Failpoints.hit(Failpoints.BEFORE_PREPARE, c);
                c.command("PREPARE TRANSACTION '" + gid.participant(c.shard()) + "'");
                prepared.add(c);
                Failpoints.hit(Failpoints.PREPARED, c);
            });
            if (!failed.isEmpty()) {
                rolledBack.incrementAndGet();
                finish(writers, prepared, "ROLLBACK PREPARED", gid, null);
                throw asRuntime(failed.values().iterator().next());
            }
            boolean commit = decide(gid);
            if (!commit) {
                rolledBack.incrementAndGet();
                finish(writers, prepared, "ROLLBACK PREPARED", gid, null);
                throw new ShardProxyException(SqlState.TRANSACTION_ROLLBACK,
                        "the transaction was rolled back: recovery decided its outcome before the commit did",
                        "transaction " + gid.text(), "retry the transaction");
            }
            Failpoints.hit(Failpoints.DECIDED, gid);
            finish(writers, prepared, "COMMIT PREPARED", gid, notices);
            twoPhase.incrementAndGet();
        } finally {
            inFlight.remove(gid.text());
        }
    }

    /**
     * Stores the commit decision. When the store fails, asks again on a fresh connection
     * (recording a rollback when no decision got through), a few times; when the decision log
     * stays out of reach the outcome is unknown.
     */
    private boolean decide(Gid gid) {
        SQLException first;
        try {
            return log.decideCommit(gid);
        } catch (SQLException e) {
            first = e;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Thread.sleep(500L * (attempt + 1));
                return log.decideUnlessDecided(gid);
            } catch (SQLException e) {
                LOG.debug("decision log retry failed for {}", gid, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        unknown.incrementAndGet();
        inDoubt.set(true);
        throw new ShardProxyException(SqlState.TRANSACTION_RESOLUTION_UNKNOWN,
                "the outcome of the transaction is unknown: every shard prepared it, and storing the commit"
                        + " decision failed (" + first.getMessage() + ")",
                "transaction " + gid.text(),
                "ShardProxy's recovery commits or rolls it back as the decision log says; check whether its"
                        + " changes are there before retrying", first);
    }

    /**
     * Ends the prepared transaction on every participant with {@code sql} (COMMIT PREPARED or
     * ROLLBACK PREPARED, followed by the participant's id) and rolls back those that never
     * prepared. A participant that cannot be reached keeps its prepared transaction for recovery;
     * with {@code notices} set (a commit), the client hears that the commit stands and which
     * shard will apply it late.
     */
    private void finish(List<ShardConnection> writers, Set<ShardConnection> prepared, String sql, Gid gid,
                        NoticeSink notices) {
        boolean commit = notices != null;
        Map<ShardConnection, Throwable> failed = parallel(writers, c -> {
            if (prepared.contains(c)) {
                c.command(sql + " '" + gid.participant(c.shard()) + "'");
                if (commit) {
                    Failpoints.hit(Failpoints.COMMITTED_PREPARED, c);
                }
            } else {
                safeRollback(c);
            }
        });
        if (!failed.isEmpty()) {
            inDoubt.set(true);
        }
        for (Map.Entry<ShardConnection, Throwable> f : failed.entrySet()) {
            LOG.warn("{} on shard {} failed: {}; recovery will finish it", sql, f.getKey().shardName(),
                    f.getValue().toString());
            if (commit) {
                Map<Byte, String> notice = new LinkedHashMap<>();
                notice.put((byte) 'S', "WARNING");
                notice.put((byte) 'V', "WARNING");
                notice.put((byte) 'C', "01000");
                notice.put((byte) 'M', "the transaction is committed, but shard " + f.getKey().shardName()
                        + " has not applied it yet");
                notice.put((byte) 'D', "transaction " + gid.text() + ": " + f.getValue().getMessage());
                notice.put((byte) 'H', "ShardProxy's recovery applies it when the shard is reachable");
                notices.notice(notice);
            }
        }
    }

    /**
     * Runs {@code action} on every connection at once (the first on this thread) and returns the
     * failures by connection.
     */
    private Map<ShardConnection, Throwable> parallel(List<ShardConnection> conns, Consumer<ShardConnection> action) {
        Map<ShardConnection, Throwable> failed = new ConcurrentHashMap<>();
        if (conns.isEmpty()) {
            return failed;
        }
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (int i = 1; i < conns.size(); i++) {
            ShardConnection c = conns.get(i);
            others.add(CompletableFuture.runAsync(() -> {
                try {
                    action.accept(c);
                } catch (RuntimeException | Error e) {
                    failed.put(c, e);
                }
            }, workers));
        }
        try {
            action.accept(conns.get(0));
        } catch (RuntimeException | Error e) {
            failed.put(conns.get(0), e);
        }
        for (CompletableFuture<Void> f : others) {
            f.join();
        }
        return failed;
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    private static void safeRollback(ShardConnection c) {
        try {
            c.rollback();
        } catch (RuntimeException e) {
            LOG.debug("rollback failed on shard {}", c.shardName(), e);
        }
    }

    @Override
    public void close() {
        deadlocks.close();
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
