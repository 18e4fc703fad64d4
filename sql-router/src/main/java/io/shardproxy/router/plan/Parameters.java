package io.shardproxy.router.plan;

/**
 * The values bound to a statement's parameters ({@code $1}, {@code $2}, ...), as the router reads
 * them: only where a parameter stands for a shard key, a LIMIT or another constant the merge needs.
 * The session supplies them from a Bind message; a simple-protocol statement has none.
 */
public interface Parameters {

    /** No parameters: a statement from a simple Query, where {@code $n} has no value. */
    Parameters NONE = new Parameters() {
        @Override
        public int count() {
            return 0;
        }

        @Override
        public boolean isNull(int n) {
            return false;
        }

        @Override
        public String text(int n) {
            return null;
        }
    };

    /** How many parameters the statement was bound with. */
    int count();

    /** True when {@code $n} (1-based) is SQL NULL. */
    boolean isNull(int n);

    /**
     * The value of {@code $n} (1-based) as PostgreSQL input text (what its type's input function
     * reads); null when it is NULL or its value cannot be read here (a binary value of a type the
     * proxy does not decode).
     */
    String text(int n);
}
