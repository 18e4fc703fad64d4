package io.shardproxy.router;

import io.shardproxy.config.ConfigLoader;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The router under test, over four shards s0..s3: tbl sharded by id with mod over 4 buckets (the
 * reference design), events by text tenant_id with hash over 16 buckets, items by id with mod over
 * 8 buckets (two contiguous buckets per shard), sessions by uuid sid with hash over 4 buckets,
 * countries a reference table. Every other table is local to s0. The catalog knows the column
 * order of tbl, events and items (whose key is not its first column). Helpers plan one statement
 * and read the plan.
 */
final class Routing {
    static final String YAML = String.join("\n",
            "users:",
            "  - {name: app, auth: trust}",
            "shards:",
            "  - {name: s0, url: 'jdbc:postgresql://127.0.0.1:5432/db0', user: postgres}",
            "  - {name: s1, url: 'jdbc:postgresql://127.0.0.1:5432/db1', user: postgres}",
            "  - {name: s2, url: 'jdbc:postgresql://127.0.0.1:5432/db2', user: postgres}",
            "  - {name: s3, url: 'jdbc:postgresql://127.0.0.1:5432/db3', user: postgres}",
            "sharded-tables:",
            "  - {name: tbl, shard-key: id, algorithm: mod, buckets: 4}",
            "  - {name: events, shard-key: tenant_id, algorithm: hash, key-type: text, buckets: 16}",
            "  - {name: items, shard-key: id, algorithm: mod, buckets: 8}",
            "  - {name: sessions, shard-key: sid, algorithm: hash, key-type: uuid, buckets: 4}",
            "reference-tables:",
            "  - {name: countries}",
            "");

    static final Catalog CATALOG = new Catalog() {
        @Override
        public List<String> columns(String table) {
            return Map.of("tbl", List.of("id", "info", "crt_time"),
                    "events", List.of("tenant_id", "payload"),
                    "items", List.of("sku", "id", "info")).get(table);
        }

        @Override
        public boolean isAggregate(String function) {
            return Set.of("count", "sum", "avg", "min", "max", "string_agg", "array_agg", "stddev", "bool_and")
                    .contains(function);
        }

        /**
         * Types by expression text, as a shard would describe them: the fixture's text and
         * timestamp columns, float columns named score, numeric columns named price; int4 else.
         */
        @Override
        public List<Integer> describe(String query) {
            DESCRIBED.add(query);
            String list = query.substring("SELECT ".length(), query.toLowerCase().indexOf(" from "));
            List<Integer> types = new java.util.ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i <= list.length(); i++) {
                char c = i < list.length() ? list.charAt(i) : ',';
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    types.add(typeOf(list.substring(start, i).trim().replaceAll("^\\((.*)\\)$", "$1")));
                    start = i + 1;
                }
            }
            return types;
        }

        private int typeOf(String expression) {
            switch (expression) {
                case "info": case "payload": case "tenant_id": case "name": case "code": case "sku":
                    return 25;
                case "crt_time":
                    return 1114;
                case "score":
                    return 701;
                case "price":
                    return 1700;
                default:
                    return 23;
            }
        }
    };

    /** The queries the router asked the catalog to describe. */
    static final List<String> DESCRIBED = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    static final ProxyConfig CONFIG = ConfigLoader.parse(YAML, "test.yaml", Map.of());

    final Router router = new Router(CONFIG, CATALOG);

    Plan plan(String sql) {
        List<Statement> statements = router.split(sql);
        assertEquals(1, statements.size(), "one statement expected");
        return router.plan(statements.get(0));
    }

    Plan.Query query(String sql) {
        return (Plan.Query) plan(sql);
    }

    /** The target shard indexes. */
    List<Integer> shards(String sql) {
        return query(sql).statements().stream().map(ShardStatement::shard).collect(Collectors.toList());
    }

    /** The SQL sent to the first target shard. */
    String sentSql(String sql) {
        return query(sql).statements().get(0).sql();
    }

    ShardProxyException refused(String sql, SqlState state) {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> plan(sql));
        assertEquals(state, e.state(), e.getMessage());
        return e;
    }
}
