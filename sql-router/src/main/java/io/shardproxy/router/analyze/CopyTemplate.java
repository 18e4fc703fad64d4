package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.lex.StatementSplitter;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.plan.TagRule;
import io.shardproxy.router.shape.Shape;
import io.shardproxy.router.shape.ShapeBuilder;
import io.shardproxy.router.shard.ShardMap;
import io.shardproxy.router.shard.ShardingRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a COPY statement's data goes, decided once per shape from the table it names:
 *
 * <pre>
 * table kind       FROM STDIN                               TO STDOUT
 * sharded          ROUTE_ROWS: each row to its key's shard  CONCAT: every shard, outputs in shard order
 * reference        BROADCAST: every shard gets every byte   FORWARD: any one shard
 * local / catalog  FORWARD: the default shard               FORWARD: the default shard
 * COPY (query)     -                                        the query's own routing (see bindQuery)
 * </pre>
 *
 * Every shard runs the client's own COPY text (for COPY (query), the text around the query's
 * possibly rewritten SQL). Option values are read per statement, the inner query's analysis is
 * cached with this template.
 */
final class CopyTemplate implements Template {

    /** Client encodings whose multibyte characters can contain ASCII bytes: rows cannot be split byte-wise. */
    private static final Set<String> EMBEDS_ASCII = Set.of("SJIS", "BIG5", "GBK", "UHC", "GB18030", "JOHAB",
            "SHIFT_JIS_2004");

    private final CopyAnalyzer.Syntax syntax;
    private final Plan.CopyMode mode;
    private final String relation;
    private final ShardingRule rule;
    private final List<String> columns;
    private final int keyIndex;
    private final int forwardShard;
    private final Analyzer analyzer;
    /** The inner query's shape key and template, for COPY (query): analyzed once per shape. */
    private volatile Inner inner;

    private record Inner(String cacheKey, Template template) {
    }

    private CopyTemplate(CopyAnalyzer.Syntax syntax, Plan.CopyMode mode, String relation, ShardingRule rule,
                         List<String> columns, int keyIndex, int forwardShard, Analyzer analyzer) {
        this.syntax = syntax;
        this.mode = mode;
        this.relation = relation;
        this.rule = rule;
        this.columns = columns;
        this.keyIndex = keyIndex;
        this.forwardShard = forwardShard;
        this.analyzer = analyzer;
    }

    /** A COPY the router could not read, naming no configured table: the default shard runs it as it is. */
    static Template defaultShard(boolean from) {
        return b -> new Plan.Copy(from ? Plan.CopyDirection.FROM_STDIN : Plan.CopyDirection.TO_STDOUT,
                Plan.CopyMode.FORWARD, null, null, null, -1, null,
                List.of(new ShardStatement(Targets.DEFAULT_SHARD, b.text())), null, -1, from);
    }

    static Template of(CopyAnalyzer.Syntax s, Tokens t, ShardMap shards, Catalog catalog, Analyzer analyzer) {
        if (s.program() || s.fileToken() >= 0) {
            String what = s.program() ? "a program" : "a file";
            return new Refusal(ShardProxyException.unsupported("COPY " + (s.from() ? "from " : "to ") + what
                            + " is not supported through ShardProxy: it would run on a shard server",
                    "use COPY ... " + (s.from() ? "FROM STDIN" : "TO STDOUT")
                            + ", or psql's \\copy, which reads and writes files where psql runs"));
        }
        if (s.relation() == null) {
            return new CopyTemplate(s, null, null, null, null, -1, -1, analyzer);
        }
        ShardMap.Relation rel = shards.resolve(s.relation());
        String name = s.relation().get(s.relation().size() - 1);
        switch (rel.kind()) {
            case SHARDED: {
                ShardingRule rule = rel.rule();
                if (!s.from()) {
                    return new CopyTemplate(s, Plan.CopyMode.CONCAT, name, rule, s.columns(), -1, -1, analyzer);
                }
                List<String> cols = s.columns() != null ? s.columns() : catalog.columns(rule.table());
                if (cols == null) {
                    return new Refusal(ShardProxyException.unsupported(
                            "cannot find the shard key's position in COPY into " + rule.table()
                                    + " without a column list",
                            "name the columns: COPY " + rule.table() + " (" + rule.keyColumn() + ", ...) FROM STDIN"));
                }
                int key = cols.indexOf(rule.keyColumn());
                if (key < 0) {
                    return new Refusal(ShardProxyException.unsupported(
                            "COPY into sharded table " + rule.table() + " must give the shard key column "
                                    + rule.keyColumn(),
                            "list " + rule.keyColumn() + " in the column list and give its value in every row"));
                }
                return new CopyTemplate(s, Plan.CopyMode.ROUTE_ROWS, name, rule, cols, key, -1, analyzer);
            }
            case REFERENCE: {
                if (!s.from()) {
                    return new CopyTemplate(s, Plan.CopyMode.FORWARD, name, null, s.columns(), -1,
                            ShardStatement.ANY_SHARD, analyzer);
                }
                String v = s.whereAt() >= 0 ? Volatile.find(t) : null;
                if (v != null) {
                    return new Refusal(ShardProxyException.unsupported(
                            "COPY into reference table " + rel.name() + " with a WHERE condition that calls " + v
                                    + " would keep different rows on different shards",
                            "filter the rows before the COPY, or use a condition without " + v));
                }
                return new CopyTemplate(s, Plan.CopyMode.BROADCAST, name, null, s.columns(), -1, -1, analyzer);
            }
            default:
                return new CopyTemplate(s, Plan.CopyMode.FORWARD, name, null, s.columns(), -1,
                        Targets.DEFAULT_SHARD, analyzer);
        }
    }

