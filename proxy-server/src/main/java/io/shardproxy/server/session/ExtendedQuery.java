package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.Column;
import io.shardproxy.router.Prepared;
import io.shardproxy.router.Router;
import io.shardproxy.router.analyze.CursorSql;
import io.shardproxy.router.analyze.PreparedStatementSql;
import io.shardproxy.router.plan.SessionCommand;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.Parameters;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.server.ProxyServices;
import io.shardproxy.server.exec.BoundValues;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.types.BinaryFormat;
import io.shardproxy.server.types.TypeResolver;
import io.shardproxy.server.wire.BackendMessage;
import io.shardproxy.server.wire.Bind;
import io.shardproxy.server.wire.BindComplete;
import io.shardproxy.server.wire.Close;
import io.shardproxy.server.wire.CloseComplete;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.DataRow;
import io.shardproxy.server.wire.Describe;
import io.shardproxy.server.wire.EmptyQueryResponse;
import io.shardproxy.server.wire.Execute;
import io.shardproxy.server.wire.MessageType;
import io.shardproxy.server.wire.NoData;
import io.shardproxy.server.wire.ParameterDescription;
import io.shardproxy.server.wire.Parse;
import io.shardproxy.server.wire.ParseComplete;
import io.shardproxy.server.wire.RowDescription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The extended query protocol of one session: its prepared statements and portals.
 *
 * <pre>
 *  Parse    split, check one statement, analyze its shape once (router.prepare) ─▶ ParseComplete
 *  Bind     check the values against the statement, route by them (router.bind) ─▶ BindComplete
 *  Describe statement: ParameterDescription + RowDescription | NoData, from a shard's Describe
 *           of the client's own text (cached per text, parameter types and settings)
 *  Execute  run on the shards with the client's values; up to the row limit, then PortalSuspended
 *  Close    drop a statement or portal ─▶ CloseComplete
 * </pre>
 *
 * Statements and portals follow PostgreSQL's lifetimes: named statements live until closed, the
 * unnamed one until the next unnamed Parse; portals end with the transaction (at Sync outside a
 * block). The session owns error handling and Sync.
 */
final class ExtendedQuery {
    private final ProxyServices services;
    private final Session session;
    private final QueryRunner runner;
    private final Transaction tx;
    private final SessionSettings settings;
    private final ResultWriter out;
    private final Map<String, ParsedStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();

    ExtendedQuery(ProxyServices services, Session session, QueryRunner runner, Transaction tx,
                  SessionSettings settings, ResultWriter out) {
        this.services = services;
        this.session = session;
        this.runner = runner;
        this.tx = tx;
        this.settings = settings;
        this.out = out;
    }

    /** A prepared statement. {@code prepared} is null for an empty query string. */
    private static final class ParsedStatement {
        final String name;
        final Prepared prepared;
        final int[] declaredTypes;
        final int parameterCount;
        /** The plan kind (a Query, or what the proxy answers itself), from binding without values. */
        Plan kind;

        ParsedStatement(String name, Prepared prepared, int[] declaredTypes) {
            this.name = name;
            this.prepared = prepared;
            this.declaredTypes = declaredTypes;
            this.parameterCount = Math.max(declaredTypes.length, prepared == null ? 0 : prepared.parameters());
        }

        Statement statement() {
            return prepared.statement();
        }
    }

    /** A bound statement, ready to execute; suspended between Executes while {@code execution} is set. */
    private static final class Portal {
        final ParsedStatement statement;
        final BoundValues values;
        final short[] resultFormats;
        final Plan plan;
        final RuntimeException planError;
        Execution execution;
        RowEncoder encoder;
        String completedTag;
        /** Made by DECLARE: FETCH reads it; its statement is the DECLARE's query. */
        boolean cursor;

        Portal(ParsedStatement statement, BoundValues values, short[] resultFormats, Plan plan,
               RuntimeException planError) {
            this.statement = statement;
            this.values = values;
            this.resultFormats = resultFormats;
            this.plan = plan;
            this.planError = planError;
        }
    }

