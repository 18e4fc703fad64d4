package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shape.Shape;
import io.shardproxy.router.shard.ShardMap;
import io.shardproxy.router.shard.ShardingRule;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUpdate;

import java.util.ArrayList;
import java.util.List;

/** Builds the templates of INSERT, UPDATE and DELETE. */
final class WriteAnalyzer {

    private WriteAnalyzer() {
    }

    static Template analyze(SqlNode statement, Shape shape, ShardMap shards, Catalog catalog) {
        List<TableRef> refs = Relations.of(statement, shards).refs();
        TableRef targetRef = refs.stream().filter(TableRef::outermost).findFirst().orElse(refs.get(0));
        ShardMap.Relation target = targetRef.relation();
        Tokens tokens = shape.tokens();
        if (target.kind() == ShardMap.Kind.REFERENCE) {
            String v = Volatile.find(tokens);
            if (v != null) {
                return new Refusal(ShardProxyException.unsupported("write to reference table " + target.name()
                                + " calls " + v + ", which would give each shard's copy a different value",
                        "compute the value in the client and send it as a literal"));
            }
        }
        if (statement.getKind() == SqlKind.INSERT) {
            SqlInsert insert = (SqlInsert) statement;
            if (target.kind() != ShardMap.Kind.SHARDED) {
                return new WriteTemplate(refs, target, null);
            }
            return insertIntoSharded(insert, target.rule(), refs, targetRef, shape, catalog);
        }
        if (statement.getKind() == SqlKind.UPDATE && target.kind() == ShardMap.Kind.SHARDED) {
            SqlNodeList columns = ((SqlUpdate) statement).getTargetColumnList();
            for (SqlNode c : columns) {
                // "SET col.field = ..." assigns a field of a composite column: the column is the first name.
                if (((SqlIdentifier) c).names.get(0).equals(target.rule().keyColumn())) {
                    return keyUpdate((SqlUpdate) statement, target, refs, shape);
                }
            }
        }
        return new WriteTemplate(refs, target, null);
    }

    /** An UPDATE that assigns the shard key: rows move between shards (see {@link KeyUpdateTemplate}). */
    private static Template keyUpdate(SqlUpdate update, ShardMap.Relation target, List<TableRef> refs, Shape shape) {
        if (shape.returningAt() >= 0) {
            return new Refusal(KeyUpdateTemplate.refusal("with RETURNING is not supported"));
        }
        Spans spans = new Spans(shape);
        Tokens tokens = shape.tokens();
        SqlNodeList columns = update.getTargetColumnList();
        SqlNodeList exprs = update.getSourceExpressionList();
        List<String> names = new ArrayList<>();
        int[] first = new int[exprs.size()];
        int[] last = new int[exprs.size()];
        for (int i = 0; i < columns.size(); i++) {
            SqlIdentifier c = (SqlIdentifier) columns.get(i);
            if (c.names.size() != 1) {
                return new Refusal(KeyUpdateTemplate.refusal("together with a field of a composite column"));
            }
            if (exprs.get(i).getKind() == SqlKind.DEFAULT) {
                return new Refusal(KeyUpdateTemplate.refusal("together with SET ... = DEFAULT"));
            }
            names.add(c.names.get(0));
            first[i] = spans.first(exprs.get(i));
            last[i] = spans.last(exprs.get(i));
        }
        SqlNode table = update.getTargetTable();
        int tableFirst = spans.first(table);
        int tableLast = spans.last(table);
        String alias = null;
        if (update.getAlias() != null) {
            int a = spans.last(update.getAlias());
            alias = tokens.span(a, a);
        }
        int whereFirst = -1;
        int whereLast = -1;
        if (update.getCondition() != null) {
            whereFirst = spans.first(update.getCondition());
            whereLast = spans.last(update.getCondition());
        }
        return new KeyUpdateTemplate(refs, target, tableFirst, tableLast, alias, names, first, last, whereFirst,
                whereLast);
    }

