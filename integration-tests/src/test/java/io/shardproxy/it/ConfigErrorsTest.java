package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.ProxyYaml;
import io.shardproxy.cluster.SharedClusterExtension;
import io.shardproxy.server.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line end to end, in a child JVM: a config with a mistake makes {@code check} and
 * {@code run} exit with status 2 and a message naming the file and the key path, and {@code run}
 * never starts a proxy from it. The config module's own tests cover the many kinds of mistake;
 * this checks the path from the file to the exit status.
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigErrorsTest {
    private static final String SHARD_PASSWORD = "hunter2-in-url";

    @TempDir
    Path dir;
    private String goodYaml;

    /** What one run of the command line left behind. */
    private record Exit(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    @BeforeAll
    void makeAGoodConfig(PgCluster cluster) {
        goodYaml = ProxyYaml.forCluster(cluster).scramUser("cfg_user", "pw", false)
                .sharded("cfg_tbl", "id", "mod", "integer", 4).reference("cfg_ref").yaml();
    }

    @Test
    void checkAcceptsAGoodConfig() throws Exception {
        Exit exit = main("check", write("good.yaml", goodYaml));
        assertEquals(0, exit.status(), exit::toString);
        assertEquals("config OK: 4 shards, 1 sharded tables, 1 reference tables", exit.stdout().strip(), exit::toString);
    }

    @Test
    void checkOfAMisspeltKeyExitsWith2NamingTheKeyPath() throws Exception {
        Path file = write("misspelt.yaml", goodYaml.replace("  port: 0", "  prot: 0"));
        Exit exit = main("check", file);
        assertEquals(2, exit.status(), exit::toString);
        assertTrue(exit.stderr().contains(file + ": listen.prot: unknown key \"prot\""), exit::toString);
    }

    @Test
    void runOfABadShardUrlExitsWith2WithoutStartingAndHidesThePassword() throws Exception {
        int second = goodYaml.indexOf("url: 'jdbc:postgresql://", goodYaml.indexOf("name: s1"));
        String bad = goodYaml.substring(0, second) + "url: 'jdbc:mysql://127.0.0.1/db?password=" + SHARD_PASSWORD + "'"
                + goodYaml.substring(goodYaml.indexOf("', user:", second) + 1);
        Path file = write("bad-url.yaml", bad);
        Exit exit = main("run", file);
        assertEquals(2, exit.status(), exit::toString);
        assertTrue(exit.stderr().contains(file + ": shards[1].url: malformed JDBC URL"), exit::toString);
        assertFalse(exit.stderr().contains(SHARD_PASSWORD) || exit.stdout().contains(SHARD_PASSWORD), exit::toString);
        assertFalse(exit.stdout().contains("listening") || exit.stderr().contains("listening"), exit::toString);
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml, StandardCharsets.UTF_8);
    }

    /** Runs {@code shardproxy COMMAND --config FILE} in a child JVM with this JVM's class path. */
    private Exit main(String command, Path config) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), command, "--config", config.toString());
        Path out = dir.resolve(command + "-" + config.getFileName() + ".out");
        Path err = dir.resolve(command + "-" + config.getFileName() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // A bad config must end the process; one that started a proxy would wait for a signal.
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("shardproxy " + command + " did not exit within 30 s: " + Files.readString(out));
        }
        return new Exit(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
