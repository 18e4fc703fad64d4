package io.shardproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every class that uses the extension gets the same running cluster of 4 shards and an oracle. */
@ExtendWith(SharedClusterExtension.class)
class SharedClusterExtensionTest {

    /** Whichever test resolves the cluster first records it; every later resolution must be the same object. */
    private static final AtomicReference<PgCluster> FIRST = new AtomicReference<>();

    private static void sameAsFirst(PgCluster cluster) {
        FIRST.compareAndSet(null, cluster);
        assertSame(FIRST.get(), cluster);
    }

    @Test
    void hasFourShardsAndAnOracle(PgCluster cluster) throws SQLException {
        sameAsFirst(cluster);
        assertEquals(4, cluster.shards().size());
        assertTrue(cluster.hasOracle());
        for (PgServer server : cluster.servers()) {
            assertTrue(server.isRunning(), server.name());
            assertEquals("1", PgClusterTest.query(server, "SELECT 1", cluster.database()));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AnotherClass {
        private PgCluster fromBeforeAll;

        @BeforeAll
        void resolveInLifecycleMethod(PgCluster cluster) {
            fromBeforeAll = cluster;
        }

        @Test
        void getsTheSameCluster(PgCluster cluster) {
            sameAsFirst(cluster);
            assertSame(fromBeforeAll, cluster);
        }
    }

    @Nested
    class YetAnotherClass {
        private final PgCluster fromConstructor;

        YetAnotherClass(PgCluster cluster) {
            this.fromConstructor = cluster;
        }

        @Test
        void getsTheSameClusterInItsConstructor() {
            sameAsFirst(fromConstructor);
        }
    }
}
