package io.shardproxy.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Liveness of processes that are not our children, such as a postmaster (pg_ctl detaches it, so
 * its parent is init).
 *
 * <p>The trap: a postmaster that has exited stays a zombie until init reaps it, and
 * {@link ProcessHandle#isAlive()} calls a zombie alive. Some inits (a container's or a micro-VM's)
 * reap only every second or two, which made every stop look that slow. A zombie has released its
 * port and files, so here it counts as gone.
 */
final class Processes {

    private Processes() {
    }

    /** True when {@code process} no longer runs: exited, reaped, or a zombie. */
    static boolean isGone(ProcessHandle process) {
        return !process.isAlive() || isZombie(process.pid());
    }

    /** Waits up to {@code timeout} for {@code process} to be gone; false if it still runs. */
    static boolean awaitGone(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // no event to wait on for a process that is not our child: poll, briefly
        while (!isGone(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for process " + process.pid(), e);
            }
        }
        return true;
    }

    /** Linux: the state letter in /proc/PID/stat, after the parenthesised command name (which may hold spaces). */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (macOS) or already reaped: isAlive() has the answer
        }
    }
}