    private static Template insertIntoSharded(SqlInsert insert, ShardingRule rule, List<TableRef> refs,
                                              TableRef targetRef, Shape shape, Catalog catalog) {
        Tokens tokens = shape.tokens();
        String table = rule.table();
        SqlNode source = insert.getSource();
        if (source.getKind() != SqlKind.VALUES) {
            return new Refusal(ShardProxyException.unsupported(
                    "INSERT into sharded table " + table + " from a query is not supported yet",
                    "insert VALUES rows, one statement or a multi-row VALUES list"));
        }
        for (TableRef ref : refs) {
            // Each row runs on its key's shard: a subquery there sees only that shard's rows.
            if (ref != targetRef && ref.relation().kind() != ShardMap.Kind.REFERENCE) {
                return new Refusal(ShardProxyException.unsupported(
                        "INSERT into sharded table " + table + " reads " + ref.relation().name()
                                + ", whose rows are not all on the shard each row goes to",
                        "compute the values in the client, or read only reference tables"));
            }
        }
        int keyIndex = keyIndex(insert.getTargetColumnList(), rule, catalog);
        if (keyIndex == -1) {
            return new Refusal(ShardProxyException.unsupported(
                    "INSERT into sharded table " + table + " must give the shard key column " + rule.keyColumn(),
                    "list " + rule.keyColumn() + " in the column list with a value for every row"));
        }
        if (keyIndex == -2) {
            return new Refusal(ShardProxyException.unsupported(
                    "cannot find the shard key's position in INSERT into " + table + " without a column list",
                    "name the columns: INSERT INTO " + table + " (" + rule.keyColumn() + ", ...) VALUES ..."));
        }
        if (shape.onConflictAt() >= 0 && onConflictSetsKey(tokens, shape.onConflictAt(), rule.keyColumn())) {
            return new Refusal(ShardProxyException.unsupported(
                    "ON CONFLICT DO UPDATE may not change shard key column " + rule.keyColumn(),
                    "leave the shard key out of the SET list"));
        }
        List<SqlNode> rows = ((SqlCall) source).getOperandList();
        int[][] spans = valuesRows(tokens);
        if (spans == null || spans[0].length != rows.size()) {
            return new Refusal(ShardProxyException.unsupported(
                    "cannot split this INSERT's VALUES list by shard", "use a plain VALUES (...), (...) list"));
        }
        List<KeyCondition.Value> keys = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            SqlNode row = rows.get(r);
            List<SqlNode> values = row.getKind() == SqlKind.ROW ? ((SqlCall) row).getOperandList() : List.of(row);
            if (keyIndex >= values.size()) {
                // PostgreSQL's own error (more target columns than expressions) from the default shard.
                return new WriteTemplate(List.of(), new ShardMap.Relation(ShardMap.Kind.LOCAL, table, null), null);
            }
            SqlNode v = values.get(keyIndex);
            KeyCondition.Value value = KeyConditions.value(v);
            if (value == null) {
                String what = v.getKind() == SqlKind.DEFAULT ? "DEFAULT" : "an expression";
                return new Refusal(ShardProxyException.unsupported(
                        "INSERT into sharded table " + table + " gives " + what + " for shard key "
                                + rule.keyColumn() + "; the proxy needs the key's value to place the row",
                        "give the shard key as a literal or parameter"));
            }
            keys.add(value);
        }
        return new InsertTemplate(rule, spans[0], spans[1], keys);
    }

    /** Index of the key in the INSERT's columns; -1 when not listed, -2 when unknowable. */
    private static int keyIndex(SqlNodeList columns, ShardingRule rule, Catalog catalog) {
        List<String> names;
        if (columns == null || columns.isEmpty()) {
            names = catalog.columns(rule.table());
            if (names == null) {
                return -2;
            }
        } else {
            names = new ArrayList<>();
            for (SqlNode c : columns) {
                names.add(((SqlIdentifier) c).names.get(0));
            }
        }
        return names.indexOf(rule.keyColumn());
    }

    /** The [open, close] token pairs of the top-level VALUES rows, or null. */
    private static int[][] valuesRows(Tokens t) {
        int depth = 0;
        int values = -1;
        for (int i = 0; i < t.size() && values < 0; i++) {
            if (t.isSymbol(i, "(")) {
                depth++;
            } else if (t.isSymbol(i, ")")) {
                depth--;
            } else if (depth == 0 && t.isWord(i, "values")) {
                values = i;
            }
        }
        if (values < 0) {
            return null;
        }
        List<int[]> rows = new ArrayList<>();
        int i = values + 1;
        while (i < t.size() && t.isSymbol(i, "(")) {
            int close = t.matching(i);
            if (close < 0) {
                return null;
            }
            rows.add(new int[] {i, close});
            i = close + 1;
            if (!t.isSymbol(i, ",")) {
                break;
            }
            i++;
        }
        int[][] out = new int[2][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            out[0][r] = rows.get(r)[0];
            out[1][r] = rows.get(r)[1];
        }
        return out;
    }

    /** True when ON CONFLICT ... DO UPDATE SET assigns the key column. */
    private static boolean onConflictSetsKey(Tokens t, int onConflict, String key) {
        int set = -1;
        for (int i = onConflict; i < t.size(); i++) {
            if (t.isWord(i, "set") && t.isWord(i - 1, "update") && t.isWord(i - 2, "do")) {
                set = i;
                break;
            }
        }
        if (set < 0) {
            return false;
        }
        int depth = 0;
        boolean itemStart = true;
        for (int i = set + 1; i < t.size(); i++) {
            if (depth == 0 && (t.isWord(i, "where") || t.isWord(i, "returning"))) {
                break;
            }
            if (itemStart) {
                if (key.equals(t.identifier(i))) {
                    return true;
                }
                if (t.isSymbol(i, "(")) {
                    int close = t.matching(i);
                    for (int k = i; k < close; k++) {
                        if (key.equals(t.identifier(k))) {
                            return true;
                        }
                    }
                }
                itemStart = false;
            }
            if (t.isSymbol(i, "(")) {
                depth++;
            } else if (t.isSymbol(i, ")")) {
                depth--;
            } else if (depth == 0 && t.isSymbol(i, ",")) {
                itemStart = true;
            }
        }
        return false;
    }
}
