package io.shardproxy.router.analyze;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlTypeNameSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads what a WHERE clause says about one table reference's shard key: equality with a literal,
 * IN lists, {@code = ANY(ARRAY[..])}, {@code abs(mod(key, m)) = k}, combined with AND and OR.
 * Anything else (casts on the key column, NOT, ranges, expressions) says nothing, so it never
 * narrows the shards.
 */
final class KeyConditions {

    private KeyConditions() {
    }

    /**
     * @param unqualified whether an unqualified column name can refer to {@code ref} (it is the
     *                    only sharded table of its scope)
     */
    static KeyCondition of(SqlNode where, TableRef ref, boolean unqualified) {
        if (where == null || ref.relation().rule() == null) {
            return new KeyCondition.Any();
        }
        return new KeyConditions.Reader(ref, unqualified).read(where);
    }

    private static final class Reader {
        private final TableRef ref;
        private final boolean unqualified;

        Reader(TableRef ref, boolean unqualified) {
            this.ref = ref;
            this.unqualified = unqualified;
        }

        KeyCondition read(SqlNode node) {
            SqlKind kind = node.getKind();
            if (kind == SqlKind.AND || kind == SqlKind.OR) {
                List<KeyCondition> parts = new ArrayList<>();
                for (SqlNode op : ((SqlCall) node).getOperandList()) {
                    parts.add(read(op));
                }
                return kind == SqlKind.AND ? new KeyCondition.And(parts) : new KeyCondition.Or(parts);
            }
            if (kind == SqlKind.EQUALS) {
                SqlCall c = (SqlCall) node;
                SqlNode l = c.operand(0);
                SqlNode r = c.operand(1);
                KeyCondition.Value v;
                if (isKey(l) && (v = value(r)) != null) {
                    return new KeyCondition.Equals(v);
                }
                if (isKey(r) && (v = value(l)) != null) {
                    return new KeyCondition.Equals(v);
                }
                KeyCondition mod = modEquals(l, r);
                if (mod == null) {
                    mod = modEquals(r, l);
                }
                return mod == null ? new KeyCondition.Any() : mod;
            }
            if (kind == SqlKind.IN) {
                SqlCall c = (SqlCall) node;
                if (isKey(c.operand(0)) && c.operand(1) instanceof SqlNodeList) {
                    return anyOf((SqlNodeList) c.operand(1));
                }
                return new KeyCondition.Any();
            }
            if (kind == SqlKind.SOME && ((SqlCall) node).getOperator().getName().startsWith("=")) {
                SqlCall c = (SqlCall) node;
                if (isKey(c.operand(0)) && c.operand(1) instanceof SqlNodeList) {
                    SqlNodeList list = (SqlNodeList) c.operand(1);
                    if (list.size() == 1 && list.get(0).getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR) {
                        SqlNodeList elements = new SqlNodeList(((SqlCall) list.get(0)).getOperandList(),
                                list.getParserPosition());
                        return anyOf(elements);
                    }
                }
                return new KeyCondition.Any();
            }
            return new KeyCondition.Any();
        }

        private KeyCondition anyOf(SqlNodeList values) {
            List<KeyCondition> parts = new ArrayList<>();
            for (SqlNode e : values) {
                KeyCondition.Value v = value(e);
                if (v == null) {
                    return new KeyCondition.Any();
                }
                parts.add(new KeyCondition.Equals(v));
            }
            return new KeyCondition.Or(parts);
        }

        /** {@code abs(mod(key, m)) = k} with m and k literals. */
        private KeyCondition modEquals(SqlNode absCall, SqlNode remainder) {
            if (!isFunction(absCall, "abs", 1)) {
                return null;
            }
            SqlNode mod = ((SqlCall) absCall).operand(0);
            if (!isFunction(mod, "mod", 2) || !isKey(((SqlCall) mod).operand(0))) {
                return null;
            }
            KeyCondition.Value m = value(((SqlCall) mod).operand(1));
            KeyCondition.Value k = value(remainder);
            if (m == null || k == null) {
                return null;
            }
            return new KeyCondition.ModEquals(m, k);
        }

