package io.shardproxy.merge;

import io.shardproxy.merge.value.PgFloat;
import io.shardproxy.merge.value.PgType;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Random values of a type in PostgreSQL text format, with reference answers computed the
 * straightforward way, independently of the engine's value classes: java.time for timestamps,
 * counting NaNs and infinities as PostgreSQL's accumulators do, {@link ReferenceNumericAvg} for
 * numeric avg.
 */
final class ReferenceValues {

    private ReferenceValues() {
    }

    /** One column type: values, their order, and the whole-set aggregates PostgreSQL returns. */
    interface Kind {
        int typeOid();

        /** A random value's text, or null for NULL; ties and NULLs are frequent. */
        String random(Random random);

        /** PostgreSQL's order of non-null values. */
        Comparator<String> order();

        /** The type of sum(x), or 0 when sum does not apply. */
        int sumTypeOid();

        /** sum(x) over the values as PostgreSQL prints it, null when no value is non-null. */
        String sum(List<String> values);

        /** avg(x) over the values as PostgreSQL prints it. */
        String avg(List<String> values);

        default String min(List<String> values) {
            return values.stream().filter(Objects::nonNull).min(order()).orElse(null);
        }

        default String max(List<String> values) {
            return values.stream().filter(Objects::nonNull).max(order()).orElse(null);
        }
    }

