package io.shardproxy.server.copy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error in COPY data (or options) that the proxy finds itself, carrying exactly the fields
 * PostgreSQL's ErrorResponse would carry for the same input: SQLSTATE, message, hint and the
 * CONTEXT line that names the table and line ({@code COPY t, line 3: "1\tx"}).
 * {@link #fields()} is ready for an ErrorResponse.
 */
public final class CopyFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** 22P04 bad_copy_file_format: malformed COPY data (line endings, field counts, quoting, markers). */
    public static final String BAD_COPY_FILE_FORMAT = "22P04";
    /** 22021 character_not_in_repertoire: bytes that are not valid in the data's encoding. */
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    /** 23502 not_null_violation: a row without a shard key value. */
    public static final String NOT_NULL_VIOLATION = "23502";
    /** 0A000 feature_not_supported: a row the proxy cannot place (its key is the DEFAULT marker). */
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    /** 42703 undefined_column: a FORCE_QUOTE column the query does not return. */
    public static final String UNDEFINED_COLUMN = "42703";
    /** 42701 duplicate_column: a column named twice in a FORCE_QUOTE list. */
    public static final String DUPLICATE_COLUMN = "42701";
    /** 08P01 protocol_violation: CopyData after the end of a COPY's data. */
    public static final String PROTOCOL_VIOLATION = "08P01";

    private final String sqlState;
    private final String detail;
    private final String hint;
    private final String context;

    public CopyFormatException(String sqlState, String message, String detail, String hint, String context) {
        super(message, null, false, false);
        this.sqlState = sqlState;
        this.detail = detail;
        this.hint = hint;
        this.context = context;
    }

    /** The five-character SQLSTATE. */
    public String sqlState() {
        return sqlState;
    }

    public String detail() {
        return detail;
    }

    public String hint() {
        return hint;
    }

    /** The CONTEXT field, or null. */
    public String context() {
        return context;
    }

    /** The ErrorResponse fields, keyed by field type byte, in PostgreSQL's order (S V C M D H W). */
    public Map<Byte, String> fields() {
        Map<Byte, String> f = new LinkedHashMap<>();
        f.put((byte) 'S', "ERROR");
        f.put((byte) 'V', "ERROR");
        f.put((byte) 'C', sqlState);
        f.put((byte) 'M', getMessage());
        if (detail != null) {
            f.put((byte) 'D', detail);
        }
        if (hint != null) {
            f.put((byte) 'H', hint);
        }
        if (context != null) {
            f.put((byte) 'W', context);
        }
        return f;
    }
}
