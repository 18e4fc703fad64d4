package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan.Operand;
import io.shardproxy.merge.MergePlan.Predicate;
import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgInt;
import io.shardproxy.merge.value.PgNumeric;
import io.shardproxy.merge.value.PgType;
import io.shardproxy.merge.value.ValueOrdering;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Compiles a {@link Predicate} into a {@link Condition} over rows of known column types, with
 * SQL's three-valued logic (null is unknown). Comparisons follow PostgreSQL's implicit casts:
 * integers and numeric compare exactly as numeric (a constant 2.5 against a bigint column too),
 * anything compared with real or double precision compares as double precision (NaN above
 * everything, -0 = 0), text byte-wise only when the shards collate by bytes (else 0A000), char(n)
 * without trailing spaces; bool, date/time, uuid and other ordered types only with their own
 * type. A constant is read as a value of the other side's type.
 */
final class Predicates {

    /** A compiled predicate: TRUE, FALSE, or null for unknown. */
    interface Condition {
        Boolean test(byte[][] row);
    }

    /** How the values of one comparison are read and ordered. */
    private enum Family { EXACT, FLOAT, TEXT, OTHER }

    private Predicates() {
    }

    static Condition compile(Predicate predicate, List<Column> columns, MergeOptions options) {
        if (predicate instanceof Predicate.Compare compare) {
            return comparison(compare, columns, options);
        }
        if (predicate instanceof Predicate.And and) {
            List<Condition> parts = compileAll(and.parts(), columns, options);
            return row -> {
                boolean unknown = false;
                for (Condition part : parts) {
                    Boolean b = part.test(row);
                    if (b == null) {
                        unknown = true;
                    } else if (!b) {
                        return false;
                    }
                }
                return unknown ? null : Boolean.TRUE;
            };
        }
        if (predicate instanceof Predicate.Or or) {
            List<Condition> parts = compileAll(or.parts(), columns, options);
            return row -> {
                boolean unknown = false;
                for (Condition part : parts) {
                    Boolean b = part.test(row);
                    if (b == null) {
                        unknown = true;
                    } else if (b) {
                        return true;
                    }
                }
                return unknown ? null : Boolean.FALSE;
            };
        }
        if (predicate instanceof Predicate.Not not) {
            Condition part = compile(not.part(), columns, options);
            return row -> {
                Boolean b = part.test(row);
                return b == null ? null : !b;
            };
        }
        Predicate.IsNull isNull = (Predicate.IsNull) predicate;
        Function<byte[][], byte[]> operand = reader(isNull.operand(), columns);
        boolean negated = isNull.negated();
        return row -> (operand.apply(row) == null) != negated;
    }

    private static List<Condition> compileAll(List<Predicate> parts, List<Column> columns, MergeOptions options) {
        List<Condition> out = new ArrayList<>(parts.size());
        for (Predicate part : parts) {
            out.add(compile(part, columns, options));
        }
        return out;
    }

    private static Function<byte[][], byte[]> reader(Operand operand, List<Column> columns) {
        if (operand instanceof Operand.ColumnRef ref) {
            int column = ref.column();
            PartialCombiner.partial(columns, column);
            return row -> row[column];
        }
        String text = ((Operand.Constant) operand).text();
        byte[] bytes = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        return row -> bytes;
    }