    private static List<String> nonNull(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** int4: sum is bigint, avg numeric. */
    static final Kind INT4 = new Kind() {
        @Override
        public int typeOid() {
            return PgType.INT4;
        }

        @Override
        public String random(Random random) {
            int pick = random.nextInt(20);
            if (pick < 3) {
                return null;
            }
            if (pick == 3) {
                return Integer.toString(random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(3) : Integer.MIN_VALUE + random.nextInt(3));
            }
            return Integer.toString(random.nextInt(41) - 20);
        }

        @Override
        public Comparator<String> order() {
            return Comparator.comparingLong(Long::parseLong);
        }

        @Override
        public int sumTypeOid() {
            return PgType.INT8;
        }

        @Override
        public String sum(List<String> values) {
            List<String> present = nonNull(values);
            return present.isEmpty() ? null : Long.toString(present.stream().mapToLong(Long::parseLong).sum());
        }

        @Override
        public String avg(List<String> values) {
            List<String> present = nonNull(values);
            return present.isEmpty() ? null : ReferenceNumericAvg.postgresAvg(new BigDecimal(sum(values)), present.size());
        }

        @Override
        public String toString() {
            return "int4";
        }
    };

    /** numeric with scales 0-6 and NaN/+-Infinity: sum numeric, avg numeric. */
    static final Kind NUMERIC = new Kind() {
        @Override
        public int typeOid() {
            return PgType.NUMERIC;
        }

        @Override
        public String random(Random random) {
            int pick = random.nextInt(40);
            if (pick < 4) {
                return null;
            }
            if (pick == 4) {
                return "NaN";
            }
            if (pick == 5) {
                return "Infinity";
            }
            if (pick == 6) {
                return "-Infinity";
            }
            long unscaled = pick < 20 ? random.nextInt(21) - 10 : random.nextLong() % 10_000_000_000L;
            return BigDecimal.valueOf(unscaled, random.nextInt(7)).toPlainString();
        }

        private int rank(String v) {
            switch (v) {
                case "-Infinity": return 0;
                case "Infinity": return 2;
                case "NaN": return 3;
                default: return 1;
            }
        }

        @Override
        public Comparator<String> order() {
            return (a, b) -> {
                int c = Integer.compare(rank(a), rank(b));
                return c != 0 || rank(a) != 1 ? c : new BigDecimal(a).compareTo(new BigDecimal(b));
            };
        }

        @Override
        public int sumTypeOid() {
            return PgType.NUMERIC;
        }

        /** As numeric_avg's accumulator does: count NaNs and infinities, add the finite rest. */
        private String special(List<String> present) {
            boolean nan = present.contains("NaN");
            boolean plus = present.contains("Infinity");
            boolean minus = present.contains("-Infinity");
            if (nan || (plus && minus)) {
                return "NaN";
            }
            return plus ? "Infinity" : minus ? "-Infinity" : null;
        }

        private BigDecimal finiteSum(List<String> present) {
            BigDecimal sum = BigDecimal.ZERO;
            for (String v : present) {
                sum = sum.add(new BigDecimal(v));
            }
            return sum;
        }

        @Override
        public String sum(List<String> values) {
            List<String> present = nonNull(values);
            if (present.isEmpty()) {
                return null;
            }
            String special = special(present);
            return special != null ? special : finiteSum(present).toPlainString();
        }

        @Override
        public String avg(List<String> values) {
            List<String> present = nonNull(values);
            if (present.isEmpty()) {
                return null;
            }
            String special = special(present);
            return special != null ? special : ReferenceNumericAvg.postgresAvg(finiteSum(present), present.size());
        }

        @Override
        public String toString() {
            return "numeric";
        }
    };

    /** float8 values k/4 (so every sum is exact in any order), -0, NaN, +-Infinity. */
    static final Kind FLOAT8 = new Kind() {
        @Override
        public int typeOid() {
            return PgType.FLOAT8;
        }

        @Override
        public String random(Random random) {
            int pick = random.nextInt(40);
            if (pick < 4) {
                return null;
            }
            if (pick == 4) {
                return "NaN";
            }
            if (pick == 5) {
                return "Infinity";
            }
            if (pick == 6) {
                return "-Infinity";
            }
            if (pick == 7) {
                return "-0";
            }
            return quarters(BigDecimal.valueOf(random.nextInt(pick < 20 ? 9 : 8001) - (pick < 20 ? 4 : 4000)));
        }

        /** k/4 as float8out prints it: plain digits, no trailing zeros (all are below 1e15). */
        private String quarters(BigDecimal k) {
            BigDecimal value = k.divide(BigDecimal.valueOf(4));
            return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
        }

        private double value(String v) {
            switch (v) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: return Double.parseDouble(v);
            }
        }

        @Override
        public Comparator<String> order() {
            // Double.compare already puts NaN last; PostgreSQL also treats -0 as 0.
            return Comparator.comparing(v -> value(v) == 0 ? 0.0 : value(v), Double::compare);
        }

        @Override
        public int sumTypeOid() {
            return PgType.FLOAT8;
        }

        private String special(List<String> present) {
            boolean nan = present.contains("NaN");
            boolean plus = present.contains("Infinity");
            boolean minus = present.contains("-Infinity");
            if (nan || (plus && minus)) {
                return "NaN";
            }
            return plus ? "Infinity" : minus ? "-Infinity" : null;
        }

        private BigDecimal exactSum(List<String> present) {
            BigDecimal sum = BigDecimal.ZERO;
            for (String v : present) {
                sum = sum.add(new BigDecimal(v.equals("-0") ? "0" : v));
            }
            return sum;
        }

        @Override
        public String sum(List<String> values) {
            List<String> present = nonNull(values);
            if (present.isEmpty()) {
                return null;
            }
            String special = special(present);
            if (special != null) {
                return special;
            }
            // sum(x) starts from the first value, so only all -0 inputs give -0.
            if (present.stream().allMatch("-0"::equals)) {
                return "-0";
            }
            return quarters(exactSum(present).multiply(BigDecimal.valueOf(4)));
        }

        @Override
        public String avg(List<String> values) {
            List<String> present = nonNull(values);
            if (present.isEmpty()) {
                return null;
            }
            String special = special(present);
            return special != null ? special : PgFloat.format(exactSum(present).doubleValue() / present.size());
        }

        @Override
        public String toString() {
            return "float8";
        }
    };

