package io.shardproxy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How PostgreSQL's programs are started on this machine.
 *
 * <p>initdb, pg_ctl and postgres refuse to run as root. As root we first try a new user namespace
 * ({@code unshare -U}, what zonky does): inside it the process is the unmapped "nobody", the files it
 * creates belong to the real root, and PostgreSQL's "data directory owned by me" check compares two
 * unmapped ids and passes. Where user namespaces are forbidden (some containers) we drop to the
 * {@code nobody} user with {@code setpriv}; then every directory PostgreSQL writes must be owned by
 * nobody and the binaries must sit where nobody can read them.
 *
 * <p>The system property {@code shardproxy.pg.runAs} (one of the constant names) forces a mode, to
 * test the fallback on a machine where the first choice works.
 */
public enum RunAs {
    /** Not root: run the programs as they are. */
    CURRENT_USER,
    /** Root, user namespaces allowed: prefix every command with {@code unshare -U}. */
    USER_NAMESPACE,
    /** Root, no user namespaces: prefix with {@code setpriv} to nobody; chown data directories to nobody. */
    NOBODY;

    public static final String PROPERTY = "shardproxy.pg.runAs";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /** Picks the mode for this process: forced by {@link #PROPERTY}, else by uid and what the kernel allows. */
    public static RunAs detect() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return valueOf(forced.trim().toUpperCase(Locale.ROOT));
        }
        if (!isRoot()) {
            return CURRENT_USER;
        }
        if (Exec.succeeds(List.of("unshare", "-U", "true"), PROBE_TIMEOUT)) {
            return USER_NAMESPACE;
        }
        if (Exec.succeeds(List.of("setpriv", "--version"), PROBE_TIMEOUT)) {
            return NOBODY;
        }
        throw new IllegalStateException("running as root, but neither 'unshare -U' nor 'setpriv' works here; "
                + "PostgreSQL refuses to run as root: run the tests as an ordinary user");
    }

    /** The command to run in place of {@code command}. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        switch (this) {
            case USER_NAMESPACE:
                wrapped.addAll(List.of("unshare", "-U"));
                break;
            case NOBODY:
                wrapped.addAll(List.of("setpriv", "--reuid=" + Nobody.UID, "--regid=" + Nobody.GID, "--clear-groups"));
                break;
            default:
                break;
        }
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code path} (not its contents) to the user PostgreSQL runs as, when that is not us. */
    void own(Path path) {
        if (this != NOBODY) {
            return;
        }
        try {
            Files.setAttribute(path, "unix:uid", Nobody.UID, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", Nobody.GID, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not chown " + path + " to nobody", e);
        }
    }

    /** True when the server's user differs from ours and so cannot read a private cache such as ~/.cache. */
    boolean needsSharedBinaries() {
        return this == NOBODY;
    }

    /** Root by the owner of a file we create: that is our effective uid, and works without /proc. */
    static boolean isRoot() {
        Path probe = null;
        try {
            probe = Files.createTempFile("shardproxy-uid-", ".probe");
            return ((Number) Files.getAttribute(probe, "unix:uid")).intValue() == 0;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return false;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a leftover empty probe file is harmless
                }
            }
        }
    }

    /** The numeric ids of {@code nobody}, looked up once, only when {@link #NOBODY} is used. */
    private static final class Nobody {
        static final int UID = id("-u");
        static final int GID = id("-g");

        private static int id(String flag) {
            Exec.Result result = Exec.run(List.of("id", flag, "nobody"), PROBE_TIMEOUT).orThrow();
            return Integer.parseInt(result.output().trim());
        }
    }
}
