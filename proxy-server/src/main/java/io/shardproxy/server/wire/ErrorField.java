package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.Map;

/**
 * Field type bytes of ErrorResponse and NoticeResponse ("Error and Notice Message Fields" in the
 * protocol docs), and the body layout both messages share:
 *
 * <pre>
 * { Byte1 field type, String value }*
 * Byte1(0)   terminator
 * </pre>
 *
 * A client must ignore field types it does not know, so a shard's fields pass through unchanged.
 */
public final class ErrorField {
    /** Severity, possibly localized: ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO, LOG. Always present. */
    public static final byte SEVERITY = 'S';
    /** Severity, never localized (PostgreSQL 9.6+). */
    public static final byte SEVERITY_NONLOCALIZED = 'V';
    /** SQLSTATE code. Always present. */
    public static final byte CODE = 'C';
    /** Primary message, one line. Always present. */
    public static final byte MESSAGE = 'M';
    /** Optional detail, may span lines. */
    public static final byte DETAIL = 'D';
    /** Optional suggestion what to do. */
    public static final byte HINT = 'H';
    /** Error position as a 1-based character index into the query string. */
    public static final byte POSITION = 'P';
    /** Position into an internally generated query, with {@link #INTERNAL_QUERY}. */
    public static final byte INTERNAL_POSITION = 'p';
    /** The internally generated query that failed. */
    public static final byte INTERNAL_QUERY = 'q';
    /** Context: a call stack traceback of PL functions or internal queries. */
    public static final byte WHERE = 'W';
    /** Schema of the object the error concerns. */
    public static final byte SCHEMA_NAME = 's';
    /** Table of the object the error concerns. */
    public static final byte TABLE_NAME = 't';
    /** Column of the object the error concerns. */
    public static final byte COLUMN_NAME = 'c';
    /** Data type of the object the error concerns. */
    public static final byte DATA_TYPE_NAME = 'd';
    /** Constraint of the object the error concerns. */
    public static final byte CONSTRAINT_NAME = 'n';
    /** Source file where the error was reported. */
    public static final byte FILE = 'F';
    /** Source line where the error was reported. */
    public static final byte LINE = 'L';
    /** Source routine that reported the error. */
    public static final byte ROUTINE = 'R';

    private ErrorField() {
    }

    /** Writes a complete ErrorResponse or NoticeResponse. */
    static void writeMessage(ByteBuf out, byte type, Map<Byte, String> fields) {
        int lengthAt = Frame.begin(out, type);
        for (Map.Entry<Byte, String> field : fields.entrySet()) {
            out.writeByte(field.getKey());
            Frame.cstring(out, field.getValue());
        }
        out.writeByte(0);
        Frame.end(out, lengthAt);
    }

    /** Checks the fields a client may rely on and that no field type is the terminator. */
    static void validate(Map<Byte, String> fields) {
        for (Map.Entry<Byte, String> field : fields.entrySet()) {
            if (field.getKey() == null || field.getKey() == 0 || field.getValue() == null) {
                throw new IllegalArgumentException("field types must be non-zero and values non-null");
            }
        }
        for (byte required : new byte[] {SEVERITY, CODE, MESSAGE}) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException("missing field '" + (char) required + "'");
            }
        }
    }
}