    /** timestamptz printed at various offsets (one instant at several offsets ties), BC, infinities. */
    static final Kind TIMESTAMPTZ = new Kind() {
        /** Instants as microseconds since 1970 in a BigInteger: year 294276 overflows a long from 1970. */
        private final Map<String, java.math.BigInteger> instants = new HashMap<>();
        private final int[] offsets = {0, 3600, -3600, 19_800, -12_600, 1172, 45_900, -36_000};
        private final long[] popular = {
            LocalDateTime.of(2024, 1, 2, 2, 4, 5, 123_456_000).toEpochSecond(ZoneOffset.UTC),
            LocalDateTime.of(-43, 3, 15, 10, 0, 0).toEpochSecond(ZoneOffset.UTC),
            LocalDateTime.of(0, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC),
            LocalDateTime.of(2000, 1, 1, 0, 0, 0).toEpochSecond(ZoneOffset.UTC),
        };

        @Override
        public int typeOid() {
            return PgType.TIMESTAMPTZ;
        }

        @Override
        public String random(Random random) {
            int pick = random.nextInt(40);
            if (pick < 4) {
                return null;
            }
            if (pick == 4) {
                return "infinity";
            }
            if (pick == 5) {
                return "-infinity";
            }
            long seconds;
            int micros;
            if (pick < 20) {
                seconds = popular[random.nextInt(popular.length)];
                micros = pick % 2 == 0 ? 0 : 123_456;
            } else {
                int year = -4711 + random.nextInt(294_275 + 4711);
                seconds = LocalDateTime.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28),
                        random.nextInt(24), random.nextInt(60), random.nextInt(60)).toEpochSecond(ZoneOffset.UTC);
                micros = random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000);
            }
            int offset = offsets[random.nextInt(offsets.length)];
            String text = render(seconds, micros, offset);
            instants.put(text, java.math.BigInteger.valueOf(seconds).multiply(java.math.BigInteger.valueOf(1_000_000))
                    .add(java.math.BigInteger.valueOf(micros)));
            return text;
        }

        /** timestamptz_out in DateStyle ISO for a zone whose offset is {@code offset} seconds east. */
        private String render(long epochSecond, int micros, int offset) {
            LocalDateTime local = LocalDateTime.ofEpochSecond(epochSecond + offset, micros * 1000, ZoneOffset.UTC);
            int year = local.getYear();
            boolean bc = year <= 0;
            StringBuilder out = new StringBuilder(String.format("%04d-%02d-%02d %02d:%02d:%02d",
                    bc ? 1 - year : year, local.getMonthValue(), local.getDayOfMonth(),
                    local.getHour(), local.getMinute(), local.getSecond()));
            if (micros != 0) {
                String fraction = String.format("%06d", micros);
                out.append('.').append(fraction.replaceAll("0+$", ""));
            }
            int abs = Math.abs(offset);
            out.append(offset < 0 ? '-' : '+').append(String.format("%02d", abs / 3600));
            if (abs % 3600 != 0) {
                out.append(String.format(":%02d", abs / 60 % 60));
                if (abs % 60 != 0) {
                    out.append(String.format(":%02d", abs % 60));
                }
            }
            return bc ? out.append(" BC").toString() : out.toString();
        }

        private java.math.BigInteger instant(String text) {
            switch (text) {
                case "infinity": return java.math.BigInteger.TWO.pow(80);
                case "-infinity": return java.math.BigInteger.TWO.pow(80).negate();
                default: return Objects.requireNonNull(instants.get(text), text);
            }
        }

        @Override
        public Comparator<String> order() {
            return Comparator.comparing(this::instant);
        }

        @Override
        public int sumTypeOid() {
            return 0;
        }

        @Override
        public String sum(List<String> values) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String avg(List<String> values) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String toString() {
            return "timestamptz";
        }
    };

    static final List<Kind> KINDS = List.of(INT4, NUMERIC, FLOAT8, TIMESTAMPTZ);
}