    @Override
    public Plan bind(Binding b) {
        Plan.CopyOptions options = CopyOptionReader.read(syntax.options(), b.tokens(), syntax.from());
        if (syntax.queryOpen() >= 0) {
            return bindQuery(b, options);
        }
        Plan.CopyDirection direction = syntax.from() ? Plan.CopyDirection.FROM_STDIN : Plan.CopyDirection.TO_STDOUT;
        if (mode == Plan.CopyMode.ROUTE_ROWS && options.encoding() != null && EMBEDS_ASCII.contains(options.encoding())) {
            throw ShardProxyException.unsupported("COPY into sharded table " + rule.table() + " with ENCODING '"
                            + options.encoding() + "' is not supported: the proxy cannot split its rows",
                    "convert the data to UTF8 first, e.g. with iconv");
        }
        List<ShardStatement> statements = new ArrayList<>();
        if (mode == Plan.CopyMode.FORWARD) {
            statements.add(new ShardStatement(forwardShard, b.text()));
        } else {
            for (int s = 0; s < b.shards().shardCount(); s++) {
                statements.add(new ShardStatement(s, b.text()));
            }
        }
        return new Plan.Copy(direction, mode, relation, rule, columns, keyIndex, options, statements, null, -1,
                syntax.from());
    }

    /**
     * COPY (query) TO STDOUT: the query is routed like any query. One shard, no merge: that shard
     * runs the COPY. Rows concatenated from several shards: each shard runs the COPY around its
     * own SQL, outputs one after the other. Any other merge: the session runs the query and
     * encodes the merged rows.
     */
    private Plan bindQuery(Binding b, Plan.CopyOptions options) {
        String text = b.text();
        Tokens t = b.tokens();
        int innerStart = t.end(syntax.queryOpen());
        List<Statement> parts = StatementSplitter.split(text.substring(innerStart, t.start(syntax.queryClose())));
        if (parts.size() != 1) {
            throw ShardProxyException.unsupported("COPY (query) must hold exactly one query",
                    "put one SELECT, VALUES or INSERT/UPDATE/DELETE ... RETURNING in the parentheses");
        }
        Statement st = parts.get(0);
        Shape shape = ShapeBuilder.build(st.tokens());
        Plan p = innerTemplate(shape).bind(new Binding(st, shape, b.shards()));
        if (!(p instanceof Plan.Query)) {
            throw ShardProxyException.unsupported("COPY (query) must hold a query",
                    "put one SELECT, VALUES or INSERT/UPDATE/DELETE ... RETURNING in the parentheses");
        }
        Plan.Query q = (Plan.Query) p;
        int queryStart = innerStart + st.offset();
        String prefix = text.substring(0, queryStart);
        String suffix = text.substring(queryStart + st.text().length());
        List<ShardStatement> statements = new ArrayList<>();
        for (ShardStatement s : q.statements()) {
            statements.add(new ShardStatement(s.shard(), prefix + s.sql() + suffix));
        }
        if (q.statements().size() == 1 && q.merge() == null) {
            return copyOut(Plan.CopyMode.FORWARD, options, statements, null, -1, q.write());
        }
        if (q.tags() == TagRule.FIRST) {
            throw ShardProxyException.unsupported(
                    "COPY (query) TO STDOUT of a write to a reference table is not supported",
                    "run the write on its own, then COPY (SELECT ...) TO STDOUT");
        }
        if (q.merge() instanceof MergePlan.Concat) {
            return copyOut(Plan.CopyMode.CONCAT, options, statements, null, -1, q.write());
        }
        if (options.format() == Plan.CopyFormat.BINARY) {
            throw ShardProxyException.unsupported(
                    "COPY (query) TO STDOUT in binary format is not supported for a query whose rows the proxy merges",
                    "use FORMAT text or csv, or a query that runs on one shard");
        }
        if (options.encoding() != null && !options.encoding().equals("UTF8") && !options.encoding().equals("SQL_ASCII")) {
            throw ShardProxyException.unsupported("COPY (query) TO STDOUT with ENCODING '" + options.encoding()
                            + "' is not supported for a query whose rows the proxy merges",
                    "leave out ENCODING (the proxy sends UTF8) and convert on the client");
        }
        return copyOut(Plan.CopyMode.ENCODE_ROWS, options, List.of(), q, queryStart, q.write());
    }

    private static Plan.Copy copyOut(Plan.CopyMode mode, Plan.CopyOptions options, List<ShardStatement> statements,
                                     Plan.Query query, int queryOffset, boolean write) {
        return new Plan.Copy(Plan.CopyDirection.TO_STDOUT, mode, null, null, null, -1, options, statements, query,
                queryOffset, write);
    }

    private Template innerTemplate(Shape shape) {
        Inner cached = inner;
        if (cached != null && cached.cacheKey().equals(shape.cacheKey())) {
            return cached.template();
        }
        Template template = analyzer.analyze(shape);
        inner = new Inner(shape.cacheKey(), template);
        return template;
    }
}
