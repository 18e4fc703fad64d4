package io.shardproxy.it;

import static io.shardproxy.it.SqlAssertions.assertSqlState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.ServerErrorMessage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Input a well-behaved driver never sends, on a raw socket: malformed messages and messages over
 * the size limit get one ErrorResponse and the connection is closed, and a pgjdbc client on
 * another connection works before and after. The fast-path function call and unsupported SQL get
 * 0A000 and leave the connection usable.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final String TABLE = "bad_input_tbl";
    private static final String TRUST_USER = "bad_input_trust";
    /** Small, so a test can go past it cheaply; a message's length word counts itself, not its type byte. */
    private static final int MAX_MESSAGE_BYTES = 4096;

    private ProxyFixture fixture;
    private String database;
    /** A well-behaved client on its own connection, checked before and after each test. */
    private Connection bystander;

    @BeforeAll
    void startProxy(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.trustUser(TRUST_USER, false).maxMessageBytes(MAX_MESSAGE_BYTES)
                .sharded(TABLE, "id", "mod", "integer", 4));
        database = cluster.database();
        fixture.onEveryServer("drop table if exists " + TABLE);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, v int)",
                    "insert into " + TABLE + " values (1, 10), (2, 10), (3, 30)");
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void bystanderWorksBefore() throws SQLException {
        bystander = fixture.connect();
        assertBystanderWorks();
    }

    @AfterEach
    void bystanderWorksAfter() throws SQLException {
        try (Connection c = bystander) {
            assertBystanderWorks();
        }
    }

    @Test
    void unknownMessageTypeGetsProtocolViolationAndTheConnectionCloses() throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, database)) {
            raw.send(RawPgClient.header('x', 4));
            assertFatalThenClosed(raw, "08P01");
        }
    }

    @Test
    void lengthShorterThanItselfGetsProtocolViolationAndTheConnectionCloses() throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, database)) {
            raw.send(RawPgClient.header('Q', 3));
            assertFatalThenClosed(raw, "08P01");
        }
    }

    @Test
    void queryWithoutItsTerminatingNulGetsProtocolViolationAndTheConnectionCloses() throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, database)) {
            raw.send(RawPgClient.typed('Q', "select 1".getBytes(StandardCharsets.US_ASCII)));
            assertFatalThenClosed(raw, "08P01");
        }
    }

    @Test
    void badStartupPacketLengthGetsProtocolViolationAndTheConnectionCloses() throws IOException {
        try (RawPgClient raw = RawPgClient.connect(fixture.port())) {
            raw.send(ByteBuffer.allocate(8).putInt(3).putInt(196608).array());
            assertFatalThenClosed(raw, "08P01");
        }
    }

    @Test
    void messageOverTheLimitIsRefusedFromItsHeaderAlone() throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, database)) {
            // Only the header is sent: the answer cannot come from a proxy that waits for the body.
            raw.send(RawPgClient.header('Q', 64 * 1024 * 1024));
            RawPgClient.Message e = assertFatalThenClosed(raw, "54000");
            assertTrue(e.fields().get('M').contains(Integer.toString(MAX_MESSAGE_BYTES)), e.fields().toString());
        }
    }

    @Test
    void messageOfExactlyTheLimitIsAccepted() throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, database)) {
            String prefix = "select length('";
            String suffix = "')";
            // length word (4) + SQL + NUL (1) = the limit
            String filler = "x".repeat(MAX_MESSAGE_BYTES - 4 - 1 - prefix.length() - suffix.length());
            byte[] query = RawPgClient.query(prefix + filler + suffix);
            assertEquals(1 + MAX_MESSAGE_BYTES, query.length);
            raw.send(query);
            List<RawPgClient.Message> answer = raw.readUntilReady();
            assertEquals("TDCZ", types(answer));
            assertEquals(Integer.toString(filler.length()), dataRowValue(answer.get(1)));
        }
    }

    @Test
    void functionCallGets0A000AndReadyForQueryWithoutWaitingForSync() throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, database)) {
            // FunctionCall: Int32 function OID, Int16 0 argument formats, Int16 0 arguments, Int16 0 result format
            raw.send(RawPgClient.typed('F', new byte[] {0, 0, 0x04, 0x2e, 0, 0, 0, 0, 0, 0}));
            List<RawPgClient.Message> answer = raw.readUntilReady();
            assertEquals("EZ", types(answer));
            assertEquals("0A000", answer.get(0).sqlState());

            raw.send(RawPgClient.query("select 7"));
            List<RawPgClient.Message> rows = raw.readUntilReady();
            assertEquals("TDCZ", types(rows));
            assertEquals("7", dataRowValue(rows.get(1)));
        }
    }

    @Test
    void passwordMessageAfterAuthenticationGetsProtocolViolationAndTheConnectionCloses() throws IOException {
        try (RawPgClient raw = RawPgClient.loggedIn(fixture.port(), TRUST_USER, database)) {
            raw.send(RawPgClient.typed('p', new byte[] {'x', 0}));
            assertFatalThenClosed(raw, "08P01");
        }
    }

    @Test
    void unsupportedSqlGets0A000WithAHintAndTheSessionGoesOn() throws SQLException {
        ServerErrorMessage e = assertSqlState("0A000",
                () -> ResultTable.query(bystander, "select v, count(*) + 1 from " + TABLE + " group by v"));
        assertNotNull(e.getHint());
        assertEquals(List.of(List.of("3")), ResultTable.query(bystander, "select count(*) from " + TABLE).rows());
    }

    /** Reads one ErrorResponse of severity FATAL with {@code sqlState}, then expects the connection closed. */
    private static RawPgClient.Message assertFatalThenClosed(RawPgClient raw, String sqlState) throws IOException {
        RawPgClient.Message e = raw.read();
        assertEquals('E', e.type(), "ErrorResponse");
        assertEquals(sqlState, e.sqlState(), e.fields().toString());
        assertEquals("FATAL", e.fields().get('V'));
        assertTrue(raw.closedByProxy(), "the proxy closes the connection after the error");
        return e;
    }

    private void assertBystanderWorks() throws SQLException {
        assertEquals(List.of(List.of("3")), ResultTable.query(bystander, "select count(*) from " + TABLE).rows());
    }

    private static String types(List<RawPgClient.Message> messages) {
        return messages.stream().map(m -> String.valueOf(m.type())).collect(Collectors.joining());
    }

    /** The only value of a one-column DataRow: Int16 1, Int32 length, Byte[length]. */
    private static String dataRowValue(RawPgClient.Message row) {
        ByteBuffer b = ByteBuffer.wrap(row.body());
        assertEquals(1, b.getShort());
        byte[] value = new byte[b.getInt()];
        b.get(value);
        return new String(value, StandardCharsets.UTF_8);
    }
}
