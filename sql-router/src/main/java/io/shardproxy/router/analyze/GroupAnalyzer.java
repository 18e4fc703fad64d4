package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.merge.MergePlan.SortKey;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.lex.Tokens;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.util.Litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plans a read that must combine rows of several shards into groups: GROUP BY without the shard
 * key, aggregates without GROUP BY, SELECT DISTINCT without the key. The shards are asked for
 * their groups, sorted by the group keys, with one set of partial aggregates per group:
 * <pre>
 *   SELECT keys, partials FROM ... WHERE ... GROUP BY keys ORDER BY keys (text COLLATE "C")
 * </pre>
 * and the proxy combines equal groups as a stream ({@link GroupMerge}). DISTINCT aggregates
 * group the shards by their argument too. Text keys are sorted with the C collation whatever the
 * shards' collation is: grouping needs one consistent order, and under every deterministic
 * collation equal text means equal bytes.
 */
final class GroupAnalyzer {
    private static final Set<Integer> TEXT = Set.of(25, 1043, 1042, 19);
    private static final Set<Integer> EXACT = Set.of(21, 23, 20, 1700);
    private static final Set<Integer> FLOAT = Set.of(700, 701);
    /** Types whose equality and order the merge reproduces. */
    private static final Set<Integer> GROUPABLE = Set.of(16, 17, 18, 19, 20, 21, 23, 25, 26, 700, 701, 1042, 1043,
            1082, 1083, 1114, 1184, 1186, 1700, 2950);

    private final Tokens tokens;
    private final Catalog catalog;
    private final Spans spans;
    private final Binding current;
    private final Aggregates aggregates;

    /** A select-list or hidden output: a key expression or an aggregate. */
    private static final class Out {
        final SqlNode item;      // the select item (with alias) for visible outputs, else null
        final SqlNode value;     // the expression
        final Aggregates.Call call;
        final String name;
        int shardColumn = -1;

        Out(SqlNode item, SqlNode value, Aggregates.Call call, String name) {
            this.item = item;
            this.value = value;
            this.call = call;
            this.name = name;
        }
    }

    GroupAnalyzer(Tokens tokens, Catalog catalog, Spans spans, Binding current, Aggregates aggregates) {
        this.tokens = tokens;
        this.catalog = catalog;
        this.spans = spans;
        this.current = current;
        this.aggregates = aggregates;
    }

    FanOut analyze(SqlSelect s, SqlNodeList orderList, int limitSlot, int offsetSlot, int lockingAt,
                   boolean distinctSelect, List<String> tableColumns) {
        SqlNodeList items = s.getSelectList();
        List<SqlNode> values = new ArrayList<>();
        for (SqlNode item : items) {
            values.add(item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item);
            if (item instanceof SqlIdentifier && ((SqlIdentifier) item).isStar()) {
                throw ReadAnalyzer.refuse("SELECT * with GROUP BY, DISTINCT or aggregates across shards is not supported;"
                        + " name the columns");
            }
        }
        List<SqlNode> groups = groups(s, items, values, distinctSelect, tableColumns);

        List<Out> visible = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SqlNode item = items.get(i);
            SqlNode value = values.get(i);
            Aggregates.Call call = Aggregates.read(value);
            if (call == null && aggregates.contains(value)) {
                throw ReadAnalyzer.refuse("select item " + spans.text(item) + " computes over aggregates;"
                        + " across shards only plain aggregates and group keys can be selected yet");
            }
            if (call == null && containsKind(value, SqlKind.OVER)) {
                throw ReadAnalyzer.refuse("window functions over grouped rows across shards are not supported yet");
            }
            if (call != null && aggregates.contains(new SqlNodeList(call.args(), call.call().getParserPosition()))) {
                throw ReadAnalyzer.refuse("nested aggregates are not allowed");
            }
            visible.add(new Out(item, value, call, outputName(item, call)));
        }
        List<Out> hidden = new ArrayList<>();
        GroupMerge.Condition having = s.getHaving() == null ? null : condition(s.getHaving(), visible, hidden, groups);
        List<SortKey> order = new ArrayList<>();
        if (orderList != null) {
            for (SqlNode o : orderList) {
                order.add(sortKey(o, visible, hidden, groups));
            }
        }
        List<Out> outputs = new ArrayList<>(visible);
        outputs.addAll(hidden);
        SqlNode distinctArg = distinctArgument(outputs);

