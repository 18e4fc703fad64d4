package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergeOptions;
import io.shardproxy.router.lex.Lexer;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.analyze.SideEffects;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.TagRule;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.server.exec.BoundValues;
import io.shardproxy.server.exec.CatalogOids;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.exec.ShardResult;

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
    private final CatalogOids oids;
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

    QueryRunner(ShardPools pools, CatalogOids oids, ExecutorService workers, MergeOptions mergeOptions, int fetchSize,
                AtomicInteger roundRobin, Transaction tx, SessionSettings settings, ResultWriter out) {
        this.pools = pools;
        this.oids = oids;
        this.workers = workers;
        this.mergeOptions = mergeOptions;
        this.fetchSize = fetchSize;
        this.roundRobin = roundRobin;
        this.tx = tx;
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs {@code q} and sends all of its result, RowDescription first. {@code inMultiStatement}
     * is true when the statement is one of several in a simple Query, which PostgreSQL runs as one
     * transaction block.
     */
    void run(Plan.Query q, Statement statement, boolean inMultiStatement) {
        start(q, statement, inMultiStatement, null).send(out, 0, true, null);
    }

    /**
     * Starts {@code q} on its shards, with the client's parameter values when it has any, and
     * returns its execution for the caller to send, some or all at once.
     */
    Execution start(Plan.Query q, Statement statement, boolean inMultiStatement, BoundValues values) {
        List<ShardStatement> targets = resolveAnyShard(q.statements());
        String clientSql = statement.text();
        if (!q.transactional() && (tx.explicit() || inMultiStatement)) {
            throw new ShardProxyException(SqlState.ACTIVE_SQL_TRANSACTION,
                    commandName(statement) + " cannot run inside a transaction block");
        }
        if (tx.inBlock()) {
            List<ShardResult> results = runAll(q, targets,
                    st -> tx.onShard(st.shard(),
                            c -> c.run(st.sql(), valuesFor(st, values, clientSql), !q.write(), fetchSize)));
            return new Execution(q, results, mergeOptions(), oids, Execution.NOTHING);
        }
        if (!q.transactional()) {
            List<ShardResult> results = new ArrayList<>();
            for (ShardStatement st : targets) {
                ShardConnection c = pools.acquire(st.shard());
                c.notices(out::notice);
                try {
                    active.add(c);
                    results.add(c.run(st.sql(), valuesFor(st, values, clientSql), false, 0));
                } finally {
                    active.remove(c);
                    pools.release(c);
                }
            }
            return new Execution(q, results, mergeOptions(), oids, Execution.NOTHING);
        }
        if (targets.size() == 1) {
            return startSingle(q, targets.get(0), valuesFor(targets.get(0), values, clientSql),
                    !q.write() && SideEffects.free(statement.tokens()));
        }
        if (!q.write() && q.rowLimit() >= 0 && q.rowLimit() <= SMALL_RESULT && settings.isEmpty()) {
            return startSmallReads(q, targets, values, clientSql);
        }
        tx.beginImplicit();
        try {
            List<ShardResult> results = runAll(q, targets,
                    st -> tx.onShard(st.shard(),
                            c -> c.run(st.sql(), valuesFor(st, values, clientSql), !q.write(), fetchSize)));
            return new Execution(q, results, mergeOptions(), oids, new Execution.Finish() {
                @Override
                public void success() {
                    tx.commit();
                }

                @Override
                public void failure() {
                    if (tx.inBlock()) {
                        tx.rollback();
                    }
                }
            });
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
    private Execution startSmallReads(Plan.Query q, List<ShardStatement> targets, BoundValues values, String clientSql) {
        List<ShardConnection> held = java.util.Collections.synchronizedList(new ArrayList<>());
        Execution.Finish release = new Execution.Finish() {
            @Override
            public void success() {
                for (ShardConnection c : held) {
                    active.remove(c);
                    pools.release(c);
                }
            }

            @Override
            public void failure() {
                success();
            }
        };
        try {
            List<ShardResult> results = runAll(q, targets, st -> {
                ShardConnection c = pools.acquire(st.shard());
                held.add(c);
                c.notices(out::notice);
                active.add(c);
                return c.run(st.sql(), valuesFor(st, values, clientSql), false, 0);
            });
            return new Execution(q, results, mergeOptions(), oids, release);
        } catch (RuntimeException e) {
            release.failure();
            throw e;
        }
    }

    /**
     * Autocommit on one shard. A read without side effects whose pooled connection turns out dead
     * (its backend was terminated, its shard restarted) runs again on another: nothing was sent to
     * the client yet, and running it twice changes nothing.
     */
    private Execution startSingle(Plan.Query q, ShardStatement st, BoundValues values, boolean pure) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startSingleOnce(q, st, values, pure);
            } catch (io.shardproxy.server.exec.ShardError e) {
                if (!pure || q.write() || !e.connectionLost() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Autocommit on one shard: the common case, kept to one round trip for writes. */
    private Execution startSingleOnce(Plan.Query q, ShardStatement st, BoundValues values, boolean pure) {
        ShardConnection c = pools.acquire(st.shard());
        c.notices(out::notice);
        active.add(c);
        boolean read = !q.write();
        boolean commit = read || !settings.isEmpty();
        Execution.Finish finish = new Execution.Finish() {
            @Override
            public void success() {
                try {
                    if (commit) {
                        c.commit();
                    }
                } finally {
                    active.remove(c);
                    pools.release(c);
                }
            }

            @Override
            public void failure() {
                active.remove(c);
                pools.release(c);
            }
        };
        Execution.Finish release = new Execution.Finish() {
            @Override
            public void success() {
                failure();
            }

            @Override
            public void failure() {
                active.remove(c);
                pools.release(c);
            }
        };
        try {
            if (read && pure && settings.isEmpty()) {
                // Most single-shard reads are small: one round trip in autocommit, no cursor and
                // no COMMIT. A result past fetchSize rows runs again below, streamed.
                ShardResult small = c.runIfSmall(st.sql(), values, fetchSize);
                if (small != null) {
                    return new Execution(q, List.of(small), mergeOptions(), oids, release);
                }
            }
            if (!settings.isEmpty()) {
                Transaction.open(c, "BEGIN", settings.transactionModes("BEGIN"), settings);
            }
            ShardResult r = c.run(st.sql(), values, read, fetchSize);
            return new Execution(q, List.of(r), mergeOptions(), oids, finish);
        } catch (RuntimeException e) {
            finish.failure();
            throw e;
        }
    }

    /**
     * The values a shard statement runs with: the client's, with type OIDs of user-defined types
     * (given by the client as the catalog shard numbers them) as this shard numbers them.
     */
    private BoundValues valuesFor(ShardStatement st, BoundValues values, String clientSql) {
        BoundValues v = withoutUnusedParameters(st, values, clientSql);
        return v == null ? null : oids.toShard(st.shard(), v);
    }

    /**
     * The client's values, except that a parameter the shard's SQL no longer mentions (a split
     * INSERT's rows of other shards, a HAVING the proxy applies) is sent as a NULL text when the
     * client left its type to inference, since the shard could not infer it.
     */
    static BoundValues withoutUnusedParameters(ShardStatement st, BoundValues values, String clientSql) {
        if (values == null || values.count() == 0 || st.sql().equals(clientSql)) {
            return values;
        }
        boolean[] used = new boolean[values.count()];
        Tokens t = Lexer.lex(st.sql());
        for (int i = 0; i < t.size(); i++) {
            if (t.type(i) == TokenType.PARAM) {
                int n = t.parameterNumber(i);
                if (n >= 1 && n <= used.length) {
                    used[n - 1] = true;
                }
            }
        }
        BoundValues out = values;
        for (int i = 0; i < used.length; i++) {
            int type = i < values.types().length ? values.types()[i] : 0;
            if (!used[i] && type == 0) {
                if (out == values) {
                    out = new BoundValues(java.util.Arrays.copyOf(values.types(), used.length), values.values().clone(),
                            values.binary().clone());
                }
                out.types()[i] = TEXT_OID;
                out.values()[i] = null;
                out.binary()[i] = false;
            }
        }
        return out;
    }

    private static final int TEXT_OID = 25;

    /** Runs each statement on its own worker (or inline when there is one), failing as a whole. */
    private List<ShardResult> runAll(Plan.Query q, List<ShardStatement> targets,
                                     java.util.function.Function<ShardStatement, ShardResult> run) {
        if (targets.size() == 1) {
            return List.of(run.apply(targets.get(0)));
        }
        List<ShardResult> results = new ArrayList<>(targets.size());
        int first = 0;
        if (q.write() && q.tags() == TagRule.FIRST) {
            // The same write on every shard (a reference table, DDL): the first shard's locks are
            // taken before any other shard's, so two such writes never wait for each other
            // across shards in opposite orders (a deadlock no shard would see).
            results.add(run.apply(targets.get(0)));
            first = 1;
        }
        // Every shard but one on a worker; that one on this thread, which waits anyway.
        List<ShardStatement> rest = targets.subList(first, targets.size());
        List<CompletableFuture<ShardResult>> futures = new ArrayList<>(rest.size());
        for (ShardStatement st : rest.subList(1, rest.size())) {
            futures.add(CompletableFuture.supplyAsync(() -> run.apply(st), workers));
        }
        RuntimeException failure = null;
        try {
            results.add(run.apply(rest.get(0)));
        } catch (RuntimeException e) {
            failure = e;
        }
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

    /** The statements, with a statement any shard can run given to one (one the block uses, else the next in turn). */
    List<ShardStatement> resolveAnyShard(List<ShardStatement> statements) {
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
