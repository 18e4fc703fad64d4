package io.shardproxy.bench;

import io.shardproxy.config.ConfigLoader;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The router of sql-router's tests (its {@code Routing} fixture, copied since test code is not
 * published): four shards s0..s3, tbl(id, info, crt_time) sharded by id with mod over 4 buckets,
 * and a catalog answered from memory the way a shard would describe the fixture's columns. The
 * catalog is only asked on a shape-cache miss, so it never runs inside a measured call.
 */
final class RouterFixture {

    private static final String YAML = String.join("\n",
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

    private RouterFixture() {
    }

    static Router router() {
        ProxyConfig config = ConfigLoader.parse(YAML, "bench.yaml", Map.of());
        return new Router(config, new FixtureCatalog());
    }

    /** Column orders and types from memory, as sql-router's test fixture answers them. */
    private static final class FixtureCatalog implements Catalog {
        private static final Map<String, List<String>> COLUMNS = Map.of(
                "tbl", List.of("id", "info", "crt_time"),
                "events", List.of("tenant_id", "payload"),
                "items", List.of("sku", "id", "info"));
        private static final Set<String> AGGREGATES = Set.of(
                "count", "sum", "avg", "min", "max", "string_agg", "array_agg", "stddev", "bool_and");

        @Override
        public List<String> columns(String table) {
            return COLUMNS.get(table);
        }

        @Override
        public boolean isAggregate(String function) {
            return AGGREGATES.contains(function);
        }

        /**
         * Types by expression text: the fixture's text and timestamp columns, float columns named
         * score, numeric columns named price; int4 else.
         */
        @Override
        public List<Integer> describe(String query) {
            String list = query.substring("SELECT ".length(), query.toLowerCase().indexOf(" from "));
            List<Integer> types = new ArrayList<>();
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

        private static int typeOf(String expression) {
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
    }
}
