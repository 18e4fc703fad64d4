package io.shardproxy.server.session;

import io.shardproxy.merge.MergeEngine;
import io.shardproxy.merge.MergeOptions;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.RowStream;
import io.shardproxy.router.plan.MergePlans;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.TagRule;
import io.shardproxy.server.exec.CatalogOids;
import io.shardproxy.server.exec.ShardResult;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.NoticeResponse;
import io.shardproxy.server.wire.PortalSuspended;
import io.shardproxy.server.wire.RowDescription;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement running on its shards, whose combined rows go to the client: all at once (a
 * simple Query), or some at a time (an Execute with a row limit leaves it suspended until the
 * next Execute of its portal). It owns the shard results and, through {@link Finish}, whatever
 * must happen once they are read: a commit, connections to give back.
 */
final class Execution {

    /** What ends an execution: on success (commit, release), or on failure or early close. */
    interface Finish {
        void success();

        void failure();
    }

    static final Finish NOTHING = new Finish() {
        @Override
        public void success() {
        }

        @Override
        public void failure() {
        }
    };

    private final Plan.Query query;
    private final List<ShardResult> results;
    private final Finish finish;
    private final RowStream rows;
    /** The rows' columns with table and type OIDs as the catalog shard numbers them. */
    private final List<io.shardproxy.merge.Column> columns;
    private boolean done;

    Execution(Plan.Query query, List<ShardResult> results, MergeOptions mergeOptions, CatalogOids oids,
              Finish finish) {
        this.query = query;
        this.results = results;
        this.finish = finish;
        RowStream r;
        List<io.shardproxy.merge.Column> c;
        try {
            r = rows(query, results, mergeOptions);
            c = r == null ? null : oids.translate(results.get(0).connection().shard(), r.columns());
        } catch (RuntimeException e) {
            close(false);
            throw e;
        }
        this.rows = r;
        this.columns = c;
    }

    /** The columns of the rows (null for a command), with the catalog shard's OIDs. */
    List<io.shardproxy.merge.Column> columns() {
        return columns;
    }

    private static RowStream rows(Plan.Query q, List<ShardResult> results, MergeOptions options) {
        ShardResult first = results.get(0);
        switch (q.tags()) {
            case PASSTHROUGH:
            case FIRST:
                return first.hasRows() ? first : null;
            case SUM:
                return results.stream().anyMatch(ShardResult::hasRows)
                        ? MergeEngine.merge(new MergePlan.Concat(), new ArrayList<>(results), options) : null;
            default:
                return MergeEngine.merge(MergePlans.resolve(q.merge(), first.columns().size()),
                        new ArrayList<>(results), options);
        }
    }

    /** The statement returns rows (it has a RowDescription). */
    boolean hasRows() {
        return rows != null;
    }

    RowStream rows() {
        return rows;
    }

    /**
     * Sends up to {@code maxRows} rows (0: all). When the rows run out it finishes (commit,
     * release), writes CommandComplete and returns true; after exactly {@code maxRows} rows it
     * writes PortalSuspended and returns false, without looking ahead, as PostgreSQL does (an
     * Execute that finds no row left completes with {@code SELECT 0}). {@code describe} writes a
     * RowDescription first (the simple protocol's way).
     */
    boolean send(ResultWriter out, long maxRows, boolean describe, RowEncoder encoder) {
        try {
            long n = 0;
            if (rows != null) {
                if (describe) {
                    out.write(new RowDescription(columns));
                }
                byte[][] row;
                while ((maxRows <= 0 || n < maxRows) && (row = rows.next()) != null) {
                    out.dataRow(encoder == null ? row : encoder.encode(row));
                    n++;
                }
                if (maxRows > 0 && n == maxRows) {
                    suspended = true;
                    out.write(PortalSuspended.INSTANCE);
                    return false;
                }
            }
            String tag = tag(out, n);
            close(true);
            out.write(new CommandComplete(tag));
            return true;
        } catch (RuntimeException e) {
            close(false);
            throw e;
        }
    }

    private boolean suspended;

    /**
     * A cursor's FETCH (or, with {@code move}, MOVE): up to {@code max} rows forward, written after
     * a RowDescription when {@code describe}; returns how many. When the rows run out the shard
     * results are finished, and later calls return 0, as a cursor at its end does.
     */
    long fetch(ResultWriter out, long max, boolean describe, boolean move, RowEncoder encoder) {
        if (describe && !move) {
            out.write(new RowDescription(columns));
        }
        if (done) {
            return 0;
        }
        try {
            long n = 0;
            byte[][] row = null;
            while (n < max && (row = rows.next()) != null) {
                if (!move) {
                    out.dataRow(encoder == null ? row : encoder.encode(row));
                }
                n++;
            }
            if (row == null && n < max) {
                close(true);
            }
            return n;
        } catch (RuntimeException e) {
            close(false);
            throw e;
        }
    }

    /** The command tag; a SELECT's count is of the rows this last Execute sent when it was suspended before. */
    private String tag(ResultWriter out, long n) {
        String tag = shardTag(out, n);
        return suspended && tag.startsWith("SELECT ") ? "SELECT " + n : tag;
    }

    private String shardTag(ResultWriter out, long n) {
        ShardResult first = results.get(0);
        switch (query.tags()) {
            case PASSTHROUGH:
                return first.tag();
            case FIRST:
                warnIfCopiesDiffer(out);
                return first.tag();
            case SUM: {
                List<String> tags = new ArrayList<>(results.size());
                for (ShardResult r : results) {
                    tags.add(r.tag());
                }
                return Tags.sum(tags);
            }
            default:
                return "SELECT " + n;
        }
    }

    /** A reference-table write must change every copy alike; say so when the shards disagree. */
    private void warnIfCopiesDiffer(ResultWriter out) {
        if (!query.write() || results.size() < 2) {
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

    /**
     * Ends a suspended execution without sending the rest (its portal closed, or the
     * transaction ended): as PostgreSQL, what the statement did stays done.
     */
    void close() {
        if (!done) {
            close(true);
        }
    }

    /** Ends after an error elsewhere: rolls back what this execution began. */
    void abort() {
        if (!done) {
            close(false);
        }
    }

    private void close(boolean success) {
        if (done) {
            return;
        }
        done = true;
        RuntimeException failure = null;
        for (ShardResult r : results) {
            try {
                r.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
                success = false;
            }
        }
        if (success) {
            finish.success();
        } else {
            finish.failure();
        }
        if (failure != null) {
            throw failure;
        }
    }

    boolean done() {
        return done;
    }
}
