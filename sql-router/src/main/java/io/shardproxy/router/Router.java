package io.shardproxy.router;

import io.shardproxy.config.ExecutionConfig;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.router.analyze.Analyzer;
import io.shardproxy.router.analyze.Binding;
import io.shardproxy.router.analyze.Template;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.lex.StatementSplitter;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.AdminCommand;
import io.shardproxy.router.plan.Parameters;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.shape.Shape;
import io.shardproxy.router.shape.ShapeBuilder;
import io.shardproxy.router.shard.ShardMap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQL text in, plans out. Per statement: lex, compute the shape, look the shape's template up in
 * the cache (analyzing it with Calcite on a miss, once per shape), bind the template to this
 * statement's literal values. Thread-safe; one instance serves every session.
 */
public final class Router {
    private final ShardMap shards;
    private final Analyzer analyzer;
    private final int cacheSize;
    private final ConcurrentHashMap<String, Template> templates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Parsed> parsed = new ConcurrentHashMap<>();

    public Router(ProxyConfig config, Catalog catalog) {
        this.shards = new ShardMap(config);
        this.analyzer = new Analyzer(shards, catalog);
        ExecutionConfig execution = config.execution();
        this.cacheSize = execution == null ? ExecutionConfig.DEFAULT_SHAPE_CACHE_SIZE : execution.shapeCacheSize();
    }

    public ShardMap shards() {
        return shards;
    }

    /** The statements of a simple-protocol query string; empty for an empty query. */
    public List<Statement> split(String sql) {
        return StatementSplitter.split(sql);
    }

    /** The plan of one statement; throws ShardProxyException when it cannot be routed correctly. */
    public Plan plan(Statement statement) {
        return plan(statement, Parameters.NONE);
    }

    /** The plan of one statement bound to {@code parameters}. */
    public Plan plan(Statement statement, Parameters parameters) {
        return bind(prepare(statement), parameters);
    }

    /**
     * The plan of one statement when its shape was analyzed before, else null: never runs the
     * analyzer, so it is cheap enough for an event loop. Throws as {@link #plan(Statement)} does
     * when the statement cannot be routed.
     */
    public Plan planIfAnalyzed(Statement statement) {
        if (isAdmin(statement.tokens())) {
            return null;
        }
        Shape shape = ShapeBuilder.build(statement.tokens());
        Template template = templates.get(shape.cacheKey());
        return template == null ? null
                : template.bind(new Binding(statement, shape, shards, Parameters.NONE));
    }

    /**
     * Analyzes a statement once for many binds (Parse of the extended protocol): an error here
     * is the statement's own, as PostgreSQL reports syntax errors when it parses.
     */
    public Prepared prepare(Statement statement) {
        int parameters = statement.tokens().highestParameter();
        if (isAdmin(statement.tokens())) {
            return new Prepared(statement, null, parameters);
        }
        Shape shape = ShapeBuilder.build(statement.tokens());
        template(shape);
        return new Prepared(statement, shape, parameters);
    }

    /**
     * A prepared statement's text, analyzed: the extended protocol's Parse, which drivers send
     * again and again with the same text, so the result is cached by text.
     *
     * @param prepared the statement, or null for an empty query string
     * @param kind     what its plan is without values: a {@link Plan.Query} for statements the
     *                 shards run (also when routing needs the values), else the proxy's own plan
     */
    public record Parsed(Prepared prepared, Plan kind) {
    }

    /** What {@link #parse} returned for {@code sql} and still remembers, else null; never analyzes. */
    public Parsed parsedIfCached(String sql) {
        return parsed.get(sql);
    }

    /** Whether binding {@code prepared} finds its analysis cached (no DDL dropped it since). */
    public boolean isAnalyzed(Prepared prepared) {
        return prepared.shape() == null || templates.containsKey(prepared.shape().cacheKey());
    }

    /** Parses the text of a prepared statement: one statement or none (42601 for more). */
    public Parsed parse(String sql) {
        Parsed p = parsed.get(sql);
        if (p != null) {
            return p;
        }
        List<Statement> statements = split(sql);
        if (statements.size() > 1) {
            throw new io.shardproxy.error.ShardProxyException(io.shardproxy.error.SqlState.SYNTAX_ERROR,
                    "cannot insert multiple commands into a prepared statement");
        }
        if (statements.isEmpty()) {
            p = new Parsed(null, null);
        } else {
            Prepared prepared = prepare(statements.get(0));
            Plan kind;
            try {
                kind = bind(prepared, Parameters.NONE);
            } catch (RuntimeException e) {
                kind = UNBOUND_QUERY;
            }
            p = new Parsed(prepared, kind);
        }
        if (parsed.size() >= cacheSize) {
            parsed.clear();
        }
        parsed.put(sql, p);
        return p;
    }

