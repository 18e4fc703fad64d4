package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.ProxyYaml;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.txn.Failpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Faults at every step of a two-shard commit, on a cluster of its own: shards s0 and s1 hold the
 * accounts (even ids on s0, odd on s1) and s2 holds the decision log, so killing a participant
 * never kills the decisions.
 *
 * <p>A transfer moves 10 from account 0 (s0) to account 1 (s1). Each fault lands at one step
 * (before PREPARE, after some PREPAREs, after the decision, after some COMMIT PREPAREDs), by
 * killing a shard ({@code pg_ctl stop -m immediate}, then a restart), by breaking the proxy's
 * connection to a shard, or by halting the proxy process itself and letting another proxy
 * recover. Afterwards: the transfer is applied whole or not at all, as the client was told (an
 * error that says rolled back means rolled back; success means committed; a lost connection
 * claims nothing), no prepared transaction is left, and the total is unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoPhaseFaultTest {
    private static final String TABLE = "bank";
    private static final String LOG = "bank_log";
    private static final String TRANSFER = "update bank set balance = balance - 10 where id = 0;"
            + " update bank set balance = balance + 10 where id = 1";

    private PgCluster cluster;
    private ProxyFixture proxy;

    @BeforeAll
    void startCluster() throws SQLException {
        cluster = PgCluster.builder().shards(3).start();
        proxy = startProxy("fault-a");
        try (Connection c = proxy.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, balance int not null)",
                    "create table " + LOG + " (id int primary key, src int not null, dst int not null,"
                            + " amount int not null)");
        }
    }

    private ProxyFixture startProxy(String id) {
        return ProxyFixture.start(cluster, y -> configure(y, id));
    }

    /** Accounts on s0 and s1, decisions on s2, recovery only when a test asks. */
    private static ProxyYaml configure(ProxyYaml y, String proxyId) {
        return y.poolSize(8).shardedOn(TABLE, "id", 2, "{s0: '0', s1: '1'}")
                .shardedOn(LOG, "id", 2, "{s0: '0', s1: '1'}").transactions(proxyId, "s2", 3600);
    }

    @AfterAll
    void stopCluster() {
        Failpoints.clear();
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void resetAccounts() throws SQLException {
        Failpoints.clear();
        for (int shard = 0; shard < 2; shard++) {
            cluster.shard(shard).start();
            try (Connection s = shard(shard)) {
                ProxyFixture.execute(s, "delete from " + LOG, "delete from " + TABLE, "insert into " + TABLE
                        + " select g, 100 from"
                        + " generate_series(" + shard + ", 7, 2) g");
            }
        }
    }

    @AfterEach
    void clearFailpoints() {
        Failpoints.clear();
    }

    // ---- killing a shard ----

    @Test
    void shardKilledBeforeItsPrepareRollsBack() throws Exception {
        onShard(Failpoints.BEFORE_PREPARE, 1, c -> cluster.shard(1).kill());
        Outcome o = transfer();
        assertNotNull(o.error, "a shard died before PREPARE: the commit cannot succeed");
        recoverAfterRestart(1);
        assertBalances(100, 100);
    }

    @Test
    void shardKilledAfterTheOtherPreparedRollsBack() throws Exception {
        CountDownLatch killed = new CountDownLatch(1);
        onShard(Failpoints.PREPARED, 0, c -> {
            cluster.shard(1).kill();
            killed.countDown();
        });
        onShard(Failpoints.BEFORE_PREPARE, 1, c -> await(killed));
        Outcome o = transfer();
        assertNotNull(o.error);
        recoverAfterRestart(1);
        assertBalances(100, 100);
    }

    @Test
    void shardKilledAfterTheDecisionStillCommits() throws Exception {
        Failpoints.set(Failpoints.DECIDED, gid -> cluster.shard(1).kill());
        Outcome o = transfer();
        assertNull(o.error, "the decision was stored: the transaction is committed");
        assertTrue(o.warnings.stream().anyMatch(w -> w.contains("has not applied it yet")), o.warnings::toString);
        recoverAfterRestart(1);
        assertBalances(90, 110);
    }

    @Test
    void shardKilledAfterTheOtherCommittedPreparedStillCommits() throws Exception {
        onShard(Failpoints.COMMITTED_PREPARED, 0, c -> cluster.shard(1).kill());
        Outcome o = transfer();
        assertNull(o.error);
        recoverAfterRestart(1);
        assertBalances(90, 110);
    }

    // ---- breaking the proxy's connection to a shard ----

    @Test
    void connectionBrokenBeforePrepareRollsBack() throws Exception {
        onShard(Failpoints.BEFORE_PREPARE, 1, this::terminateBackend);
        Outcome o = transfer();
        assertNotNull(o.error);
        recover(proxy);
        assertBalances(100, 100);
    }

    @Test
    void connectionBrokenAfterTheOtherPreparedRollsBack() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch broken = new CountDownLatch(1);
        Set<ShardConnection> participants = ConcurrentHashMap.newKeySet();
        onShard(Failpoints.BEFORE_PREPARE, 1, c -> {
            participants.add(c);
            waiting.countDown();
            await(broken);
        });
        onShard(Failpoints.PREPARED, 0, c -> {
            await(waiting);
            participants.forEach(this::terminateBackend);
            broken.countDown();
        });
        Outcome o = transfer();
        assertNotNull(o.error);
        recover(proxy);
        assertBalances(100, 100);
        assertEquals(List.of(), prepared());
    }

    @Test
    void connectionBrokenAfterTheOtherCommittedPreparedStillCommits() throws Exception {
        Set<ShardConnection> participants = ConcurrentHashMap.newKeySet();
        onShard(Failpoints.PREPARED, 1, participants::add);
        onShard(Failpoints.COMMITTED_PREPARED, 0, c -> participants.forEach(this::terminateBackend));
        Outcome o = transfer();
        assertNull(o.error);
        // The terminated backend may still hold its prepared transaction for a moment ("busy").
        recoverUntilNothingPrepared();
        assertBalances(90, 110);
        assertEquals(List.of(), prepared());
    }

    @Test
    void connectionBrokenAfterTheDecisionCommitsThroughRecovery() throws Exception {
        // The shard keeps a prepared transaction when the session that prepared it dies.
        Set<ShardConnection> participants = ConcurrentHashMap.newKeySet();
        onShard(Failpoints.PREPARED, 1, participants::add);
        Failpoints.set(Failpoints.DECIDED, gid -> participants.forEach(this::terminateBackend));
        Outcome o = transfer();
        assertNull(o.error, "the decision was stored before the connection broke");
        assertEquals("1", recover(proxy).get(0), "recovery committed the participant the proxy could not tell");
        assertBalances(90, 110);
    }

    // ---- the proxy process dies ----

    /**
     * The proxy process halts at {@code step}; another proxy recovers. Before the decision the
     * transfer rolls back, from the decision on it commits; the client, whose connection broke,
     * was told nothing either way.
     */
    @ParameterizedTest(name = "halted at {0}")
    @CsvSource({
        Failpoints.BEFORE_PREPARE + ", 100, 100",
        Failpoints.PREPARED + ", 100, 100",
        Failpoints.DECIDED + ", 90, 110",
        Failpoints.COMMITTED_PREPARED + ", 90, 110"})
    void proxyKilledAtAStepIsResolvedByAnotherProxy(String step, int account0, int account1, @TempDir Path dir)
            throws Exception {
        Outcome o = transferThroughAProxyThatHalts(dir, step);
        assertNotNull(o.error, "the client lost its connection; nothing was claimed");
        assertBalances(account0, account1);
    }

    @Test
    void anotherLiveProxyLeavesATransactionInFlightAlone() throws Exception {
        try (ProxyFixture other = startProxy("fault-b")) {
            List<List<String>> seen = new ArrayList<>();
            onShard(Failpoints.PREPARED, 1, c -> {
                try {
                    seen.add(recover(other));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Outcome o = transfer();
            assertNull(o.error);
            assertEquals(1, seen.size());
            assertEquals(List.of("0", "0"), seen.get(0).subList(0, 2), "nothing resolved: " + seen.get(0));
            assertTrue(Integer.parseInt(seen.get(0).get(2)) >= 1, "left to its live proxy: " + seen.get(0));
        }
        assertBalances(90, 110);
        assertEquals(List.of(), prepared());
    }

    /**
     * Runs the transfer through a proxy process that halts at {@code point}, then has this test's
     * proxy (another proxy id) recover, and checks nothing stays prepared.
     */
    private Outcome transferThroughAProxyThatHalts(Path dir, String point) throws Exception {
        Path config = Files.writeString(dir.resolve("proxy.yaml"),
                configure(ProxyYaml.forCluster(cluster).scramUser(ProxyFixture.USER, ProxyFixture.PASSWORD, true),
                        "doomed").yaml());
        Outcome o;
        try (ChildProxy doomed = ChildProxy.start(config, "doomed-proxy", "-Dshardproxy.failpoint=" + point + ":halt")) {
            o = transfer("jdbc:postgresql://127.0.0.1:" + doomed.port() + "/" + cluster.database()
                    + "?preferQueryMode=simple");
            assertTrue(doomed.awaitExit(30), doomed::log);
        }
        // The dead run's advisory lock goes with its sessions; recovery may need a moment to see it.
        recoverUntilNothingPrepared();
        return o;
    }

    // ---- the bank invariant ----

    @Test
    void concurrentTransfersWhileAShardIsKilledAndRestartedKeepTheBooksExact() throws Exception {
        int clients = 4;
        int transfers = 40;
        Set<Integer> committed = ConcurrentHashMap.newKeySet();
        Set<Integer> failed = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            int first = client * 1000;
            futures.add(pool.submit(() -> {
                java.util.Random random = new java.util.Random(first);
                for (int i = 0; i < transfers; i++) {
                    int id = first + i;
                    // one account on each shard, in either direction
                    int even = 2 * random.nextInt(4);
                    int odd = 2 * random.nextInt(4) + 1;
                    int src = random.nextBoolean() ? even : odd;
                    int dst = src == even ? odd : even;
                    int amount = 1 + random.nextInt(20);
                    // s0's account first, whichever way the money goes: opposite orders would
                    // deadlock across the shards (DeadlockTest covers that)
                    String sql = "update bank set balance = balance " + (src == even ? "-" : "+") + amount
                            + " where id = " + even + "; update bank set balance = balance "
                            + (src == odd ? "-" : "+") + amount + " where id = " + odd
                            + "; insert into " + LOG + " values (" + id + ", " + src + ", " + dst + ", " + amount + ")";
                    try (Connection c = DriverManager.getConnection(proxy.url(), ProxyFixture.USER,
                            ProxyFixture.PASSWORD); Statement s = c.createStatement()) {
                        s.execute("set statement_timeout = '20s'");
                        s.execute("begin");
                        s.execute(sql);
                        s.execute("commit");
                        committed.add(id);
                    } catch (SQLException e) {
                        failed.add(id);
                        sleep(20);
                    }
                    done.incrementAndGet();
                }
            }));
        }
        while (done.get() < clients * transfers / 3) {
            sleep(10);
        }
        // The kill lands in the middle of a commit: after a participant prepared.
        CountDownLatch killed = new CountDownLatch(1);
        onShard(Failpoints.PREPARED, 0, c -> {
            if (killed.getCount() > 0) {
                Failpoints.clear();
                cluster.shard(1).kill();
                killed.countDown();
            }
        });
        assertTrue(killed.await(30, TimeUnit.SECONDS), "no commit reached the kill");
        sleep(1000);
        cluster.shard(1).start();
        for (java.util.concurrent.Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        recoverAfterRestart(1);

        assertTrue(committed.size() > transfers, "most transfers committed: " + committed.size());
        java.util.Map<Integer, Integer> expected = new java.util.HashMap<>();
        Set<Integer> logged = new java.util.HashSet<>();
        for (int shard = 0; shard < 2; shard++) {
            try (Connection s = shard(shard); Statement st = s.createStatement();
                 ResultSet rs = st.executeQuery("select id, src, dst, amount from " + LOG)) {
                while (rs.next()) {
                    logged.add(rs.getInt(1));
                    expected.merge(rs.getInt(2), -rs.getInt(4), Integer::sum);
                    expected.merge(rs.getInt(3), rs.getInt(4), Integer::sum);
                }
            }
        }
        assertTrue(logged.containsAll(committed), "every committed transfer is visible");
        int total = 0;
        for (int shard = 0; shard < 2; shard++) {
            try (Connection s = shard(shard); Statement st = s.createStatement();
                 ResultSet rs = st.executeQuery("select id, balance from " + TABLE)) {
                while (rs.next()) {
                    assertEquals(100 + expected.getOrDefault(rs.getInt(1), 0), rs.getInt(2),
                            "account " + rs.getInt(1) + " holds exactly the logged transfers: each is all or nothing");
                    total += rs.getInt(2);
                }
            }
        }
        assertEquals(800, total, "the sum of all balances is unchanged");
    }

    // ---- helpers ----

    private record Outcome(SQLException error, List<String> warnings) {
    }

    private Outcome transfer() {
        return transfer(proxy.url());
    }

    private Outcome transfer(String url) {
        List<String> warnings = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, ProxyFixture.USER, ProxyFixture.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("begin");
            s.execute(TRANSFER);
            s.execute("commit");
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                warnings.add(w.getMessage());
            }
            return new Outcome(null, warnings);
        } catch (SQLException e) {
            return new Outcome(e, warnings);
        }
    }

    private void onShard(String point, int shard, Consumer<ShardConnection> action) {
        Failpoints.set(point, subject -> {
            ShardConnection c = (ShardConnection) subject;
            if (c.shard() == shard) {
                action.accept(c);
            }
        });
    }

    private void terminateBackend(ShardConnection c) {
        try (Connection s = shard(c.shard())) {
            ProxyFixture.execute(s, "select pg_terminate_backend(" + c.backendPid() + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void recoverAfterRestart(int shard) throws SQLException {
        Failpoints.clear();
        cluster.shard(shard).start();
        recoverUntilNothingPrepared();
    }

    /** RECOVER TRANSACTIONS until no shard holds a prepared transaction, for up to 10 s. */
    private void recoverUntilNothingPrepared() throws SQLException {
        List<String> result = List.of();
        for (int i = 0; i < 50 && !prepared().isEmpty(); i++) {
            result = recover(proxy);
            if (prepared().isEmpty()) {
                break;
            }
            sleep(200);
        }
        assertEquals(List.of(), prepared(), "recovery left prepared transactions; last pass: " + result);
    }

    private static List<String> recover(ProxyFixture p) throws SQLException {
        try (Connection c = p.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("recover transactions")) {
            rs.next();
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                row.add(rs.getString(i));
            }
            return row;
        }
    }

    private List<String> prepared() throws SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cluster.shards().size(); i++) {
            try (Connection s = shard(i); Statement st = s.createStatement();
                 ResultSet rs = st.executeQuery("select gid from pg_prepared_xacts")) {
                while (rs.next()) {
                    out.add("s" + i + " " + rs.getString(1));
                }
            }
        }
        return out;
    }

    private void assertBalances(int account0, int account1) throws SQLException {
        try (Connection s0 = shard(0); Connection s1 = shard(1)) {
            assertEquals(account0, balance(s0, 0), "account 0 on s0");
            assertEquals(account1, balance(s1, 1), "account 1 on s1");
            assertEquals(800, total(s0) + total(s1), "the total is unchanged");
        }
    }

    private static int balance(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select balance from " + TABLE
                + " where id = " + id)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int total(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select sum(balance) from " + TABLE)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Connection shard(int index) throws SQLException {
        return DriverManager.getConnection(cluster.shard(index).jdbcUrl(cluster.database()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
