package io.shardproxy.server.copy;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static io.shardproxy.server.copy.CopyFixtures.Row;
import static io.shardproxy.server.copy.CopyFixtures.layout;
import static io.shardproxy.server.copy.CopyFixtures.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Binary COPY data into header and tuples; errors as PostgreSQL 17.11 reports them. */
class BinaryRowSplitterTest {
    private static final CopyLayout BINARY = layout("copy t from stdin (format binary)");

    private static ByteBuffer header() {
        return ByteBuffer.allocate(4096).put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(0);
    }

    private static ByteBuffer tuple(ByteBuffer b, Integer id) {
        b.putShort((short) 3);
        if (id == null) {
            b.putInt(-1);
        } else {
            b.putInt(4).putInt(id);
        }
        return b.putInt(1).put((byte) 'x').putInt(-1);
    }

    private static byte[] bytes(ByteBuffer b) {
        return Arrays.copyOf(b.array(), b.position());
    }

    private static List<Row> rows(byte[] data) {
        List<Row> whole = split(BINARY, data);
        for (int cut = 1; cut < data.length; cut++) {
            assertEquals(whole, split(BINARY, data, cut, 1, 5), "cut at " + cut);
        }
        return whole;
    }

    private static CopyFormatException error(byte[] data) {
        CopyFormatException e = assertThrows(CopyFormatException.class, () -> split(BINARY, data));
        for (int cut = 1; cut < data.length; cut++) {
            int c = cut;
            CopyFormatException e2 = assertThrows(CopyFormatException.class, () -> split(BINARY, data, c, 1));
            assertEquals(e.getMessage(), e2.getMessage());
            assertEquals(e.context(), e2.context());
        }
        return e;
    }

    @Test
    void headerAndTuplesAreRowsNumberedFromOne() {
        List<Row> rows = rows(bytes(tuple(tuple(header(), 1), 2).putShort((short) -1)));
        assertEquals(3, rows.size());
        assertEquals(true, rows.get(0).header());
        assertEquals(19, rows.get(0).content().length());
        assertEquals(List.of(1L, 2L), List.of(rows.get(1).line(), rows.get(2).line()));
        assertEquals(2 + 8 + 5 + 4, rows.get(1).content().length());
    }

    @Test
    void headerExtensionTravelsWithTheHeader() {
        ByteBuffer b = ByteBuffer.allocate(100).put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(3).put(new byte[] {1, 2, 3});
        List<Row> rows = rows(bytes(tuple(b, 5)));
        assertEquals(22, rows.get(0).content().length());
        assertEquals(2, rows.size());
    }

    @Test
    void dataMayEndWithoutTrailerOrWithALoneByte() {
        assertEquals(2, rows(bytes(tuple(header(), 1))).size());
        assertEquals(2, rows(bytes(tuple(header(), 1).put((byte) 0xff))).size());
        assertEquals(1, rows(bytes(header())).size());
    }

    @Test
    void headerErrorsHaveNoContext() {
        CopyFormatException e = assertThrows(CopyFormatException.class, () -> split(BINARY, new byte[0]));
        assertEquals("COPY file signature not recognized", e.getMessage());
        assertNull(e.context());
        assertEquals("COPY file signature not recognized", error("PGCOPY\nX".getBytes()).getMessage());
        assertEquals("invalid COPY file header (missing flags)",
                error(Arrays.copyOf(BinaryRowSplitter.SIGNATURE, 13)).getMessage());
        assertEquals("invalid COPY file header (WITH OIDS)",
                error(bytes(ByteBuffer.allocate(40).put(BinaryRowSplitter.SIGNATURE).putInt(1 << 16).putInt(0))).getMessage());
        assertEquals("unrecognized critical flags in COPY file header",
                error(bytes(ByteBuffer.allocate(40).put(BinaryRowSplitter.SIGNATURE).putInt(1 << 17).putInt(0))).getMessage());
        assertEquals("invalid COPY file header (missing length)",
                error(bytes(ByteBuffer.allocate(40).put(BinaryRowSplitter.SIGNATURE).putInt(0).putShort((short) 0))).getMessage());
        assertEquals("invalid COPY file header (wrong length)",
                error(bytes(ByteBuffer.allocate(40).put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(5).put((byte) 1))).getMessage());
        assertEquals(1, rows(bytes(ByteBuffer.allocate(40).put(BinaryRowSplitter.SIGNATURE).putInt(1).putInt(0))).size());
    }

    @Test
    void tupleErrorsNameTheLineAndColumn() {
        CopyFormatException e = error(bytes(header().putShort((short) 2)));
        assertEquals("row field count is 2, expected 3", e.getMessage());
        assertEquals("COPY t, line 1", e.context());
        e = error(bytes(tuple(header(), 1).putShort((short) 3).putInt(4).putInt(1).putInt(-2)));
        assertEquals("invalid field size", e.getMessage());
        assertEquals("COPY t, line 2, column b", e.context());
        e = error(bytes(header().putShort((short) 3).putInt(4).putInt(1).putInt(5).put((byte) 'a')));
        assertEquals("unexpected EOF in COPY data", e.getMessage());
        assertEquals("COPY t, line 1, column b", e.context());
        e = error(bytes(header().putShort((short) 3).putInt(4).putInt(1).putShort((short) 0)));
        assertEquals("unexpected EOF in COPY data", e.getMessage());
        assertEquals("COPY t, line 1, column b", e.context());
    }

    @Test
    void dataAfterTheTrailerFails() {
        CopyFormatException e = error(bytes(tuple(header(), 1).putShort((short) -1).put((byte) 0)));
        assertEquals("received copy data after EOF marker", e.getMessage());
        assertEquals("COPY t, line 2", e.context());
        CopyRowSplitter s = CopyRowSplitter.create(BINARY);
        s.feed(bytes(tuple(header(), 1).putShort((short) -1)), r -> { });
        assertEquals(true, s.ended());
        assertThrows(CopyFormatException.class, () -> s.feed(new byte[] {1}, r -> { }));
    }
}
