package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.server.copy.CopyFormatException;
import io.shardproxy.server.copy.CopyInRouter;
import io.shardproxy.server.copy.CopyLayout;
import io.shardproxy.server.copy.CopyOutConcat;
import io.shardproxy.server.copy.CopyRowEncoder;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardCopy;
import io.shardproxy.server.exec.ShardError;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.CopyData;
import io.shardproxy.server.wire.CopyDone;
import io.shardproxy.server.wire.CopyFail;
import io.shardproxy.server.wire.CopyInResponse;
import io.shardproxy.server.wire.CopyOutResponse;
import io.shardproxy.server.wire.Flush;
import io.shardproxy.server.wire.FrontendMessage;
import io.shardproxy.server.wire.Sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * COPY between the client and the shards (see docs/copy.md and {@link Plan.CopyMode}):
 * <pre>
 *  FROM STDIN  COPY starts on every target shard (the shards check the statement) ─▶ CopyInResponse
 *              CopyData ─▶ every shard (FORWARD, BROADCAST) or each row to its key's shard (ROUTE_ROWS)
 *              CopyDone ─▶ CopyDone on every shard ─▶ commit ─▶ "COPY n"
 *              CopyFail, a malformed row, a shard's error ─▶ CopyFail everywhere, rollback
 *  TO STDOUT   one shard's CopyData passed through (FORWARD), every shard's one after the other
 *              (CONCAT), or merged rows written as COPY lines (ENCODE_ROWS)
 * </pre>
 * A COPY into several shards runs in one transaction (the client's block, or one of its own), so
 * a failure leaves no row on any shard. The session's worker reads the client's CopyData itself,
 * as it arrives, so the input is never held whole.
 */
final class CopyRunner {
    private final ShardPools pools;
    private final Transaction tx;
    private final SessionSettings settings;
    private final ResultWriter out;
    private final QueryRunner runner;
    /** The client's next message, waiting for it. */
    private final Supplier<FrontendMessage> nextMessage;

    CopyRunner(ShardPools pools, Transaction tx, SessionSettings settings, ResultWriter out, QueryRunner runner,
               Supplier<FrontendMessage> nextMessage) {
        this.pools = pools;
        this.tx = tx;
        this.settings = settings;
        this.out = out;
        this.runner = runner;
        this.nextMessage = nextMessage;
    }

    void run(Plan.Copy plan, Statement statement, boolean multi) {
        if (plan.direction() == Plan.CopyDirection.FROM_STDIN) {
            copyIn(plan);
        } else if (plan.mode() == Plan.CopyMode.ENCODE_ROWS) {
            encodeRows(plan, statement, multi);
        } else {
            copyOut(plan);
        }
    }

    // ---------------------------------------------------------------- COPY FROM STDIN

    private void copyIn(Plan.Copy plan) {
        List<ShardStatement> targets = plan.statements();
        Connections conns = new Connections(targets.size() > 1 || !settings.isEmpty());
        List<ShardCopy> copies = new ArrayList<>();
        CopyInRouter router = null;
        try {
            for (ShardStatement t : targets) {
                copies.add(conns.get(t.shard()).copyIn(t.sql()));
            }
            ShardCopy first = copies.get(0);
            if (plan.mode() == Plan.CopyMode.ROUTE_ROWS) {
                if (first.fieldCount() != plan.columns().size()) {
                    throw ShardProxyException.unsupported("COPY into " + plan.relation() + " takes "
                                    + first.fieldCount() + " columns but the table has " + plan.columns().size()
                                    + " (generated columns?), so ShardProxy cannot find the shard key in each row",
                            "name the columns in the COPY statement, e.g. COPY t (id, ...) FROM STDIN");
                }
                int[] index = new int[pools.size()];
                for (int i = 0; i < targets.size(); i++) {
                    index[targets.get(i).shard()] = i;
                }
                router = new CopyInRouter(plan, CopyLayout.of(plan, first.connection().serverVersionNum()),
                        pools.size(), (shard, data, offset, length) -> copies.get(index[shard]).write(data, offset, length));
            }
            out.write(new CopyInResponse((byte) first.format(), fieldFormats(first)));
            out.flush();
            long rows = stream(plan, copies, router);
            conns.commit();
            out.write(new CommandComplete("COPY " + rows));
        } catch (RuntimeException e) {
            for (ShardCopy c : copies) {
                c.cancel();
            }
            conns.abort();
            throw e;
        } finally {
            conns.release();
        }
    }

    /**
     * Moves the client's CopyData to the shards until CopyDone and ends the shards' COPYs; returns
     * the rows loaded. When rows are bad, the error reported is the one on the client's earliest
     * line, whether the proxy found it (a malformed row) or a shard did (a bad value), since
     * PostgreSQL stops at the first bad line.
     */
    private long stream(Plan.Copy plan, List<ShardCopy> copies, CopyInRouter router) {
        List<RuntimeException> errors = new ArrayList<>();
        try {
            readUntilDone(copies, router);
        } catch (CopyFormatException e) {
            errors.add(e);
            router.flushRouted();
        }
        long rows = 0;
        for (ShardCopy c : copies) {
            try {
                long n = c.end();
                // A reference table's copies each load every row: the client loaded them once.
                rows = plan.mode() == Plan.CopyMode.BROADCAST ? n : rows + n;
            } catch (ShardError e) {
                errors.add(router == null ? e : withClientLine(e, copies, router, plan));
            }
        }
        if (!errors.isEmpty()) {
            throw earliest(errors);
        }
        return rows;
    }

    private void readUntilDone(List<ShardCopy> copies, CopyInRouter router) {
        while (true) {
            FrontendMessage m = nextMessage.get();
            if (m instanceof CopyData) {
                byte[] data = ((CopyData) m).data();
                if (router != null) {
                    if (!router.ended()) {
                        router.feed(data, 0, data.length);
                    }
                } else {
                    for (ShardCopy c : copies) {
                        c.write(data, 0, data.length);
                    }
                }
            } else if (m instanceof CopyDone) {
                break;
            } else if (m instanceof CopyFail) {
                throw new ShardProxyException(SqlState.QUERY_CANCELED,
                        "COPY from stdin failed: " + ((CopyFail) m).message());
            } else if (m instanceof io.shardproxy.server.wire.Terminate) {
                throw new ClientGoneException();
            } else if (!(m instanceof Flush) && !(m instanceof Sync)) {
                // PostgreSQL ignores Flush and Sync during COPY FROM STDIN and fails on anything else.
                throw new ShardProxyException(SqlState.PROTOCOL_VIOLATION,
                        String.format("unexpected message type 0x%02X during COPY from stdin", typeByte(m)));
            }
        }
        if (router != null) {
            router.finish();
        }
    }

    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile("(?m)^COPY .*?, line (\\d+)");

    /** The error whose CONTEXT names the smallest line; the first one when none names a line. */
    private static RuntimeException earliest(List<RuntimeException> errors) {
        RuntimeException best = errors.get(0);
        long bestLine = Long.MAX_VALUE;
        for (RuntimeException e : errors) {
            String context = e instanceof CopyFormatException ? ((CopyFormatException) e).context()
                    : e instanceof ShardError ? ((ShardError) e).fields().get((byte) 'W') : null;
            java.util.regex.Matcher m = context == null ? null : LINE.matcher(context);
            if (m != null && m.find()) {
                long line = Long.parseLong(m.group(1));
                if (line < bestLine) {
                    bestLine = line;
                    best = e;
                }
            }
        }
        return best;
    }

    /** A shard's error names the line of the data that shard received; make it the client's line. */
    private static RuntimeException withClientLine(RuntimeException e, List<ShardCopy> copies, CopyInRouter router,
                                                   Plan.Copy plan) {
        if (!(e instanceof ShardError)) {
            return e;
        }
        ShardError se = (ShardError) e;
        String where = se.fields().get((byte) 'W');
        if (where == null) {
            return e;
        }
        for (ShardCopy c : copies) {
            if (c.connection().shardName().equals(se.shard())) {
                Map<Byte, String> fields = new LinkedHashMap<>(se.fields());
                fields.put((byte) 'W', router.lines(c.connection().shard()).rewriteContext(where, plan.relation(), se.shard()));
                return new ShardError(se.shard(), fields, se);
            }
        }
        return e;
    }

    // ---------------------------------------------------------------- COPY TO STDOUT

    private void copyOut(Plan.Copy plan) {
        List<ShardStatement> targets = runner.resolveAnyShard(plan.statements());
        Connections conns = new Connections(!settings.isEmpty());
        try {
            long rows = 0;
            CopyOutConcat concat = null;
            for (int i = 0; i < targets.size(); i++) {
                ShardStatement t = targets.get(i);
                ShardCopy copy = conns.get(t.shard()).copyOut(t.sql());
                if (i == 0) {
                    out.write(new CopyOutResponse((byte) copy.format(), fieldFormats(copy)));
                    if (plan.mode() == Plan.CopyMode.CONCAT) {
                        concat = new CopyOutConcat(plan.options(), bytes -> out.write(new CopyData(bytes)));
                    }
                }
                byte[] data;
                while ((data = copy.read()) != null) {
                    if (concat != null) {
                        concat.data(data);
                    } else {
                        out.write(new CopyData(data));
                    }
                }
                rows += copy.rows();
                if (concat != null) {
                    concat.endShard();
                }
            }
            if (concat != null) {
                concat.finish();
            }
            out.write(CopyDone.INSTANCE);
            conns.commit();
            out.write(new CommandComplete("COPY " + rows));
        } catch (RuntimeException e) {
            conns.abort();
            throw e;
        } finally {
            conns.release();
        }
    }

    /** COPY (query) TO STDOUT whose query needs a merge: the merged rows as COPY lines. */
    private void encodeRows(Plan.Copy plan, Statement statement, boolean multi) {
        Execution e = runner.start(plan.query(), statement, multi, null);
        try {
            List<String> names = new ArrayList<>();
            for (io.shardproxy.merge.Column c : e.columns()) {
                names.add(c.name());
            }
            CopyRowEncoder encoder = CopyRowEncoder.create(plan.options(), names);
            out.write(new CopyOutResponse((byte) 0, new short[names.size()]));
            byte[] header = encoder.header();
            if (header != null) {
                out.write(new CopyData(header));
            }
            long rows = 0;
            byte[][] row;
            while ((row = e.rows().next()) != null) {
                out.write(new CopyData(encoder.encode(row)));
                rows++;
            }
            e.close();
            out.write(CopyDone.INSTANCE);
            out.write(new CommandComplete("COPY " + rows));
        } catch (RuntimeException ex) {
            e.abort();
            throw ex;
        }
    }

    private static short[] fieldFormats(ShardCopy copy) {
        short[] formats = new short[copy.fieldCount()];
        for (int i = 0; i < formats.length; i++) {
            formats[i] = (short) copy.fieldFormat(i);
        }
        return formats;
    }

    /**
     * The shard connections of one COPY: the client's block's own, or (for several shards, or a
     * session with settings) a block of the COPY's own that commits or rolls back as a whole, or
     * one connection in autocommit.
     */
    private final class Connections {
        private final boolean ownBlock;
        private final List<ShardConnection> borrowed = new ArrayList<>();

        Connections(boolean needsBlock) {
            this.ownBlock = needsBlock && !tx.inBlock();
            if (ownBlock) {
                tx.beginImplicit();
            }
        }

        ShardConnection get(int shard) {
            if (tx.inBlock()) {
                return tx.pin(shard);
            }
            ShardConnection c = pools.acquire(shard);
            c.notices(out::notice);
            borrowed.add(c);
            return c;
        }

        void commit() {
            if (ownBlock && tx.inBlock()) {
                tx.commit();
            }
        }

        void abort() {
            if (ownBlock && tx.inBlock()) {
                tx.rollback();
            }
        }

        void release() {
            for (ShardConnection c : borrowed) {
                pools.release(c);
            }
            borrowed.clear();
        }
    }

    /** The type byte of a message that has no place in COPY FROM STDIN. */
    private static int typeByte(FrontendMessage m) {
        if (m instanceof io.shardproxy.server.wire.Query) {
            return 'Q';
        }
        if (m instanceof io.shardproxy.server.wire.Parse) {
            return 'P';
        }
        if (m instanceof io.shardproxy.server.wire.Bind) {
            return 'B';
        }
        if (m instanceof io.shardproxy.server.wire.Describe) {
            return 'D';
        }
        if (m instanceof io.shardproxy.server.wire.Execute) {
            return 'E';
        }
        if (m instanceof io.shardproxy.server.wire.Close) {
            return 'C';
        }
        return m instanceof io.shardproxy.server.wire.FunctionCall ? 'F' : 0;
    }
}
