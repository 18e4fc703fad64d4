package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Statements with parameters are prepared once per shard connection and reused. After DDL through
 * the proxy they are prepared again, so a {@code SELECT *} sees the table's new columns at once.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardStatementCacheTest {
    private static final String TABLE = "ssc_tbl";

    private ProxyFixture fixture;

    @BeforeAll
    void start(PgCluster cluster) throws SQLException {
        // One connection per shard, so every execution reuses the same shard connection.
        fixture = ProxyFixture.start(cluster, y -> y.poolSize(1).sharded(TABLE, "id", "mod", "integer", 4));
        fixture.onEveryServer("drop table if exists " + TABLE);
        try (Connection c = fixture.connect()) {
            ProxyFixture.execute(c, "create table " + TABLE + " (id int primary key, v text)",
                    "insert into " + TABLE + " values (1, 'one'), (2, 'two')");
        }
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void ddlThroughTheProxyPreparesStatementsAgain() throws SQLException {
        try (Connection c = fixture.connectExtended()) {
            assertEquals(2, columns(c, 1));
            assertEquals(2, columns(c, 1));
            try (Connection admin = fixture.connect()) {
                ProxyFixture.execute(admin, "alter table " + TABLE + " add column w int");
            }
            assertEquals(3, columns(c, 1));
            try (Connection admin = fixture.connect()) {
                ProxyFixture.execute(admin, "alter table " + TABLE + " drop column w");
            }
            assertEquals(2, columns(c, 1));
        }
    }

    /** Columns of {@code select *} for row {@code id}, with a parameter (so the proxy binds it). */
    private static int columns(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select * from " + TABLE + " where id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getMetaData().getColumnCount();
            }
        }
    }
}
