package io.shardproxy.router.analyze;

import io.shardproxy.router.shard.ShardMap;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every relation a parsed statement references, in every scope (FROM lists, joins,
 * subqueries, CTE bodies, DML targets), together with what the WHERE clause of the reference's own
 * scope says about its shard key. CTE names are not relations.
 */
final class Relations {
    private final ShardMap shards;
    private final Set<String> cteNames = new HashSet<>();
    private final List<TableRef> refs = new ArrayList<>();
    private boolean hasWindow;

    private Relations(ShardMap shards) {
        this.shards = shards;
    }

    /** Every relation reference in {@code statement}. */
    static Relations of(SqlNode statement, ShardMap shards) {
        Relations r = new Relations(shards);
        r.statement(statement, true);
        return r;
    }

    List<TableRef> refs() {
        return refs;
    }

    /** True when any OVER clause appears anywhere. */
    boolean hasWindow() {
        return hasWindow;
    }

    private void statement(SqlNode node, boolean outermost) {
        if (node == null) {
            return;
        }
        switch (node.getKind()) {
            case SELECT:
                select((SqlSelect) node, outermost);
                break;
            case ORDER_BY: {
                SqlOrderBy o = (SqlOrderBy) node;
                statement(o.query, outermost);
                expression(o.orderList);
                expression(o.offset);
                expression(o.fetch);
                break;
            }
            case WITH: {
                SqlWith w = (SqlWith) node;
                for (SqlNode item : w.withList) {
                    cteNames.add(((SqlWithItem) item).name.getSimple());
                }
                for (SqlNode item : w.withList) {
                    statement(((SqlWithItem) item).query, false);
                }
                statement(w.body, outermost);
                break;
            }
            case EXPLICIT_TABLE: {
                // TABLE t is SELECT * FROM t.
                SqlNode table = ((SqlCall) node).operand(0);
                if (table instanceof SqlIdentifier) {
                    SqlIdentifier id = (SqlIdentifier) table;
                    if (!(id.names.size() == 1 && cteNames.contains(id.names.get(0)))) {
                        refs.add(ref(id, null, new KeyCondition.Any(), outermost));
                    }
                }
                break;
            }
            case INSERT: {
                SqlInsert ins = (SqlInsert) node;
                target(ins.getTargetTable(), null, new KeyCondition.Any(), outermost);
                statement(ins.getSource(), false);
                break;
            }
            case UPDATE: {
                SqlUpdate up = (SqlUpdate) node;
                String alias = up.getAlias() == null ? null : up.getAlias().getSimple();
                SqlIdentifier target = (SqlIdentifier) up.getTargetTable();
                TableRef probe = ref(target, alias, null, outermost);
                target(target, alias, KeyConditions.of(up.getCondition(), probe, true), outermost);
                expression(up.getSourceExpressionList());
                expression(up.getCondition());
                break;
            }
            case DELETE: {
                SqlDelete del = (SqlDelete) node;
                String alias = del.getAlias() == null ? null : del.getAlias().getSimple();
                SqlIdentifier target = (SqlIdentifier) del.getTargetTable();
                TableRef probe = ref(target, alias, null, outermost);
                target(target, alias, KeyConditions.of(del.getCondition(), probe, true), outermost);
                expression(del.getCondition());
                break;
            }
            default:
                if (node instanceof SqlCall && (node.getKind() == SqlKind.UNION || node.getKind() == SqlKind.INTERSECT
                        || node.getKind() == SqlKind.EXCEPT)) {
                    for (SqlNode op : ((SqlCall) node).getOperandList()) {
                        statement(op, false);
                    }
                } else {
                    expression(node);
                }
        }
    }

    private void target(SqlNode target, String alias, KeyCondition condition, boolean outermost) {
        if (target instanceof SqlIdentifier) {
            refs.add(ref((SqlIdentifier) target, alias, condition, outermost));
        }
    }

    private TableRef ref(SqlIdentifier id, String alias, KeyCondition condition, boolean outermost) {
        return new TableRef(shards.resolve(id.names), alias, condition, outermost);
    }

    private void select(SqlSelect s, boolean outermost) {
        List<TableRef> scope = new ArrayList<>();
        from(s.getFrom(), scope, outermost);
        for (TableRef ref : scope) {
            KeyCondition c = ref.isSharded()
                    ? KeyConditions.of(s.getWhere(), ref, scopeHasOneSharded(scope))
                    : new KeyCondition.Any();
            refs.add(new TableRef(ref.relation(), ref.alias(), c, ref.outermost()));
        }
        expression(s.getSelectList());
        expression(s.getWhere());
        expression(s.getGroup());
        expression(s.getHaving());
        expression(s.getWindowList());
        expression(s.getOrderList());
        expression(s.getOffset());
        expression(s.getFetch());
    }

    private static boolean scopeHasOneSharded(List<TableRef> scope) {
        return scope.stream().filter(TableRef::isSharded).count() == 1;
    }

    private void from(SqlNode node, List<TableRef> scope, boolean outermost) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlIdentifier) {
            SqlIdentifier id = (SqlIdentifier) node;
            if (!(id.names.size() == 1 && cteNames.contains(id.names.get(0)))) {
                scope.add(ref(id, null, null, outermost));
            }
            return;
        }
        if (node instanceof SqlJoin) {
            SqlJoin j = (SqlJoin) node;
            from(j.getLeft(), scope, outermost);
            from(j.getRight(), scope, outermost);
            expression(j.getCondition());
            return;
        }
        if (node.getKind() == SqlKind.AS) {
            SqlCall as = (SqlCall) node;
            SqlNode inner = as.operand(0);
            String alias = ((SqlIdentifier) as.operand(1)).getSimple();
            if (inner instanceof SqlIdentifier) {
                SqlIdentifier id = (SqlIdentifier) inner;
                if (!(id.names.size() == 1 && cteNames.contains(id.names.get(0)))) {
                    scope.add(ref(id, alias, null, outermost));
                }
                return;
            }
            from(inner, scope, outermost);
            return;
        }
        if (node.getKind() == SqlKind.LATERAL || node.getKind() == SqlKind.COLLECTION_TABLE) {
            for (SqlNode op : ((SqlCall) node).getOperandList()) {
                from(op, scope, outermost);
            }
            return;
        }
        if (node instanceof SqlSelect || node instanceof SqlOrderBy || node.getKind() == SqlKind.WITH
                || node.getKind() == SqlKind.UNION || node.getKind() == SqlKind.INTERSECT
                || node.getKind() == SqlKind.EXCEPT) {
            statement(node, false);
            return;
        }
        expression(node);
    }

    /** Walks an expression for subqueries and OVER clauses. */
    private void expression(SqlNode node) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlSelect || node instanceof SqlOrderBy || node.getKind() == SqlKind.WITH
                || node.getKind() == SqlKind.UNION || node.getKind() == SqlKind.INTERSECT
                || node.getKind() == SqlKind.EXCEPT || node.getKind() == SqlKind.EXPLICIT_TABLE) {
            statement(node, false);
            return;
        }
        if (node instanceof SqlNodeList) {
            for (SqlNode c : (SqlNodeList) node) {
                expression(c);
            }
            return;
        }
        if (node instanceof SqlCall) {
            if (node.getKind() == SqlKind.OVER) {
                hasWindow = true;
            }
            for (SqlNode op : ((SqlCall) node).getOperandList()) {
                expression(op);
            }
        }
    }

    static boolean isCall(SqlNode node, SqlKind kind) {
        return node instanceof SqlBasicCall && node.getKind() == kind;
    }
}
