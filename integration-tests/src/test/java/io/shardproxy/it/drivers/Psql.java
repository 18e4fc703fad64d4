package io.shardproxy.it.drivers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * psql as a client of the driver matrix: {@code psql -X -v ON_ERROR_STOP=1 -f SCRIPT} in a fresh
 * working directory (where {@code \copy} puts its files), its stdout and then its stderr lines
 * as the transcript. psql's own messages name the script and its line, the same on both sides.
 */
public final class Psql {
    /** A section line of a script; one that says this keeps only its header and drv_ rows. */
    private static final String SECTION = "== ";
    private static final String DRV_ROWS_ONLY = "(drv_ rows only)";

    private Psql() {
    }

    /**
     * Runs {@code script} against {@code e}. Sections marked "(drv_ rows only)" list every
     * relation of the database, and other test classes create tables on the shards that the
     * oracle lacks: of those, only the lines without a '|', the column header and the rows that
     * name drv_ are kept.
     */
    public static Transcript run(Path script, Endpoint e, Duration timeLimit) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("drv-psql-");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        try {
            ClientProcess.Result r = ClientProcess.run(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-f", script.toString()),
                    e.libpqEnvironment(), workDir, timeLimit);
            List<String> lines = new ArrayList<>();
            boolean filtering = false;
            for (String line : Transcript.lines(r.stdout())) {
                if (line.startsWith(SECTION)) {
                    filtering = line.contains(DRV_ROWS_ONLY);
                    lines.add(line);
                } else if (!filtering || line.contains("drv_") || line.startsWith("Schema|") || !line.contains("|")) {
                    lines.add(line);
                }
            }
            lines.addAll(Transcript.stderrLines(r));
            return r.ok() ? Transcript.finished(lines) : Transcript.failed(lines, r.describe());
        } finally {
            deleteTree(workDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
