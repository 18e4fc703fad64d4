package io.shardproxy.server.copy;

import io.shardproxy.config.ConfigLoader;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.Router;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.plan.Plan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * COPY plans from the real router over four shards: t (id int, b text, c text) sharded by id with
 * mod over 4 buckets, tt (k text, v text) by text k with hash over 8 buckets, tu (u uuid, v text)
 * by uuid u, and helpers that run data through a splitter.
 */
final class CopyFixtures {
    static final String YAML = String.join("\n",
            "users:",
            "  - {name: app, auth: trust}",
            "shards:",
            "  - {name: s0, url: 'jdbc:postgresql://127.0.0.1:5432/db0', user: postgres}",
            "  - {name: s1, url: 'jdbc:postgresql://127.0.0.1:5432/db1', user: postgres}",
            "  - {name: s2, url: 'jdbc:postgresql://127.0.0.1:5432/db2', user: postgres}",
            "  - {name: s3, url: 'jdbc:postgresql://127.0.0.1:5432/db3', user: postgres}",
            "sharded-tables:",
            "  - {name: t, shard-key: id, algorithm: mod, buckets: 4}",
            "  - {name: tt, shard-key: k, algorithm: hash, key-type: text, buckets: 8}",
            "  - {name: tu, shard-key: u, algorithm: hash, key-type: uuid, buckets: 4}",
            "");

    static final Catalog CATALOG = new Catalog() {
        @Override
        public List<String> columns(String table) {
            return Map.of("t", List.of("id", "b", "c"), "tt", List.of("k", "v"), "tu", List.of("u", "v")).get(table);
        }

        @Override
        public boolean isAggregate(String function) {
            return Set.of("count", "sum", "min", "max").contains(function);
        }

        @Override
        public List<Integer> describe(String query) {
            return List.of(23);
        }
    };

    static final ProxyConfig CONFIG = ConfigLoader.parse(YAML, "test.yaml", Map.of());
    static final Router ROUTER = new Router(CONFIG, CATALOG);

    private CopyFixtures() {
    }

    static Plan.Copy plan(String sql) {
        List<Statement> st = ROUTER.split(sql);
        return (Plan.Copy) ROUTER.plan(st.get(0));
    }

    static CopyLayout layout(String sql) {
        return CopyLayout.of(plan(sql), 170011);
    }

    static CopyLayout layout18(String sql) {
        return CopyLayout.of(plan(sql), 180000);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A row as the test sees it: its text (content only), line ending, line number and header flag. */
    record Row(String content, String eol, long line, boolean header) {
        @Override
        public String toString() {
            return (header ? "H:" : "") + line + ":" + content.replace("\n", "\\n").replace("\r", "\\r")
                    + "|" + eol.replace("\n", "\\n").replace("\r", "\\r");
        }
    }

    /** Runs the data through a fresh splitter in chunks of the given sizes (cycled), then finish. */
    static List<Row> split(CopyLayout layout, byte[] data, int... chunkSizes) {
        List<Row> rows = new ArrayList<>();
        RowSink sink = r -> rows.add(new Row(
                new String(r.data(), r.offset(), r.length(), StandardCharsets.ISO_8859_1),
                new String(r.data(), r.offset() + r.length(), r.eolLength(), StandardCharsets.ISO_8859_1),
                r.line(), r.header()));
        CopyRowSplitter s = CopyRowSplitter.create(layout);
        int p = 0;
        int k = 0;
        while (p < data.length) {
            int n = chunkSizes.length == 0 ? data.length : Math.min(chunkSizes[k++ % chunkSizes.length], data.length - p);
            byte[] chunk = new byte[n + 4];
            System.arraycopy(data, p, chunk, 2, n); // offset into a larger array: slices must be honoured
            s.feed(chunk, 2, n, sink);
            p += n;
        }
        s.finish(sink);
        return rows;
    }

    /** The raw bytes (content and line ending) of every row, concatenated. */
    static byte[] raw(CopyLayout layout, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyRowSplitter s = CopyRowSplitter.create(layout);
        RowSink sink = r -> out.write(r.data(), r.offset(), r.rawLength());
        s.feed(data, sink);
        s.finish(sink);
        return out.toByteArray();
    }
}
