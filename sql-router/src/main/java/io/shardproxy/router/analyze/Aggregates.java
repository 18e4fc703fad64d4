package io.shardproxy.router.analyze;

import io.shardproxy.merge.MergePlan.AggregateFunction;
import io.shardproxy.router.Catalog;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
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
 * Aggregate calls in a fan-out: finding them (built-in or user-defined, as the catalog says) and
 * reading each one the merge can combine from per-shard partials.
 */
final class Aggregates {
    static final Map<String, AggregateFunction> COMBINABLE = Map.ofEntries(
            Map.entry("count", AggregateFunction.COUNT), Map.entry("sum", AggregateFunction.SUM),
            Map.entry("min", AggregateFunction.MIN), Map.entry("max", AggregateFunction.MAX),
            Map.entry("avg", AggregateFunction.AVG),
            Map.entry("var_pop", AggregateFunction.VAR_POP), Map.entry("var_samp", AggregateFunction.VAR_SAMP),
            Map.entry("variance", AggregateFunction.VAR_SAMP), Map.entry("stddev_pop", AggregateFunction.STDDEV_POP),
            Map.entry("stddev_samp", AggregateFunction.STDDEV_SAMP), Map.entry("stddev", AggregateFunction.STDDEV_SAMP),
            Map.entry("bool_and", AggregateFunction.BOOL_AND), Map.entry("every", AggregateFunction.BOOL_AND),
            Map.entry("bool_or", AggregateFunction.BOOL_OR), Map.entry("string_agg", AggregateFunction.STRING_AGG),
            Map.entry("array_agg", AggregateFunction.ARRAY_AGG), Map.entry("corr", AggregateFunction.CORR),
            Map.entry("covar_pop", AggregateFunction.COVAR_POP), Map.entry("covar_samp", AggregateFunction.COVAR_SAMP),
            Map.entry("regr_avgx", AggregateFunction.REGR_AVGX), Map.entry("regr_avgy", AggregateFunction.REGR_AVGY),
            Map.entry("regr_count", AggregateFunction.REGR_COUNT),
            Map.entry("regr_intercept", AggregateFunction.REGR_INTERCEPT),
            Map.entry("regr_r2", AggregateFunction.REGR_R2), Map.entry("regr_slope", AggregateFunction.REGR_SLOPE),
            Map.entry("regr_sxx", AggregateFunction.REGR_SXX), Map.entry("regr_sxy", AggregateFunction.REGR_SXY),
            Map.entry("regr_syy", AggregateFunction.REGR_SYY));

    /**
     * One aggregate call.
     *
     * @param value    the call as written, FILTER included
     * @param call     the function call itself
     * @param name     the function's name, lower case (also PostgreSQL's name for the column)
     * @param function how its partials combine
     * @param distinct DISTINCT inside the call
     * @param filter   the FILTER condition, or null
     * @param order    the ORDER BY inside the call, or null
     * @param args     the arguments, without the ORDER BY
     */
    record Call(SqlNode value, SqlBasicCall call, String name, AggregateFunction function, boolean distinct,
                SqlNode filter, SqlNodeList order, List<SqlNode> args) {

        boolean isCountStar() {
            return function == AggregateFunction.COUNT && args.size() == 1
                    && args.get(0) instanceof org.apache.calcite.sql.SqlIdentifier
                    && ((org.apache.calcite.sql.SqlIdentifier) args.get(0)).isStar();
        }
    }

    private final Catalog catalog;

    Aggregates(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The aggregate call {@code value} (a select item without its alias) is, or null. */
    static Call read(SqlNode value) {
        SqlNode filter = null;
        SqlNode node = value;
        if (node.getKind() == SqlKind.FILTER) {
            filter = ((SqlCall) node).operand(1);
            node = ((SqlCall) node).operand(0);
        }
        String name = functionName(node);
        AggregateFunction fn = name == null ? null : COMBINABLE.get(name);
        if (fn == null) {
            return null;
        }
        SqlBasicCall call = (SqlBasicCall) node;
        boolean distinct = call.getFunctionQuantifier() != null
                && call.getFunctionQuantifier().getValue() == SqlSelectKeyword.DISTINCT;
        List<SqlNode> args = new ArrayList<>(call.getOperandList());
        SqlNodeList order = null;
        if (!args.isEmpty() && args.get(args.size() - 1) instanceof SqlNodeList) {
            order = (SqlNodeList) args.remove(args.size() - 1);
        }
        return new Call(value, call, name, fn, distinct, filter, order, args);
    }

    /** True when {@code node} contains an aggregate call outside subqueries and window functions. */
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
