package io.shardproxy.server.session;

import java.util.List;

/** Combines the command tags of one statement's shards. */
final class Tags {

    private Tags() {
    }

    /**
     * The tag of a write split across shards: the first tag's words with the row counts added up,
     * e.g. {@code INSERT 0 2} and {@code INSERT 0 3} give {@code INSERT 0 5}.
     */
    static String sum(List<String> tags) {
        String first = tags.get(0);
        int space = first.lastIndexOf(' ');
        if (space < 0) {
            return first;
        }
        long total = 0;
        for (String t : tags) {
            total += count(t);
        }
        return first.substring(0, space + 1) + total;
    }

    /** The trailing row count of a tag, or 0. */
    static long count(String tag) {
        int space = tag.lastIndexOf(' ');
        if (space < 0) {
            return 0;
        }
        try {
            return Long.parseLong(tag.substring(space + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
