package io.shardproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking keeps what PostgreSQL needs (modes, symlinks) and is safe when several JVMs race. */
class PgBinariesTest {

    @TempDir
    Path temp;

    @Test
    void untarKeepsModesSymlinksAndHardLinks() throws IOException {
        Path archive = smallArchive();
        Path root = Files.createDirectory(temp.resolve("root"));
        try (var in = Files.newInputStream(archive)) {
            PgBinaries.untar(in, root);
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/postgres"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("lib/libpq.so.5.17"))));
        assertTrue(Files.isSymbolicLink(root.resolve("lib/libpq.so")));
        assertEquals(Path.of("libpq.so.5.17"), Files.readSymbolicLink(root.resolve("lib/libpq.so")));
        assertEquals("library", Files.readString(root.resolve("lib/libpq.so")));
        assertEquals("library", Files.readString(root.resolve("lib/hard-link")));
        // a directory keeps its bits plus the owner's rwx, so the cache can always be deleted
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("share"))));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("share/postgres.bki"))));
    }

    @Test
    void entriesPointingOutsideAreRefused() throws IOException {
        Path archive = temp.resolve("evil.txz");
        try (TarArchiveOutputStream tar = tarXz(archive)) {
            addFile(tar, "../outside", 0644, "x");
        }
        Path root = Files.createDirectory(temp.resolve("root"));
        try (var in = Files.newInputStream(archive)) {
            assertThrows(IllegalStateException.class, () -> PgBinaries.untar(in, root));
        }
        assertTrue(Files.notExists(temp.resolve("outside")));
    }

    @Test
    void racingUnpacksLeaveOneCompleteTreeAndNoTemporaryOnes() throws Exception {
        URL archive = smallArchive().toUri().toURL();
        Path cache = temp.resolve("cache");
        Path home = cache.resolve("postgres-test-00000000");
        int racers = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    PgBinaries.unpack(archive, cache, home);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(Files.isExecutable(home.resolve("bin/postgres")));
        try (Stream<Path> children = Files.list(cache)) {
            assertEquals(List.of("postgres-test-00000000"),
                    children.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    void archiveNamesFollowZonky() {
        assertEquals("x86_64", PgBinaries.normalizeArch("amd64"));
        assertEquals("x86_64", PgBinaries.normalizeArch("x86_64"));
        assertEquals("arm_64", PgBinaries.normalizeArch("aarch64"));
        assertTrue(PgBinaries.candidateNames().stream().allMatch(n -> n.startsWith("postgres-") && n.endsWith(".txz")));
    }

    /** bin/postgres and bin/pg_ctl (0755), lib/libpq.so.5.17 (0644), the symlink lib/libpq.so, a hard link, and a 0555 directory. */
    private Path smallArchive() throws IOException {
        Path archive = temp.resolve("small.txz");
        try (TarArchiveOutputStream tar = tarXz(archive)) {
            TarArchiveEntry share = new TarArchiveEntry("share/");
            share.setMode(040555);
            tar.putArchiveEntry(share);
            tar.closeArchiveEntry();
            addFile(tar, "share/postgres.bki", 0444, "catalog");
            addFile(tar, "bin/postgres", 0755, "#!/bin/sh\n");
            addFile(tar, "bin/pg_ctl", 0755, "#!/bin/sh\n");
            addFile(tar, "lib/libpq.so.5.17", 0644, "library");
            TarArchiveEntry symlink = new TarArchiveEntry("lib/libpq.so", TarConstants.LF_SYMLINK);
            symlink.setLinkName("libpq.so.5.17");
            tar.putArchiveEntry(symlink);
            tar.closeArchiveEntry();
            TarArchiveEntry hardLink = new TarArchiveEntry("lib/hard-link", TarConstants.LF_LINK);
            hardLink.setLinkName("lib/libpq.so.5.17");
            tar.putArchiveEntry(hardLink);
            tar.closeArchiveEntry();
        }
        return archive;
    }

    private static TarArchiveOutputStream tarXz(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return new TarArchiveOutputStream(new XZCompressorOutputStream(out));
    }

    private static void addFile(TarArchiveOutputStream tar, String name, int mode, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
