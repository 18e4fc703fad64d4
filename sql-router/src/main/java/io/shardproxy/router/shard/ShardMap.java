package io.shardproxy.router.shard;

import io.shardproxy.config.ProxyConfig;
import io.shardproxy.config.ReferenceTableConfig;
import io.shardproxy.config.ShardConfig;
import io.shardproxy.config.ShardedTableConfig;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routing view of the config: shard names by index, the rule of every sharded table and the
 * set of reference tables, looked up by the names a statement uses. Tables the config does not
 * name are local tables of the default shard (index 0); system catalogs are answered there too.
 */
public final class ShardMap {
    /** What a relation name refers to. */
    public enum Kind { SHARDED, REFERENCE, CATALOG, LOCAL }

    /** A resolved relation name. {@code rule} is set for sharded tables only. */
    public record Relation(Kind kind, String name, ShardingRule rule) {
    }

    private final List<String> shardNames;
    private final Map<String, ShardingRule> sharded = new HashMap<>();
    private final Set<String> reference = new HashSet<>();
    /** Last name parts of every configured table, for the lexical "mentions" check. */
    private final Set<String> configuredLastParts = new HashSet<>();

    public ShardMap(ProxyConfig config) {
        this.shardNames = config.shards().stream().map(ShardConfig::name).toList();
        for (ShardedTableConfig t : config.shardedTables()) {
            sharded.put(t.name(), new ShardingRule(t, config));
            configuredLastParts.add(lastPart(t.name()));
        }
        for (ReferenceTableConfig t : config.referenceTables()) {
            reference.add(t.name());
            configuredLastParts.add(lastPart(t.name()));
        }
    }

    public int shardCount() {
        return shardNames.size();
    }

    public String shardName(int index) {
        return shardNames.get(index);
    }

    public List<String> shardNames() {
        return shardNames;
    }

    /** Every sharding rule, for admin output. */
    public Map<String, ShardingRule> rules() {
        return Map.copyOf(sharded);
    }

    public Set<String> referenceTables() {
        return Set.copyOf(reference);
    }

    /**
     * Resolves a possibly qualified relation name (already case-folded). A configured unqualified
     * name matches both {@code t} and {@code public.t}; a configured {@code s.t} matches only
     * {@code s.t}.
     */
    public Relation resolve(List<String> names) {
        String full = String.join(".", names);
        String last = names.get(names.size() - 1);
        String schema = names.size() > 1 ? names.get(names.size() - 2) : null;
        String candidate = schema == null || schema.equals("public") ? last : full;
        ShardingRule rule = sharded.get(candidate);
        if (rule == null && schema != null && schema.equals("public")) {
            rule = sharded.get(full);
        }
        if (rule != null) {
            return new Relation(Kind.SHARDED, rule.table(), rule);
        }
        if (reference.contains(candidate) || reference.contains(full)) {
            return new Relation(Kind.REFERENCE, reference.contains(candidate) ? candidate : full, null);
        }
        if ("pg_catalog".equals(schema) || "information_schema".equals(schema)
                || (schema == null && last.startsWith("pg_"))) {
            return new Relation(Kind.CATALOG, full, null);
        }
        return new Relation(Kind.LOCAL, full, null);
    }

    /** True when {@code identifier} is the (last part of the) name of any configured table. */
    public boolean isConfiguredName(String identifier) {
        return configuredLastParts.contains(identifier);
    }

    private static String lastPart(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
