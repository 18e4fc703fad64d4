package io.shardproxy.router.analyze;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

/**
 * One ORDER BY item without its decorations: the expression, DESC, and where NULLs go
 * (PostgreSQL's default: last when ascending, first when descending).
 */
record OrderItem(SqlNode expression, boolean descending, boolean nullsFirst) {

    static OrderItem of(SqlNode item) {
        SqlNode e = item;
        boolean desc = false;
        Boolean nullsFirst = null;
        while (true) {
            if (e.getKind() == SqlKind.NULLS_FIRST || e.getKind() == SqlKind.NULLS_LAST) {
                nullsFirst = e.getKind() == SqlKind.NULLS_FIRST;
                e = ((SqlCall) e).operand(0);
            } else if (e.getKind() == SqlKind.DESCENDING) {
                desc = true;
                e = ((SqlCall) e).operand(0);
            } else {
                break;
            }
        }
        return new OrderItem(e, desc, nullsFirst != null ? nullsFirst : desc);
    }
}
