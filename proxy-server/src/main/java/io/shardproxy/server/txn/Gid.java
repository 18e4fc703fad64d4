package io.shardproxy.server.txn;

/**
 * The global id of a two-phase commit, used as the PREPARE TRANSACTION identifier on every
 * participant and as the key of its decision: {@code shardproxy:<proxy>:<boot>:<seq>}. It says
 * which proxy made it ({@code proxy}, the configured proxy id), which run of that proxy
 * ({@code boot}, unique per start), and which transaction of that run ({@code seq}).
 */
record Gid(String proxy, String boot, long seq) {
    static final String PREFIX = "shardproxy:";

    /** The proxy run that made this transaction: the key of its liveness lock. */
    String instance() {
        return proxy + ":" + boot;
    }

    String text() {
        return PREFIX + proxy + ":" + boot + ":" + seq;
    }

    /** The gid in {@code text}, or null when it is not one of ours. */
    static Gid parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = text.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return null;
        }
        try {
            return new Gid(parts[0], parts[1], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
