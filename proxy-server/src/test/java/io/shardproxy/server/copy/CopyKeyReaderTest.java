package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shardproxy.server.copy.CopyFixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shard keys read from COPY rows as PostgreSQL would read the key column. Expected errors are
 * PostgreSQL 17.11's for the same rows.
 */
class CopyKeyReaderTest {

    /** The key of every data row. */
    private static List<Object> keys(String sql, String data) {
        return keys(sql, data.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Object> keys(String sql, byte[] data) {
        Plan.Copy p = plan(sql);
        CopyLayout layout = CopyLayout.of(p, 170011);
        CopyKeyReader reader = CopyKeyReader.of(p, layout);
        List<Object> keys = new ArrayList<>();
        CopyRowSplitter s = CopyRowSplitter.create(layout);
        RowSink sink = r -> {
            if (!r.header()) {
                keys.add(reader.read(r));
            }
        };
        s.feed(data, sink);
        s.finish(sink);
        return keys;
    }

    private static CopyFormatException error(String sql, String data) {
        return assertThrows(CopyFormatException.class, () -> keys(sql, data));
    }

    @Test
    void textKeysInAnyColumn() {
        assertEquals(List.of(1L, -7L, 42L), keys("copy t from stdin", "1\tx\ty\n-7\ta\tb\n 42 \t\t\n"));
        assertEquals(List.of(5L), keys("copy t (b, id, c) from stdin", "x\t5\ty\n"));
        assertEquals(List.of(5L), keys("copy t (b, c, id) from stdin (delimiter '|')", "x|y|5\n"));
    }

    @Test
    void textEscapesAreResolvedInTheKey() {
        assertEquals(List.of("a\tb", "a\nb", "A", "\u00e9", "a\\b", "q"),
                keys("copy tt from stdin", "a\\tb\tv\na\\nb\tv\n\\101\tv\n\\xc3\\xa9\tv\na\\\\b\tv\n\\q\tv\n"));
        assertEquals(List.of("ab"), keys("copy tt from stdin", "a\\\nb\tv\n").stream()
                .map(k -> ((String) k).replace("\n", "")).toList());
    }

    @Test
    void nullMarkerIsComparedBeforeDeEscaping() {
        CopyFormatException e = error("copy t from stdin", "\\N\tx\ty\n");
        assertEquals("23502", e.sqlState());
        assertEquals("null value in column \"id\" of relation \"t\" violates not-null constraint", e.getMessage());
        assertEquals("COPY t, line 1: \"\\N\tx\ty\"", e.context());
        assertEquals(List.of("\\N"), keys("copy tt from stdin", "\\\\N\tv\n"));
        assertEquals(List.of("NULL", "N"), keys("copy tt from stdin (null 'null')", "NULL\tv\n\\N\tv\n"));
        assertEquals("23502", error("copy tt from stdin (null 'null')", "null\tv\n").sqlState());
        assertEquals("23502", error("copy tt from stdin (null '')", "\tv\n").sqlState());
    }

    @Test
    void csvQuotingDecidesNull() {
        assertEquals("23502", error("copy tt from stdin (format csv)", ",v\n").sqlState());
        assertEquals(List.of("", "a,b", "a\"b", "x\ny"),
                keys("copy tt from stdin (format csv)", "\"\",v\n\"a,b\",v\n\"a\"\"b\",v\n\"x\ny\",v\n"));
        assertEquals(List.of("ab c"), keys("copy tt from stdin (format csv)", "a\"b\" c,v\n"));
        assertEquals(List.of("a\"b"), keys("copy tt from stdin (format csv, quote '''', escape '\\')",
                "'a\\\"b',v\n").stream().map(k -> ((String) k).replace("\\", "")).toList());
    }

    @Test
    void forceNotNullAndForceNull() {
        assertEquals(List.of(""), keys("copy tt from stdin (format csv, force_not_null (k))", ",v\n"));
        assertEquals(List.of("N"), keys("copy tt from stdin (format csv, null 'N', force_not_null *)", "N,v\n"));
        assertEquals("23502", error("copy tt from stdin (format csv, force_null (k))", "\"\",v\n").sqlState());
        assertEquals(List.of(""), keys("copy tt from stdin (format csv, force_null (v))", "\"\",v\n"));
    }

    @Test
    void defaultMarkerAsKeyCannotBePlaced() {
        CopyFormatException e = error("copy t from stdin (default '\\D')", "\\D\tx\ty\n");
        assertEquals("0A000", e.sqlState());
        assertEquals(List.of(3L), keys("copy t from stdin (default '\\D')", "3\t\\D\ty\n"));
    }

    @Test
    void extraDataFailsAsInPostgres() {
        CopyFormatException e = error("copy t from stdin", "1\tx\ty\n2\tb\tc\td\n");
        assertEquals("22P04", e.sqlState());
        assertEquals("extra data after last expected column", e.getMessage());
        assertEquals("COPY t, line 2: \"2\tb\tc\td\"", e.context());
        assertEquals("extra data after last expected column", error("copy t from stdin (format csv)", "1,\"x,y\",z,w\n").getMessage());
    }

    @Test
    void missingColumnsGoToAnyShardWhichReportsThemAfterTheColumnsBeforeThem() {
        assertEquals(List.of(CopyKeyReader.ANY_SHARD, 2L), keys("copy t (b, c, id) from stdin", "x\ty\n\\N\tz\t2\n"));
        assertEquals(List.of(CopyKeyReader.ANY_SHARD), keys("copy t from stdin", "7\tx\n"));
        assertEquals(List.of(CopyKeyReader.ANY_SHARD), keys("copy t from stdin", "\\N\tx\n"));
    }

    @Test
    void unterminatedCsvQuoteFails() {
        CopyFormatException e = error("copy t from stdin (format csv)", "1,x,y\n2,\"abc");
        assertEquals("22P04", e.sqlState());
        assertEquals("unterminated CSV quoted field", e.getMessage());
        assertEquals("COPY t, line 2: \"2,\"abc\"", e.context());
    }

    @Test
    void escapesThatMakeInvalidUtf8FailWhereverTheyAre() {
        CopyFormatException e = error("copy t from stdin", "1\tx\ty\n2\t\\xff\tz\n");
        assertEquals("22021", e.sqlState());
        assertEquals("invalid byte sequence for encoding \"UTF8\": 0xff", e.getMessage());
        assertEquals("COPY t, line 2: \"2\t\\xff\tz\"", e.context());
        assertEquals("invalid byte sequence for encoding \"UTF8\": 0x00", error("copy t from stdin", "2\t\\0\tz\n").getMessage());
        assertEquals("invalid byte sequence for encoding \"UTF8\": 0xff",
                error("copy t from stdin", "2\t\\xff\tz\textra\n").getMessage());
        assertEquals(List.of(2L), keys("copy t from stdin (null '\\xff')", "2\t\\xff\tz\n"));
    }

    @Test
    void integerKeysReadAsPostgres16Reads() {
        assertEquals(List.of(16L, 1000L, 8L, 5L, -9223372036854775808L), keys("copy t from stdin",
                "0x10\ta\tb\n1_000\ta\tb\n0o10\ta\tb\n0b101\ta\tb\n-9223372036854775808\ta\tb\n"));
        assertEquals(List.of(CopyKeyReader.ANY_SHARD, CopyKeyReader.ANY_SHARD, CopyKeyReader.ANY_SHARD),
                keys("copy t from stdin", "abc\ta\tb\n9223372036854775808\ta\tb\n1.5\ta\tb\n"));
    }

    @Test
    void uuidKeys() {
        UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertEquals(List.of(u, u, CopyKeyReader.ANY_SHARD), keys("copy tu from stdin",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\tv\n{A0EEBC999C0B4EF8BB6D6BB9BD380A11}\tv\nnope\tv\n"));
    }

    @Test
    void longRowsAreShownCutAt100BytesInContexts() {
        String longB = "x".repeat(150);
        CopyFormatException e = error("copy t from stdin", "1\t" + longB + "\ty\tz\n");
        assertEquals("COPY t, line 1: \"1\t" + "x".repeat(98) + "...\"", e.context());
        String accents = "\u00e9".repeat(80);
        e = error("copy t from stdin", "1\t" + accents + "\ty\tz\n");
        assertTrue(e.context().endsWith("...\""), e.context());
        assertEquals("COPY t, line 1: \"1\t" + "\u00e9".repeat(49) + "...\"", e.context());
    }

    @Test
    void binaryKeys() {
        assertEquals(List.of(7L, -1L, 1L << 40), keys("copy t from stdin (format binary)",
                binary(field(int4(7)), field(int2((short) -1)), field(int8(1L << 40)))));
        assertEquals(List.of(CopyKeyReader.ANY_SHARD), keys("copy t from stdin (format binary)", binary(field(new byte[3]))));
        CopyFormatException e = assertThrows(CopyFormatException.class,
                () -> keys("copy t from stdin (format binary)", binary((byte[]) null)));
        assertEquals("23502", e.sqlState());
        assertEquals("COPY t, line 1", e.context());
        assertEquals(List.of("k\u00e9"), keys("copy tt from stdin (format binary)",
                binaryTuples(2, field("k\u00e9".getBytes(StandardCharsets.UTF_8)), field(new byte[0]))));
    }

    /** A binary COPY stream of three-column tuples whose key (first) field is each given field. */
    private static byte[] binary(byte[]... keyFields) {
        ByteBuffer b = ByteBuffer.allocate(1000);
        b.put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(0);
        for (byte[] k : keyFields) {
            b.putShort((short) 3);
            if (k == null) {
                b.putInt(-1);
            } else {
                b.put(k);
            }
            b.putInt(-1).putInt(1).put((byte) 'c');
        }
        b.putShort((short) -1);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] binaryTuples(int columns, byte[]... fields) {
        ByteBuffer b = ByteBuffer.allocate(1000);
        b.put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(0).putShort((short) columns);
        for (byte[] f : fields) {
            b.put(f);
        }
        b.putShort((short) -1);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] field(byte[] value) {
        return ByteBuffer.allocate(4 + value.length).putInt(value.length).put(value).array();
    }

    private static byte[] int2(short v) {
        return ByteBuffer.allocate(2).putShort(v).array();
    }

    private static byte[] int4(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static byte[] int8(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
