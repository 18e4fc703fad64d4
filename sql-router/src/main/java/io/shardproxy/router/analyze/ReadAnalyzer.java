package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shape.Shape;
import io.shardproxy.router.shard.ShardMap;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWindow;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link ReadTemplate} of a parsed query: its relation references and, when exactly
 * one sharded table sits in the outermost FROM, how to fan it out and merge it, or why that cannot
 * be done correctly yet.
 */
final class ReadAnalyzer {
    private static final String KEY_HINT = "add an equality on the shard key to the WHERE clause to target one shard";

    private final Shape shape;
    private final Tokens tokens;
    private final Spans spans;
    private final Aggregates aggregates;
    private final Catalog catalog;
    /** The statement being analyzed, for the shard describes a GROUP BY needs. */
    private final Binding current;

    private ReadAnalyzer(Shape shape, Catalog catalog, Binding current) {
        this.shape = shape;
        this.tokens = shape.tokens();
        this.spans = new Spans(shape);
        this.aggregates = new Aggregates(catalog);
        this.catalog = catalog;
        this.current = current;
    }

    static ReadTemplate analyze(SqlNode query, Shape shape, ShardMap shards, Catalog catalog) {
        Relations relations = Relations.of(query, shards);
        List<TableRef> refs = relations.refs();
        Binding current = new Binding(new io.shardproxy.router.lex.Statement(shape.tokens().source(), 0,
                shape.tokens()), shape, shards);
        ReadAnalyzer a = new ReadAnalyzer(shape, catalog, current);
        try {
            FanOut f = a.fanOut(query, refs);
            return new ReadTemplate(refs, f.rewrite(), f.merge(), null);
        } catch (ShardProxyException refused) {
            return new ReadTemplate(refs, null, null, refused);
        }
    }

    private FanOut fanOut(SqlNode query, List<TableRef> refs) {
        List<TableRef> sharded = refs.stream().filter(TableRef::isSharded).toList();
        if (sharded.size() != 1) {
            throw refuse("query reads " + sharded.size() + " sharded table references whose rows are on different shards;"
                    + " joins and subqueries across shards are not supported yet");
        }
        TableRef table = sharded.get(0);
        if (refs.stream().anyMatch(r -> r.relation().kind() == ShardMap.Kind.LOCAL
                || r.relation().kind() == ShardMap.Kind.CATALOG)) {
            throw refuse("query combines sharded table " + table.relation().name()
                    + " with local tables or catalogs, which live only on the default shard");
        }
        SqlNodeList orderList = null;
        SqlNode select = query;
        if (query instanceof SqlOrderBy) {
            SqlOrderBy o = (SqlOrderBy) query;
            orderList = o.orderList;
            select = o.query;
        }
        if (!(select instanceof SqlSelect)) {
            throw refuse(describe(select) + " over sharded table " + table.relation().name()
                    + " across shards is not supported yet");
        }
        if (!table.outermost()) {
            throw refuse("subqueries over sharded table " + table.relation().name()
                    + " that need rows from several shards are not supported yet");
        }
        SqlSelect s = (SqlSelect) select;
        if (orderList == null && s.getOrderList() != null && s.getOrderList().size() > 0) {
            orderList = s.getOrderList();
        }
        boolean grouped = s.getGroup() != null && s.getGroup().size() > 0;
        boolean groupedByKey = false;
        if (grouped) {
            for (SqlNode g : s.getGroup()) {
                groupedByKey |= KeyConditions.isKey(g, table, true);
            }
        }
        checkWindows(s, table);
        boolean distinctOn = shape.distinctOnAt() >= 0;
        boolean distinct = s.isDistinct() || distinctOn;
        boolean distinctByKey = distinct && (groupedByKey || distinctIncludesKey(s, table));
        Rewrite rewrite = new Rewrite();
        int[] limitRegion = limitRegion();
        int limitSlot = limitSlot(query instanceof SqlOrderBy ? ((SqlOrderBy) query).fetch : s.getFetch());
        int offsetSlot = limitSlot(query instanceof SqlOrderBy ? ((SqlOrderBy) query).offset : s.getOffset());
        boolean combine = !groupedByKey && (grouped || aggregates.contains(s.getSelectList()) || s.getHaving() != null
                || aggregates.contains(orderList) || (s.isDistinct() && !distinctOn && !distinctByKey));
        if (combine) {
            if (distinct && (grouped || distinctOn)) {
                throw refuse("DISTINCT together with GROUP BY or aggregates across shards is not supported yet");
            }
            return new GroupAnalyzer(tokens, catalog, spans, current, aggregates).analyze(s, orderList, limitSlot,
                    offsetSlot, shape.lockingAt(), s.isDistinct() && !grouped, catalog.columns(table.relation().name()));
        }
        int distinctOnCount = 0;
        if (distinctOn && !distinctByKey) {
            distinctOnCount = distinctOnCount();
            if (orderList == null || orderList.size() < distinctOnCount) {
                throw refuse("DISTINCT ON across shards needs an ORDER BY that starts with its expressions");
            }
        }
        List<MergeSpec.Sort> sort = new ArrayList<>();
        int hidden = 0;
        if (orderList != null) {
            List<String> hiddenExprs = new ArrayList<>();
            for (SqlNode item : orderList) {
                sort.add(sortKey(item, s.getSelectList(), distinct, hiddenExprs));
            }
            hidden = hiddenExprs.size();
            if (hidden > 0) {
                int after = spans.last(s.getSelectList());
                List<Rewrite.Piece> pieces = new ArrayList<>();
                for (int h = 0; h < hidden; h++) {
                    String[] span = hiddenExprs.get(h).split(":");
                    pieces.add(new Rewrite.Text(", "));
                    pieces.add(new Rewrite.Copy(Integer.parseInt(span[0]), Integer.parseInt(span[1])));
                    pieces.add(new Rewrite.Text(" AS \"?sort" + (h + 1) + "\""));
                }
                rewrite.insertAfter(after, pieces.toArray(new Rewrite.Piece[0]));
                // Hidden keys were numbered in order; turn them into "from the end" indexes.
                for (int k = 0; k < sort.size(); k++) {
                    MergeSpec.Sort key = sort.get(k);
                    if (key.column() <= -1000) {
                        int h = -1000 - key.column();
                        sort.set(k, new MergeSpec.Sort(h - hidden, -1, key.descending(), key.nullsFirst()));
                    }
                }
            }
        }
        if (limitRegion != null && (limitSlot >= 0 || offsetSlot >= 0)) {
            rewrite.replace(limitRegion[0], limitRegion[1], new Rewrite.Computed(b -> {
                long n = new MergeSpec(List.of(), List.of(), 0, limitSlot, offsetSlot).shardLimit(b);
                return n < 0 ? "" : "LIMIT " + n;
            }));
        }
        return new FanOut(rewrite, new MergeSpec(List.of(), sort, hidden, limitSlot, offsetSlot, distinctOnCount));
    }

