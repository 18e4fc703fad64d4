package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol as a client sees it, byte for byte, compared with one unsharded PostgreSQL (the
 * oracle) given the same input: answers to SSLRequest and GSSENCRequest, the startup greeting,
 * command tags, empty queries, notices, error positions and ReadyForQuery's transaction status.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolBehaviourTest {
    private static final String TABLE = "proto_tbl";
    private static final String USER = "raw";

    private ProxyFixture fixture;

    @BeforeAll
    void startProxy(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.trustUser(USER, false).sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private RawPgClient proxy() throws IOException {
        return RawPgClient.loggedIn(fixture.port(), USER, fixture.cluster().database());
    }

    private RawPgClient oracle() throws IOException {
        return RawPgClient.loggedIn(fixture.cluster().oracle().port(), "postgres", fixture.cluster().database());
    }

    @Test
    void sslAndGssEncRequestsWithoutTlsAreAnsweredNAndStartupFollows() throws IOException {
        try (RawPgClient c = RawPgClient.connect(fixture.port())) {
            c.send(RawPgClient.request(80877104));
            assertEquals('N', c.readByte(), "GSSENCRequest");
            c.send(RawPgClient.request(80877103));
            assertEquals('N', c.readByte(), "SSLRequest");
            c.send(RawPgClient.startup(USER, fixture.cluster().database()));
            List<RawPgClient.Message> greeting = c.readUntilReady();
            assertEquals('R', greeting.get(0).type());
        }
    }

    @Test
    void greetingReportsTheShardsServerVersionAndUtf8() throws IOException {
        try (RawPgClient c = RawPgClient.connect(fixture.port()); RawPgClient o = RawPgClient.connect(
                fixture.cluster().oracle().port())) {
            c.send(RawPgClient.startup(USER, fixture.cluster().database()));
            o.send(RawPgClient.startup("postgres", fixture.cluster().database()));
            Map<String, String> proxy = parameters(c.readUntilReady());
            Map<String, String> direct = parameters(o.readUntilReady());
            assertEquals(direct.get("server_version"), proxy.get("server_version"));
            assertEquals(direct.get("server_encoding"), proxy.get("server_encoding"));
            assertEquals("UTF8", proxy.get("client_encoding"));
            assertEquals("on", proxy.get("standard_conforming_strings"));
            assertEquals("on", proxy.get("integer_datetimes"));
            assertTrue(proxy.get("DateStyle").startsWith("ISO"), proxy.get("DateStyle"));
        }
    }

    @Test
    void commandTagsEqualPostgresTagsStatementByStatement() throws IOException {
        String[] statements = {
            "create table " + TABLE + " (id int primary key, v text)",
            "insert into " + TABLE + " values (1, 'a'), (2, 'b'), (3, 'c'), (5, 'e')",
            "insert into " + TABLE + " values (4, 'd')",
            "update " + TABLE + " set v = 'x' where id in (1, 2)",
            "update " + TABLE + " set v = 'y'",
            "delete from " + TABLE + " where id = 3",
            "select * from " + TABLE + " where id = 1",
            "select * from " + TABLE,
            "select count(*) from " + TABLE,
            "begin", "insert into " + TABLE + " values (6, 'f')", "commit",
            "start transaction", "rollback",
            "set statement_timeout = '5s'", "reset statement_timeout", "show statement_timeout",
            "create index on " + TABLE + " (v)",
            "truncate " + TABLE,
            "drop table " + TABLE,
        };
        try (RawPgClient c = proxy(); RawPgClient o = oracle()) {
            for (String sql : statements) {
                assertEquals(tags(o, sql), tags(c, sql), sql);
            }
        }
    }

    @Test
    void emptyQueriesGetEmptyQueryResponse() throws IOException {
        try (RawPgClient c = proxy(); RawPgClient o = oracle()) {
            for (String sql : new String[] {"", "  ", "-- only a comment", ";"}) {
                assertEquals(types(o, sql), types(c, sql), "'" + sql + "'");
            }
        }
    }

    @Test
    void shardNoticesReachTheClientWithTheirFields() throws IOException {
        String sql = "drop table if exists proto_no_such_table";
        try (RawPgClient c = proxy(); RawPgClient o = oracle()) {
            RawPgClient.Message fromProxy = first(c, sql, 'N');
            RawPgClient.Message fromOracle = first(o, sql, 'N');
            assertEquals(fromOracle.fields().get('C'), fromProxy.fields().get('C'));
            assertEquals(fromOracle.fields().get('M'), fromProxy.fields().get('M'));
            assertEquals(fromOracle.fields().get('S'), fromProxy.fields().get('S'));
        }
    }

    @Test
    void errorPositionPointsIntoTheClientsQueryString() throws IOException {
        String sql = "select 1; select 2;  select * from proto_no_such_relation";
        try (RawPgClient c = proxy(); RawPgClient o = oracle()) {
            RawPgClient.Message fromProxy = first(c, sql, 'E');
            RawPgClient.Message fromOracle = first(o, sql, 'E');
            assertEquals(fromOracle.sqlState(), fromProxy.sqlState());
            assertEquals(fromOracle.fields().get('M'), fromProxy.fields().get('M'));
            assertEquals(fromOracle.fields().get('P'), fromProxy.fields().get('P'));
        }
    }

    @Test
    void readyForQueryStatusFollowsTheTransactionBlock() throws IOException {
        String[] script = {"begin", "select 1", "select 1/0", "select 1", "rollback", "select 1"};
        try (RawPgClient c = proxy(); RawPgClient o = oracle()) {
            for (String sql : script) {
                assertEquals(status(o, sql), status(c, sql), sql);
            }
        }
    }

    private static Map<String, String> parameters(List<RawPgClient.Message> greeting) {
        Map<String, String> out = new java.util.HashMap<>();
        for (RawPgClient.Message m : greeting) {
            if (m.type() == 'S') {
                String body = new String(m.body(), StandardCharsets.UTF_8);
                String[] kv = body.split("\0");
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return out;
    }

    /** The CommandComplete tags (and error SQLSTATEs) of one Query. */
    private static List<String> tags(RawPgClient c, String sql) throws IOException {
        List<String> out = new ArrayList<>();
        c.send(RawPgClient.query(sql));
        for (RawPgClient.Message m : c.readUntilReady()) {
            if (m.type() == 'C') {
                out.add(new String(m.body(), 0, m.body().length - 1, StandardCharsets.UTF_8));
            } else if (m.type() == 'E') {
                out.add("ERROR " + m.sqlState());
            }
        }
        return out;
    }

    private static List<Character> types(RawPgClient c, String sql) throws IOException {
        List<Character> out = new ArrayList<>();
        c.send(RawPgClient.query(sql));
        for (RawPgClient.Message m : c.readUntilReady()) {
            out.add(m.type());
        }
        return out;
    }

    private static RawPgClient.Message first(RawPgClient c, String sql, char type) throws IOException {
        c.send(RawPgClient.query(sql));
        RawPgClient.Message found = null;
        for (RawPgClient.Message m : c.readUntilReady()) {
            if (m.type() == type && found == null) {
                found = m;
            }
        }
        if (found == null) {
            throw new AssertionError("no '" + type + "' message for " + sql);
        }
        return found;
    }

    /** The transaction status byte of the ReadyForQuery that ends one Query. */
    private static char status(RawPgClient c, String sql) throws IOException {
        c.send(RawPgClient.query(sql));
        List<RawPgClient.Message> ms = c.readUntilReady();
        return (char) ms.get(ms.size() - 1).body()[0];
    }
}
