package io.shardproxy.server.types;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static io.shardproxy.server.types.PostgresCorpusTest.hex;
import static io.shardproxy.server.types.PostgresCorpusTest.text;
import static io.shardproxy.server.types.PostgresCorpusTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random values of every family, each checked against an independent oracle where Java has one
 * (Long.toString, Float.parseFloat, BigDecimal, java.time, UUID) and for binary -&gt; text -&gt;
 * binary and text -&gt; binary -&gt; text identity. The seed is printed on failure; rerun one
 * with -Dtypes.seed=N.
 */
class BinaryFormatPropertyTest {
    private static final int RUNS = 2000;
    /** Zones whose rules the JDK and PostgreSQL 17.11 agreed on over the whole range. */
    private static final String[] ZONES = {"UTC", "Asia/Kolkata", "America/St_Johns", "America/New_York",
        "Asia/Kathmandu", "Pacific/Chatham", "Europe/Paris", "Europe/Dublin", "Australia/Lord_Howe",
        "America/Sao_Paulo", "Europe/Moscow", "Pacific/Kiritimati", "Etc/GMT+12", "Africa/Monrovia"};

    @Test
    void integersPrintAsTheirDecimalAndReadBack() {
        forAll(rnd -> {
            long v = rnd.nextLong() >> rnd.nextInt(64);
            roundTrip(20, ByteBuffer.allocate(8).putLong(v).array(), Long.toString(v));
            roundTrip(23, ByteBuffer.allocate(4).putInt((int) v).array(), Integer.toString((int) v));
            roundTrip(21, ByteBuffer.allocate(2).putShort((short) v).array(), Short.toString((short) v));
            roundTrip(26, ByteBuffer.allocate(4).putInt((int) v).array(), Integer.toUnsignedString((int) v));
        });
    }

