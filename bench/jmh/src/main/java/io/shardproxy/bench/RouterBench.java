package io.shardproxy.bench;

import io.shardproxy.router.Prepared;
import io.shardproxy.router.Router;
import io.shardproxy.router.plan.Parameters;
import io.shardproxy.router.plan.Plan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The router's work per statement for a statement shape already in its cache: lex the text, build
 * the shape, find its template, bind this statement's values and route. Keyed statements cycle
 * through {@value #VARIANTS} texts that differ only in the key, so every call lexes a fresh
 * statement but hits the cached shape, as a steady workload does; the setup plans each shape once,
 * so Calcite never runs inside a measured call. The Plan goes to a Blackhole.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBench {

    private static final int VARIANTS = 1024;
    private static final String AGGREGATE = "select count(*), sum(id), avg(id) from tbl";
    private static final String TOP_10 = "select * from tbl order by crt_time desc limit 10";

    private Router router;
    private final String[] pointSelects = new String[VARIANTS];
    private final String[] inserts = new String[VARIANTS];
    private final Parameters[] keys = new Parameters[VARIANTS];
    private Prepared preparedPointSelect;
    private int next;

    @Setup
    public void setUp() {
        router = RouterFixture.router();
        for (int i = 0; i < VARIANTS; i++) {
            pointSelects[i] = "select * from tbl where id = " + i;
            inserts[i] = "insert into tbl (id, info, crt_time) values (" + i + ", 'x', now())";
            keys[i] = new Key(Integer.toString(i));
        }
        preparedPointSelect = router.prepare(router.split("select * from tbl where id = $1").get(0));
        for (String sql : new String[] {pointSelects[0], inserts[0], AGGREGATE, TOP_10}) {
            plan(sql);
        }
        router.bind(preparedPointSelect, keys[0]);
    }

    /** Point select {@code select * from tbl where id = N}, N different on every call: one shard. */
    @Benchmark
    public void pointSelect(Blackhole out) {
        out.consume(plan(pointSelects[nextVariant()]));
    }

    /** Single-row {@code insert into tbl (id, info, crt_time) values (N, 'x', now())}: one shard. */
    @Benchmark
    public void insert(Blackhole out) {
        out.consume(plan(inserts[nextVariant()]));
    }

    /** W3's shape {@code count(*), sum(id), avg(id)}: fan-out to 4 shards, avg rewritten to sum and count. */
    @Benchmark
    public void fanOutAggregate(Blackhole out) {
        out.consume(plan(AGGREGATE));
    }

    /** W4's shape, a top-10 by timestamp: fan-out with LIMIT 10 on each shard and a merge-sort plan. */
    @Benchmark
    public void topTen(Blackhole out) {
        out.consume(plan(TOP_10));
    }

    /**
     * The extended protocol's Bind and Execute of {@code select * from tbl where id = $1}, prepared
     * once (Parse): bind with a different key on every call and route by it.
     */
    @Benchmark
    public void preparedPointSelectBind(Blackhole out) {
        out.consume(router.bind(preparedPointSelect, keys[nextVariant()]));
    }

    private Plan plan(String sql) {
        return router.plan(router.split(sql).get(0));
    }

    private int nextVariant() {
        next = (next + 1) & (VARIANTS - 1);
        return next;
    }

    /** One text parameter value, as a Bind message supplies it. */
    private record Key(String text) implements Parameters {
        @Override
        public int count() {
            return 1;
        }

        @Override
        public boolean isNull(int n) {
            return false;
        }

        @Override
        public String text(int n) {
            return text;
        }
    }
}
