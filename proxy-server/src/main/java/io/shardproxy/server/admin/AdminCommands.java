package io.shardproxy.server.admin;

import io.shardproxy.merge.Column;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.router.shard.ShardMap;
import io.shardproxy.router.shard.ShardingRule;
import io.shardproxy.server.ProxyServices;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.txn.Coordinator;
import io.shardproxy.server.txn.Recovery;
import io.shardproxy.server.wire.BackendMessage;
import io.shardproxy.server.wire.CommandComplete;
import io.shardproxy.server.wire.DataRow;
import io.shardproxy.server.wire.RowDescription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The proxy's admin commands, answered by the proxy itself as ordinary result sets:
 * SHOW SHARDS, SHOW SHARDING (or SHOW TABLES) and EXPLAIN ROUTE.
 */
public final class AdminCommands {
    private static final int TEXT = 25;
    private static final int INT4 = 23;
    private static final int INT8 = 20;

    private AdminCommands() {
    }

    /** Writes the command's result through {@code out}. */
    public static void run(Plan.Admin admin, ProxyServices services, Consumer<BackendMessage> out) {
        switch (admin.command()) {
            case SHOW_SHARDS:
                showShards(services.pools(), out);
                break;
            case SHOW_SHARDING:
                showSharding(services.router().shards(), out);
                break;
            case SHOW_TRANSACTIONS:
                showTransactions(services.transactions(), out);
                break;
            case RECOVER_TRANSACTIONS:
                recoverTransactions(services.transactions(), out);
                break;
            default:
                explainRoute(admin.explained(), services.router().shards(), out);
        }
    }

