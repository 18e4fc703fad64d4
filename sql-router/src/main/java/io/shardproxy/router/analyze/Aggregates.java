package io.shardproxy.router.analyze;

import io.shardproxy.merge.MergePlan;
import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.router.Catalog;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Aggregates in a fan-out's select list: finding them (built-in or user-defined, as the catalog
 * says) and turning each into per-shard partials the merge combines, with the SQL rewrite that
 * asks the shards for them ({@code avg(x)} becomes {@code sum(x) AS "avg", count(x)}).
 */
final class Aggregates {
    private static final Map<String, AggregateFunction> COMBINABLE = Map.of(
            "count", AggregateFunction.COUNT, "sum", AggregateFunction.SUM, "min", AggregateFunction.MIN,
            "max", AggregateFunction.MAX, "avg", AggregateFunction.AVG);

    private final Catalog catalog;
    private final Spans spans;

    Aggregates(Catalog catalog, Spans spans) {
        this.catalog = catalog;
        this.spans = spans;
    }

    List<MergePlan.AggregateColumn> columns(SqlNodeList selectList, Rewrite rewrite) {
        List<MergePlan.AggregateColumn> columns = new ArrayList<>();
        int shardColumn = 0;
        for (SqlNode item : selectList) {
            SqlNode value = item;
            String alias = null;
            if (item.getKind() == SqlKind.AS) {
                value = ((SqlCall) item).operand(0);
                alias = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
            }
            SqlNode call = value.getKind() == SqlKind.FILTER ? ((SqlCall) value).operand(0) : value;
            String name = functionName(call);
            AggregateFunction fn = name == null ? null : COMBINABLE.get(name);
            if (fn == null) {
                throw ReadAnalyzer.refuse("select item " + spans.text(item) + " cannot be combined across shards yet;"
                        + " only count, sum, min, max and avg can be");
            }
            SqlBasicCall agg = (SqlBasicCall) call;
            if (agg.getFunctionQuantifier() != null
                    && agg.getFunctionQuantifier().getValue() == SqlSelectKeyword.DISTINCT) {
                throw ReadAnalyzer.refuse(name + "(DISTINCT ...) across shards is not supported yet");
            }
            columns.add(new MergePlan.AggregateColumn(fn, shardColumn));
            shardColumn++;
            if (fn == AggregateFunction.AVG) {
                int nameToken = spans.first(call);
                int callEnd = spans.last(value);
                int itemEnd = spans.last(item);
                rewrite.replace(nameToken, nameToken + 1, new Rewrite.Text("sum"));
                List<Rewrite.Piece> tail = new ArrayList<>();
                if (alias == null) {
                    tail.add(new Rewrite.Text(" AS \"avg\""));
                }
                tail.add(new Rewrite.Text(", count"));
                tail.add(new Rewrite.Copy(nameToken + 1, callEnd));
                rewrite.insertAfter(itemEnd, tail.toArray(new Rewrite.Piece[0]));
                shardColumn++;
            }
        }
        return columns;
    }

    boolean contains(SqlNode node) {
        if (node == null || node instanceof SqlSelect || node instanceof SqlOrderBy) {
            return false;
        }
        if (node instanceof SqlNodeList) {
            for (SqlNode c : (SqlNodeList) node) {
                if (contains(c)) {
                    return true;
                }
            }
            return false;
        }
        if (node instanceof SqlCall) {
            if (node.getKind() == SqlKind.OVER) {
                return false;
            }
            String name = functionName(node);
            if (name != null && (COMBINABLE.containsKey(name) || catalog.isAggregate(name))) {
                return true;
            }
            for (SqlNode op : ((SqlCall) node).getOperandList()) {
                if (contains(op)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Lower-case name of a function call, or null for operators and non-calls. */
    static String functionName(SqlNode node) {
        if (!(node instanceof SqlBasicCall)) {
            return null;
        }
        SqlBasicCall c = (SqlBasicCall) node;
        if (!(c.getOperator() instanceof org.apache.calcite.sql.SqlFunction)) {
            return null;
        }
        return c.getOperator().getName().toLowerCase(Locale.ROOT);
    }
}
