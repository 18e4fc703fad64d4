package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.Parameters;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Prepared statements: analyzed once, routed at each bind by the values of their parameters. */
class ParameterRoutingTest {
    private final Routing r = new Routing();

    /** Text parameter values; a null element is SQL NULL. */
    private static Parameters values(String... values) {
        return new Parameters() {
            @Override
            public int count() {
                return values.length;
            }

            @Override
            public boolean isNull(int n) {
                return values[n - 1] == null;
            }

            @Override
            public String text(int n) {
                return values[n - 1];
            }
        };
    }

    private Prepared prepare(String sql) {
        List<Statement> statements = r.router.split(sql);
        assertEquals(1, statements.size());
        return r.router.prepare(statements.get(0));
    }

    private List<Integer> shards(Prepared p, String... values) {
        return ((Plan.Query) r.router.bind(p, values(values))).statements().stream()
                .map(ShardStatement::shard).collect(Collectors.toList());
    }

    @Test
    void pointSelectRoutesByTheBoundKey() {
        Prepared p = prepare("SELECT info FROM tbl WHERE id = $1");
        assertEquals(1, p.parameters());
        assertEquals(List.of(1), shards(p, "5"));
        assertEquals(List.of(2), shards(p, "6"));
        assertEquals(List.of(3), shards(p, "-7"));
        Plan.Query q = (Plan.Query) r.router.bind(p, values("6"));
        assertEquals("SELECT info FROM tbl WHERE id = $1", q.statements().get(0).sql(), "sent as written, $1 and all");
    }

    @Test
    void textAndUuidKeysRouteByTheirValues() {
        // acme hashes to bucket 14 of 16 (s3); see InsertRoutingTest.
        assertEquals(List.of(3), shards(prepare("SELECT * FROM events WHERE tenant_id = $1"), "acme"));
        Prepared uuid = prepare("SELECT * FROM sessions WHERE sid = $1::uuid");
        assertEquals(r.shards("SELECT * FROM sessions WHERE sid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
                shards(uuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    }

    @Test
    void aValueThatIsNotAKeyOfTheKeyTypeFansOut() {
        assertEquals(List.of(0, 1, 2, 3), shards(prepare("SELECT * FROM tbl WHERE id = $1"), "abc"));
        assertEquals(List.of(0, 1, 2, 3), shards(prepare("SELECT * FROM tbl WHERE id = $2"), "1"),
                "a parameter the bind does not supply");
    }

    @Test
    void anUnreadableValueFansOutRatherThanGuessing() {
        Prepared p = prepare("SELECT * FROM tbl WHERE id = $1");
        Parameters unreadable = new Parameters() {
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
                return null;
            }
        };
        assertEquals(4, ((Plan.Query) r.router.bind(p, unreadable)).statements().size());
    }

    @Test
    void inListOfParametersGoesToTheirShards() {
        assertEquals(List.of(1, 2), shards(prepare("SELECT * FROM tbl WHERE id IN ($1, $2, $3)"), "1", "2", "5"));
    }

    @Test
    void multiRowInsertSplitsByBoundKeysAndKeepsParameterNumbers() {
        Prepared p = prepare("INSERT INTO tbl (id, info) VALUES ($1, $2), ($3, $4)");
        assertEquals(4, p.parameters());
        Plan.Query q = (Plan.Query) r.router.bind(p, values("1", "a", "2", "b"));
        assertEquals(List.of(new ShardStatement(1, "INSERT INTO tbl (id, info) VALUES ($1, $2)"),
                new ShardStatement(2, "INSERT INTO tbl (id, info) VALUES ($3, $4)")), q.statements());
        q = (Plan.Query) r.router.bind(p, values("1", "a", "5", "b"));
        assertEquals(List.of(new ShardStatement(1, "INSERT INTO tbl (id, info) VALUES ($1, $2), ($3, $4)")),
                q.statements());
    }

    @Test
    void insertWithANullKeyIsRefusedAt23502() {
        Prepared p = prepare("INSERT INTO tbl (id, info) VALUES ($1, $2)");
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> r.router.bind(p, values(null, "x")));
        assertEquals(SqlState.NOT_NULL_VIOLATION, e.state());
    }

    @Test
    void aNullKeyInAWhereMatchesNothingOnOneShard() {
        assertEquals(1, shards(prepare("SELECT * FROM tbl WHERE id = $1"), (String) null).size());
    }

    @Test
    void limitFromAParameterBoundsTheMerge() {
        Prepared p = prepare("SELECT id FROM tbl ORDER BY id LIMIT $1");
        Plan.Query q = (Plan.Query) r.router.bind(p, values("3"));
        assertEquals(3, q.rowLimit());
        MergePlan.Limit limit = (MergePlan.Limit) q.merge();
        assertEquals(3, limit.count());
        assertEquals(10, ((MergePlan.Limit) ((Plan.Query) r.router.bind(p, values("10"))).merge()).count());
    }

    @Test
    void theAnalysisIsCachedOncePerStatementShape() {
        Prepared p = prepare("SELECT info FROM tbl WHERE id = $1");
        int cached = r.router.cachedShapes();
        for (int i = 0; i < 10; i++) {
            shards(p, Integer.toString(i));
        }
        assertEquals(cached, r.router.cachedShapes());
    }

    @Test
    void adminCommandsAndExplainArePlannedAtBind() {
        Prepared p = prepare("EXPLAIN SELECT * FROM tbl WHERE id = $1");
        assertNull(p.shape());
        assertEquals(List.of(1), ((Plan.Query) r.router.bind(p, values("5"))).statements().stream()
                .map(ShardStatement::shard).collect(Collectors.toList()));
        assertEquals(Plan.Admin.class, r.router.bind(prepare("SHOW SHARDS"), Parameters.NONE).getClass());
        assertNotNull(prepare("SHOW search_path").shape(), "an ordinary SHOW is not an admin command");
    }

    @Test
    void highestParameterCountsTheLargestNumber() {
        assertEquals(3, prepare("SELECT $3, $1").parameters());
        assertEquals(0, prepare("SELECT '$1', \"$2\" FROM tbl").parameters());
        assertEquals(Integer.MAX_VALUE, prepare("SELECT $99999999999").parameters());
    }
}
