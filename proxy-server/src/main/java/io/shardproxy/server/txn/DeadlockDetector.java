package io.shardproxy.server.txn;

import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardPools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Breaks deadlocks across shards. Session A holds a row on shard s1 and waits on s2 for a row
 * session B holds, while B waits on s1 for A's row: each shard sees one wait and no cycle, so
 * neither shard's deadlock check ever fires. Every {@value #INTERVAL_MS} ms this detector asks
 * the shards which statements of this proxy's transaction blocks wait for a lock and whose lock
 * it is ({@code pg_blocking_pids}), joins the answers into a waits-for graph of blocks, and breaks
 * each cycle whose waits lie on two or more shards by cancelling the wait of its youngest block
 * (the one that pinned its first shard last). The cancelled statement reaches the client as
 * 40P01 (see {@link ShardConnection#cancelAsDeadlockVictim}). A cycle on one shard is that
 * shard's own to break after its {@code deadlock_timeout}.
 *
 * <p>Cheap when idle: a pass asks no shard unless statements of two or more blocks, on two or
 * more shards, have been running for {@value #MIN_WAIT_MS} ms, which every cross-shard cycle
 * needs; then it asks only those shards, about only those statements.
 *
 * <p>Trap: it sees only this proxy's blocks. A cycle through a transaction of another proxy, or of
 * a client connected to a shard directly, ends only by a shard's lock_timeout or statement_timeout.
 */
public final class DeadlockDetector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlockDetector.class);

    static final long INTERVAL_MS = 500;
    /** A statement running for less than this is not asked about: almost all never wait. */
    static final long MIN_WAIT_MS = 200;
    /** A cancel that has not ended its statement by then is sent again (it arrived too early or was lost). */
    private static final long RESEND_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Bounds the search for cycles; real graphs have a handful of nodes. */
    private static final int MAX_STEPS = 10_000;

    private static final String WAITS = "select pid, pg_blocking_pids(pid) from pg_stat_activity"
            + " where pid = any(?) and wait_event_type = 'Lock'";

    private final ShardPools pools;
    private final AtomicLong order = new AtomicLong();
    private final Set<Block> blocks = ConcurrentHashMap.newKeySet();
    /** Statements cancelled and not yet ended: {busySince, when the cancel went}. Detector thread only. */
    private final Map<ShardConnection, long[]> cancelled = new HashMap<>();
    private final ScheduledExecutorService schedule;

    DeadlockDetector(ShardPools pools) {
        this.pools = pools;
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardproxy-deadlocks");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(this::passQuietly, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** A new transaction block's entry, empty until it pins a shard. */
    public Block block() {
        return new Block();
    }

    /**
     * One client transaction block as the detector sees it: the connection it pins on each shard.
     * Reused block after block by its session: {@link #ended} empties it.
     */
    public final class Block {
        private final Map<Integer, ShardConnection> conns = new ConcurrentHashMap<>();
        /** Begin order among all blocks: the highest is the youngest. */
        private volatile long began;

        private Block() {
        }

        /** The block pinned {@code c} (a block may pin several shards at once). */
        public synchronized void pinned(ShardConnection c) {
            if (conns.isEmpty()) {
                began = order.incrementAndGet();
                blocks.add(this);
            }
            conns.put(c.shard(), c);
        }

        /** The block ended: it waits for nothing and holds nothing. */
        public synchronized void ended() {
            blocks.remove(this);
            conns.clear();
        }
    }

    /** The connection {@code block} pins on one shard, running a statement since {@code since} (or 0). */
    private record Member(Block block, ShardConnection conn, int pid, long since) {
        boolean stillPinned() {
            return block.conns.get(conn.shard()) == conn;
        }

        boolean stillRunning() {
            return stillPinned() && conn.busySince() == since;
        }
    }

    /** {@code waiter} waits on its shard for a lock {@code holder} holds. */
    private record Edge(Member waiter, Member holder) {
        int shard() {
            return waiter.conn.shard();
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.warn("deadlock check failed: {}", e.toString());
        }
    }

    /** One look at the shards; breaks every cross-shard cycle it finds. */
    void pass() {
        cancelled.entrySet().removeIf(e -> e.getKey().busySince() != e.getValue()[0]);
        if (blocks.size() < 2) {
            return;
        }
        long now = System.nanoTime();
        long minWait = TimeUnit.MILLISECONDS.toNanos(MIN_WAIT_MS);
        // Every pinned connection by shard and backend pid (the holders), and the long-running
        // statements by shard (the possible waiters).
        Map<Integer, Map<Integer, Member>> byPid = new HashMap<>();
        Map<Integer, List<Member>> running = new HashMap<>();
        Set<Block> runningBlocks = new HashSet<>();
        for (Block b : blocks) {
            for (ShardConnection c : b.conns.values()) {
                long since = c.busySince();
                Member m = new Member(b, c, c.backendPid(), since);
                byPid.computeIfAbsent(c.shard(), k -> new HashMap<>()).put(m.pid, m);
                if (since != 0 && now - since >= minWait) {
                    running.computeIfAbsent(c.shard(), k -> new ArrayList<>()).add(m);
                    runningBlocks.add(b);
                }
            }
        }
        if (running.size() < 2 || runningBlocks.size() < 2) {
            return;
        }
        Map<Block, List<Edge>> graph = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Member>> e : running.entrySet()) {
            for (Edge edge : waits(e.getKey(), e.getValue(), byPid.get(e.getKey()))) {
                graph.computeIfAbsent(edge.waiter.block, k -> new ArrayList<>()).add(edge);
            }
        }
        Set<Block> broken = new HashSet<>();
        for (List<Edge> cycle : cycles(graph)) {
            if (cycle.stream().anyMatch(e -> broken.contains(e.waiter.block))) {
                continue;
            }
            // Every wait still the same statement's, every holder still the same block's: the
            // shards answered one after another, and a cycle joined from stale answers is none.
            if (!cycle.stream().allMatch(e -> e.waiter.stillRunning() && e.holder.stillPinned())) {
                continue;
            }
            broken.addAll(cycle.stream().map(e -> e.waiter.block).toList());
            Edge victim = cycle.stream().max(Comparator.comparingLong(e -> e.waiter.block.began)).orElseThrow();
            long[] sent = cancelled.get(victim.waiter.conn);
            if (sent != null && sent[0] == victim.waiter.since && now - sent[1] < RESEND_NANOS) {
                continue; // its cancel is on its way
            }
            String detail = detail(cycle, victim);
            LOG.info("deadlock across shards, cancelling the wait on shard {} (process {}): {}",
                    victim.waiter.conn.shardName(), victim.waiter.pid, detail.replace('\n', ' '));
            cancelled.put(victim.waiter.conn, new long[] {victim.waiter.since, now});
            victim.waiter.conn.cancelAsDeadlockVictim(detail);
        }
    }

    /** The lock waits of {@code waiters} on {@code shard}, where the holder is a block of this proxy. */
    private List<Edge> waits(int shard, List<Member> waiters, Map<Integer, Member> holders) {
        Map<Integer, Member> byPid = new HashMap<>();
        for (Member m : waiters) {
            byPid.put(m.pid, m);
        }
        List<Edge> edges = new ArrayList<>();
        try (Connection c = pools.lookupConnection(shard); PreparedStatement ps = c.prepareStatement(WAITS)) {
            ps.setQueryTimeout(5);
            ps.setArray(1, c.createArrayOf("int4", byPid.keySet().toArray(new Integer[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Member waiter = byPid.get(rs.getInt(1));
                    Array blockers = rs.getArray(2);
                    for (Object pid : (Object[]) blockers.getArray()) {
                        Member holder = holders.get(((Number) pid).intValue());
                        if (waiter != null && holder != null && holder.block != waiter.block) {
                            edges.add(new Edge(waiter, holder));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            LOG.debug("deadlock check cannot ask shard {}: {}", pools.name(shard), e.toString());
        }
        return edges;
    }

    /**
     * The graph's simple cycles whose waits lie on two or more shards. Each cycle is found once,
     * from its oldest block, going only through younger ones; edges in waiting order.
     */
    private static List<List<Edge>> cycles(Map<Block, List<Edge>> graph) {
        List<Block> nodes = new ArrayList<>(graph.keySet());
        nodes.sort(Comparator.comparingLong(b -> b.began));
        List<List<Edge>> out = new ArrayList<>();
        int[] steps = {0};
        for (Block start : nodes) {
            search(graph, start, start, new ArrayList<>(), new HashSet<>(), out, steps);
        }
        return out;
    }

    private static void search(Map<Block, List<Edge>> graph, Block start, Block at, List<Edge> path, Set<Block> onPath,
                               List<List<Edge>> out, int[] steps) {
        onPath.add(at);
        for (Edge e : graph.getOrDefault(at, List.of())) {
            if (++steps[0] > MAX_STEPS) {
                break;
            }
            Block next = e.holder.block;
            path.add(e);
            if (next == start) {
                if (path.stream().map(Edge::shard).distinct().count() > 1) {
                    out.add(List.copyOf(path));
                }
            } else if (next.began > start.began && !onPath.contains(next)) {
                search(graph, start, next, path, onPath, out, steps);
            }
            path.remove(path.size() - 1);
        }
        onPath.remove(at);
    }

    /**
     * PostgreSQL's DETAIL of a deadlock, one line per wait, told from the victim's: "Transaction 1
     * waits on shard s2 (process 4711) for transaction 2 (process 4712)."
     */
    static String detail(List<Edge> cycle, Edge victim) {
        int first = cycle.indexOf(victim);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cycle.size(); i++) {
            Edge e = cycle.get((first + i) % cycle.size());
            if (i > 0) {
                sb.append('\n');
            }
            sb.append("Transaction ").append(i + 1).append(" waits on shard ").append(e.waiter.conn.shardName())
                    .append(" (process ").append(e.waiter.pid).append(") for transaction ")
                    .append((i + 1) % cycle.size() + 1).append(" (process ").append(e.holder.pid).append(").");
        }
        return sb.toString();
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
