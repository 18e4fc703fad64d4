package io.shardproxy.error;

/**
 * Every SQLSTATE the proxy raises itself, in one place. Errors that come from a shard keep the
 * shard's own SQLSTATE and never pass through this enum.
 */
public enum SqlState {
    /** 0A000: a statement the proxy cannot answer correctly; the message says what to do instead. */
    FEATURE_NOT_SUPPORTED("0A000"),
    /** 08P01: a malformed, oversized or out-of-order protocol message. */
    PROTOCOL_VIOLATION("08P01"),
    /** 08006: a shard connection failed while a statement ran. */
    CONNECTION_FAILURE("08006"),
    /** 08001: no connection to a shard could be established. */
    UNABLE_TO_CONNECT("08001"),
    /** 28P01: wrong password, or SCRAM proof that does not verify. */
    INVALID_PASSWORD("28P01"),
    /** 28000: unknown user, or an authentication method the client cannot do. */
    INVALID_AUTHORIZATION("28000"),
    /** 3D000: the client asked for a database this proxy does not serve. */
    INVALID_CATALOG_NAME("3D000"),
    /** 42501: a non-admin user ran an admin command. */
    INSUFFICIENT_PRIVILEGE("42501"),
    /** 42601: the router found a syntax error it can name precisely. */
    SYNTAX_ERROR("42601"),
    /** 42704: SHOW of an unknown admin object. */
    UNDEFINED_OBJECT("42704"),
    /** 23502: an INSERT gave NULL (or nothing) for the shard key. */
    NOT_NULL_VIOLATION("23502"),
    /** 22P02: a shard key literal that is not valid input for the key's type. */
    INVALID_TEXT_REPRESENTATION("22P02"),
    /** 22023: a value PostgreSQL would reject: a COPY delimiter it does not allow, a format code not 0 or 1. */
    INVALID_PARAMETER_VALUE("22023"),
    /** 22003: a value out of range for its type, e.g. a sum that overflows bigint. */
    NUMERIC_VALUE_OUT_OF_RANGE("22003"),
    /** 2201W: LIMIT with a negative count. */
    INVALID_ROW_COUNT_IN_LIMIT_CLAUSE("2201W"),
    /** 2201X: OFFSET with a negative count. */
    INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE("2201X"),
    /** 25001: a statement that cannot run inside a transaction block. */
    ACTIVE_SQL_TRANSACTION("25001"),
    /** 25P01: COMMIT or ROLLBACK outside a transaction (a warning in PostgreSQL). */
    NO_ACTIVE_SQL_TRANSACTION("25P01"),
    /** 25P02: a statement inside a transaction that already failed. */
    IN_FAILED_SQL_TRANSACTION("25P02"),
    /** 42P05: Parse of a named prepared statement that exists already. */
    DUPLICATE_PREPARED_STATEMENT("42P05"),
    /** 42P03: Bind of a named portal that exists already. */
    DUPLICATE_CURSOR("42P03"),
    /** 26000: a prepared statement that does not exist. */
    INVALID_SQL_STATEMENT_NAME("26000"),
    /** 34000: a portal that does not exist. */
    INVALID_CURSOR_NAME("34000"),
    /** 55000: a portal that cannot be run (again). */
    OBJECT_NOT_IN_PREREQUISITE_STATE("55000"),
    /** 42P02: a parameter the statement refers to that the client did not supply. */
    UNDEFINED_PARAMETER("42P02"),
    /** 57014: the statement was cancelled. */
    QUERY_CANCELED("57014"),
    /** 57P01: the proxy is shutting down. */
    ADMIN_SHUTDOWN("57P01"),
    /** 53300: too many client connections. */
    TOO_MANY_CONNECTIONS("53300"),
    /** 54001: a statement nested too deeply to analyze (PostgreSQL's stack depth limit). */
    STATEMENT_TOO_COMPLEX("54001"),
    /** 54000: a result or message larger than the proxy's limits. */
    PROGRAM_LIMIT_EXCEEDED("54000"),
    /** 08007: a commit whose outcome the proxy could not learn; recovery resolves it. */
    TRANSACTION_RESOLUTION_UNKNOWN("08007"),
    /** 40000: a two-phase commit that recovery decided to roll back before its coordinator decided. */
    TRANSACTION_ROLLBACK("40000"),
    /** 40P01: a waits-for cycle across shards; this transaction was the victim. */
    DEADLOCK_DETECTED("40P01"),
    /** 3B001: ROLLBACK TO or RELEASE of a savepoint that does not exist. */
    INVALID_SAVEPOINT_SPECIFICATION("3B001"),
    /** XX000 covers bugs and unexpected states. */
    INTERNAL_ERROR("XX000");

    private final String code;

    SqlState(String code) {
        this.code = code;
    }

    /** The five-character SQLSTATE code. */
    public String code() {
        return code;
    }
}