    void parse(Parse m) {
        if (!m.statement().isEmpty() && statements.containsKey(m.statement())) {
            throw new ShardProxyException(SqlState.DUPLICATE_PREPARED_STATEMENT,
                    "prepared statement \"" + m.statement() + "\" already exists");
        }
        Router.Parsed parsed = services.router().parse(m.sql());
        Prepared prepared = parsed.prepared();
        if (prepared != null) {
            session.checkNotFailed(prepared.statement());
            if (prepared.parameters() > 65535) {
                throw new ShardProxyException(SqlState.UNDEFINED_PARAMETER,
                        "there is no parameter $" + prepared.parameters());
            }
        }
        ParsedStatement ps = new ParsedStatement(m.statement(), prepared, m.parameterTypes());
        ps.kind = parsed.kind();
        if (ps.kind instanceof Plan.Query) {
            // PostgreSQL resolves names and parameter types when it parses: so does a shard,
            // once per text, parameter types and settings (then from the cache).
            describe(ps);
        }
        statements.put(m.statement(), ps);
        out.write(ParseComplete.INSTANCE);
    }

    void bind(Bind m) {
        ParsedStatement ps = statement(m.statement());
        if (ps.prepared != null) {
            session.checkNotFailed(ps.statement());
        }
        int supplied = m.parameters().length;
        if (supplied != ps.parameterCount) {
            throw new ShardProxyException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + supplied
                    + " parameters, but prepared statement \"" + ps.name + "\" requires " + ps.parameterCount);
        }
        if (!m.portal().isEmpty() && portals.containsKey(m.portal())) {
            throw new ShardProxyException(SqlState.DUPLICATE_CURSOR, "portal \"" + m.portal() + "\" already exists");
        }
        closePortal(m.portal());
        for (short f : m.resultFormats()) {
            checkFormat(f);
        }
        BoundValues values = values(ps, m);
        Plan plan = null;
        RuntimeException planError = null;
        if (ps.prepared != null) {
            try {
                plan = services.router().bind(ps.prepared, new BindParameters(values, services.catalog().types()));
            } catch (ShardProxyException e) {
                // PostgreSQL reports what routing finds (a NULL shard key, say) when it executes.
                planError = e;
            }
        }
        Portal p = new Portal(ps, values, m.resultFormats(), plan, planError);
        if (needsColumns(m.resultFormats())) {
            List<Column> columns = columns(p);
            p.encoder = ResultFormats.encoder(columns, m.resultFormats(), services.catalog().types());
        }
        portals.put(m.portal(), p);
        out.write(BindComplete.INSTANCE);
    }

    private static boolean needsColumns(short[] formats) {
        if (formats.length > 1) {
            return true;
        }
        return formats.length == 1 && formats[0] == 1;
    }

    private static void checkFormat(short f) {
        if (f != 0 && f != 1) {
            throw new ShardProxyException(SqlState.INVALID_PARAMETER_VALUE, "unsupported format code: " + f);
        }
    }

    /** The client's values with each parameter's type: the one Parse gave, else (binary values) the inferred one. */
    private BoundValues values(ParsedStatement ps, Bind m) {
        int n = m.parameters().length;
        int[] types = Arrays.copyOf(ps.declaredTypes, n);
        boolean[] binary = new boolean[n];
        for (int i = 0; i < n; i++) {
            short f = m.parameterFormat(i);
            checkFormat(f);
            binary[i] = f == 1;
            if (binary[i] && types[i] == 0 && m.parameters()[i] != null) {
                types[i] = describe(ps).parameterTypes()[i];
            }
        }
        return new BoundValues(types, m.parameters(), binary);
    }

    void describe(Describe m) {
        if (m.kind() == MessageType.TARGET_STATEMENT) {
            ParsedStatement ps = statement(m.name());
            if (ps.prepared == null) {
                out.write(new ParameterDescription(Arrays.copyOf(ps.declaredTypes, ps.parameterCount)));
                out.write(NoData.INSTANCE);
                return;
            }
            Plan kind = ps.kind;
            if (kind instanceof Plan.Query) {
                ShardConnection.Description d = describe(ps);
                out.write(new ParameterDescription(d.parameterTypes()));
                out.write(d.columns() == null ? NoData.INSTANCE : new RowDescription(d.columns()));
            } else {
                out.write(new ParameterDescription(Arrays.copyOf(ps.declaredTypes, ps.parameterCount)));
                List<Column> columns = kind instanceof Plan.Admin ? adminColumns((Plan.Admin) kind) : null;
                out.write(columns == null ? NoData.INSTANCE : new RowDescription(columns));
            }
            return;
        }
        Portal p = portal(m.name());
        List<Column> columns = p.cursor ? (p.execution == null ? null : p.execution.columns())
                : p.statement.prepared == null ? null : columns(p);
        if (columns == null) {
            out.write(NoData.INSTANCE);
            return;
        }
        out.write(new RowDescription(ResultFormats.withFormats(columns, p.resultFormats)));
    }

    /** The columns a portal returns (text format), or null when it returns none. */
    private List<Column> columns(Portal p) {
        ParsedStatement ps = p.statement;
        if (ps.prepared == null) {
            return null;
        }
        Plan plan = p.plan;
        if (plan == null || plan instanceof Plan.Query) {
            return describe(ps).columns();
        }
        if (plan instanceof Plan.Session && ((Plan.Session) plan).command() == SessionCommand.FETCH) {
            return fetchColumns(ps.statement());
        }
        return plan instanceof Plan.Admin ? adminColumns((Plan.Admin) plan) : null;
    }

    private List<Column> adminColumns(Plan.Admin admin) {
        List<Column> columns = new ArrayList<>();
        io.shardproxy.server.admin.AdminCommands.run(admin, services, m -> {
            if (m instanceof RowDescription) {
                columns.addAll(((RowDescription) m).columns());
            }
        });
        return columns;
    }

    /**
     * Whether Parse {@code p} (or null: none) and Bind {@code b} run without blocking: every
     * analysis and shard description they need is cached, and no type needs a catalog lookup.
     * The relay runs them on the event loop only then. Errors they would raise do not matter
     * here: raising one does not block either.
     */
    boolean bindsWithoutBlocking(Parse p, Bind b) {
        Prepared prepared;
        int[] declared;
        if (p != null) {
            if (!p.statement().equals(b.statement())) {
                return false;
            }
            Router.Parsed parsed = services.router().parsedIfCached(p.sql());
            if (parsed == null || parsed.prepared() == null || !(parsed.kind() instanceof Plan.Query)) {
                return false;
            }
            prepared = parsed.prepared();
            declared = p.parameterTypes();
        } else {
            ParsedStatement ps = statements.get(b.statement());
            if (ps == null || ps.prepared == null || !(ps.kind instanceof Plan.Query)) {
                return false;
            }
            prepared = ps.prepared;
            declared = ps.declaredTypes;
        }
        for (int t : declared) {
            if (Integer.compareUnsigned(t, FIRST_USER_OID) >= 0) {
                return false;
            }
        }
        int count = Math.max(declared.length, prepared.parameters());
        ShardConnection.Description d = services.catalog().statement(describeKey(prepared.statement().text(), declared, count));
        if (d == null || !services.router().isAnalyzed(prepared)) {
            return false;
        }
        for (int t : d.parameterTypes()) {
            if (Integer.compareUnsigned(t, FIRST_USER_OID) >= 0) {
                return false;
            }
        }
        if (d.columns() != null) {
            for (Column c : d.columns()) {
                if (Integer.compareUnsigned(c.typeOid(), FIRST_USER_OID) >= 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static final int FIRST_USER_OID = 16384;

    /**
     * What a relay needs to run portal {@code name} on its shard, or null when it must run the
     * usual way: its plan is not one statement on one shard whose rows pass through unchanged, or
     * the shard's SQL is not the client's text (parameters it no longer uses need care).
     */
    RelayPortal relayPortal(String name) {
        Portal p = portals.get(name);
        if (p == null || p.cursor || p.execution != null || p.completedTag != null || p.planError != null
                || !(p.plan instanceof Plan.Query)) {
            return null;
        }
        Plan.Query q = (Plan.Query) p.plan;
        if (!Relay.fits(q)) {
            return null;
        }
        io.shardproxy.router.plan.ShardStatement st = runner.resolveAnyShard(q.statements()).get(0);
        Statement statement = p.statement.statement();
        if (!st.sql().equals(statement.text())) {
            return null;
        }
        return new RelayPortal(st, p.values, p.resultFormats, Relay.pure(q, statement));
    }

    /**
     * The plan of portal {@code name} when the relay can run it as a small fan-out read: no
     * parameters (each shard's SQL may be rewritten) and text results (the merge engine's rows
     * are text); else null.
     */
    Plan.Query relayFanOutPortal(String name) {
        Portal p = portals.get(name);
        if (p == null || p.cursor || p.execution != null || p.completedTag != null || p.planError != null
                || !(p.plan instanceof Plan.Query) || !RelayFanOut.fits((Plan.Query) p.plan)
                || p.values.count() != 0 || p.encoder != null) {
            return null;
        }
        for (short f : p.resultFormats) {
            if (f != 0) {
                return null;
            }
        }
        return (Plan.Query) p.plan;
    }

    /** Whether portal {@code name}'s statement is a read without side effects, which may run again. */
    boolean pureRead(String name) {
        Portal p = portals.get(name);
        return p != null && p.plan instanceof Plan.Query && Relay.pure((Plan.Query) p.plan, p.statement.statement());
    }

    /** A portal a relay runs: its shard statement, the client's values and result formats. */
    record RelayPortal(io.shardproxy.router.plan.ShardStatement statement, BoundValues values, short[] resultFormats,
                       boolean pure) {
    }

    /** The key of a statement's shard description in the catalog's cache. */
    private String describeKey(String sql, int[] declaredTypes, int parameterCount) {
        return sql + '\0' + Arrays.toString(declaredTypes) + '\0' + parameterCount + '\0'
                + String.join(";", settings.statements());
    }

    /**
     * The shard's description of the client's statement text, cached. Inside a transaction block
     * it is asked on a connection the block holds, which sees the block's own DDL.
     */
    private ShardConnection.Description describe(ParsedStatement ps) {
        String sql = ps.statement().text();
        String key = describeKey(sql, ps.declaredTypes, ps.parameterCount);
        ShardConnection.Description d = services.catalog().statement(key);
        if (d == null) {
            d = describeOnShard(sql, ps);
            services.catalog().rememberStatement(key, d);
        }
        return d;
    }

    private ShardConnection.Description describeOnShard(String sql, ParsedStatement ps) {
        return onCatalogShard(c -> c.describe(sql, ps.parameterCount, ps.declaredTypes));
    }

    /**
     * Runs {@code work} on the catalog shard (shard 0, whose OIDs the client sees) as the session
     * would see it: on the block's own connection there when the block holds one (it sees the
     * block's DDL; an error fails the block, as in PostgreSQL), else with the session's settings
     * in a transaction rolled back afterwards, else on the catalog pool.
     */
    private <T> T onCatalogShard(java.util.function.Function<ShardConnection, T> work) {
        ShardConnection pinned = tx.pinnedOn(0);
        if (pinned != null) {
            return work.apply(pinned);
        }
        if (settings.isEmpty()) {
            ShardConnection c = services.pools().acquireCatalog();
            try {
                return work.apply(c);
            } finally {
                services.pools().release(c);
            }
        }
        ShardConnection c = services.pools().acquire(0);
        try {
            Transaction.open(c, "BEGIN", null, settings);
            try {
                return work.apply(c);
            } finally {
                c.rollback();
            }
        } finally {
            services.pools().release(c);
        }
    }

    /**
     * Runs a portal. {@code syncFollows} says the client's next message is Sync: a statement alone
     * in its Sync runs in autocommit; otherwise the statements up to Sync share one transaction, as
     * PostgreSQL's implicit transaction of the extended protocol.
     */
    void execute(Execute m, boolean syncFollows) {
        Portal p = portal(m.portal());
        long maxRows = Math.max(0, m.maxRows());
        if (p.execution != null) {
            resume(p, maxRows);
            return;
        }
        if (p.completedTag != null) {
            if (p.completedTag.isEmpty()) {
                throw new ShardProxyException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                        "portal \"" + m.portal() + "\" cannot be run");
            }
            out.write(new CommandComplete(p.completedTag));
            return;
        }
        if (p.statement.prepared == null) {
            out.write(EmptyQueryResponse.INSTANCE);
            return;
        }
        Statement st = p.statement.statement();
        session.checkRunnable(st);
        if (p.planError != null) {
            throw p.planError;
        }
        boolean implicitBlock = !syncFollows && !tx.inBlock();
        boolean transactional = p.plan instanceof Plan.Query ? ((Plan.Query) p.plan).transactional()
                : p.plan instanceof Plan.Session || p.plan instanceof Plan.KeyUpdate;
        if (implicitBlock && transactional) {
            // What runs before Sync is one transaction: a SET in it is undone by a later error.
            tx.beginImplicit();
        }
        boolean multi = tx.inBlock() && !tx.explicit() || !syncFollows;
        if (p.plan instanceof Plan.Query) {
            Plan.Query q = (Plan.Query) p.plan;
            Execution e = runner.start(q, st, multi, p.values);
            if (q.schemaChange()) {
                session.schemaChanged();
            }
            if (p.encoder == null && e.hasRows() && p.resultFormats.length > 0) {
                p.encoder = ResultFormats.encoder(e.columns(), p.resultFormats, services.catalog().types());
            }
            p.execution = e;
            resume(p, maxRows);
            return;
        }
        Consumer<BackendMessage> sink = message -> {
            if (message instanceof DataRow && p.encoder != null) {
                out.dataRow(p.encoder.encode(((DataRow) message).values()));
            } else if (!(message instanceof RowDescription)) {
                out.write(message);
            }
        };
        session.runUtility(p.plan, st, multi, sink, false, p.values, p.encoder);
        p.completedTag = "";
    }

    private void resume(Portal p, long maxRows) {
        Execution e = p.execution;
        boolean complete;
        try {
            complete = e.send(out, maxRows, false, p.encoder);
        } catch (RuntimeException ex) {
            p.execution = null;
            p.completedTag = "";
            throw ex;
        }
        if (complete) {
            p.execution = null;
            p.completedTag = e.hasRows() ? "SELECT 0" : "";
        }
    }

    void close(Close m) {
        if (m.kind() == MessageType.TARGET_STATEMENT) {
            statements.remove(m.name());
        } else {
            closePortal(m.name());
        }
        out.write(CloseComplete.INSTANCE);
    }

    private void closePortal(String name) {
        Portal p = portals.remove(name);
        if (p != null && p.execution != null) {
            Execution e = p.execution;
            p.execution = null;
            e.close();
        }
    }

    /** The transaction ends (or a Sync ends autocommit work): every portal goes. */
    void closePortals() {
        RuntimeException failure = null;
        for (String name : new ArrayList<>(portals.keySet())) {
            try {
                closePortal(name);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** After an error: suspended executions roll back what they began; portals go at Sync. */
    void abortExecutions() {
        for (Portal p : portals.values()) {
            if (p.execution != null) {
                Execution e = p.execution;
                p.execution = null;
                p.completedTag = "";
                e.abort();
            }
        }
    }

    /** The unnamed portal goes when a simple Query arrives. */
    void closeUnnamedPortal() {
        closePortal("");
    }

    boolean hasUnnamedPortal() {
        return portals.containsKey("");
    }

    /** DISCARD ALL and DEALLOCATE ALL: every prepared statement goes. */
    void deallocateAll() {
        statements.clear();
    }

    /**
     * DECLARE name CURSOR FOR query: the query starts on its shards as a portal of that name (a
     * cursor is a portal in PostgreSQL too), inside the transaction block it needs. Parameters
     * bound to the DECLARE (drivers send {@code DECLARE ... WHERE x = $1} in the extended
     * protocol) belong to its query.
     */
    void sqlDeclare(Statement st, BoundValues values, boolean multi) {
        CursorSql.Declare d = CursorSql.declare(st.tokens());
        if (d.hold()) {
            throw ShardProxyException.unsupported("cursors WITH HOLD are not supported by ShardProxy",
                    "declare the cursor WITHOUT HOLD and read it before the transaction ends");
        }
        if (d.binary()) {
            throw ShardProxyException.unsupported("BINARY cursors are not supported by ShardProxy",
                    "declare the cursor without BINARY; drivers ask for binary results in Bind");
        }
        if (d.scroll()) {
            throw ShardProxyException.unsupported("SCROLL cursors are not supported by ShardProxy",
                    "declare the cursor without SCROLL and read it forward");
        }
        if (!tx.inBlock()) {
            throw new ShardProxyException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                    "DECLARE CURSOR can only be used in transaction blocks");
        }
        if (portals.containsKey(d.name())) {
            throw new ShardProxyException(SqlState.DUPLICATE_CURSOR, "cursor \"" + d.name() + "\" already exists");
        }
        List<Statement> inner = services.router().split(d.query());
        if (inner.size() != 1) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \";\"");
        }
        Statement query = inner.get(0);
        Plan plan = services.router().plan(query, values == null ? Parameters.NONE
                : new BindParameters(values, services.catalog().types()));
        if (!(plan instanceof Plan.Query) || ((Plan.Query) plan).write()) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR,
                    "syntax error at or near \"" + query.tokens().text(0) + "\"");
        }
        Execution e = runner.start((Plan.Query) plan, query, multi, values);
        if (!e.hasRows()) {
            e.close();
            throw new ShardProxyException(SqlState.SYNTAX_ERROR,
                    "syntax error at or near \"" + query.tokens().text(0) + "\"");
        }
        Portal p = new Portal(null, values, new short[0], plan, null);
        p.execution = e;
        p.cursor = true;
        portals.put(d.name(), p);
        out.write(new CommandComplete("DECLARE CURSOR"));
    }

    /** FETCH or MOVE forward through a cursor: its rows (RowDescription first in the simple protocol). */
    void sqlFetch(Statement st, boolean describe, RowEncoder encoder) {
        boolean move = st.tokens().isWord(0, "move");
        CursorSql.Fetch f = CursorSql.fetch(st.tokens());
        Portal p = cursor(f.name());
        long n = p.execution.fetch(out, f.count(), describe, move, encoder);
        out.write(new CommandComplete((move ? "MOVE " : "FETCH ") + n));
    }

    /** CLOSE name | ALL. */
    void sqlClose(Statement st) {
        String name = CursorSql.close(st.tokens());
        if (name == null) {
            closePortals();
            out.write(new CommandComplete("CLOSE CURSOR ALL"));
            return;
        }
        if (!portals.containsKey(name)) {
            throw new ShardProxyException(SqlState.INVALID_CURSOR_NAME, "cursor \"" + name + "\" does not exist");
        }
        closePortal(name);
        out.write(new CommandComplete("CLOSE CURSOR"));
    }

    private Portal cursor(String name) {
        Portal p = portals.get(name);
        if (p == null || p.execution == null) {
            throw new ShardProxyException(SqlState.INVALID_CURSOR_NAME, "cursor \"" + name + "\" does not exist");
        }
        return p;
    }

    /** The columns a FETCH returns: its cursor's; null for MOVE or a cursor that does not exist (yet). */
    private List<Column> fetchColumns(Statement st) {
        if (!st.tokens().isWord(0, "fetch")) {
            return null;
        }
        try {
            Portal p = portals.get(CursorSql.fetch(st.tokens()).name());
            return p == null || p.execution == null ? null : p.execution.columns();
        } catch (ShardProxyException e) {
            return null;
        }
    }

    /** SQL-level PREPARE: a prepared statement like Parse's, in the same namespace. */
    void sqlPrepare(Statement st) {
        PreparedStatementSql.Prepare p = PreparedStatementSql.prepare(st.tokens());
        if (statements.containsKey(p.name())) {
            throw new ShardProxyException(SqlState.DUPLICATE_PREPARED_STATEMENT,
                    "prepared statement \"" + p.name() + "\" already exists");
        }
        int[] types = typeOids(p.types());
        List<Statement> inner = services.router().split(p.statement());
        if (inner.size() != 1) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR, inner.isEmpty()
                    ? "syntax error at end of input" : "cannot insert multiple commands into a prepared statement");
        }
        Router.Parsed parsed = services.router().parse(inner.get(0).text());
        ParsedStatement ps = new ParsedStatement(p.name(), parsed.prepared(), types);
        ps.kind = parsed.kind();
        if (!(ps.kind instanceof Plan.Query)) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR,
                    "syntax error at or near \"" + inner.get(0).tokens().text(0) + "\"");
        }
        describe(ps);
        statements.put(p.name(), ps);
        out.write(new CommandComplete("PREPARE"));
    }

    /**
     * SQL-level EXECUTE: binds the arguments (constants as they are written; expressions evaluated
     * once on a shard, as PostgreSQL evaluates them once) and runs the statement. The simple
     * protocol gets the RowDescription first.
     */
    void sqlExecute(Statement st, boolean multi, boolean describe) {
        PreparedStatementSql.Execute e = PreparedStatementSql.execute(st.tokens());
        ParsedStatement ps = statement(e.name());
        if (e.arguments().size() != ps.parameterCount) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR,
                    "wrong number of parameters for prepared statement \"" + e.name() + "\"",
                    "Expected " + ps.parameterCount + " parameters but got " + e.arguments().size() + ".", null);
        }
        int n = ps.parameterCount;
        byte[][] values = argumentValues(e.arguments());
        int[] types = Arrays.copyOf(describe(ps).parameterTypes(), n);
        BoundValues bound = new BoundValues(types, values, new boolean[n]);
        Plan plan = services.router().bind(ps.prepared, new BindParameters(bound, services.catalog().types()));
        Plan.Query q = (Plan.Query) plan;
        Execution execution = runner.start(q, ps.statement(), multi, bound);
        if (q.schemaChange()) {
            session.schemaChanged();
        }
        execution.send(out, 0, describe, null);
    }

    /** SQL-level DEALLOCATE [PREPARE] name | ALL. */
    void sqlDeallocate(Statement st) {
        String name = PreparedStatementSql.deallocate(st.tokens());
        if (name == null) {
            statements.clear();
            out.write(new CommandComplete("DEALLOCATE ALL"));
            return;
        }
        if (statements.remove(name) == null) {
            throw new ShardProxyException(SqlState.INVALID_SQL_STATEMENT_NAME,
                    "prepared statement \"" + name + "\" does not exist");
        }
        out.write(new CommandComplete("DEALLOCATE"));
    }

    /** Type names as OIDs, as the shard's catalog resolves them (42704 for an unknown type). */
    private int[] typeOids(List<String> names) {
        if (names.isEmpty()) {
            return new int[0];
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < names.size(); i++) {
            sql.append(i > 0 ? ", " : "").append('\'').append(names.get(i).replace("'", "''")).append("'::pg_catalog.regtype::pg_catalog.oid");
        }
        byte[][] row = firstRow(sql.toString());
        int[] oids = new int[names.size()];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = Integer.parseInt(new String(row[i], StandardCharsets.UTF_8));
        }
        return oids;
    }

    /** EXECUTE's arguments as text values: constants directly, anything else evaluated on a shard. */
    private byte[][] argumentValues(List<String> arguments) {
        byte[][] values = new byte[arguments.size()][];
        StringBuilder evaluate = null;
        List<Integer> evaluated = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String constant = constantText(arguments.get(i));
            if (constant != null) {
                values[i] = constant.getBytes(StandardCharsets.UTF_8);
            } else if (arguments.get(i).trim().equalsIgnoreCase("null")) {
                values[i] = null;
            } else {
                evaluate = evaluate == null ? new StringBuilder("SELECT ") : evaluate.append(", ");
                evaluate.append('(').append(arguments.get(i)).append(")::pg_catalog.text");
                evaluated.add(i);
            }
        }
        if (evaluate != null) {
            byte[][] row = firstRow(evaluate.toString());
            for (int k = 0; k < evaluated.size(); k++) {
                values[evaluated.get(k)] = row[k];
            }
        }
        return values;
    }

    /** The text value of a lone string or number constant (with an optional minus sign), else null. */
    private static String constantText(String sql) {
        io.shardproxy.router.lex.Tokens t = io.shardproxy.router.lex.Lexer.lex(sql);
        int i = t.size() == 2 && t.isSymbol(0, "-") ? 1 : 0;
        if (t.size() != i + 1) {
            return null;
        }
        if (t.type(i) == io.shardproxy.router.lex.TokenType.STRING && i == 0) {
            return io.shardproxy.router.lex.Literals.stringValue(t.text(i));
        }
        if (t.type(i) == io.shardproxy.router.lex.TokenType.NUMBER) {
            return (i == 1 ? "-" : "") + t.text(i).replace("_", "");
        }
        return null;
    }

    /** One row of a query on a shard, with the session's settings. */
    private byte[][] firstRow(String sql) {
        return onCatalogShard(c -> firstRow(c, sql));
    }

    private static byte[][] firstRow(ShardConnection c, String sql) {
        io.shardproxy.server.exec.ShardResult r = c.run(sql, false, 0);
        try {
            return r.next();
        } finally {
            r.close();
        }
    }

    private ParsedStatement statement(String name) {
        ParsedStatement ps = statements.get(name);
        if (ps == null) {
            throw new ShardProxyException(SqlState.INVALID_SQL_STATEMENT_NAME, name.isEmpty()
                    ? "unnamed prepared statement does not exist" : "prepared statement \"" + name + "\" does not exist");
        }
        return ps;
    }

    private Portal portal(String name) {
        Portal p = portals.get(name);
        if (p == null) {
            throw new ShardProxyException(SqlState.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
        }
        return p;
    }

    /** Bind values as the router reads them: text values as they are, binary ones decoded where the type allows. */
    private static final class BindParameters implements Parameters {
        private final BoundValues values;
        private final TypeResolver types;

        BindParameters(BoundValues values, TypeResolver types) {
            this.values = values;
            this.types = types;
        }

        @Override
        public int count() {
            return values.count();
        }

        @Override
        public boolean isNull(int n) {
            return values.values()[n - 1] == null;
        }

        @Override
        public String text(int n) {
            byte[] v = values.values()[n - 1];
            if (v == null) {
                return null;
            }
            if (!values.binary()[n - 1]) {
                return new String(v, StandardCharsets.UTF_8);
            }
            int type = values.types()[n - 1];
            if (type == 0 || !BinaryFormat.supports(type, types)) {
                return null;
            }
            try {
                return new String(BinaryFormat.decode(type, v, types), StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