    private static void showShards(ShardPools pools, Consumer<BackendMessage> out) {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < pools.size(); i++) {
            ShardPools.State s = pools.state(i);
            rows.add(new String[] {pools.name(i), pools.config(i).redactedUrl(), pools.config(i).user(),
                    Integer.toString(s.active()), Integer.toString(s.idle()), Integer.toString(s.total()),
                    Integer.toString(s.waiting()), Integer.toString(s.max())});
        }
        table(out, "SHOW", new String[] {"name", "url", "user", "pool_active", "pool_idle", "pool_total", "pool_waiting",
                "pool_max"}, new int[] {TEXT, TEXT, TEXT, INT4, INT4, INT4, INT4, INT4}, rows);
    }

    private static void showTransactions(Coordinator c, Consumer<BackendMessage> out) {
        Coordinator.Stats s = c.stats();
        table(out, "SHOW", new String[] {"proxy_run", "one_phase_commits", "two_phase_commits", "rolled_back_at_prepare",
                "unknown_outcome", "recovered_commits", "recovered_rollbacks", "committing_now"},
                new int[] {TEXT, INT8, INT8, INT8, INT8, INT8, INT8, INT8},
                List.<String[]>of(new String[] {c.instance(), Long.toString(s.onePhase()), Long.toString(s.twoPhase()),
                        Long.toString(s.rolledBackAtPrepare()), Long.toString(s.unknownOutcome()),
                        Long.toString(s.recoveredCommits()), Long.toString(s.recoveredRollbacks()),
                        Long.toString(s.inDoubtNow())}));
    }

    private static void recoverTransactions(Coordinator c, Consumer<BackendMessage> out) {
        Recovery.Result r = c.recover();
        table(out, "RECOVER", new String[] {"committed", "rolled_back", "left_to_live_proxies", "problems"},
                new int[] {INT4, INT4, INT4, TEXT},
                List.<String[]>of(new String[] {Integer.toString(r.committed()), Integer.toString(r.rolledBack()),
                        Integer.toString(r.skipped()), r.problems().isEmpty() ? null : String.join("; ", r.problems())}));
    }

    private static void showSharding(ShardMap map, Consumer<BackendMessage> out) {
        List<String[]> rows = new ArrayList<>();
        for (ShardingRule r : new TreeMap<>(map.rules()).values()) {
            rows.add(new String[] {r.table(), "sharded", r.keyColumn(), r.algorithm().configName(),
                    r.keyType().configName(), Integer.toString(r.buckets()), bucketMap(r, map),
                    r.bucketExpression(r.keyColumn())});
        }
        for (String t : new java.util.TreeSet<>(map.referenceTables())) {
            rows.add(new String[] {t, "reference", null, null, null, null, "every shard", null});
        }
        table(out, "SHOW", new String[] {"table", "kind", "shard_key", "algorithm", "key_type", "buckets", "bucket_map",
                "bucket_sql"}, new int[] {TEXT, TEXT, TEXT, TEXT, TEXT, INT4, TEXT, TEXT}, rows);
    }

    /** Buckets per shard as ranges, e.g. {@code s0: 0-1, s1: 2-3}. */
    static String bucketMap(ShardingRule r, ShardMap map) {
        Map<Integer, List<String>> ranges = new TreeMap<>();
        int b = 0;
        while (b < r.buckets()) {
            int shard = r.shardOfBucket(b);
            int lo = b;
            while (b + 1 < r.buckets() && r.shardOfBucket(b + 1) == shard) {
                b++;
            }
            ranges.computeIfAbsent(shard, k -> new ArrayList<>()).add(lo == b ? Integer.toString(lo) : lo + "-" + b);
            b++;
        }
        List<String> parts = new ArrayList<>();
        ranges.forEach((shard, rs) -> parts.add(map.shardName(shard) + ": " + String.join(", ", rs)));
        return String.join("; ", parts);
    }

    private static void explainRoute(List<Plan> plans, ShardMap map, Consumer<BackendMessage> out) {
        List<String[]> rows = new ArrayList<>();
        int n = 0;
        for (Plan p : plans) {
            n++;
            if (p instanceof Plan.Query) {
                Plan.Query q = (Plan.Query) p;
                String merge = q.merge() == null ? "none" : describe(q.merge());
                for (ShardStatement st : q.statements()) {
                    String shard = st.shard() == ShardStatement.ANY_SHARD ? "any one shard" : map.shardName(st.shard());
                    rows.add(new String[] {Integer.toString(n), shard, st.sql(), merge});
                }
            } else if (p instanceof Plan.KeyUpdate) {
                Plan.KeyUpdate k = (Plan.KeyUpdate) p;
                for (ShardStatement st : k.moves()) {
                    rows.add(new String[] {Integer.toString(n), map.shardName(st.shard()), st.sql(),
                            "move each row to the shard of its new key (insert into " + k.table() + ")"});
                }
            } else {
                rows.add(new String[] {Integer.toString(n), "proxy", p.getClass().getSimpleName().toLowerCase()
                        + " command, handled by the proxy", "none"});
            }
        }
        table(out, "EXPLAIN", new String[] {"statement", "shard", "sql", "merge"}, new int[] {INT4, TEXT, TEXT, TEXT}, rows);
    }

    /** A merge plan in words, e.g. {@code limit 10 offset 5 of merge-sort by column 2 desc nulls first}. */
    static String describe(MergePlan plan) {
        if (plan instanceof MergePlan.Concat) {
            return "concatenate";
        }
        if (plan instanceof MergePlan.MergeSort) {
            return "merge-sort by " + keys(((MergePlan.MergeSort) plan).keys());
        }
        if (plan instanceof MergePlan.Aggregate) {
            return "combine aggregates " + aggregates(((MergePlan.Aggregate) plan).columns());
        }
        if (plan instanceof MergePlan.GroupAggregate) {
            MergePlan.GroupAggregate g = (MergePlan.GroupAggregate) plan;
            List<MergePlan.AggregateColumn> aggs = new ArrayList<>();
            for (MergePlan.GroupColumn c : g.columns()) {
                if (c instanceof MergePlan.GroupColumn.Aggregated) {
                    aggs.add(((MergePlan.GroupColumn.Aggregated) c).aggregate());
                }
            }
            String groups = g.keys().isEmpty() ? "one group" : "groups by " + keys(g.keys());
            return "combine " + groups + (aggs.isEmpty() ? "" : " with " + aggregates(aggs))
                    + (g.distinctColumn() >= 0 ? ", distinct over column " + (g.distinctColumn() + 1) : "");
        }
        if (plan instanceof MergePlan.Limit) {
            MergePlan.Limit l = (MergePlan.Limit) plan;
            return (l.count() >= 0 ? "limit " + l.count() + " " : "") + "offset " + l.offset() + " of " + describe(l.input());
        }
        if (plan instanceof MergePlan.Distinct) {
            MergePlan.Distinct d = (MergePlan.Distinct) plan;
            return describe(d.input()) + ", then the first row per " + columns(d.columns());
        }
        if (plan instanceof MergePlan.Sort) {
            MergePlan.Sort so = (MergePlan.Sort) plan;
            return describe(so.input()) + ", then sort by " + keys(so.keys())
                    + (so.limit() >= 0 ? " keeping the first " + so.limit() : "");
        }
        if (plan instanceof MergePlan.Filter) {
            return describe(((MergePlan.Filter) plan).input()) + ", then HAVING";
        }
        MergePlan.DropColumns d = (MergePlan.DropColumns) plan;
        return describe(d.input()) + ", then drop " + d.count() + " hidden column(s)";
    }

    private static String keys(List<MergePlan.SortKey> keys) {
        List<String> out = new ArrayList<>();
        for (MergePlan.SortKey k : keys) {
            String col = k.column() < 0 ? "hidden column " + (-k.column()) + " from the end" : "column " + (k.column() + 1);
            out.add(col + (k.descending() ? " desc" : "") + (k.nullsFirst() ? " nulls first" : " nulls last"));
        }
        return String.join(", ", out);
    }

    private static String aggregates(List<MergePlan.AggregateColumn> columns) {
        List<String> out = new ArrayList<>();
        for (MergePlan.AggregateColumn c : columns) {
            out.add(c.function().name().toLowerCase() + (c.distinct() ? " distinct" : ""));
        }
        return String.join(", ", out);
    }

    private static String columns(List<Integer> columns) {
        List<String> out = new ArrayList<>();
        for (int c : columns) {
            out.add("column " + (c + 1));
        }
        return String.join(", ", out);
    }

    private static void table(Consumer<BackendMessage> out, String tag, String[] names, int[] types, List<String[]> rows) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            columns.add(Column.computed(names[i], types[i], (short) (types[i] == INT4 ? 4 : types[i] == INT8 ? 8 : -1)));
        }
        out.accept(new RowDescription(columns));
        for (String[] r : rows) {
            byte[][] values = new byte[r.length][];
            for (int i = 0; i < r.length; i++) {
                values[i] = r[i] == null ? null : r[i].getBytes(StandardCharsets.UTF_8);
            }
            out.accept(new DataRow(values));
        }
        out.accept(new CommandComplete(tag));
    }
}
