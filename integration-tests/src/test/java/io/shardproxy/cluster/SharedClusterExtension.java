package io.shardproxy.cluster;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one shared cluster (4 shards + oracle, database {@code shardproxy}) for the
 * whole JVM: the first class that asks starts it, later classes reuse it, and it is closed when
 * the test run ends.
 *
 * <pre>{@code
 * @ExtendWith(SharedClusterExtension.class)
 * class MyIT {
 *     @Test
 *     void something(PgCluster cluster) { ... }   // also in constructors and @BeforeAll methods
 * }
 * }</pre>
 *
 * <p>The cluster lives in the root context's store, which JUnit closes (as an {@link AutoCloseable})
 * after the last test; the cluster's shutdown hook covers a JVM that ends otherwise. Because it is
 * shared, tests must not stop its servers or depend on tables other classes create: give tables
 * names of your own, and start a private {@link PgCluster} for fault tests.
 */
public final class SharedClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PgCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    /** The shared cluster, started on first use; for extensions and helpers that hold an {@link ExtensionContext}. */
    public static PgCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PgCluster.class,
                key -> PgCluster.builder().shards(4).oracle(true).start(), PgCluster.class);
    }
}
