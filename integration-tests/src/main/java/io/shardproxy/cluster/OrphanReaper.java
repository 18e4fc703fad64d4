package io.shardproxy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after clusters whose JVM died without running its shutdown hook (kill -9, a forked
 * test JVM killed on timeout). Each cluster directory holds a file naming its JVM (pid and start
 * time, so a reused pid does not count); a directory whose JVM is gone has its servers stopped
 * with {@code pg_ctl stop -m immediate} and is deleted. Directories of live JVMs, and ones whose
 * owner file is not written yet, are left alone.
 */
final class OrphanReaper {

    private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);
    private static final String OWNER_FILE = "owner.jvm";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private OrphanReaper() {
    }

    /** A fresh directory below {@code parent}, stamped with this JVM as its owner. */
    static Path createOwnedDir(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            Path dir = Files.createTempDirectory(parent, prefix);
            ProcessHandle self = ProcessHandle.current();
            Files.writeString(dir.resolve(OWNER_FILE), self.pid() + " " + startMillis(self), StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a cluster directory in " + parent, e);
        }
    }

    /** Stops and deletes every orphaned cluster directory in {@code parent}; never fails the caller. */
    static void reap(Path parent, PgBinaries binaries, RunAs runAs) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(dir -> dir.getFileName().toString().startsWith(PgCluster.DIR_PREFIX))
                    .filter(OrphanReaper::isOrphan)
                    .forEach(dir -> reapOne(dir, binaries, runAs));
        } catch (IOException | RuntimeException e) {
            log.debug("could not look for orphaned clusters in {}", parent, e);
        }
    }

    private static boolean isOrphan(Path dir) {
        try {
            String[] owner = Files.readString(dir.resolve(OWNER_FILE), StandardCharsets.UTF_8).trim().split(" ");
            long pid = Long.parseLong(owner[0]);
            long started = Long.parseLong(owner[1]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty()) {
                return true;
            }
            long actual = startMillis(process.get());
            return started > 0 && actual > 0 && actual != started;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void reapOne(Path dir, PgBinaries binaries, RunAs runAs) {
        log.info("stopping and deleting the orphaned cluster {}", dir);
        try (Stream<Path> servers = Files.list(dir)) {
            for (Path dataDir : (Iterable<Path>) servers::iterator) {
                Optional<ProcessHandle> postmaster = postmaster(dataDir);
                if (postmaster.isEmpty()) {
                    continue;
                }
                Exec.run(runAs.wrap(List.of(binaries.bin("pg_ctl").toString(), "-D", dataDir.toString(),
                        "-s", "-m", "immediate", "-w", "stop")), TIMEOUT);
                if (!Processes.isGone(postmaster.get())) {
                    postmaster.get().destroyForcibly();
                }
            }
            FileTrees.delete(dir);
        } catch (IOException | RuntimeException e) {
            log.debug("could not reap {}", dir, e);
        }
    }

    /** The live postmaster of {@code dataDir}, checked by its command line so a reused pid is never killed. */
    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
