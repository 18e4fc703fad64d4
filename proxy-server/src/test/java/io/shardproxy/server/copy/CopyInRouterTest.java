package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.shardproxy.server.copy.CopyFixtures.plan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COPY FROM rows to their shards: t is sharded by id with abs(mod(id, 4)) = shard. */
class CopyInRouterTest {

    private static final class Shards {
        final ByteArrayOutputStream[] out = new ByteArrayOutputStream[4];
        int writes;

        Shards() {
            for (int i = 0; i < 4; i++) {
                out[i] = new ByteArrayOutputStream();
            }
        }

        void write(int shard, byte[] b, int off, int len) {
            out[shard].write(b, off, len);
            writes++;
        }

        String text(int shard) {
            return out[shard].toString(StandardCharsets.UTF_8);
        }
    }

    private static CopyInRouter router(String sql, Shards shards, int batch) {
        Plan.Copy p = plan(sql);
        return new CopyInRouter(p, CopyLayout.of(p, 170011), 4, shards::write, batch, 4096);
    }

    private static Shards route(String sql, String data, int chunk) {
        Shards shards = new Shards();
        CopyInRouter r = router(sql, shards, 64);
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p < d.length; p += chunk) {
            r.feed(d, p, Math.min(chunk, d.length - p));
        }
        r.finish();
        return shards;
    }

    @Test
    void eachRowGoesToItsKeysShardAsSent() {
        for (int chunk : new int[] {1, 3, 100}) {
            Shards s = route("copy t from stdin", "1\ta\tb\n4\tc\td\n-6\te\tf\n5\tg\th\n\\.\nignored\n", chunk);
            assertEquals("4\tc\td\n", s.text(0));
            assertEquals("1\ta\tb\n5\tg\th\n", s.text(1));
            assertEquals("-6\te\tf\n", s.text(2));
            assertEquals("", s.text(3));
        }
    }

    @Test
    void headerGoesToEveryShardAndLineEndingsStayAsSent() {
        Shards s = route("copy t from stdin (format csv, header match)", "id,b,c\r\n3,\"x\r\ny\",z\r\n2,a,b", 5);
        assertEquals("id,b,c\r\n", s.text(0));
        assertEquals("id,b,c\r\n", s.text(1));
        assertEquals("id,b,c\r\n2,a,b", s.text(2));
        assertEquals("id,b,c\r\n3,\"x\r\ny\",z\r\n", s.text(3));
    }

    @Test
    void invalidKeysGoToTheFirstShardWhichRejectsThem() {
        Shards s = route("copy t (b, c, id) from stdin", "a\tb\tx\nonly\n", 100);
        assertEquals("a\tb\tx\nonly\n", s.text(0));
    }

    @Test
    void malformedRowFailsBeforeAnythingOfItIsSent() {
        Shards shards = new Shards();
        CopyInRouter r = router("copy t from stdin", shards, 1 << 20);
        byte[] d = "1\ta\tb\n2\ta\tb\tc\n".getBytes(StandardCharsets.UTF_8);
        CopyFormatException e = assertThrows(CopyFormatException.class, () -> r.feed(d, 0, d.length));
        assertEquals("extra data after last expected column", e.getMessage());
        assertEquals(0, shards.writes);
    }

    @Test
    void batchesAreBoundedAndBigRowsGoAlone() {
        Shards shards = new Shards();
        CopyInRouter r = router("copy t from stdin", shards, 64);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append(i * 4).append("\tabcdefghij\tk\n");
        }
        sb.append("0\t").append("x".repeat(1000)).append("\ty\n");
        byte[] d = sb.toString().getBytes(StandardCharsets.UTF_8);
        r.feed(d, 0, d.length);
        r.finish();
        assertEquals(sb.toString(), shards.text(0));
        assertTrue(shards.writes > 30, "written in batches: " + shards.writes);
        assertEquals(201, r.rows(0));
    }

    @Test
    void lineMapsNameTheClientsLines() {
        Shards shards = new Shards();
        CopyInRouter r = router("copy t from stdin (format csv, header)", shards, 64);
        byte[] d = "id,b,c\n1,a,b\n2,\"x\ny\",c\n5,a,b\n6,a,b\n".getBytes(StandardCharsets.UTF_8);
        r.feed(d, 0, d.length);
        r.finish();
        // shard 1: header (line 1), rows at client lines 2 and 5; shard 2: header, row on lines 3-4, row at 6
        assertEquals(List.of(1L, 2L, 5L), List.of(r.lines(1).clientLine(1), r.lines(1).clientLine(2), r.lines(1).clientLine(3)));
        assertEquals(List.of(3L, 4L, 6L), List.of(r.lines(2).clientLine(2), r.lines(2).clientLine(3), r.lines(2).clientLine(4)));
    }

    @Test
    void firstRowOnAShardCountsQuotedCarriageReturnsLikeItsFirstLine() {
        Shards shards = new Shards();
        CopyInRouter r = router("copy t from stdin (format csv)", shards, 64);
        // Client: line 1 sets LF endings, so the quoted CR in row 2 does not count there (row 2 is line 2);
        // shard 2 reads that row as its first line, before it knows the ending, so the CR counts: its line 2.
        byte[] d = "1,a,b\n2,\"x\ry\",c\n".getBytes(StandardCharsets.UTF_8);
        r.feed(d, 0, d.length);
        r.finish();
        assertEquals(2, r.lines(2).clientLine(2));
        assertEquals(-1, r.lines(2).clientLine(3));
    }

    @Test
    void binaryHeaderToEveryShardAndOneTrailerEach() {
        ByteBuffer b = ByteBuffer.allocate(200).put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(0);
        b.putShort((short) 3).putInt(4).putInt(6).putInt(-1).putInt(-1);
        b.putShort((short) -1);
        byte[] d = Arrays.copyOf(b.array(), b.position());
        Shards shards = new Shards();
        CopyInRouter r = router("copy t from stdin (format binary)", shards, 64);
        r.feed(d, 0, d.length);
        r.finish();
        byte[] header = Arrays.copyOf(d, 19);
        byte[] empty = ByteBuffer.allocate(21).put(header).putShort((short) -1).array();
        assertArrayEquals(empty, shards.out[0].toByteArray());
        assertArrayEquals(d, shards.out[2].toByteArray());
        assertEquals(1, r.lines(2).clientLine(1));
    }

    @Test
    void onlyRouteRowsPlansAreRouted() {
        assertThrows(IllegalArgumentException.class, () -> router("copy t to stdout", new Shards(), 64));
    }
}
