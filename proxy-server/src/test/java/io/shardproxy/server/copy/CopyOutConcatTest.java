package io.shardproxy.server.copy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.shardproxy.server.copy.CopyFixtures.plan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Several shards' COPY TO output made into one stream. */
class CopyOutConcatTest {

    private static List<String> text(String options, List<List<String>> shards) {
        List<String> out = new ArrayList<>();
        CopyOutConcat c = new CopyOutConcat(plan("copy t to stdout " + options).options(),
                b -> out.add(new String(b, StandardCharsets.UTF_8)));
        for (List<String> messages : shards) {
            messages.forEach(m -> c.data(m.getBytes(StandardCharsets.UTF_8)));
            c.endShard();
        }
        c.finish();
        return out;
    }

    @Test
    void textWithoutHeaderPassesEveryMessage() {
        assertEquals(List.of("1\n", "2\n", "3\n"), text("", List.of(List.of("1\n", "2\n"), List.of(), List.of("3\n"))));
    }

    @Test
    void headerOfLaterShardsIsDropped() {
        assertEquals(List.of("id,b\n", "1,x\n", "2,y\n"), text("(format csv, header)",
                List.of(List.of("id,b\n", "1,x\n"), List.of("id,b\n"), List.of("id,b\n", "2,y\n"))));
    }

    private static byte[] shardOutput(int extension, int... ids) {
        ByteBuffer b = ByteBuffer.allocate(1000).put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(extension)
                .put(new byte[extension]);
        for (int id : ids) {
            b.putShort((short) 1).putInt(4).putInt(id);
        }
        b.putShort((short) -1);
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void binaryKeepsOneHeaderAndOneTrailerWhateverTheMessageBoundaries() {
        byte[] expected = ByteBuffer.allocate(1000).put(BinaryRowSplitter.SIGNATURE).putInt(0).putInt(0)
                .putShort((short) 1).putInt(4).putInt(1).putShort((short) 1).putInt(4).putInt(2)
                .putShort((short) 1).putInt(4).putInt(3).putShort((short) -1).array();
        expected = Arrays.copyOf(expected, 19 + 3 * 10 + 2);
        List<byte[]> shards = List.of(shardOutput(0, 1), shardOutput(4, 2, 3), shardOutput(0));
        for (int chunk = 1; chunk <= 40; chunk++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CopyOutConcat c = new CopyOutConcat(plan("copy t to stdout (format binary)").options(), out::writeBytes);
            for (byte[] s : shards) {
                for (int p = 0; p < s.length; p += chunk) {
                    c.data(Arrays.copyOfRange(s, p, Math.min(s.length, p + chunk)));
                }
                c.endShard();
            }
            c.finish();
            assertArrayEquals(expected, out.toByteArray(), "chunk " + chunk);
        }
    }

    @Test
    void binaryShardWithoutTrailerIsABug() {
        CopyOutConcat c = new CopyOutConcat(plan("copy t to stdout (format binary)").options(), b -> { });
        c.data(Arrays.copyOf(shardOutput(0, 1), 25));
        assertThrows(IllegalStateException.class, c::endShard);
    }
}