        // Types: group keys, the DISTINCT argument, aggregate arguments and their ORDER BY keys.
        List<SqlNode> described = new ArrayList<>(groups);
        if (distinctArg != null) {
            described.add(distinctArg);
        }
        for (Out o : outputs) {
            if (o.call != null && !o.call.isCountStar()) {
                described.add(o.call.args().get(0));
                if (o.call.order() != null) {
                    described.add(orderKey(o.call).expression());
                }
            }
        }
        int fromKeyword = spans.last(items) + 1;
        if (!tokens.isWord(fromKeyword, "from")) {
            throw ReadAnalyzer.refuse("this SELECT form across shards is not supported");
        }
        int whereEnd = whereEnd(fromKeyword, lockingAt);
        List<Integer> types = describe(described, fromKeyword, whereEnd);

        // The shard SQL: SELECT columns FROM ... WHERE ... GROUP BY keys ORDER BY keys.
        List<List<Rewrite.Piece>> columns = new ArrayList<>();
        for (Out o : visible) {
            if (o.call == null) {
                o.shardColumn = add(columns, copy(o.item));
            }
        }
        List<SortKey> keys = new ArrayList<>();
        List<Rewrite.Piece> groupBy = new ArrayList<>();
        List<Rewrite.Piece> orderBy = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            SqlNode group = groups.get(g);
            int type = types.get(g);
            if (!GROUPABLE.contains(type)) {
                throw ReadAnalyzer.refuse("GROUP BY on a value of type OID " + type + " across shards is not supported yet");
            }
            int column = -1;
            for (Out o : visible) {
                if (o.call == null && o.value.equalsDeep(group, Litmus.IGNORE)) {
                    column = o.shardColumn;
                    break;
                }
            }
            if (column < 0) {
                column = add(columns, parens(group));
            }
            keys.add(new SortKey(column, false, false));
            separate(groupBy);
            groupBy.addAll(parens(group));
            separate(orderBy);
            orderBy.addAll(parens(group));
            if (TEXT.contains(type)) {
                orderBy.add(new Rewrite.Text(" COLLATE \"C\""));
            }
        }
        int distinctColumn = -1;
        if (distinctArg != null) {
            int type = types.get(groups.size());
            if (!GROUPABLE.contains(type)) {
                throw ReadAnalyzer.refuse("DISTINCT aggregates over type OID " + type + " across shards are not supported yet");
            }
            separate(groupBy);
            groupBy.addAll(parens(distinctArg));
            separate(orderBy);
            orderBy.addAll(parens(distinctArg));
            if (TEXT.contains(type)) {
                orderBy.add(new Rewrite.Text(" COLLATE \"C\""));
            }
        }
        int typeIndex = groups.size() + (distinctArg == null ? 0 : 1);
        List<GroupMerge.Output> merged = new ArrayList<>();
        for (Out o : outputs) {
            if (o.call == null) {
                if (o.shardColumn < 0) {
                    o.shardColumn = add(columns, parens(o.value));
                }
                merged.add(new GroupMerge.KeyOut(o.shardColumn));
                continue;
            }
            int argType = o.call.isCountStar() ? 0 : types.get(typeIndex++);
            int keyType = o.call.order() != null ? types.get(typeIndex++) : 0;
            merged.add(partials(o, argType, keyType, columns));
            if (o.call.distinct() && distinctColumn < 0) {
                distinctColumn = ((GroupMerge.AggregateOut) merged.get(merged.size() - 1)).column();
            }
        }

        List<Rewrite.Piece> select = new ArrayList<>();
        select.add(new Rewrite.Text("SELECT "));
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                select.add(new Rewrite.Text(", "));
            }
            select.addAll(columns.get(c));
        }
        Rewrite rewrite = new Rewrite().replace(0, fromKeyword, select.toArray(new Rewrite.Piece[0]));
        List<Rewrite.Piece> tail = new ArrayList<>();
        if (!groupBy.isEmpty()) {
            tail.add(new Rewrite.Text(" GROUP BY "));
            tail.addAll(groupBy);
            tail.add(new Rewrite.Text(" ORDER BY "));
            tail.addAll(orderBy);
        }
        if (whereEnd + 1 < tokens.size()) {
            // The whitespace before the replaced clauses stays; the new ones follow it.
            if (!tail.isEmpty()) {
                tail.set(0, new Rewrite.Text("GROUP BY "));
            } else {
                tail.add(new Rewrite.Text(""));
            }
            rewrite.replace(whereEnd + 1, tokens.size(), tail.toArray(new Rewrite.Piece[0]));
        } else if (!tail.isEmpty()) {
            rewrite.insertAfter(whereEnd, tail.toArray(new Rewrite.Piece[0]));
        }
        GroupMerge merge = new GroupMerge(keys, distinctColumn, merged, having, order, limitSlot, offsetSlot,
                hidden.size());
        return new FanOut(rewrite, merge);
    }

    /** The GROUP BY expressions, with positions and output aliases resolved to select items. */
    private List<SqlNode> groups(SqlSelect s, SqlNodeList items, List<SqlNode> values, boolean distinctSelect,
                                 List<String> tableColumns) {
        List<SqlNode> groups = new ArrayList<>();
        if (distinctSelect) {
            for (SqlNode v : values) {
                if (aggregates.contains(v)) {
                    throw ReadAnalyzer.refuse("SELECT DISTINCT with aggregates across shards is not supported yet");
                }
                groups.add(v);
            }
            return groups;
        }
        if (s.getGroup() == null) {
            return groups;
        }
        for (SqlNode g : s.getGroup()) {
            SqlKind k = g.getKind();
            if (k == SqlKind.ROLLUP || k == SqlKind.CUBE || k == SqlKind.GROUPING_SETS) {
                throw ReadAnalyzer.refuse("ROLLUP, CUBE and GROUPING SETS across shards are not supported yet");
            }
            if (g instanceof SqlNumericLiteral) {
                int p = ((SqlNumericLiteral) g).intValue(true);
                if (p < 1 || p > values.size()) {
                    throw new ShardProxyException(SqlState.SYNTAX_ERROR, "GROUP BY position " + p + " is not in select list");
                }
                groups.add(values.get(p - 1));
                continue;
            }
            if (g instanceof SqlIdentifier && ((SqlIdentifier) g).isSimple()
                    && (tableColumns == null || !tableColumns.contains(((SqlIdentifier) g).getSimple()))) {
                SqlNode aliased = aliased(((SqlIdentifier) g).getSimple(), items, values);
                if (aliased != null) {
                    groups.add(aliased);
                    continue;
                }
            }
            groups.add(g);
        }
        return groups;
    }

    private static SqlNode aliased(String name, SqlNodeList items, List<SqlNode> values) {
        for (int i = 0; i < items.size(); i++) {
            SqlNode item = items.get(i);
            if (item.getKind() == SqlKind.AS && ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple().equals(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** The one argument every DISTINCT aggregate shares, or null. */
    private SqlNode distinctArgument(List<Out> outputs) {
        SqlNode arg = null;
        for (Out o : outputs) {
            if (o.call == null || !o.call.distinct()) {
                continue;
            }
            AggregateFunction f = o.call.function();
            if (f != AggregateFunction.COUNT && f != AggregateFunction.SUM && f != AggregateFunction.AVG
                    && f != AggregateFunction.MIN && f != AggregateFunction.MAX) {
                throw ReadAnalyzer.refuse(o.call.name() + "(DISTINCT ...) across shards is not supported yet");
            }
            if (o.call.filter() != null || o.call.order() != null || o.call.args().size() != 1) {
                throw ReadAnalyzer.refuse("DISTINCT aggregates with FILTER or ORDER BY across shards are not supported yet");
            }
            SqlNode a = o.call.args().get(0);
            if (arg == null) {
                arg = a;
            } else if (!arg.equalsDeep(a, Litmus.IGNORE)) {
                throw ReadAnalyzer.refuse("DISTINCT aggregates over different arguments across shards are not supported yet");
            }
        }
        return arg;
    }

    /** The partial aggregates the shards compute for one aggregate, and how the merge reads them. */
    private GroupMerge.AggregateOut partials(Out o, int argType, int keyType, List<List<Rewrite.Piece>> columns) {
        Aggregates.Call c = o.call;
        String name = quote(o.name);
        if (c.distinct()) {
            List<Rewrite.Piece> value = parens(c.args().get(0));
            value.add(new Rewrite.Text(" AS " + name));
            int col = add(columns, value);
            return new GroupMerge.AggregateOut(c.function(), col, true, -1, null);
        }
        List<Rewrite.Piece> filter = filter(c.filter(), null);
        AggregateFunction f = c.function();
        int first;
        switch (f) {
            case COUNT:
                first = add(columns, c.isCountStar() ? pieces(text("count(*)"), filter, name)
                        : pieces(call("count", arg(c, 0)), filter, name));
                break;
            case SUM:
            case MIN:
            case MAX:
            case BOOL_AND:
            case BOOL_OR:
                first = add(columns, pieces(call(c.name(), arg(c, 0)), filter, name));
                break;
            case AVG: {
                List<Rewrite.Piece> a = arg(c, 0);
                if (argType == 700) {
                    a = cast(a, "float8");
                } else if (!EXACT.contains(argType) && argType != 701) {
                    throw ReadAnalyzer.refuse("avg() of type OID " + argType + " across shards is not supported yet");
                }
                first = add(columns, pieces(call("sum", a), filter, name));
                add(columns, pieces(call("count", arg(c, 0)), filter, null));
                break;
            }
            case VAR_POP:
            case VAR_SAMP:
            case STDDEV_POP:
            case STDDEV_SAMP: {
                first = add(columns, pieces(call("count", arg(c, 0)), filter, name));
                if (EXACT.contains(argType)) {
                    add(columns, pieces(call("sum", arg(c, 0)), filter, null));
                    List<Rewrite.Piece> square = cast(arg(c, 0), "numeric");
                    square.add(text(" * "));
                    square.addAll(cast(arg(c, 0), "numeric"));
                    add(columns, pieces(call("sum", square), filter, null));
                } else if (FLOAT.contains(argType)) {
                    add(columns, pieces(call("sum", cast(arg(c, 0), "float8")), filter, null));
                    List<Rewrite.Piece> both = cast(arg(c, 0), "float8");
                    both.add(text(", "));
                    both.addAll(cast(arg(c, 0), "float8"));
                    add(columns, pieces(call("regr_sxx", both), filter, null));
                } else {
                    throw ReadAnalyzer.refuse(c.name() + "() of type OID " + argType + " across shards is not supported");
                }
                break;
            }
            case STRING_AGG:
            case ARRAY_AGG:
                return orderedOrNot(o, f, name, filter, columns);
            default: {
                // corr, covar_*, regr_*: (Y, X) -> N, Sx, Sy, Sxx, Syy, Sxy.
                List<Rewrite.Piece> yx = arg(c, 0);
                yx.add(text(", "));
                yx.addAll(arg(c, 1));
                first = add(columns, pieces(call("regr_count", yx), filter, name));
                List<Rewrite.Piece> both = new ArrayList<>();
                both.addAll(arg(c, 0));
                both.add(text(" IS NOT NULL AND "));
                both.addAll(arg(c, 1));
                both.add(text(" IS NOT NULL"));
                List<Rewrite.Piece> bothFilter = filter(c.filter(), both);
                add(columns, pieces(call("sum", cast(arg(c, 1), "float8")), bothFilter, null));
                add(columns, pieces(call("sum", cast(arg(c, 0), "float8")), bothFilter, null));
                add(columns, pieces(call("regr_sxx", yx), filter, null));
                add(columns, pieces(call("regr_syy", yx), filter, null));
                add(columns, pieces(call("regr_sxy", yx), filter, null));
            }
        }
        return new GroupMerge.AggregateOut(f, first, false, -1, null);
    }

    private GroupMerge.AggregateOut orderedOrNot(Out o, AggregateFunction f, String name, List<Rewrite.Piece> filter,
                                                 List<List<Rewrite.Piece>> columns) {
        Aggregates.Call c = o.call;
        int delimiterSlot = -1;
        if (f == AggregateFunction.STRING_AGG) {
            SqlNode d = c.args().size() > 1 ? c.args().get(1) : null;
            if (d instanceof SqlDynamicParam) {
                delimiterSlot = ((SqlDynamicParam) d).getIndex();
            } else if (d instanceof SqlLiteral && ((SqlLiteral) d).getValue() == null) {
                delimiterSlot = -2;
            } else {
                throw ReadAnalyzer.refuse("string_agg() across shards needs a constant delimiter");
            }
        }
        if (c.order() == null) {
            List<Rewrite.Piece> args = arg(c, 0);
            if (f == AggregateFunction.STRING_AGG) {
                args.add(text(", "));
                args.addAll(copy(c.args().get(1)));
            }
            int col = add(columns, pieces(call(c.name(), args), filter, name));
            return new GroupMerge.AggregateOut(f, col, false, delimiterSlot, null);
        }
        OrderItem key = orderKey(c);
        List<Rewrite.Piece> values = arg(c, 0);
        values.add(text(" "));
        values.addAll(copy(c.order()));
        int col = add(columns, pieces(call("array_agg", values), filter, name));
        List<Rewrite.Piece> keys = parens(key.expression());
        keys.add(text(" "));
        keys.addAll(copy(c.order()));
        add(columns, pieces(call("array_agg", keys), filter, null));
        return new GroupMerge.AggregateOut(f, col, false, delimiterSlot,
                new SortKey(col + 1, key.descending(), key.nullsFirst()));
    }

    /** The single ORDER BY key inside an ordered aggregate. */
    private static OrderItem orderKey(Aggregates.Call c) {
        if (c.order().size() != 1) {
            throw ReadAnalyzer.refuse(c.name() + "() ordered by several keys across shards is not supported yet");
        }
        return OrderItem.of(c.order().get(0));
    }

    /** HAVING as a condition over output columns; aggregates and keys not selected become hidden outputs. */
    private GroupMerge.Condition condition(SqlNode node, List<Out> visible, List<Out> hidden, List<SqlNode> groups) {
        switch (node.getKind()) {
            case AND:
            case OR: {
                List<GroupMerge.Condition> parts = new ArrayList<>();
                for (SqlNode op : ((SqlCall) node).getOperandList()) {
                    parts.add(condition(op, visible, hidden, groups));
                }
                return node.getKind() == SqlKind.AND ? new GroupMerge.And(parts) : new GroupMerge.Or(parts);
            }
            case NOT:
                return new GroupMerge.Not(condition(((SqlCall) node).operand(0), visible, hidden, groups));
            case IS_NULL:
            case IS_NOT_NULL:
                return new GroupMerge.IsNull(operand(((SqlCall) node).operand(0), visible, hidden, groups),
                        node.getKind() == SqlKind.IS_NOT_NULL);
            case EQUALS:
            case NOT_EQUALS:
            case LESS_THAN:
            case LESS_THAN_OR_EQUAL:
            case GREATER_THAN:
            case GREATER_THAN_OR_EQUAL: {
                SqlCall c = (SqlCall) node;
                return new GroupMerge.Compare(op(node.getKind()), operand(c.operand(0), visible, hidden, groups),
                        operand(c.operand(1), visible, hidden, groups));
            }
            default:
                throw ReadAnalyzer.refuse("HAVING " + spans.text(node) + " cannot be evaluated across shards yet;"
                        + " comparisons of aggregates and group keys with constants can");
        }
    }

    private static MergePlan.CompareOp op(SqlKind k) {
        switch (k) {
            case EQUALS: return MergePlan.CompareOp.EQ;
            case NOT_EQUALS: return MergePlan.CompareOp.NE;
            case LESS_THAN: return MergePlan.CompareOp.LT;
            case LESS_THAN_OR_EQUAL: return MergePlan.CompareOp.LE;
            case GREATER_THAN: return MergePlan.CompareOp.GT;
            default: return MergePlan.CompareOp.GE;
        }
    }

    private GroupMerge.Operand operand(SqlNode node, List<Out> visible, List<Out> hidden, List<SqlNode> groups) {
        SqlNode n = node;
        if (n.getKind() == SqlKind.CAST) {
            n = ((SqlCall) n).operand(0);
        }
        if (n instanceof SqlDynamicParam) {
            return GroupMerge.Operand.slot(((SqlDynamicParam) n).getIndex(), false);
        }
        if (n.getKind() == SqlKind.MINUS_PREFIX && ((SqlCall) n).operand(0) instanceof SqlDynamicParam) {
            return GroupMerge.Operand.slot(((SqlDynamicParam) ((SqlCall) n).operand(0)).getIndex(), true);
        }
        if (n instanceof SqlLiteral) {
            Object v = ((SqlLiteral) n).getValue();
            if (v == null) {
                return GroupMerge.Operand.fixed(null);
            }
            if (v instanceof Boolean) {
                return GroupMerge.Operand.fixed((Boolean) v ? "t" : "f");
            }
        }
        return GroupMerge.Operand.column(output(node, visible, hidden, groups));
    }

    /** The output column an expression names: a selected one, or a new hidden aggregate or key. */
    private int output(SqlNode node, List<Out> visible, List<Out> hidden, List<SqlNode> groups) {
        for (int i = 0; i < visible.size(); i++) {
            if (visible.get(i).value.equalsDeep(node, Litmus.IGNORE)) {
                return i;
            }
        }
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i).value.equalsDeep(node, Litmus.IGNORE)) {
                return visible.size() + i;
            }
        }
        Aggregates.Call call = Aggregates.read(node);
        boolean isGroup = groups.stream().anyMatch(g -> g.equalsDeep(node, Litmus.IGNORE));
        if (call == null && !isGroup) {
            throw ReadAnalyzer.refuse(spans.text(node) + " is neither a group key nor an aggregate the proxy can combine");
        }
        hidden.add(new Out(null, node, call, call == null ? "?key" : "?" + call.name()));
        return visible.size() + hidden.size() - 1;
    }

    private SortKey sortKey(SqlNode item, List<Out> visible, List<Out> hidden, List<SqlNode> groups) {
        OrderItem o = OrderItem.of(item);
        SqlNode e = o.expression();
        boolean desc = o.descending();
        boolean nf = o.nullsFirst();
        if (e instanceof SqlNumericLiteral) {
            int p = ((SqlNumericLiteral) e).intValue(true);
            if (p < 1 || p > visible.size()) {
                throw new ShardProxyException(SqlState.SYNTAX_ERROR, "ORDER BY position " + p + " is not in select list");
            }
            return new SortKey(p - 1, desc, nf);
        }
        if (e instanceof SqlIdentifier && ((SqlIdentifier) e).isSimple()) {
            String name = ((SqlIdentifier) e).getSimple();
            for (int i = 0; i < visible.size(); i++) {
                if (name.equals(visible.get(i).name)) {
                    return new SortKey(i, desc, nf);
                }
            }
        }
        for (int i = spans.first(item); i <= spans.last(item); i++) {
            if (tokens.isWord(i, "collate")) {
                throw ReadAnalyzer.refuse("ORDER BY with COLLATE across shards is not supported yet");
            }
        }
        return new SortKey(output(e, visible, hidden, groups), desc, nf);
    }

    /** The last token of the FROM and WHERE clauses. */
    private int whereEnd(int fromKeyword, int lockingAt) {
        int depth = 0;
        for (int i = fromKeyword + 1; i < tokens.size(); i++) {
            if (i == lockingAt) {
                return i - 1;
            }
            if (tokens.isSymbol(i, "(") || tokens.isSymbol(i, "[")) {
                depth++;
            } else if (tokens.isSymbol(i, ")") || tokens.isSymbol(i, "]")) {
                depth--;
            } else if (depth == 0 && (tokens.isWord(i, "group") || tokens.isWord(i, "having")
                    || tokens.isWord(i, "window") || tokens.isWord(i, "order") || tokens.isWord(i, "limit")
                    || tokens.isWord(i, "offset") || tokens.isWord(i, "fetch"))) {
                return i - 1;
            }
        }
        return tokens.size() - 1;
    }

    /** Asks a shard for the types of {@code expressions} over this statement's FROM and WHERE. */
    private List<Integer> describe(List<SqlNode> expressions, int fromKeyword, int whereEnd) {
        if (expressions.isEmpty()) {
            return List.of();
        }
        List<Rewrite.Piece> select = new ArrayList<>();
        select.add(text("SELECT "));
        for (int i = 0; i < expressions.size(); i++) {
            if (i > 0) {
                select.add(text(", "));
            }
            select.addAll(parens(expressions.get(i)));
        }
        Rewrite r = new Rewrite().replace(0, fromKeyword, select.toArray(new Rewrite.Piece[0]));
        if (whereEnd + 1 < tokens.size()) {
            r.replace(whereEnd + 1, tokens.size(), text(""));
        }
        try {
            return catalog.describe(r.apply(current));
        } catch (RuntimeException e) {
            throw new DescribeFailed(e);
        }
    }

    /** A shard could not describe the statement's expressions: its error is the statement's error. */
    static final class DescribeFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DescribeFailed(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static String outputName(SqlNode item, Aggregates.Call call) {
        if (item.getKind() == SqlKind.AS) {
            return ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
        }
        if (call != null) {
            return call.name();
        }
        if (item instanceof SqlIdentifier) {
            List<String> names = ((SqlIdentifier) item).names;
            return names.get(names.size() - 1);
        }
        return null;
    }

    private static boolean containsKind(SqlNode node, SqlKind kind) {
        if (node == null) {
            return false;
        }
        if (node.getKind() == kind) {
            return true;
        }
        if (node instanceof SqlCall) {
            for (SqlNode op : ((SqlCall) node).getOperandList()) {
                if (containsKind(op, kind)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- SQL pieces ---------------------------------------------------------------------------

    private List<Rewrite.Piece> copy(SqlNode node) {
        List<Rewrite.Piece> p = new ArrayList<>();
        p.add(new Rewrite.Copy(spans.first(node), spans.last(node)));
        return p;
    }

    private List<Rewrite.Piece> parens(SqlNode node) {
        List<Rewrite.Piece> p = new ArrayList<>();
        p.add(text("("));
        p.addAll(copy(node));
        p.add(text(")"));
        return p;
    }

    private List<Rewrite.Piece> arg(Aggregates.Call c, int i) {
        if (i >= c.args().size()) {
            throw ReadAnalyzer.refuse(c.name() + "() needs " + (i + 1) + " arguments");
        }
        return parens(c.args().get(i));
    }

    private List<Rewrite.Piece> filter(SqlNode condition, List<Rewrite.Piece> extra) {
        List<Rewrite.Piece> p = new ArrayList<>();
        if (condition == null && extra == null) {
            return p;
        }
        p.add(text(" FILTER (WHERE "));
        if (extra != null) {
            p.addAll(extra);
        }
        if (condition != null) {
            if (extra != null) {
                p.add(text(" AND "));
            }
            p.addAll(parens(condition));
        }
        p.add(text(")"));
        return p;
    }

    private static List<Rewrite.Piece> cast(List<Rewrite.Piece> expression, String type) {
        List<Rewrite.Piece> p = new ArrayList<>();
        p.add(text("("));
        p.addAll(expression);
        p.add(text(")::" + type));
        return p;
    }

    private static List<Rewrite.Piece> call(String function, List<Rewrite.Piece> args) {
        List<Rewrite.Piece> p = new ArrayList<>();
        p.add(text(function + "("));
        p.addAll(args);
        p.add(text(")"));
        return p;
    }

    private static List<Rewrite.Piece> pieces(Rewrite.Piece head, List<Rewrite.Piece> filter, String alias) {
        return pieces(new ArrayList<>(List.of(head)), filter, alias);
    }

    /** An aggregate call, its FILTER, and the output alias when it is the first partial. */
    private static List<Rewrite.Piece> pieces(List<Rewrite.Piece> head, List<Rewrite.Piece> filter, String alias) {
        List<Rewrite.Piece> p = new ArrayList<>(head);
        p.addAll(filter);
        if (alias != null) {
            p.add(text(" AS " + alias));
        }
        return p;
    }

    private static Rewrite.Text text(String s) {
        return new Rewrite.Text(s);
    }

    private static void separate(List<Rewrite.Piece> list) {
        if (!list.isEmpty()) {
            list.add(text(", "));
        }
    }

    private static int add(List<List<Rewrite.Piece>> columns, List<Rewrite.Piece> column) {
        columns.add(column);
        return columns.size() - 1;
    }

    private static String quote(String name) {
        return "\"" + (name == null ? "?column?" : name).replace("\"", "\"\"") + "\"";
    }
}
