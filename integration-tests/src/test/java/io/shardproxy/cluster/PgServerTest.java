package io.shardproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A single server whose chosen port is taken before it starts (the race free-port picking cannot avoid). */
class PgServerTest {

    private RunAs runAs;
    private PgBinaries binaries;
    private Path dir;
    private PgServer server;

    @BeforeEach
    void copyTemplate() throws IOException {
        runAs = RunAs.detect();
        binaries = PgBinaries.install(runAs);
        dir = Files.createTempDirectory(PgCluster.defaultParentDir(), "pgserver-test-");
        runAs.own(dir);
        FileTrees.copy(PgTemplate.ensure(binaries, runAs, "shardproxy", List.of()), dir.resolve("data"), runAs::own);
    }

    @AfterEach
    void stopAndDelete() {
        if (server != null) {
            server.stop();
        }
        FileTrees.delete(dir);
    }

    @Test
    void firstStartMovesToAnotherPortWhenItsPortIsTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            IntSupplier freePorts = () -> PgCluster.freePorts(1).get(0);
            server = new PgServer("moved", binaries, runAs, dir.resolve("data"), taken, Map.of(), freePorts);
            server.start();
            assertNotEquals(taken, server.port());
            assertEquals(String.valueOf(server.port()), PgClusterTest.query(server, "SELECT inet_server_port()", "shardproxy"));
        }
        int settled = server.port();
        server.kill();
        server.start();
        assertEquals(settled, server.port(), "a restart keeps the port clients know");
    }

    @Test
    void fixedPortThatIsTakenFailsWithTheServerLog() throws IOException, SQLException {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server = new PgServer("fixed", binaries, runAs, dir.resolve("data"), squatter.getLocalPort(), Map.of(), null);
            IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
            assertTrue(e.getMessage().contains("port in use"), e.getMessage());
            assertTrue(e.getMessage().contains("could not create any TCP/IP sockets"), e.getMessage());
            assertFalse(server.isRunning());
        }
    }
}