    private static Condition comparison(Predicate.Compare compare, List<Column> columns, MergeOptions options) {
        Operand left = compare.left();
        Operand right = compare.right();
        if (left instanceof Operand.Constant && right instanceof Operand.Constant) {
            if (((Operand.Constant) left).text() == null || ((Operand.Constant) right).text() == null) {
                return row -> null;
            }
            throw new ShardProxyException(SqlState.INTERNAL_ERROR, "a HAVING comparison of two constants reached the merge");
        }
        int leftType = left instanceof Operand.ColumnRef l ? PartialCombiner.partial(columns, l.column()).typeOid() : 0;
        int rightType = right instanceof Operand.ColumnRef r ? PartialCombiner.partial(columns, r.column()).typeOid() : 0;
        Family family = family(leftType != 0 ? leftType : rightType, rightType != 0 ? rightType : leftType);
        if (family == Family.TEXT && !options.bytewiseText()) {
            throw ShardProxyException.unsupported("comparing text in HAVING across shards needs C collation",
                    ValueOrdering.NO_TEXT_ORDER_HINT);
        }
        Function<byte[], Object> readLeft = converter(family, leftType != 0 ? leftType : rightType);
        Function<byte[], Object> readRight = converter(family, rightType != 0 ? rightType : leftType);
        Comparator<Object> order = order(family, leftType != 0 ? leftType : rightType);
        Function<byte[][], Object> a = operandValue(left, readLeft, leftType != 0 ? leftType : rightType, columns);
        Function<byte[][], Object> b = operandValue(right, readRight, rightType != 0 ? rightType : leftType, columns);
        MergePlan.CompareOp op = compare.op();
        return row -> {
            Object x = a.apply(row);
            Object y = b.apply(row);
            if (x == null || y == null) {
                return null;
            }
            int c = order.compare(x, y);
            switch (op) {
                case EQ: return c == 0;
                case NE: return c != 0;
                case LT: return c < 0;
                case LE: return c <= 0;
                case GT: return c > 0;
                default: return c >= 0;
            }
        };
    }

    /** A column read per row, or a constant read once now (so a bad constant fails before any row). */
    private static Function<byte[][], Object> operandValue(Operand operand, Function<byte[], Object> read, int type,
                                                           List<Column> columns) {
        if (operand instanceof Operand.ColumnRef ref) {
            int column = ref.column();
            return row -> row[column] == null ? null : read.apply(row[column]);
        }
        String text = ((Operand.Constant) operand).text();
        Object value = text == null ? null : readConstant(read, text, type);
        return row -> value;
    }

