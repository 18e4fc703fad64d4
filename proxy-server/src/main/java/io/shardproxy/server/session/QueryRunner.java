package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergeEngine;
import io.shardproxy.merge.MergeOptions;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.RowStream;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.MergePlans;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.exec.ShardResult;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.NoticeResponse;
import io.shardproxy.server.wire.RowDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one routed statement on its shards and sends the result to the client:
 * <pre>
 *   in a transaction block   pin each target shard (BEGIN on first use), run there
 *   autocommit, one shard    borrow a connection; reads stream through a cursor
 *   autocommit, many shards  an implicit block: BEGIN on each, run in parallel, COMMIT each
 *   not transactional        (VACUUM, CONCURRENTLY) shard by shard in autocommit
 * </pre>
 * then merges the shards' rows per the plan and writes RowDescription, DataRows and one
 * CommandComplete.
 */
final class QueryRunner {
    private final ShardPools pools;
    private final ExecutorService workers;
    private final MergeOptions mergeOptions;
    private final int fetchSize;
    private final AtomicInteger roundRobin;
    private final Transaction tx;
    private final SessionSettings settings;
    private final ResultWriter out;
    /** Connections running a statement outside a block, for cancel. */
    private final Set<ShardConnection> active = ConcurrentHashMap.newKeySet();
    /** Rows per shard up to which a fan-out read runs without a cursor. */
    private static final long SMALL_RESULT = 10_000;

    QueryRunner(ShardPools pools, ExecutorService workers, MergeOptions mergeOptions, int fetchSize,
                AtomicInteger roundRobin, Transaction tx, SessionSettings settings, ResultWriter out) {
        this.pools = pools;
        this.workers = workers;
        this.mergeOptions = mergeOptions;
        this.fetchSize = fetchSize;
        this.roundRobin = roundRobin;
        this.tx = tx;
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs {@code q}. {@code inMultiStatement} is true when the statement is one of several in a
     * simple Query, which PostgreSQL runs as one transaction block.
     */
    void run(Plan.Query q, Statement statement, boolean inMultiStatement) {
        List<ShardStatement> targets = resolveAnyShard(q.statements());
        if (!q.transactional() && (tx.explicit() || inMultiStatement)) {
            throw new ShardProxyException(SqlState.ACTIVE_SQL_TRANSACTION,
                    commandName(statement) + " cannot run inside a transaction block");
        }
        if (tx.inBlock()) {
            List<ShardResult> results = runAll(targets, st -> tx.pin(st.shard()).run(st.sql(), !q.write(), fetchSize));
            complete(send(q, results));
            return;
        }
        if (!q.transactional()) {
            List<ShardResult> results = new ArrayList<>();
            for (ShardStatement st : targets) {
                ShardConnection c = pools.acquire(st.shard());
                c.notices(out::notice);
                try {
                    active.add(c);
                    results.add(c.run(st.sql(), false, 0));
                } finally {
                    active.remove(c);
                    pools.release(c);
                }
            }
            complete(send(q, results));
            return;
        }
        if (targets.size() == 1) {
            runSingle(q, targets.get(0));
            return;
        }
        if (!q.write() && q.rowLimit() >= 0 && q.rowLimit() <= SMALL_RESULT && settings.isEmpty()) {
            runSmallReads(q, targets);
            return;
        }
        tx.beginImplicit();
        try {
            List<ShardResult> results = runAll(targets, st -> tx.pin(st.shard()).run(st.sql(), !q.write(), fetchSize));
            String tag = send(q, results);
            tx.commit();
            complete(tag);
        } catch (RuntimeException e) {
            if (tx.inBlock()) {
                tx.rollback();
            }
            throw e;
        }
    }

    /**
     * A fan-out read whose shard results are known to be small (a LIMIT, or one aggregate row per
     * shard): each shard runs it in autocommit and sends its rows at once, with no cursor and so no
     * transaction, one round trip per shard.
     */
    private void runSmallReads(Plan.Query q, List<ShardStatement> targets) {
        List<ShardConnection> held = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<ShardResult> results = runAll(targets, st -> {
                ShardConnection c = pools.acquire(st.shard());
                held.add(c);
                c.notices(out::notice);
                active.add(c);
                return c.run(st.sql(), false, 0);
            });
            complete(send(q, results));
        } finally {
            for (ShardConnection c : held) {
                active.remove(c);
                pools.release(c);
            }
        }
    }

    /** Autocommit on one shard: the common case, kept to one round trip for writes. */
    private void runSingle(Plan.Query q, ShardStatement st) {
        ShardConnection c = pools.acquire(st.shard());
        c.notices(out::notice);
        active.add(c);
        try {
            boolean read = !q.write();
            if (!settings.isEmpty()) {
                Transaction.open(c, "BEGIN", settings.transactionModes("BEGIN"), settings);
            }
            ShardResult r = c.run(st.sql(), read, fetchSize);
            String tag = send(q, List.of(r));
            if (read || !settings.isEmpty()) {
                c.commit();
            }
            complete(tag);
        } finally {
            active.remove(c);
            pools.release(c);
        }
    }

