package io.shardproxy.it;

import io.shardproxy.cluster.PgCluster;
import io.shardproxy.cluster.SharedClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS when the config has a certificate: SSLRequest is answered 'S', and pgjdbc and psql with
 * sslmode=require authenticate and query over TLS. The certificate is made by openssl for the
 * test (skipped where openssl is missing).
 */
@ExtendWith(SharedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
    private ProxyFixture fixture;

    @BeforeAll
    void startProxyWithTls(PgCluster cluster, @TempDir Path dir) throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        fixture = ProxyFixture.start(cluster, y -> y.tls(cert.toString(), key.toString()).trustUser("raw", false));
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void sslRequestIsAnsweredS() throws IOException {
        try (RawPgClient c = RawPgClient.connect(fixture.port())) {
            c.send(RawPgClient.request(80877103));
            assertEquals('S', c.readByte());
        }
    }

    @Test
    void pgjdbcWithSslModeRequireAuthenticatesAndQueriesOverTls() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ProxyFixture.USER);
        p.setProperty("password", ProxyFixture.PASSWORD);
        p.setProperty("sslmode", "require");
        try (Connection c = DriverManager.getConnection(fixture.url(), p)) {
            assertEquals(List.of(List.of("2")), ResultTable.query(c, "select 1 + 1").rows());
        }
    }

    @Test
    void psqlWithSslModeRequireConnectsOverTls() throws Exception {
        assumeTrue(onPath("psql"), "psql is not installed");
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-At", "-c", "select 'over tls'", "-c", "\\conninfo",
                "host=127.0.0.1 port=" + fixture.port() + " dbname=" + fixture.cluster().database()
                        + " user=raw sslmode=require");
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("over tls"), out);
        assertTrue(out.contains("SSL connection"), out);
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
