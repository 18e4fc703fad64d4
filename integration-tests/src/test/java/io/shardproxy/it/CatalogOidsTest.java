package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.ProxyYaml;
import io.shardproxy.cluster.SharedClusterExtension;
import io.shardproxy.merge.Column;
import io.shardproxy.server.exec.BoundValues;
import io.shardproxy.server.exec.CatalogOids;
import io.shardproxy.server.exec.ShardCatalog;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.exec.ShardResult;
import io.shardproxy.server.types.BinaryFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.shardproxy.it.Wire.formats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OIDs of user-defined objects differ between shards; {@link CatalogOids} translates a shard's
 * to the catalog shard's (shard 0), and {@link BinaryFormat} with the catalog's types sends
 * enums, domains and arrays of them as PostgreSQL does. The same enum, domains and table are
 * created on the four shards in different orders, after different dummy objects, so every OID
 * differs (asserted); the expected bytes are what shard 0 itself sends in binary.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CatalogOidsTest {
    private static final String TABLE = "oid_items";
    private static final String COLUMNS = "id, mood, qty, feel, moods, qtys, feels, moods_d";
    private static final String[] TYPES = {"oid_mood", "oid_posint", "oid_mood_d", "oid_moods",
        "oid_mood[]", "oid_posint[]", "oid_mood_d[]", TABLE};

    private static final String MOOD = "create type oid_mood as enum ('sad', 'ok', 'happy', 'très \"content\", sûr')";
    private static final String POSINT = "create domain oid_posint as int4 check (value > 0)";
    private static final String MOOD_D = "create domain oid_mood_d as oid_mood";
    private static final String MOODS = "create domain oid_moods as oid_mood[]";
    private static final String ITEMS = "create table " + TABLE + " (id int8 primary key, mood oid_mood, qty oid_posint,"
            + " feel oid_mood_d, moods oid_mood[], qtys oid_posint[], feels oid_mood_d[], moods_d oid_moods)";
    /** The same table with a column dropped before the others: its attribute numbers differ. */
    private static final String[] ITEMS_WITH_A_HOLE = {
        "create table " + TABLE + " (id int8 primary key, junk int, mood oid_mood, qty oid_posint,"
            + " feel oid_mood_d, moods oid_mood[], qtys oid_posint[], feels oid_mood_d[], moods_d oid_moods)",
        "alter table " + TABLE + " drop column junk"};
    private static final String INSERT = "insert into " + TABLE + " values"
            + " (1, 'happy', 7, 'sad', '{happy,NULL,\"très \\\"content\\\", sûr\"}', '{1,2,NULL}', '{ok,sad}', '{sad}'),"
            + " (2, 'très \"content\", sûr', 2147483647, 'très \"content\", sûr', '{{sad,ok},{happy,NULL}}', '{}',"
            + " '[0:1]={happy,ok}', '{}'),"
            + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

    private PgCluster cluster;
    private ExecutorService prefetcher;
    private ShardPools pools;
    private ShardCatalog catalog;

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        this.cluster = cluster;
        dropAll();
        // Different orders, and before them an enum whose labels use up 50 OIDs more per shard,
        // so each object's OID differs on every shard whatever earlier tests created everywhere.
        String[][] ddl = {
            {MOOD, POSINT, MOOD_D, MOODS, ITEMS},
            {"create table oid_pad_a (x int)", POSINT, MOOD, MOODS, MOOD_D, ITEMS},
            {"create table oid_pad_a (x int)", "create table oid_pad_b (x int)", MOOD, MOOD_D, POSINT, MOODS, ITEMS},
            {POSINT, "create table oid_pad_a (x int)", MOOD, "create domain oid_pad_d as text", MOODS, MOOD_D,
                ITEMS_WITH_A_HOLE[0], ITEMS_WITH_A_HOLE[1]},
        };
        for (int s = 0; s < 4; s++) {
            try (Connection c = shard(s)) {
                if (s > 0) {
                    StringBuilder labels = new StringBuilder();
                    for (int i = 0; i < 50 * s; i++) {
                        labels.append(i > 0 ? ", " : "").append("'l").append(i).append('\'');
                    }
                    ProxyFixture.execute(c, "create type oid_pad_e as enum (" + labels + ")");
                }
                ProxyFixture.execute(c, ddl[s]);
                ProxyFixture.execute(c, INSERT);
            }
        }
        prefetcher = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "oid-test-prefetch");
            t.setDaemon(true);
            return t;
        });
        pools = new ShardPools(ProxyYaml.forCluster(cluster).trustUser("oid_trust", false).config().shards(), prefetcher);
        catalog = new ShardCatalog(pools);
    }

    @AfterAll
    void stop() throws SQLException {
        if (pools != null) {
            pools.close();
        }
        if (prefetcher != null) {
            prefetcher.shutdownNow();
        }
        if (cluster != null) {
            dropAll();
        }
    }

    private void dropAll() throws SQLException {
        for (int s = 0; s < 4; s++) {
            try (Connection c = shard(s)) {
                ProxyFixture.execute(c, "drop table if exists " + TABLE + ", oid_pad_a, oid_pad_b, oid_probe",
                        "drop domain if exists oid_moods, oid_mood_d, oid_posint, oid_pad_d",
                        "drop type if exists oid_mood, oid_pad_e");
            }
        }
    }

    private Connection shard(int s) throws SQLException {
        return DriverManager.getConnection(cluster.shard(s).jdbcUrl(cluster.database()));
    }

    /** Each shard's OIDs of {@link #TYPES} and of the table, in that order, the table last. */
    private List<Long> oids(int s) throws SQLException {
        List<Long> oids = new ArrayList<>();
        try (Connection c = shard(s); Statement st = c.createStatement()) {
            for (String type : TYPES) {
                try (ResultSet r = st.executeQuery("select '" + type + "'::regtype::oid::int8")) {
                    r.next();
                    oids.add(r.getLong(1));
                }
            }
            try (ResultSet r = st.executeQuery("select '" + TABLE + "'::regclass::oid::int8")) {
                r.next();
                oids.add(r.getLong(1));
            }
        }
        return oids;
    }

    /** The columns shard {@code s} describes for {@code sql}, as a session gets them. */
    private List<Column> columnsOn(int s, String sql) {
        ShardConnection c = pools.acquire(s);
        try {
            return c.run(sql, false, 0).columns();
        } finally {
            pools.release(c);
        }
    }

    /** The rows of {@code sql} on shard {@code s} in text format. */
    private List<byte[][]> rowsOn(int s, String sql) {
        ShardConnection c = pools.acquire(s);
        try {
            ShardResult r = c.run(sql, false, 0);
            List<byte[][]> rows = new ArrayList<>();
            byte[][] row;
            while ((row = r.next()) != null) {
                rows.add(row);
            }
            return rows;
        } finally {
            pools.release(c);
        }
    }

    @Test
    void everyObjectHasADifferentOidOnEveryShard() throws SQLException {
        List<List<Long>> all = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            all.add(oids(s));
        }
        for (int i = 0; i < all.get(0).size(); i++) {
            for (int a = 0; a < 4; a++) {
                for (int b = a + 1; b < 4; b++) {
                    assertNotEquals(all.get(a).get(i), all.get(b).get(i), "object " + i + " on shards " + a + " and " + b);
                }
            }
        }
    }

    @Test
    void everyShardsRowDescriptionTranslatesToShardZeros() {
        String sql = "SELECT " + COLUMNS + ", t AS whole, moods[1] AS first, 1 AS one FROM " + TABLE + " t WHERE id = 1";
        List<Column> expected = columnsOn(0, sql);
        assertSame(expected, catalog.oids().translate(0, expected));
        for (int s = 1; s < 4; s++) {
            List<Column> own = columnsOn(s, sql);
            assertNotEquals(expected, own, "shard " + s + " numbers its objects differently");
            assertEquals(expected, catalog.oids().translate(s, own), "shard " + s);
            assertEquals(expected, catalog.oids().translate(s, own), "shard " + s + " again, from the cache");
            for (int i = 0; i < own.size(); i++) {
                assertEquals(expected.get(i), catalog.oids().translate(s, own.get(i)));
            }
        }
    }

    @Test
    void builtInResultsPassAsTheSameList() {
        List<Column> builtIn = columnsOn(2, "SELECT 1 AS a, 'x'::text AS b, now() AS c, relname FROM pg_class LIMIT 1");
        assertSame(builtIn, catalog.oids().translate(2, builtIn));
    }

    @Test
    void manySessionsTranslatingAtOnceAgree() throws Exception {
        catalog.invalidate();
        String sql = "SELECT " + COLUMNS + " FROM " + TABLE;
        List<Column> expected = columnsOn(0, sql);
        Map<Integer, List<Column>> own = new HashMap<>();
        for (int s = 1; s < 4; s++) {
            own.put(s, columnsOn(s, sql));
        }
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Future<List<Column>>> answers = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int s = 1 + i % 3;
                Callable<List<Column>> task = () -> catalog.oids().translate(s, own.get(s));
                answers.add(threads.submit(task));
            }
            for (Future<List<Column>> a : answers) {
                assertEquals(expected, a.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void translationsAreCachedUntilInvalidate() throws SQLException {
        try (Connection c = shard(0)) {
            ProxyFixture.execute(c, "create table oid_probe (a int)");
        }
        try (Connection c = shard(1)) {
            ProxyFixture.execute(c, "create table oid_pad_probe (a int)", "create table oid_probe (a int)",
                    "drop table oid_pad_probe");
        }
        int catalogOid = columnsOn(0, "SELECT a FROM oid_probe").get(0).tableOid();
        Column own = columnsOn(1, "SELECT a FROM oid_probe").get(0);
        assertNotEquals(catalogOid, own.tableOid());
        assertEquals(catalogOid, catalog.oids().translate(1, own).tableOid());
        // Renamed on shard 1 behind the proxy's back: the cached translation still holds...
        try (Connection c = shard(1)) {
            ProxyFixture.execute(c, "alter table oid_probe rename to oid_probe_renamed");
        }
        try {
            assertEquals(catalogOid, catalog.oids().translate(1, own).tableOid());
            // ...until DDL invalidates it: now shard 0 has no table of that name, the OID stays.
            catalog.invalidate();
            assertSame(own, catalog.oids().translate(1, own));
        } finally {
            try (Connection c = shard(1)) {
                ProxyFixture.execute(c, "drop table oid_probe_renamed");
            }
            try (Connection c = shard(0)) {
                ProxyFixture.execute(c, "drop table oid_probe");
            }
            catalog.invalidate();
        }
    }

    @Test
    void attributeNumbersFollowTheColumnNames() {
        // Shard 3's table dropped a column before the others: its attnums are one higher.
        List<Column> own = columnsOn(3, "SELECT mood, moods_d FROM " + TABLE);
        List<Column> expected = columnsOn(0, "SELECT mood, moods_d FROM " + TABLE);
        assertEquals(expected.get(0).attnum() + 1, own.get(0).attnum());
        assertEquals(expected, catalog.oids().translate(3, own));
    }

    /**
     * Every shard's text values, converted with the translated types and the catalog's resolver,
     * are byte for byte what shard 0 sends in binary; and shard 0's binary decodes to its text.
     */
    @Test
    void binaryValuesOfUserTypesAreWhatPostgresSends() throws IOException {
        String sql = "SELECT " + COLUMNS + " FROM " + TABLE + " ORDER BY id";
        List<byte[][]> binary = binaryRowsOfShardZero(sql);
        List<byte[][]> text = rowsOn(0, sql);
        assertEquals(3, binary.size());
        for (int s = 0; s < 4; s++) {
            List<Column> columns = catalog.oids().translate(s, columnsOn(s, sql));
            catalog.types().preload(columns);
            List<byte[][]> rows = rowsOn(s, sql);
            for (int r = 0; r < rows.size(); r++) {
                for (int i = 0; i < columns.size(); i++) {
                    int type = columns.get(i).typeOid();
                    String where = "shard " + s + " row " + r + " column " + columns.get(i).name();
                    assertTrue(BinaryFormat.supports(type, catalog.types()), where);
                    byte[] value = rows.get(r)[i];
                    if (value == null) {
                        assertNull(binary.get(r)[i], where);
                        continue;
                    }
                    byte[] encoded = BinaryFormat.encode(type, value, catalog.types());
                    assertEquals(Wire.hex(binary.get(r)[i]), Wire.hex(encoded), where);
                    if (s == 0) {
                        byte[] decoded = BinaryFormat.decode(type, binary.get(r)[i], catalog.types());
                        assertArrayEquals(text.get(r)[i], decoded, where);
                    }
                }
            }
        }
    }

    @Test
    void anArrayOfADomainNamesTheDomainInItsHeader() throws IOException, SQLException {
        List<byte[][]> binary = binaryRowsOfShardZero("SELECT qtys, feels, moods_d, moods FROM " + TABLE + " WHERE id = 1");
        List<Long> oids = oids(0);
        assertEquals(oids.get(1).intValue(), BinaryFormat.elementTypeOf(binary.get(0)[0]), "oid_posint[] names oid_posint");
        assertEquals(oids.get(2).intValue(), BinaryFormat.elementTypeOf(binary.get(0)[1]), "oid_mood_d[] names oid_mood_d");
        assertEquals(oids.get(0).intValue(), BinaryFormat.elementTypeOf(binary.get(0)[2]), "oid_moods names oid_mood");
        assertEquals(oids.get(0).intValue(), BinaryFormat.elementTypeOf(binary.get(0)[3]), "oid_mood[] names oid_mood");
    }

    @Test
    void compositesAndRangesStayUnsupported() {
        List<Column> columns = catalog.oids().translate(2,
                columnsOn(2, "SELECT t AS whole, int4range(1, 2) AS r, row(1, 'a') AS anon FROM " + TABLE + " t LIMIT 1"));
        for (Column c : columns) {
            assertFalse(BinaryFormat.supports(c.typeOid(), catalog.types()), c.name());
        }
    }

    @Test
    void parametersBoundWithCatalogOidsRunOnAnotherShard() throws SQLException {
        List<Long> zero = oids(0);
        int moodArray = zero.get(4).intValue();
        int mood = zero.get(0).intValue();
        byte[] moods = BinaryFormat.encode(moodArray, utf8("{happy,NULL,\"très \\\"content\\\", sûr\"}"), catalog.types());
        BoundValues bound = new BoundValues(new int[] {moodArray, mood}, new byte[][] {moods, utf8("happy")},
                new boolean[] {true, false});
        assertSame(bound, catalog.oids().toShard(0, bound));
        for (int s = 1; s < 4; s++) {
            List<Long> own = oids(s);
            assertEquals(own.get(4).intValue(), catalog.oids().typeOnShard(s, moodArray));
            BoundValues there = catalog.oids().toShard(s, bound);
            assertEquals(own.get(4).intValue(), there.types()[0]);
            assertEquals(own.get(0).intValue(), there.types()[1]);
            assertEquals(own.get(0).intValue(), BinaryFormat.elementTypeOf(there.values()[0]));
            ShardConnection c = pools.acquire(s);
            try {
                String sql = "SELECT count(*) FROM " + TABLE + " WHERE moods = $1 AND mood = $2";
                byte[][] row = c.run(sql, there, false, 0).next();
                assertEquals("1", new String(row[0], StandardCharsets.UTF_8), "shard " + s);
            } finally {
                pools.release(c);
            }
        }
        assertEquals(23, catalog.oids().typeOnShard(2, 23));
    }

    /** Shard 0's rows of {@code sql} with every column in binary, as PostgreSQL sends them (Bind result format 1). */
    private List<byte[][]> binaryRowsOfShardZero(String sql) throws IOException {
        try (RawPgClient pg = RawPgClient.loggedIn(cluster.shard(0).port(), "postgres", cluster.database())) {
            pg.send(Wire.messages().parse("", sql).bind("", "", formats(1)).execute("", 0).sync().bytes());
            List<byte[][]> rows = new ArrayList<>();
            for (RawPgClient.Message m : pg.readUntilReady()) {
                if (m.type() == 'E') {
                    throw new AssertionError("shard 0 refused " + sql + ": " + m.fields());
                }
                if (m.type() == 'D') {
                    rows.add(dataRow(m.body()));
                }
            }
            return rows;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** DataRow: Int16 n, then per column Int32 length (-1 for NULL) and the bytes. */
    private static byte[][] dataRow(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        byte[][] values = new byte[b.getShort()][];
        for (int i = 0; i < values.length; i++) {
            int length = b.getInt();
            if (length >= 0) {
                values[i] = new byte[length];
                b.get(values[i]);
            }
        }
        return values;
    }
}