    /** The kind of a statement the shards run whose plan needs its parameter values. */
    private static final Plan UNBOUND_QUERY = new Plan.Query(List.of(), null, null, false, true, false);

    /** The plan of a prepared statement for one set of parameter values. */
    public Plan bind(Prepared prepared, Parameters parameters) {
        if (prepared.shape() == null) {
            return admin(prepared.statement(), parameters);
        }
        return template(prepared.shape()).bind(new Binding(prepared.statement(), prepared.shape(), shards, parameters));
    }

    private Template template(Shape shape) {
        Template template = templates.get(shape.cacheKey());
        if (template == null) {
            template = analyzer.analyze(shape);
            if (templates.size() >= cacheSize) {
                templates.clear();
            }
            templates.put(shape.cacheKey(), template);
        }
        return template;
    }

    /** Drops every cached analysis: call after DDL, since analyses may depend on table definitions. */
    public void schemaChanged() {
        templates.clear();
        parsed.clear();
    }

    /** Number of cached shapes, for admin output and tests. */
    public int cachedShapes() {
        return templates.size();
    }

    /** A statement that is not an admin command after all, analyzed as usual. */
    private Plan analyzedWhole(Statement s, Parameters parameters) {
        Shape shape = ShapeBuilder.build(s.tokens());
        return template(shape).bind(new Binding(s, shape, shards, parameters));
    }

    /** Statements planned whole at each bind: the admin commands and EXPLAIN. */
    private static boolean isAdmin(Tokens t) {
        return t.isWord(0, "show") && t.size() == 2
                && (t.isWord(1, "shards") || t.isWord(1, "sharding") || t.isWord(1, "tables")
                || t.isWord(1, "transactions"))
                || t.isWord(0, "recover") && t.size() == 2 && t.isWord(1, "transactions")
                || t.isWord(0, "explain");
    }

    private Plan admin(Statement s, Parameters parameters) {
        Tokens t = s.tokens();
        if (t.isWord(0, "show") && t.size() == 2) {
            if (t.isWord(1, "shards")) {
                return new Plan.Admin(AdminCommand.SHOW_SHARDS, s.text(), null);
            }
            if (t.isWord(1, "sharding") || t.isWord(1, "tables")) {
                return new Plan.Admin(AdminCommand.SHOW_SHARDING, s.text(), null);
            }
            if (t.isWord(1, "transactions")) {
                return new Plan.Admin(AdminCommand.SHOW_TRANSACTIONS, s.text(), null);
            }
        }
        if (t.isWord(0, "recover")) {
            return new Plan.Admin(AdminCommand.RECOVER_TRANSACTIONS, s.text(), null);
        }
        if (t.isWord(0, "explain") && t.isWord(1, "route") && t.size() > 2) {
            String inner = s.text().substring(t.start(2));
            List<Plan> plans = new ArrayList<>();
            for (Statement st : split(inner)) {
                plans.add(plan(st, parameters));
            }
            return new Plan.Admin(AdminCommand.EXPLAIN_ROUTE, inner, plans);
        }
        return explain(s, parameters);
    }

    /**
     * PostgreSQL's EXPLAIN: forwarded to the one shard its statement runs on. A statement that runs
     * on several shards has no single plan to show.
     */
    private Plan explain(Statement s, Parameters parameters) {
        Tokens t = s.tokens();
        int i = 1;
        if (t.isSymbol(i, "(")) {
            i = t.matching(i) + 1;
        }
        while (t.isWord(i, "analyze") || t.isWord(i, "analyse") || t.isWord(i, "verbose")) {
            i++;
        }
        if (i <= 0 || i >= t.size()) {
            return analyzedWhole(s, parameters);
        }
        List<Statement> inner = split(s.text().substring(t.start(i)));
        Plan plan = inner.size() == 1 ? plan(inner.get(0), parameters) : null;
        if (plan instanceof Plan.Query && ((Plan.Query) plan).statements().size() == 1) {
            Plan.Query q = (Plan.Query) plan;
            return new Plan.Query(List.of(new io.shardproxy.router.plan.ShardStatement(
                    q.statements().get(0).shard(), s.text())), null,
                    io.shardproxy.router.plan.TagRule.PASSTHROUGH, q.write(), true, false);
        }
        throw io.shardproxy.error.ShardProxyException.unsupported(
                "EXPLAIN of a statement that runs on several shards is not supported",
                "EXPLAIN ROUTE shows the shards and the SQL each one runs");
    }
}
