package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import io.shardproxy.router.shard.PgHash;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PgHash against a live PostgreSQL: thousands of random values per type, extremes included, each
 * batch hashed by one query over {@code unnest} of an array, for seed 0 (what sharding uses) and a
 * random seed. Also the bucket an operator would compute in SQL, {@code abs(mod(h, 7))}.
 * A failure names the random seed that reproduces it.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgHashMatchesPostgresTest {

    private static final int VALUES = 5_000;
    private static final int BUCKETS = 7;

    private final long randomSeed = System.nanoTime();
    private final Random random = new Random(randomSeed);
    private Connection connection;

    @BeforeAll
    void connect(PgCluster cluster) throws SQLException {
        connection = DriverManager.getConnection(cluster.oracle().jdbcUrl(cluster.database()));
    }

    @AfterAll
    void disconnect() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @ParameterizedTest(name = "hash seed {0}")
    @ValueSource(longs = {0, 1, -1, 0x0123456789abcdefL, Long.MIN_VALUE})
    void int8(long seed) throws SQLException {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
                (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, Integer.MIN_VALUE - 1L, Integer.MAX_VALUE + 1L,
                1L << 32, -(1L << 32), (long) Short.MIN_VALUE, (long) Short.MAX_VALUE));
        while (values.size() < VALUES) {
            switch (random.nextInt(3)) {
                case 0:
                    values.add(random.nextLong());
                    break;
                case 1:
                    values.add((long) random.nextInt());
                    break;
                default:
                    values.add((long) random.nextInt(2001) - 1000);
                    break;
            }
        }
        compare("int8", "hashint8extended", values, seed, v -> PgHash.hashInt8Extended(v, seed));
        compareBuckets("int8", "hashint8extended", values, v -> PgHash.hashInt8Extended(v, 0));
    }

    @ParameterizedTest(name = "hash seed {0}")
    @ValueSource(longs = {0, 0x0123456789abcdefL})
    void int4(long seed) throws SQLException {
        List<Integer> values = new ArrayList<>(List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE));
        while (values.size() < VALUES) {
            values.add(random.nextBoolean() ? random.nextInt() : random.nextInt(2001) - 1000);
        }
        compare("int4", "hashint4extended", values, seed, v -> PgHash.hashInt4Extended(v, seed));
    }

    @ParameterizedTest(name = "hash seed {0}")
    @ValueSource(longs = {0, 0x0123456789abcdefL})
    void int2(long seed) throws SQLException {
        List<Short> values = new ArrayList<>(List.of((short) 0, (short) 1, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE));
        while (values.size() < VALUES) {
            values.add((short) random.nextInt(1 << 16));
        }
        compare("int2", "hashint2extended", values, seed, v -> PgHash.hashInt2Extended(v, seed));
    }

    @ParameterizedTest(name = "hash seed {0}")
    @ValueSource(longs = {0, -1, 0x0123456789abcdefL})
    void text(long seed) throws SQLException {
        List<String> values = new ArrayList<>(List.of("", "a", "abcdefghijkl", "abcdefghijklm", "héllo", "日本語", "😀"));
        while (values.size() < VALUES) {
            values.add(randomText(random.nextInt(101)));
        }
        compare("text", "hashtextextended", values, seed, v -> PgHash.hashTextExtended(v, seed));
        compareBuckets("text", "hashtextextended", values, v -> PgHash.hashTextExtended(v, 0));
    }

    @ParameterizedTest(name = "hash seed {0}")
    @ValueSource(longs = {0, 0x0123456789abcdefL})
    void uuid(long seed) throws SQLException {
        List<UUID> values = new ArrayList<>(List.of(new UUID(0, 0), new UUID(-1, -1)));
        while (values.size() < VALUES) {
            values.add(random.nextBoolean() ? new UUID(random.nextLong(), random.nextLong()) : UUID.randomUUID());
        }
        compare("uuid", "uuid_hash_extended", values, seed, v -> PgHash.uuidHashExtended(v, seed));
        compareBuckets("uuid", "uuid_hash_extended", values, v -> PgHash.uuidHashExtended(v, 0));
    }

    /** One query for the whole batch; WITH ORDINALITY keeps PostgreSQL's rows in the array's order. */
    private <T> void compare(String type, String function, List<T> values, long seed, Function<T, Long> java)
            throws SQLException {
        String sql = "SELECT " + function + "(v, ?) FROM unnest(?::" + type + "[]) WITH ORDINALITY AS t(v, i) ORDER BY i";
        List<Long> expected = queryLongs(sql, type, values, seed);
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            assertEquals(expected.get(i), java.apply(value),
                    () -> function + "(" + describe(value) + ", " + seed + ") with random seed " + randomSeed);
        }
    }

    /** The bucket an operator computes in SQL, {@code abs(mod(h, 7))}, against {@link PgHash#bucket}. */
    private <T> void compareBuckets(String type, String function, List<T> values, Function<T, Long> java)
            throws SQLException {
        String sql = "SELECT abs(mod(" + function + "(v, ?), " + BUCKETS + ")) "
                + "FROM unnest(?::" + type + "[]) WITH ORDINALITY AS t(v, i) ORDER BY i";
        List<Long> expected = queryLongs(sql, type, values, 0);
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            assertEquals(expected.get(i).intValue(), PgHash.bucket(java.apply(value), BUCKETS),
                    () -> "bucket of " + describe(value) + " with random seed " + randomSeed);
        }
    }

    private <T> List<Long> queryLongs(String sql, String type, List<T> values, long seed) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, seed);
            Array array = connection.createArrayOf(type, values.toArray());
            statement.setArray(2, array);
            List<Long> results = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    results.add(rows.getLong(1));
                }
            }
            array.free();
            assertEquals(values.size(), results.size());
            return results;
        }
    }

    /**
     * Random text of {@code codePoints} code points: mostly ASCII, some 2- and 3-byte UTF-8, some
     * 4-byte (outside the BMP, surrogate pairs in Java); never NUL, which text cannot hold.
     */
    private String randomText(int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int kind = random.nextInt(10);
            int codePoint;
            if (kind < 5) {
                codePoint = 1 + random.nextInt(0x7f);
            } else if (kind < 7) {
                codePoint = 0x80 + random.nextInt(0x800 - 0x80);
            } else if (kind < 9) {
                do {
                    codePoint = 0x800 + random.nextInt(0x10000 - 0x800);
                } while (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
            } else {
                codePoint = 0x10000 + random.nextInt(Character.MAX_CODE_POINT + 1 - 0x10000);
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            StringBuilder escaped = new StringBuilder("'");
            ((String) value).codePoints().forEach(cp -> escaped.append(cp < 0x80 ? Character.toString(cp) : String.format("\\u%04x", cp)));
            return escaped.append("'").toString();
        }
        return String.valueOf(value);
    }
}
