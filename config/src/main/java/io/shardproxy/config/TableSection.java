package io.shardproxy.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code sharded-tables} and {@code reference-tables}. A table name may appear once across
 * both lists; names are compared exactly as written, because that is how they are stored
 * (PostgreSQL folds unquoted names to lower case, so config names are lower case unless the table
 * was created with a quoted name).
 */
final class TableSection {

    private static final List<String> SHARDED_KEYS =
            List.of("name", "shard-key", "algorithm", "key-type", "buckets", "bucket-map");
    private static final List<String> REFERENCE_KEYS = List.of("name");

    private static final Map<String, ShardingAlgorithm> ALGORITHMS =
            YamlNode.byName(ShardingAlgorithm.values(), ShardingAlgorithm::configName);

    /** Column type names accepted for key-type, in the order the error message lists them. */
    private static final Map<String, KeyType> KEY_TYPES = new LinkedHashMap<>();

    static {
        for (String name : List.of("integer", "int", "int2", "int4", "int8", "smallint", "bigint")) {
            KEY_TYPES.put(name, KeyType.INTEGER);
        }
        KEY_TYPES.put("text", KeyType.TEXT);
        KEY_TYPES.put("varchar", KeyType.TEXT);
        KEY_TYPES.put("uuid", KeyType.UUID);
    }

    /** Table name to the path that declared it, across both lists. */
    private final Map<String, String> declared = new LinkedHashMap<>();
    private final List<String> shards;

    /** @param shards shard names in config order */
    TableSection(List<String> shards) {
        this.shards = shards;
    }

    List<ShardedTableConfig> sharded(Optional<YamlNode> section) {
        List<ShardedTableConfig> tables = new ArrayList<>();
        for (YamlNode table : section.map(YamlNode::list).orElse(List.of())) {
            tables.add(sharded(table.mapping(SHARDED_KEYS)));
        }
        return tables;
    }

    List<ReferenceTableConfig> reference(Optional<YamlNode> section) {
        List<ReferenceTableConfig> tables = new ArrayList<>();
        for (YamlNode table : section.map(YamlNode::list).orElse(List.of())) {
            tables.add(new ReferenceTableConfig(name(table.mapping(REFERENCE_KEYS))));
        }
        return tables;
    }

    private ShardedTableConfig sharded(YamlNode table) {
        String name = name(table);
        String shardKey = table.required("shard-key").nonBlankText();
        ShardingAlgorithm algorithm = table.required("algorithm").choice(ALGORITHMS);
        Optional<YamlNode> keyTypeNode = table.optional("key-type");
        KeyType keyType = keyTypeNode.map(node -> node.choice(KEY_TYPES)).orElse(KeyType.INTEGER);
        if (algorithm == ShardingAlgorithm.MOD && keyType != KeyType.INTEGER) {
            throw keyTypeNode.orElseThrow().error("algorithm mod needs an integer shard key, got "
                    + keyType.configName() + " (use algorithm: hash for text and uuid keys)");
        }
        int buckets = table.optional("buckets")
                .map(node -> node.integer(1, ShardedTableConfig.MAX_BUCKETS))
                .orElse(shards.size());
        List<String> bucketShards = table.optional("bucket-map")
                .map(map -> BucketMap.explicit(map, buckets, shards))
                .orElseGet(() -> BucketMap.evenSplit(buckets, shards));
        return new ShardedTableConfig(name, shardKey, algorithm, keyType, buckets, bucketShards);
    }

    /** The table's name, checked for form and for being declared only once. */
    private String name(YamlNode table) {
        YamlNode node = table.required("name");
        String name = node.nonBlankText();
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2 || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"')
                || parts[0].isEmpty() || parts[parts.length - 1].isEmpty()) {
            throw node.error("malformed table name \"" + name + "\" (expected table or schema.table, without quotes,"
                    + " in lower case unless the table was created with a quoted name)");
        }
        String first = declared.putIfAbsent(name, node.path());
        if (first != null) {
            String list = node.path().substring(0, node.path().indexOf('['));
            boolean sameList = first.startsWith(list + "[");
            throw node.error(sameList
                    ? "duplicate table \"" + name + "\" (also at " + first + ")"
                    : "table \"" + name + "\" is also declared at " + first
                            + "; a table is either sharded or a reference table, not both");
        }
        return name;
    }
}
