package io.shardproxy.merge;

import java.util.List;

/** Helpers shared by the operators. */
final class Streams {

    private Streams() {
    }

    /**
     * Closes every stream even when some close throws; the first failure is rethrown with the
     * others attached as suppressed.
     */
    static void closeAll(List<RowStream> streams) {
        RuntimeException failure = null;
        for (RowStream stream : streams) {
            try {
                stream.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
