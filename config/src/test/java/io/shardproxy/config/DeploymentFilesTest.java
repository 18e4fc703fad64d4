package io.shardproxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml cannot run on machines without Docker, so this keeps it honest: it parses,
 * names four shards and the proxy, mounts files that exist, and its proxy config loads and points
 * at exactly the shard services.
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void composeFileDescribesFourShardsAndTheProxy() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("shard0", "shard1", "shard2", "shard3", "shardproxy"), names);
        for (JsonNode volume : services.get("shardproxy").get("volumes")) {
            String source = volume.asText().split(":")[0];
            if (source.endsWith(".yaml")) {
                assertTrue(Files.exists(ROOT.resolve(source)), source);
            } else {
                assertEquals("./proxy-server/target/shardproxy.jar", source);
            }
        }
    }

    @Test
    void composeProxyConfigLoadsAndUsesTheShardServices() {
        ProxyConfig c = ConfigLoader.parse(read("config/docker-compose.yaml"), "docker-compose.yaml",
                Map.of("SHARD_PASSWORD", "postgres"));
        assertEquals(4, c.shards().size());
        for (int i = 0; i < 4; i++) {
            assertEquals("jdbc:postgresql://shard" + i + ":5432/shardproxy", c.shards().get(i).url());
        }
        assertEquals(6432, c.listen().port());
    }

    private static String read(String path) {
        try {
            return Files.readString(ROOT.resolve(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
