package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgNumeric;
import io.shardproxy.merge.value.PgType;
import io.shardproxy.merge.value.ValueOrdering;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An aggregate over DISTINCT x inside a {@link GroupAggregateStream}: the rows of a group come
 * sorted by x (the shards grouped by it), so equal values from different shards are adjacent and
 * each distinct non-null value is passed on once, as a one-row partial of the plain combiner that
 * would have read the shards' partials of the same aggregate: count gets 1, sum the value in its
 * sum type (int2/int4 sum to bigint, int8/numeric to numeric, float4/float8 to themselves), avg
 * the value and a count of 1 (float4 widened exactly to float8), var/stddev the count, the value
 * and its square (integer and numeric x), or the value through float8_accum (real and double
 * precision x, whose rounding depends on the order of the values: sorted, as PostgreSQL's). min, max, bool_and and bool_or are the same with or
 * without DISTINCT and read the raw values directly. Equality is the type's (1.0 = 1.00, -0 = 0,
 * text byte for byte); of equal values the first one counts.
 */
final class DistinctCombiner implements PartialCombiner {

    private static final byte[] ONE = {'1'};

    private final int index;
    private final Comparator<byte[]> equality;
    private final PartialCombiner delegate;
    private final Consumer<byte[]> accept;
    private byte[] previous;

    private DistinctCombiner(int index, Comparator<byte[]> equality, PartialCombiner delegate,
                             Function<byte[], byte[][]> toPartials) {
        this.index = index;
        this.equality = equality;
        this.delegate = delegate;
        this.accept = value -> delegate.add(toPartials.apply(value));
    }

    private DistinctCombiner(int index, Comparator<byte[]> equality, VarianceCombiner variance, boolean float4) {
        this.index = index;
        this.equality = equality;
        this.delegate = variance;
        this.accept = value -> variance.accumulate(float4 ? PgFloat.parseFloat(value) : PgFloat.parseDouble(value));
    }

    static PartialCombiner of(MergePlan.AggregateColumn spec, List<Column> columns, MergeOptions options) {
        int index = spec.column();
        Column raw = PartialCombiner.partial(columns, index);
        int type = raw.typeOid();
        String name = raw.name();
        Comparator<byte[]> equality = ValueOrdering.forType(type, true);
        switch (spec.function()) {
            case MIN:
            case MAX:
                return new ExtremeCombiner(index, columns, options, spec.function() == MergePlan.AggregateFunction.MAX);
            case BOOL_AND:
            case BOOL_OR:
                return new BoolCombiner(index, columns, spec.function() == MergePlan.AggregateFunction.BOOL_AND);
            case COUNT:
                return new DistinctCombiner(index, equality,
                        new CountCombiner(0, List.of(Column.computed(name, PgType.INT8, (short) 8))),
                        v -> new byte[][] {ONE});
            case SUM:
                return new DistinctCombiner(index, equality,
                        new SumCombiner(0, List.of(Column.computed(name, sumType(spec, type), (short) -1)), options.extraFloatDigits()),
                        v -> new byte[][] {v});
            case AVG:
                if (type == PgType.FLOAT4) {
                    return new DistinctCombiner(index, equality, new AvgCombiner(0, avgColumns(name, PgType.FLOAT8), options.extraFloatDigits()),
                            v -> new byte[][] {PgFloat.format((double) PgFloat.parseFloat(v), options.extraFloatDigits()).getBytes(StandardCharsets.US_ASCII), ONE});
                }
                return new DistinctCombiner(index, equality, new AvgCombiner(0, avgColumns(name, sumType(spec, type)), options.extraFloatDigits()),
                        v -> new byte[][] {v, ONE});
            case VAR_POP:
            case VAR_SAMP:
            case STDDEV_POP:
            case STDDEV_SAMP:
                if (type == PgType.FLOAT4 || type == PgType.FLOAT8) {
                    List<Column> floats = List.of(Column.computed(name, PgType.INT8, (short) 8),
                            Column.computed(name, PgType.FLOAT8, (short) 8), Column.computed(name, PgType.FLOAT8, (short) 8));
                    return new DistinctCombiner(index, equality, new VarianceCombiner(0, floats, spec.function(), options.extraFloatDigits()),
                            type == PgType.FLOAT4);
                }
                if (!isExact(type)) {
                    throw unsupported(spec, type);
                }
                List<Column> partials = List.of(Column.computed(name, PgType.INT8, (short) 8),
                        Column.computed(name, PgType.NUMERIC, (short) -1), Column.computed(name, PgType.NUMERIC, (short) -1));
                return new DistinctCombiner(index, equality, new VarianceCombiner(0, partials, spec.function(), options.extraFloatDigits()),
                        v -> new byte[][] {ONE, v, square(v)});
            default:
                throw unsupported(spec, type);
        }
    }

    private static List<Column> avgColumns(String name, int sumType) {
        return List.of(Column.computed(name, sumType, (short) -1), Column.computed(name, PgType.INT8, (short) 8));
    }

    private static boolean isExact(int type) {
        return type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8 || type == PgType.NUMERIC;
    }

    /** The type sum(x) returns for x of this type. */
    private static int sumType(MergePlan.AggregateColumn spec, int type) {
        switch (type) {
            case PgType.INT2:
            case PgType.INT4:
                return PgType.INT8;
            case PgType.INT8:
            case PgType.NUMERIC:
                return PgType.NUMERIC;
            case PgType.FLOAT4:
            case PgType.FLOAT8:
                return type;
            default:
                throw unsupported(spec, type);
        }
    }

    /** x * x as numeric_mul prints it: dscale twice x's; NaN and infinities stay special. */
    private static byte[] square(byte[] value) {
        PgNumeric x = PgNumeric.parse(value);
        String text;
        if (x.isFinite()) {
            BigDecimal v = x.value();
            text = v.multiply(v).toPlainString();
        } else {
            text = x.equals(PgNumeric.NAN) ? "NaN" : "Infinity";
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static ShardProxyException unsupported(MergePlan.AggregateColumn spec, int type) {
        return ShardProxyException.unsupported(spec.function().name().toLowerCase(java.util.Locale.ROOT) + "(DISTINCT "
                + PgType.name(type) + ") across shards is not supported", "run the query on a single shard");
    }

    @Override
    public Column column() {
        return delegate.column();
    }

    @Override
    public void add(byte[][] partials) {
        byte[] value = partials[index];
        if (value == null || (previous != null && equality.compare(previous, value) == 0)) {
            return;
        }
        previous = value;
        accept.accept(value);
    }

    @Override
    public byte[] result() {
        return delegate.result();
    }
}