    /** Runs each statement on its own worker (or inline when there is one), failing as a whole. */
    private List<ShardResult> runAll(List<ShardStatement> targets,
                                     java.util.function.Function<ShardStatement, ShardResult> run) {
        if (targets.size() == 1) {
            return List.of(run.apply(targets.get(0)));
        }
        List<CompletableFuture<ShardResult>> futures = new ArrayList<>(targets.size());
        for (ShardStatement st : targets) {
            futures.add(CompletableFuture.supplyAsync(() -> run.apply(st), workers));
        }
        List<ShardResult> results = new ArrayList<>(targets.size());
        RuntimeException failure = null;
        for (CompletableFuture<ShardResult> f : futures) {
            try {
                results.add(f.join());
            } catch (RuntimeException e) {
                Throwable cause = Errors.unwrap(e);
                if (failure == null) {
                    failure = cause instanceof RuntimeException ? (RuntimeException) cause : e;
                }
            }
        }
        if (failure != null) {
            results.forEach(ShardResult::close);
            throw failure;
        }
        return results;
    }

    private void complete(String tag) {
        out.write(new CommandComplete(tag));
    }

    /** Writes the combined rows of a statement's shards and returns its command tag. */
    private String send(Plan.Query q, List<ShardResult> results) {
        TagRule rule = q.tags();
        ShardResult first = results.get(0);
        try {
            switch (rule) {
                case PASSTHROUGH:
                case FIRST: {
                    if (first.hasRows()) {
                        rows(first);
                    }
                    if (rule == TagRule.FIRST) {
                        warnIfCopiesDiffer(q, results);
                    }
                    return first.tag();
                }
                case SUM: {
                    boolean anyRows = results.stream().anyMatch(ShardResult::hasRows);
                    if (anyRows) {
                        rows(MergeEngine.merge(new MergePlan.Concat(), new ArrayList<>(results), mergeOptions));
                    }
                    List<String> tags = new ArrayList<>();
                    for (ShardResult r : results) {
                        tags.add(r.tag());
                    }
                    return Tags.sum(tags);
                }
                default: {
                    MergePlan plan = MergePlans.resolve(q.merge(), first.columns().size());
                    long n = rows(MergeEngine.merge(plan, new ArrayList<>(results), mergeOptions()));
                    return "SELECT " + n;
                }
            }
        } finally {
            results.forEach(ShardResult::close);
        }
    }

    /** The shards' merge options, printing computed floats under the session's extra_float_digits. */
    private MergeOptions mergeOptions() {
        String digits = settings.value("extra_float_digits");
        if (digits == null) {
            return mergeOptions;
        }
        try {
            return mergeOptions.withExtraFloatDigits(Integer.parseInt(digits.trim()));
        } catch (NumberFormatException e) {
            return mergeOptions;
        }
    }

    private long rows(RowStream stream) {
        out.write(new RowDescription(stream.columns()));
        long n = 0;
        byte[][] row;
        while ((row = stream.next()) != null) {
            out.dataRow(row);
            n++;
        }
        return n;
    }

    /** A reference-table write must change every copy alike; say so when the shards disagree. */
    private void warnIfCopiesDiffer(Plan.Query q, List<ShardResult> results) {
        if (!q.write() || results.size() < 2) {
            return;
        }
        long expected = Tags.count(results.get(0).tag());
        for (ShardResult r : results) {
            if (Tags.count(r.tag()) != expected) {
                out.write(NoticeResponse.of(NoticeResponse.WARNING, "01000",
                        "reference table copies differ: shard " + results.get(0).connection().shardName() + " reported "
                                + results.get(0).tag() + " but shard " + r.connection().shardName() + " reported " + r.tag()));
                return;
            }
        }
    }

    private List<ShardStatement> resolveAnyShard(List<ShardStatement> statements) {
        if (statements.size() != 1 || statements.get(0).shard() != ShardStatement.ANY_SHARD) {
            return statements;
        }
        int shard = tx.inBlock() ? tx.anyPinned() : -1;
        if (shard < 0) {
            shard = Math.floorMod(roundRobin.getAndIncrement(), pools.size());
        }
        return List.of(new ShardStatement(shard, statements.get(0).sql()));
    }

    /** Cancels statements running outside a block. */
    void cancel() {
        for (ShardConnection c : active) {
            c.cancel();
        }
    }

    static String commandName(Statement s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(3, s.tokens().size()); i++) {
            String w = s.tokens().text(i).toUpperCase(java.util.Locale.ROOT);
            if (!w.chars().allMatch(Character::isLetter)) {
                break;
            }
            if (i > 0 && !(w.equals("INDEX") || w.equals("CONCURRENTLY") || w.equals("DATABASE")
                    || w.equals("SYSTEM") || w.equals("MATERIALIZED") || w.equals("VIEW"))) {
                break;
            }
            sb.append(i > 0 ? " " : "").append(w);
        }
        return sb.toString();
    }
}