        private boolean isKey(SqlNode node) {
            return KeyConditions.isKey(node, ref, unqualified);
        }
    }

    /** True when {@code node} names {@code ref}'s shard key column. */
    static boolean isKey(SqlNode node, TableRef ref, boolean unqualified) {
        if (!(node instanceof SqlIdentifier) || ref.relation().rule() == null) {
            return false;
        }
        String key = ref.relation().rule().keyColumn();
        List<String> names = ((SqlIdentifier) node).names;
        if (!names.get(names.size() - 1).equals(key)) {
            return false;
        }
        if (names.size() == 1) {
            return unqualified;
        }
        List<String> qualifier = names.subList(0, names.size() - 1);
        if (ref.alias() != null) {
            return qualifier.size() == 1 && qualifier.get(0).equals(ref.alias());
        }
        String table = ref.relation().name();
        String last = table.substring(table.lastIndexOf('.') + 1);
        return String.join(".", qualifier).equals(table)
                || (qualifier.size() == 1 && qualifier.get(0).equals(last))
                || (qualifier.size() == 2 && qualifier.get(0).equals("public") && qualifier.get(1).equals(table));
    }

    /** A literal operand: a slot, optionally negated or cast; NULL. Anything else is null. */
    static KeyCondition.Value value(SqlNode node) {
        if (node instanceof SqlDynamicParam) {
            return new KeyCondition.Slot(((SqlDynamicParam) node).getIndex(), false, null);
        }
        if (node instanceof SqlLiteral && ((SqlLiteral) node).getValue() == null
                && node.getKind() == SqlKind.LITERAL && "NULL".equals(node.toString())) {
            return new KeyCondition.NullValue();
        }
        SqlKind kind = node.getKind();
        if (kind == SqlKind.MINUS_PREFIX || kind == SqlKind.PLUS_PREFIX) {
            // -5::int4 is -(5::int4) in PostgreSQL: the sign applies to the cast slot.
            KeyCondition.Value inner = value(((SqlCall) node).operand(0));
            if (inner instanceof KeyCondition.Slot && !((KeyCondition.Slot) inner).negate()) {
                KeyCondition.Slot s = (KeyCondition.Slot) inner;
                return new KeyCondition.Slot(s.slot(), kind == SqlKind.MINUS_PREFIX, s.castType());
            }
            return null;
        }
        if (kind == SqlKind.CAST) {
            SqlCall c = (SqlCall) node;
            KeyCondition.Value inner = value(c.operand(0));
            if (inner instanceof KeyCondition.Slot && ((KeyCondition.Slot) inner).castType() == null
                    && c.operand(1) instanceof SqlDataTypeSpec) {
                KeyCondition.Slot s = (KeyCondition.Slot) inner;
                return new KeyCondition.Slot(s.slot(), s.negate(), typeName((SqlDataTypeSpec) c.operand(1)));
            }
        }
        return null;
    }

    /** The cast's type name in lower case, or "?" when it carries modifiers (a cast that may change the value). */
    private static String typeName(SqlDataTypeSpec spec) {
        SqlTypeNameSpec name = spec.getTypeNameSpec();
        if (name instanceof SqlBasicTypeNameSpec && ((SqlBasicTypeNameSpec) name).getPrecision() >= 0) {
            return "?";
        }
        String n = name.getTypeName().getSimple().toLowerCase(Locale.ROOT);
        return n.equals("varchar") || n.equals("character varying") ? "varchar" : n;
    }

    static boolean isFunction(SqlNode node, String name, int operands) {
        if (!(node instanceof SqlCall)) {
            return false;
        }
        SqlCall c = (SqlCall) node;
        return c.operandCount() == operands && c.getOperator().getName().equalsIgnoreCase(name);
    }
}