    /** How many expressions the DISTINCT ON list has. */
    private int distinctOnCount() {
        return tokens.listItems(shape.distinctOnAt() + 1).length;
    }

    /** Tokens [first LIMIT/OFFSET/FETCH at depth 0, end of those clauses), or null. */
    private int[] limitRegion() {
        int depth = 0;
        int start = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.isSymbol(i, "(") || tokens.isSymbol(i, "[")) {
                depth++;
            } else if (tokens.isSymbol(i, ")") || tokens.isSymbol(i, "]")) {
                depth--;
            } else if (depth == 0 && start < 0
                    && (tokens.isWord(i, "limit") || tokens.isWord(i, "offset") || tokens.isWord(i, "fetch"))) {
                start = i;
            }
        }
        if (start < 0) {
            return null;
        }
        int end = shape.lockingAt() > start ? shape.lockingAt() : tokens.size();
        return new int[] {start, end};
    }

    /** The slot of a LIMIT/OFFSET operand; -1 when absent, LIMIT ALL or NULL. */
    private static int limitSlot(SqlNode node) {
        if (node == null || (node instanceof SqlLiteral && ((SqlLiteral) node).getValue() == null)) {
            return -1;
        }
        if (node instanceof SqlDynamicParam) {
            return ((SqlDynamicParam) node).getIndex();
        }
        throw refuse("LIMIT and OFFSET across shards must be integer constants");
    }

    private MergeSpec.Sort sortKey(SqlNode item, SqlNodeList selectList, boolean distinct, List<String> hiddenExprs) {
        OrderItem o = OrderItem.of(item);
        SqlNode expr = o.expression();
        boolean desc = o.descending();
        for (int i = spans.first(item); i <= spans.last(item); i++) {
            if (tokens.isWord(i, "collate")) {
                throw refuse("ORDER BY with COLLATE across shards is not supported yet");
            }
        }
        boolean nf = o.nullsFirst();
        if (expr instanceof SqlDynamicParam) {
            return new MergeSpec.Sort(0, ((SqlDynamicParam) expr).getIndex(), desc, nf);
        }
        if (expr instanceof org.apache.calcite.sql.SqlNumericLiteral) {
            org.apache.calcite.sql.SqlNumericLiteral n = (org.apache.calcite.sql.SqlNumericLiteral) expr;
            if (!n.isInteger()) {
                throw new ShardProxyException(io.shardproxy.error.SqlState.SYNTAX_ERROR, "non-integer constant in ORDER BY");
            }
            int p = n.intValue(true);
            if (p < 1 || p > selectList.size()) {
                throw new ShardProxyException(io.shardproxy.error.SqlState.SYNTAX_ERROR,
                        "ORDER BY position " + p + " is not in select list");
            }
            return new MergeSpec.Sort(p - 1, -1, desc, nf);
        }
        int column = outputColumn(expr, selectList);
        if (column >= 0) {
            return new MergeSpec.Sort(column, -1, desc, nf);
        }
        if (column == -2) {
            throw refuse("ORDER BY an output alias that follows * across shards is not supported yet");
        }
        if (distinct && shape.distinctOnAt() < 0) {
            // A hidden column would change what DISTINCT compares; PostgreSQL refuses this anyway.
            throw refuse("for SELECT DISTINCT across shards, ORDER BY expressions must appear in the select list");
        }
        hiddenExprs.add(spans.first(expr) + ":" + spans.last(expr));
        return new MergeSpec.Sort(-1000 - (hiddenExprs.size() - 1), -1, desc, nf);
    }

    /**
     * The select-list index that an ORDER BY expression names: an output alias or name, or the
     * same expression. -1 when none (a hidden column is needed); -2 when it names an alias whose
     * index a preceding * makes unknowable.
     */
    private static int outputColumn(SqlNode expr, SqlNodeList selectList) {
        boolean starBefore = false;
        for (int i = 0; i < selectList.size(); i++) {
            SqlNode item = selectList.get(i);
            SqlNode value = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
            String name = outputName(item);
            boolean sameName = expr instanceof SqlIdentifier && ((SqlIdentifier) expr).isSimple()
                    && ((SqlIdentifier) expr).getSimple().equals(name);
            if (sameName || (!(item.getKind() == SqlKind.AS) && value.equalsDeep(expr, org.apache.calcite.util.Litmus.IGNORE))) {
                if (starBefore) {
                    return item.getKind() == SqlKind.AS ? -2 : -1;
                }
                return i;
            }
            if (item instanceof SqlIdentifier && ((SqlIdentifier) item).isStar()) {
                starBefore = true;
            }
        }
        return -1;
    }

    /** The name PostgreSQL gives a select item, when the item has a simple one. */
    private static String outputName(SqlNode item) {
        if (item.getKind() == SqlKind.AS) {
            return ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
        }
        if (item instanceof SqlIdentifier && !((SqlIdentifier) item).isStar()) {
            List<String> names = ((SqlIdentifier) item).names;
            return names.get(names.size() - 1);
        }
        return null;
    }




    private void checkWindows(SqlSelect s, TableRef table) {
        List<SqlNode> windows = new ArrayList<>();
        collectWindows(s.getSelectList(), windows);
        collectWindows(s.getOrderList(), windows);
        for (SqlNode w : windows) {
            SqlWindow window = null;
            if (w instanceof SqlWindow) {
                window = (SqlWindow) w;
            } else if (w instanceof SqlIdentifier && s.getWindowList() != null) {
                for (SqlNode named : s.getWindowList()) {
                    SqlWindow nw = (SqlWindow) named;
                    if (nw.getDeclName() != null && nw.getDeclName().equalsDeep(w, org.apache.calcite.util.Litmus.IGNORE)) {
                        window = nw;
                    }
                }
            }
            boolean byKey = false;
            if (window != null && window.getPartitionList() != null) {
                for (SqlNode p : window.getPartitionList()) {
                    byKey |= KeyConditions.isKey(p, table, true);
                }
            }
            if (!byKey) {
                throw refuse("window functions across shards are supported only when partitioned by the shard key");
            }
        }
    }

    private static void collectWindows(SqlNode node, List<SqlNode> out) {
        if (node == null || node instanceof SqlSelect || node instanceof SqlOrderBy) {
            return;
        }
        if (node instanceof SqlNodeList) {
            for (SqlNode c : (SqlNodeList) node) {
                collectWindows(c, out);
            }
            return;
        }
        if (node instanceof SqlCall) {
            if (node.getKind() == SqlKind.OVER) {
                out.add(((SqlCall) node).operand(1));
            }
            for (SqlNode op : ((SqlCall) node).getOperandList()) {
                collectWindows(op, out);
            }
        }
    }

    private boolean distinctIncludesKey(SqlSelect s, TableRef table) {
        if (shape.distinctOnAt() >= 0) {
            int open = shape.distinctOnAt() + 1;
            int close = tokens.matching(open);
            int itemStart = open + 1;
            for (int i = open + 1; i <= close; i++) {
                if (tokens.isSymbol(i, ",") || i == close) {
                    if (i - itemStart == 1 && tokens.type(itemStart) != TokenType.STRING
                            && table.relation().rule().keyColumn().equals(tokens.identifier(itemStart))) {
                        return true;
                    }
                    if (i - itemStart == 3 && tokens.isSymbol(itemStart + 1, ".")
                            && table.relation().rule().keyColumn().equals(tokens.identifier(itemStart + 2))) {
                        return true;
                    }
                    itemStart = i + 1;
                }
            }
            return false;
        }
        for (SqlNode item : s.getSelectList()) {
            SqlNode value = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
            if (KeyConditions.isKey(value, table, true)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(SqlNode node) {
        switch (node.getKind()) {
            case UNION:
            case INTERSECT:
            case EXCEPT:
                return node.getKind().name();
            case WITH:
                return "WITH";
            case VALUES:
                return "VALUES";
            case EXPLICIT_TABLE:
                return "TABLE";
            default:
                return "this query form";
        }
    }

    static ShardProxyException refuse(String message) {
        return ShardProxyException.unsupported(message, KEY_HINT);
    }
}
