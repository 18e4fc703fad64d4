package io.shardproxy.it;

import static io.shardproxy.it.SqlAssertions.assertSqlState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Who may connect and who may run admin commands: wrong passwords (SCRAM and md5) and unknown
 * users all get the same 28P01 while other clients carry on; a trust user needs no password;
 * SHOW SHARDS, SHOW SHARDING and EXPLAIN ROUTE are for admin users only (42501 for others), and
 * SHOW SHARDS never shows a shard password.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthAndAdminTest {
    private static final String TABLE = "auth_tbl";
    private static final String SCRAM_USER = "auth_scram";
    private static final String SCRAM_PASSWORD = "scram-pw";
    private static final String MD5_USER = "auth_md5";
    private static final String MD5_PASSWORD = "md5-pw";
    private static final String TRUST_USER = "auth_trust";
    private static final String SHARD_PASSWORD = "shard-Pass-7";
    private static final String URL_PASSWORD = "url-Pass-9";

    private ProxyFixture fixture;

    @BeforeAll
    void startProxy(PgCluster cluster) throws SQLException {
        fixture = ProxyFixture.start(cluster, y -> y.scramUser(SCRAM_USER, SCRAM_PASSWORD, false)
                .md5User(MD5_USER, MD5_PASSWORD, false)
                .trustUser(TRUST_USER, false)
                .shardPassword(SHARD_PASSWORD)
                .shardUrlProperties("connectTimeout=10&password=" + URL_PASSWORD)
                .sharded(TABLE, "id", "hash", "integer", 8));
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void wrongScramPasswordFailsWith28P01WhileOtherClientsKeepWorking() throws SQLException {
        try (Connection other = fixture.connect(MD5_USER, MD5_PASSWORD)) {
            ServerErrorMessage e = assertSqlState("28P01", () -> fixture.connect(SCRAM_USER, "wrong").close());
            assertEquals("password authentication failed for user \"" + SCRAM_USER + "\"", e.getMessage());
            assertAnswers(other);
        }
        try (Connection again = fixture.connect(SCRAM_USER, SCRAM_PASSWORD)) {
            assertAnswers(again);
        }
    }

    @Test
    void wrongMd5PasswordFailsWith28P01WhileOtherClientsKeepWorking() throws SQLException {
        try (Connection other = fixture.connect(SCRAM_USER, SCRAM_PASSWORD)) {
            ServerErrorMessage e = assertSqlState("28P01", () -> fixture.connect(MD5_USER, "wrong").close());
            assertEquals("password authentication failed for user \"" + MD5_USER + "\"", e.getMessage());
            assertAnswers(other);
        }
        try (Connection again = fixture.connect(MD5_USER, MD5_PASSWORD)) {
            assertAnswers(again);
        }
    }

    @Test
    void unknownUserFailsWith28P01LikeAWrongPassword() {
        ServerErrorMessage e = assertSqlState("28P01", () -> fixture.connect("auth_nobody", "whatever").close());
        assertEquals("password authentication failed for user \"auth_nobody\"", e.getMessage());
        assertEquals("FATAL", e.getSeverity());
    }

    @Test
    void trustUserConnectsWithoutAPassword() throws SQLException {
        try (Connection c = fixture.connect(TRUST_USER, null)) {
            assertAnswers(c);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"show shards", "SHOW SHARDING", "explain route select * from auth_tbl where id = 1"})
    void nonAdminUserGets42501ForAdminCommandsAndStaysConnected(String sql) throws SQLException {
        try (Connection c = fixture.connect(MD5_USER, MD5_PASSWORD)) {
            assertSqlState("42501", () -> ResultTable.query(c, sql));
            assertAnswers(c);
        }
    }

    @Test
    void adminSeesEveryShardAndNoPassword() throws SQLException {
        try (Connection c = fixture.connect()) {
            ResultTable shards = ResultTable.query(c, "show shards");
            assertEquals(List.of("s0", "s1", "s2", "s3"), shards.rows().stream().map(r -> r.get(0)).toList());
            for (List<String> row : shards.rows()) {
                for (String cell : row) {
                    assertFalse(cell != null && (cell.contains(SHARD_PASSWORD) || cell.contains(URL_PASSWORD)),
                            () -> "a password in SHOW SHARDS: " + shards.describe(10));
                }
                assertTrue(row.get(1).contains("password=***"), row.get(1));
            }
        }
    }

    @Test
    void adminSeesTheShardingRulesAndRoutes() throws SQLException {
        try (Connection c = fixture.connect()) {
            ResultTable rules = ResultTable.query(c, "show sharding");
            List<String> rule = rules.rows().stream().filter(r -> r.get(0).equals(TABLE)).findFirst()
                    .orElseThrow(() -> new AssertionError(rules.describe(10)));
            assertEquals(List.of(TABLE, "sharded", "id", "hash", "integer", "8"), rule.subList(0, 6));
            ResultTable route = ResultTable.query(c, "explain route select * from " + TABLE);
            assertEquals(List.of("s0", "s1", "s2", "s3"), route.rows().stream().map(r -> r.get(1)).toList());
        }
    }

    private static void assertAnswers(Connection c) throws SQLException {
        assertEquals(List.of(List.of("1")), ResultTable.query(c, "select 1").rows());
    }
}
