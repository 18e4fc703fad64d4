package io.shardproxy.server.relay;

import io.shardproxy.config.ShardConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which shard URLs get relay connections, and where those go. */
class RelayTargetTest {

    private static RelayTarget of(String url) {
        return RelayTarget.of(new ShardConfig("s0", url, "app", "pw", 8));
    }

    @Test
    void aLoopbackShardWithPgjdbcDefaults() {
        assertEquals(new RelayTarget("127.0.0.1", 5433, "db", "app", "pw"), of("jdbc:postgresql://127.0.0.1:5433/db"));
        assertEquals(new RelayTarget("localhost", 5432, "db", "app", "pw"), of("jdbc:postgresql://localhost/db"));
        assertEquals(new RelayTarget("::1", 6000, "db", "app", "pw"), of("jdbc:postgresql://[::1]:6000/db"));
    }

    @Test
    void aRemoteShardOnlyWhenTlsIsDeclined() {
        assertNull(of("jdbc:postgresql://10.0.0.5:5432/db"), "prefer: pgjdbc would encrypt");
        assertNull(of("jdbc:postgresql://10.0.0.5:5432/db?sslmode=prefer"));
        assertNull(of("jdbc:postgresql://10.0.0.5:5432/db?sslmode=require"));
        assertNull(of("jdbc:postgresql://127.0.0.1:5432/db?sslmode=verify-full"));
        assertEquals(new RelayTarget("10.0.0.5", 5432, "db", "app", "pw"), of("jdbc:postgresql://10.0.0.5:5432/db?sslmode=disable"));
        assertEquals(new RelayTarget("db.internal", 5432, "db", "app", "pw"),
                of("jdbc:postgresql://db.internal/db?sslmode=allow&connectTimeout=5&tcpKeepAlive=true"));
    }

    @Test
    void propertiesThatChangeTheSessionMeanNoRelay() {
        assertNull(of("jdbc:postgresql://127.0.0.1/db?options=-c%20search_path%3Dx"));
        assertNull(of("jdbc:postgresql://127.0.0.1/db?currentSchema=x"));
        assertNull(of("jdbc:postgresql://h1,h2/db?sslmode=disable"));
        assertNull(of("jdbc:postgresql://127.0.0.1/"));
        assertNull(of("jdbc:postgresql:db"));
    }

    @Test
    void credentialsInTheUrlFillInWhatTheConfigLeavesOut() {
        RelayTarget t = RelayTarget.of(new ShardConfig("s0", "jdbc:postgresql://127.0.0.1/db?user=u&password=p%26q", null, null, 8));
        assertEquals(new RelayTarget("127.0.0.1", 5432, "db", "u", "p&q"), t);
        assertEquals("RelayTarget[127.0.0.1:5432/db, user=u]", t.toString(), "no password in toString");
    }
}
