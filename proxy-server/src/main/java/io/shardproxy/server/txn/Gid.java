package io.shardproxy.server.txn;

/**
 * The global id of a two-phase commit: {@code shardproxy:<proxy>:<boot>:<seq>}, the key of its
 * decision. It says which proxy made it ({@code proxy}, the configured proxy id), which run of
 * that proxy ({@code boot}, unique per start), and which transaction of that run ({@code seq}).
 * Each participant prepares it as {@link #participant} (the global id and the shard's index),
 * since PostgreSQL wants prepared transaction ids unique per server and several shards may share
 * one server (as databases).
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

    /** The id shard {@code shard} prepares this transaction under. */
    String participant(int shard) {
        return text() + ":" + shard;
    }

    /** The global gid in {@code text} (a global or a participant id), or null when it is not ours. */
    static Gid parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = text.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3 && parts.length != 4 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return null;
        }
        try {
            if (parts.length == 4) {
                Integer.parseInt(parts[3]);
            }
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