    @Test
    void floatsPrintTheShortestTextThatReadsBackToTheSameBits() {
        forAll(rnd -> {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (!Float.isNaN(f)) {
                byte[] binary = ByteBuffer.allocate(4).putFloat(f).array();
                String text = text(BinaryFormat.decode(700, binary));
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(Float.parseFloat(text)), text);
                assertEquals(hex(binary), hex(BinaryFormat.encode(700, utf8(text))), text);
            }
            double d = rnd.nextBoolean() ? Double.longBitsToDouble(rnd.nextLong())
                    : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
            if (!Double.isNaN(d)) {
                byte[] binary = ByteBuffer.allocate(8).putDouble(d).array();
                String text = text(BinaryFormat.decode(701, binary));
                assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(Double.parseDouble(text)), text);
                assertEquals(hex(binary), hex(BinaryFormat.encode(701, utf8(text))), text);
            }
        });
    }

    @Test
    void numericsKeepValueAndDisplayScaleInBaseTenThousandDigits() {
        forAll(rnd -> {
            BigInteger unscaled = new BigInteger(rnd.nextInt(200), rnd);
            unscaled = rnd.nextBoolean() ? unscaled.negate() : unscaled;
            BigDecimal value = new BigDecimal(unscaled, rnd.nextInt(40));
            String text = value.toPlainString();
            byte[] binary = BinaryFormat.encode(1700, utf8(text));
            ByteBuffer b = ByteBuffer.wrap(binary);
            int ndigits = b.getShort();
            int weight = b.getShort();
            int sign = b.getShort() & 0xffff;
            int dscale = b.getShort();
            assertEquals(value.scale(), dscale, text);
            assertEquals(value.signum() < 0 ? 0x4000 : 0, sign, text);
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0; i < ndigits; i++) {
                int digit = b.getShort();
                assertTrue(digit >= 0 && digit < 10_000, text);
                assertTrue(digit != 0 || i != 0 && i != ndigits - 1, "no leading or trailing zero digit: " + text);
                sum = sum.add(BigDecimal.valueOf(digit).scaleByPowerOfTen(4 * (weight - i)));
            }
            assertEquals(0, sum.compareTo(value.abs()), text);
            assertEquals(text, text(BinaryFormat.decode(1700, binary)));
        });
    }

    @Test
    void datesAndTimestampsPrintTheProlepticGregorianCalendar() {
        forAll(rnd -> {
            long days = Civil.DATE_MIN + (long) (rnd.nextDouble() * (Civil.DATE_END - Civil.DATE_MIN));
            java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days + 10_957);
            roundTrip(1082, ByteBuffer.allocate(4).putInt((int) days).array(), isoDate(date.getYear(),
                    date.getMonthValue(), date.getDayOfMonth(), ""));

            long micros = rnd.nextBoolean()
                    ? Civil.TIMESTAMP_MIN + (long) (rnd.nextDouble() * ((double) Civil.TIMESTAMP_END - Civil.TIMESTAMP_MIN - 1e6))
                    : (long) ((rnd.nextDouble() - 0.5) * 4e3 * 365.25 * 86_400e6);
            LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + Civil.EPOCH_2000_SECONDS,
                    (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            roundTrip(1114, ByteBuffer.allocate(8).putLong(micros).array(), isoDateTime(t, ""));

            ZoneId zone = ZoneId.of(ZONES[rnd.nextInt(ZONES.length)]);
            ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)
                    + Civil.EPOCH_2000_SECONDS));
            LocalDateTime local = t.plusSeconds(offset.getTotalSeconds());
            String expected = isoDateTime(local, offset.getId().equals("Z") ? "+00" : pgOffset(offset));
            byte[] binary = ByteBuffer.allocate(8).putLong(micros).array();
            assertEquals(expected, text(BinaryFormat.decode(1184, binary, zone)), zone.getId());
            assertEquals(hex(binary), hex(BinaryFormat.encode(1184, utf8(expected))), expected);

            long time = (long) (rnd.nextDouble() * (Civil.MICROS_PER_DAY + 1));
            int zoneWest = rnd.nextInt(2 * 57_599 + 1) - 57_599;
            String timeText = text(BinaryFormat.decode(1083, ByteBuffer.allocate(8).putLong(time).array()));
            roundTrip(1266, ByteBuffer.allocate(12).putLong(time).putInt(zoneWest).array(),
                    timeText + pgOffset(ZoneOffset.ofTotalSeconds(-zoneWest)));
        });
    }

    @Test
    void intervalsPrintAndReadBackEveryFieldCombination() {
        forAll(rnd -> {
            long time;
            int days;
            int months;
            if (rnd.nextBoolean()) {
                time = rnd.nextLong();
                days = rnd.nextInt();
                months = rnd.nextInt();
            } else {
                time = (rnd.nextInt(200_001) - 100_000) * (rnd.nextBoolean() ? 1_000_000L : 1L);
                days = rnd.nextInt(5) - 2;
                months = rnd.nextInt(41) - 20;
            }
            byte[] binary = ByteBuffer.allocate(16).putLong(time).putInt(days).putInt(months).array();
            String text = text(BinaryFormat.decode(1186, binary));
            assertEquals(hex(binary), hex(BinaryFormat.encode(1186, utf8(text))), text);
        });
    }

    @Test
    void uuidsAndByteaPrintAsHex() {
        forAll(rnd -> {
            UUID u = new UUID(rnd.nextLong(), rnd.nextLong());
            roundTrip(2950, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                    .putLong(u.getLeastSignificantBits()).array(), u.toString());
            byte[] bytes = new byte[rnd.nextInt(40)];
            rnd.nextBytes(bytes);
            roundTrip(17, bytes, "\\x" + hex(bytes));
            // The escape format reads to the same bytes.
            StringBuilder escaped = new StringBuilder();
            for (byte b : bytes) {
                int v = b & 0xff;
                if (v == '\\') {
                    escaped.append("\\\\");
                } else if (v >= 0x20 && v < 0x7f && rnd.nextBoolean()) {
                    escaped.append((char) v);
                } else {
                    escaped.append('\\').append(v >> 6).append(v >> 3 & 7).append(v & 7);
                }
            }
            assertEquals(hex(bytes), hex(BinaryFormat.encode(17, utf8(escaped.toString()))), escaped.toString());
        });
    }

    @Test
    void arraysOfAnyShapeAndContentRoundTrip() {
        String[] pieces = {"a", " ", "\"", "\\", ",", "{", "}", "NULL", "null", "é", "🎉", "\t", "x y", ""};
        forAll(rnd -> {
            int ndim = rnd.nextInt(4);
            int[] dims = new int[ndim];
            int[] bounds = new int[ndim];
            int count = ndim == 0 ? 0 : 1;
            for (int d = 0; d < ndim; d++) {
                dims[d] = 1 + rnd.nextInt(3);
                bounds[d] = rnd.nextInt(4) == 0 ? rnd.nextInt(9) - 4 : 1;
                count *= dims[d];
            }
            boolean texts = rnd.nextBoolean();
            List<byte[]> elements = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Supplier<byte[]> element = texts
                        ? () -> {
                            StringBuilder s = new StringBuilder();
                            for (int n = rnd.nextInt(4); n > 0; n--) {
                                s.append(pieces[rnd.nextInt(pieces.length)]);
                            }
                            return utf8(s.toString());
                        }
                        : () -> ByteBuffer.allocate(4).putInt(rnd.nextInt()).array();
                elements.add(rnd.nextInt(5) == 0 ? null : element.get());
            }
            int oid = texts ? 1009 : 1007;
            byte[] binary = arrayBinary(texts ? 25 : 23, dims, bounds, elements);
            String text = text(BinaryFormat.decode(oid, binary));
            assertEquals(hex(binary), hex(BinaryFormat.encode(oid, utf8(text))), text);
            assertEquals(text, text(BinaryFormat.decode(oid, BinaryFormat.encode(oid, utf8(text)))));
        });
    }

    @Test
    void jsonbOutputIsAFixedPointOfJsonbOut() {
        forAll(rnd -> {
            String json = randomJson(rnd, 0);
            byte[] once = BinaryFormat.decode(3802, BinaryFormat.encode(3802, utf8(json)));
            byte[] twice = BinaryFormat.decode(3802, BinaryFormat.encode(3802, once));
            assertEquals(text(once), text(twice), json);
        });
    }

    private static String randomJson(Random rnd, int depth) {
        String ws = rnd.nextBoolean() ? " " : "";
        switch (depth > 3 ? rnd.nextInt(3) : rnd.nextInt(5)) {
            case 0: return new String[] {"0", "-0", "1.50", "1e2", "-1.5E-3", "12345678901234567890"}[rnd.nextInt(6)];
            case 1: return new String[] {"true", "false", "null"}[rnd.nextInt(3)];
            case 2: return new String[] {"\"a\"", "\"\"", "\"\\u0041\\n\"", "\"\\ud83c\\udf89\"", "\"\\u001f\""}[rnd.nextInt(5)];
            case 3: {
                StringBuilder sb = new StringBuilder("{" + ws);
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    sb.append('"').append(new String[] {"a", "bb", "b", "é", ""}[rnd.nextInt(5)]).append('"').append(ws)
                            .append(':').append(ws).append(randomJson(rnd, depth + 1)).append(i > 1 ? "," + ws : "");
                }
                return sb.append(ws).append('}').toString();
            }
            default: {
                StringBuilder sb = new StringBuilder("[" + ws);
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    sb.append(randomJson(rnd, depth + 1)).append(i > 1 ? "," + ws : "");
                }
                return sb.append(ws).append(']').toString();
            }
        }
    }

    static byte[] arrayBinary(int elementOid, int[] dims, int[] bounds, List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean nulls = elements.stream().anyMatch(e -> e == null);
        out.writeBytes(ByteBuffer.allocate(12).putInt(dims.length).putInt(nulls ? 1 : 0).putInt(elementOid).array());
        for (int d = 0; d < dims.length; d++) {
            out.writeBytes(ByteBuffer.allocate(8).putInt(dims[d]).putInt(bounds[d]).array());
        }
        for (byte[] e : elements) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(e == null ? -1 : e.length).array());
            if (e != null) {
                out.writeBytes(e);
            }
        }
        return out.toByteArray();
    }

    private static void roundTrip(int oid, byte[] binary, String text) {
        assertEquals(text, text(BinaryFormat.decode(oid, binary)), () -> "decode " + hex(binary));
        assertEquals(hex(binary), hex(BinaryFormat.encode(oid, utf8(text))), () -> "encode " + text);
    }

    private static String isoDate(long year, int month, int day, String beforeEra) {
        String y = Long.toString(year > 0 ? year : 1 - year);
        return "0".repeat(Math.max(0, 4 - y.length())) + y + String.format("-%02d-%02d", month, day)
                + beforeEra + (year > 0 ? "" : " BC");
    }

    private static String isoDateTime(LocalDateTime t, String offset) {
        String fraction = t.getNano() == 0 ? ""
                : ("." + String.format("%06d", t.getNano() / 1000)).replaceAll("0+$", "");
        String time = String.format(" %02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()) + fraction + offset;
        return isoDate(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), time);
    }

    /** +HH, +HH:MM or +HH:MM:SS, as EncodeTimezone writes an offset. */
    private static String pgOffset(ZoneOffset offset) {
        int s = offset.getTotalSeconds();
        int abs = Math.abs(s);
        String out = (s >= 0 ? "+" : "-") + String.format("%02d", abs / 3600);
        if (abs % 60 != 0) {
            return out + String.format(":%02d:%02d", abs / 60 % 60, abs % 60);
        }
        return abs / 60 % 60 != 0 ? out + String.format(":%02d", abs / 60 % 60) : out;
    }

    private static void forAll(Consumer<Random> property) {
        long seed = Long.getLong("types.seed", System.nanoTime());
        Random rnd = new Random(seed);
        try {
            for (int i = 0; i < RUNS; i++) {
                property.accept(rnd);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with seed " + seed + " (rerun with -Dtypes.seed=" + seed + ")", e);
        }
    }
}