    private static Object readConstant(Function<byte[], Object> read, String text, int type) {
        try {
            return read.apply(text.trim().getBytes(StandardCharsets.UTF_8));
        } catch (ShardProxyException | NumberFormatException e) {
            if (family(type) == Family.OTHER && type != PgType.BOOL && type != PgType.UUID) {
                // Dates, times, intervals, bytea: only their output form is read here, while
                // PostgreSQL takes many more ('2024-01-02' as a timestamp, 'today', '1 day ago'),
                // some of them relative to the session: not invalid, just not readable here.
                throw ShardProxyException.unsupported("comparing a " + PgType.name(type) + " with the constant \""
                        + text + "\" in HAVING across shards is not supported: the proxy reads such constants only"
                        + " in the form PostgreSQL prints them", "write the constant in full ISO form, e.g. '"
                        + example(type) + "'");
            }
            throw new ShardProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "cannot compare with the constant \"" + text + "\" in the proxy: it is not valid input for the other side's type");
        }
    }

    private static String example(int type) {
        switch (type) {
            case PgType.DATE: return "2024-01-02";
            case PgType.TIME: return "03:04:05";
            case PgType.TIMESTAMP: return "2024-01-02 03:04:05";
            case PgType.TIMESTAMPTZ: return "2024-01-02 03:04:05+00";
            case PgType.INTERVAL: return "1 day 02:03:04";
            case PgType.BYTEA: return "\\x0a0b";
            default: return "...";
        }
    }

    private static Family family(int a, int b) {
        Family fa = family(a);
        Family fb = family(b);
        if (fa == fb && (fa != Family.OTHER || a == b)) {
            return fa;
        }
        if ((fa == Family.EXACT || fa == Family.FLOAT) && (fb == Family.EXACT || fb == Family.FLOAT)) {
            return Family.FLOAT;
        }
        throw ShardProxyException.unsupported("comparing " + PgType.name(a) + " with " + PgType.name(b)
                + " in HAVING across shards is not supported", "cast both sides to the same type");
    }

    private static Family family(int type) {
        switch (type) {
            case PgType.INT2:
            case PgType.INT4:
            case PgType.INT8:
            case PgType.NUMERIC:
                return Family.EXACT;
            case PgType.FLOAT4:
            case PgType.FLOAT8:
                return Family.FLOAT;
            case PgType.TEXT:
            case PgType.VARCHAR:
            case PgType.NAME:
            case PgType.BPCHAR:
                return Family.TEXT;
            default:
                return Family.OTHER;
        }
    }

    /** Reads one side's bytes (a column of {@code type}, or a constant compared with one) for the family. */
    private static Function<byte[], Object> converter(Family family, int type) {
        switch (family) {
            case EXACT:
                return Predicates::numeric;
            case FLOAT:
                return v -> toDouble(v, type);
            case TEXT:
                return type == PgType.BPCHAR ? Predicates::withoutTrailingSpaces : v -> v;
            default:
                if (type == PgType.BOOL) {
                    return Predicates::bool;
                }
                if (type == PgType.UUID) {
                    return Predicates::uuid;
                }
                Comparator<byte[]> check = ValueOrdering.forType(type, true);
                return v -> {
                    check.compare(v, v);
                    return v;
                };
        }
    }

    @SuppressWarnings("unchecked")
    private static Comparator<Object> order(Family family, int type) {
        switch (family) {
            case EXACT:
                return (x, y) -> ((PgNumeric) x).compareTo((PgNumeric) y);
            case FLOAT:
                return (x, y) -> PgFloat.compare((Double) x, (Double) y);
            case TEXT:
                return (x, y) -> java.util.Arrays.compareUnsigned((byte[]) x, (byte[]) y);
            default:
                Comparator<byte[]> values = ValueOrdering.forType(type, true);
                return (x, y) -> values.compare((byte[]) x, (byte[]) y);
        }
    }

    /** A value of any numeric type as PostgreSQL casts it to double precision. */
    private static Double toDouble(byte[] v, int type) {
        switch (type) {
            case PgType.INT2:
            case PgType.INT4:
            case PgType.INT8:
                return (double) PgInt.parse(v);
            case PgType.FLOAT4:
                return (double) PgFloat.parseFloat(v);
            case PgType.NUMERIC:
                PgNumeric n = PgNumeric.parse(v);
                if (n.isFinite()) {
                    return n.value().doubleValue();
                }
                return n.equals(PgNumeric.NAN) ? Double.NaN
                        : n.equals(PgNumeric.POSITIVE_INFINITY) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            default:
                return floatText(v);
        }
    }

    /** float8in's spellings: numbers, NaN, [+-]Infinity and [+-]inf in any case. */
    private static double floatText(byte[] v) {
        String s = new String(v, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        switch (s) {
            case "nan": return Double.NaN;
            case "infinity": case "+infinity": case "inf": case "+inf": return Double.POSITIVE_INFINITY;
            case "-infinity": case "-inf": return Double.NEGATIVE_INFINITY;
            default: return new BigDecimal(s).doubleValue();
        }
    }

    /** numeric_in's spellings, also NaN and [+-]Infinity/inf in any case. */
    private static PgNumeric numeric(byte[] v) {
        switch (new String(v, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT)) {
            case "nan": return PgNumeric.NAN;
            case "infinity": case "+infinity": case "inf": case "+inf": return PgNumeric.POSITIVE_INFINITY;
            case "-infinity": case "-inf": return PgNumeric.NEGATIVE_INFINITY;
            default: return PgNumeric.parse(v);
        }
    }

    private static byte[] withoutTrailingSpaces(byte[] v) {
        int end = v.length;
        while (end > 0 && v[end - 1] == ' ') {
            end--;
        }
        return java.util.Arrays.copyOf(v, end);
    }

    /** boolin's spellings, as 't' or 'f'. */
    private static byte[] bool(byte[] v) {
        String s = new String(v, StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
        if (!s.isEmpty() && ("true".startsWith(s) || "yes".startsWith(s) || s.equals("on") || s.equals("1"))) {
            return new byte[] {'t'};
        }
        if (!s.isEmpty() && ("false".startsWith(s) || "no".startsWith(s) || s.equals("off") || s.equals("of")
                || s.equals("0"))) {
            return new byte[] {'f'};
        }
        throw new NumberFormatException(s);
    }

    /** uuid_in's spellings (upper case, braces, no hyphens) as uuid_out writes them. */
    private static byte[] uuid(byte[] v) {
        String hex = new String(v, StandardCharsets.US_ASCII).replace("-", "").replace("{", "").replace("}", "")
                .toLowerCase(Locale.ROOT);
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new NumberFormatException(hex);
        }
        return (hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20)).getBytes(StandardCharsets.US_ASCII);
    }
}
