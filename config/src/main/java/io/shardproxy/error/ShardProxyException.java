package io.shardproxy.error;

/**
 * The one exception the proxy raises for errors it reports to a client. It carries what an
 * ErrorResponse needs: the SQLSTATE, a message, and an optional detail and hint. One place in the
 * server turns any throwable into an ErrorResponse; this type is the precise path into it.
 */
public final class ShardProxyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SqlState state;
    private final String detail;
    private final String hint;

    public ShardProxyException(SqlState state, String message) {
        this(state, message, null, null, null);
    }

    public ShardProxyException(SqlState state, String message, String detail, String hint) {
        this(state, message, detail, hint, null);
    }

    public ShardProxyException(SqlState state, String message, String detail, String hint, Throwable cause) {
        super(message, cause);
        this.state = state;
        this.detail = detail;
        this.hint = hint;
    }

    /** 0A000 with a hint that says what to do instead. */
    public static ShardProxyException unsupported(String message, String hint) {
        return new ShardProxyException(SqlState.FEATURE_NOT_SUPPORTED, message, null, hint);
    }

    public SqlState state() {
        return state;
    }

    /** Optional DETAIL field, or null. */
    public String detail() {
        return detail;
    }

    /** Optional HINT field, or null. */
    public String hint() {
        return hint;
    }
}
