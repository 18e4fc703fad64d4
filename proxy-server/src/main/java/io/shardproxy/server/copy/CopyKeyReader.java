package io.shardproxy.server.copy;

import io.shardproxy.config.KeyType;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.shard.KeyValues;
import io.shardproxy.router.shard.ShardingRule;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads a COPY row's shard key the way PostgreSQL reads the row: splits the line into fields
 * (CopyReadAttributesText / CopyReadAttributesCSV), decides NULL from the raw field (text: the
 * NULL marker before de-escaping; CSV: an unquoted NULL marker, then FORCE_NOT_NULL and
 * FORCE_NULL), de-escapes the key, and reads it as the key's type. The result is what the router
 * shards by: a Long, String or UUID.
 *
 * <p>Errors PostgreSQL raises while it splits the row are raised here with its SQLSTATE, message
 * and {@code COPY t, line n: "..."} context (unterminated CSV quotes, extra fields, invalid bytes
 * from escapes). A row PostgreSQL would reject later, when it converts values (a key that is not a
 * valid integer, a row with too few columns, whatever its key), is not judged here: {@link #ANY_SHARD}
 * sends it to any shard, which rejects it with PostgreSQL's own error. A NULL key fails with 23502 as in INSERT, and a
 * DEFAULT key with 0A000: the proxy cannot know which shard a row without a key value belongs to.
 */
public final class CopyKeyReader {

    /** The row is invalid in a way the shard reports: send it to any one shard. */
    public static final Object ANY_SHARD = new Object() {
        @Override
        public String toString() {
            return "ANY_SHARD";
        }
    };

    private final CopyLayout layout;
    private final int columnCount;
    private final int keyIndex;
    private final String keyColumn;
    private final String table;
    private final KeyType keyType;
    private final boolean forceNotNull;
    private final boolean forceNull;
    private final byte[] nullValue;
    private final ByteArrayOutputStream value = new ByteArrayOutputStream();

    // The key field of the row being read.
    private boolean keyNull;
    private boolean keyDefault;
    private byte[] keyBytes;

    /**
     * @param keyIndex     index of the key among the row's columns
     * @param forceNotNull CSV FORCE_NOT_NULL covers the key column
     * @param forceNull    CSV FORCE_NULL covers the key column
     */
    public CopyKeyReader(CopyLayout layout, int columnCount, int keyIndex, String keyColumn, String table,
                         KeyType keyType, boolean forceNotNull, boolean forceNull) {
        this.layout = layout;
        this.columnCount = columnCount;
        this.keyIndex = keyIndex;
        this.keyColumn = keyColumn;
        this.table = table;
        this.keyType = keyType;
        this.forceNotNull = forceNotNull;
        this.forceNull = forceNull;
        this.nullValue = layout.nullString();
    }

    /** The key reader of a ROUTE_ROWS plan. */
    public static CopyKeyReader of(Plan.Copy plan, CopyLayout layout) {
        ShardingRule rule = plan.rule();
        Plan.CopyOptions o = plan.options();
        String key = plan.columns().get(plan.keyIndex());
        return new CopyKeyReader(layout, plan.columns().size(), plan.keyIndex(), key, rule.table(), rule.keyType(),
                o.forceNotNullAll() || o.forceNotNull().contains(key), o.forceNullAll() || o.forceNull().contains(key));
    }

    /**
     * The row's key: a Long, String or UUID, or {@link #ANY_SHARD}. Throws CopyFormatException for
     * a row PostgreSQL rejects while splitting it, and for a NULL or DEFAULT key.
     */
    public Object read(CopyRow row) {
        if (layout.binary()) {
            return binary(row);
        }
        int fields = layout.csv() ? csvFields(row) : textFields(row);
        if (columnCount > 0 && fields > columnCount) {
            throw lineError(CopyFormatException.BAD_COPY_FILE_FORMAT, "extra data after last expected column", row);
        }
        if (fields < columnCount) {
            // PostgreSQL's "missing data for column", after the columns before it: the shard says which.
            return ANY_SHARD;
        }
        boolean isNull = keyNull;
        byte[] v = keyBytes;
        if (layout.csv()) {
            if (isNull && forceNotNull) {
                isNull = false;
                v = nullValue;
            } else if (!isNull && forceNull && java.util.Arrays.equals(v, nullValue)) {
                isNull = true;
            }
        }
        if (keyDefault) {
            throw new CopyFormatException(CopyFormatException.FEATURE_NOT_SUPPORTED,
                    "cannot place the row: its shard key " + keyColumn + " is the DEFAULT marker", null,
                    "give the shard key's value in every row of a COPY into a sharded table",
                    layout.context(row.line(), row.data(), row.offset(), row.length()));
        }
        if (isNull) {
            throw nullKey(layout.context(row.line(), row.data(), row.offset(), row.length()));
        }
        return key(layout.decodeStrict(v, 0, v.length));
    }

    private Object key(String text) {
        if (text == null) {
            return ANY_SHARD;
        }
        switch (keyType) {
            case INTEGER: {
                Long v = PgIntegers.parse(text);
                return v == null ? ANY_SHARD : v;
            }
            case TEXT:
                return text;
            default: {
                Object v = KeyValues.fromString(text, false, KeyType.UUID);
                return v == KeyValues.NO_VALUE ? ANY_SHARD : v;
            }
        }
    }

    private CopyFormatException nullKey(String context) {
        return new CopyFormatException(CopyFormatException.NOT_NULL_VIOLATION,
                "null value in column \"" + keyColumn + "\" of relation \"" + table + "\" violates not-null constraint",
                "ShardProxy places each row by its shard key " + keyColumn + "; a row without one cannot be placed.",
                null, context);
    }

    private CopyFormatException lineError(String state, String message, CopyRow row) {
        return new CopyFormatException(state, message, null, null,
                layout.context(row.line(), row.data(), row.offset(), row.length()));
    }

    // ---- CopyReadAttributesText ----

    /** Splits a text line into fields; keeps the key field's NULL-ness and de-escaped bytes. */
    private int textFields(CopyRow row) {
        byte[] b = row.data();
        int cur = row.offset();
        int end = cur + row.length();
        byte delim = layout.delimiter();
        int field = 0;
        keyNull = false;
        keyDefault = false;
        keyBytes = null;
        for (;;) {
            int start = cur;
            int endPtr;
            boolean foundDelim = false;
            boolean sawNonAscii = false;
            boolean isKey = field == keyIndex;
            value.reset();
            for (;;) {
                endPtr = cur;
                if (cur >= end) {
                    break;
                }
                byte c = b[cur++];
                if (c == delim) {
                    foundDelim = true;
                    break;
                }
                if (c == '\\') {
                    if (cur >= end) {
                        break;
                    }
                    c = b[cur++];
                    switch (c) {
                        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
                            int v = c - '0';
                            if (cur < end && b[cur] >= '0' && b[cur] <= '7') {
                                v = (v << 3) + (b[cur++] - '0');
                                if (cur < end && b[cur] >= '0' && b[cur] <= '7') {
                                    v = (v << 3) + (b[cur++] - '0');
                                }
                            }
                            c = (byte) v;
                            sawNonAscii |= c == 0 || (c & 0x80) != 0;
                            break;
                        }
                        case 'x':
                            if (cur < end && Character.digit(b[cur], 16) >= 0) {
                                int v = Character.digit(b[cur++], 16);
                                if (cur < end && Character.digit(b[cur], 16) >= 0) {
                                    v = (v << 4) + Character.digit(b[cur++], 16);
                                }
                                c = (byte) v;
                                sawNonAscii |= c == 0 || (c & 0x80) != 0;
                            }
                            break;
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case 'n': c = '\n'; break;
                        case 'r': c = '\r'; break;
                        case 't': c = '\t'; break;
                        case 'v': c = 0x0B; break;
                        default:
                            break; // any other byte after a backslash stands for itself
                    }
                }
                if (isKey) {
                    value.write(c);
                }
            }
            boolean isNull = equals(b, start, endPtr, layout.nullString());
            boolean isDefault = !isNull && field < columnCount && layout.defaultString() != null
                    && equals(b, start, endPtr, layout.defaultString());
            if (!isNull && !isDefault && sawNonAscii) {
                // Escapes made bytes above 0x7F or NUL: the field must still be valid UTF8.
                checkUtf8(deEscape(b, start, endPtr), row);
            }
            if (isKey) {
                keyNull = isNull;
                keyDefault = isDefault;
                keyBytes = value.toByteArray();
            }
            field++;
            if (!foundDelim) {
                return field;
            }
        }
    }

    /** The de-escaped bytes of a text field (the field's raw bytes, escapes resolved). */
    private static byte[] deEscape(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int cur = from;
        while (cur < to) {
            byte c = b[cur++];
            if (c == '\\' && cur < to) {
                c = b[cur++];
                if (c >= '0' && c <= '7') {
                    int v = c - '0';
                    if (cur < to && b[cur] >= '0' && b[cur] <= '7') {
                        v = (v << 3) + (b[cur++] - '0');
                        if (cur < to && b[cur] >= '0' && b[cur] <= '7') {
                            v = (v << 3) + (b[cur++] - '0');
                        }
                    }
                    c = (byte) v;
                } else if (c == 'x') {
                    if (cur < to && Character.digit(b[cur], 16) >= 0) {
                        int v = Character.digit(b[cur++], 16);
                        if (cur < to && Character.digit(b[cur], 16) >= 0) {
                            v = (v << 4) + Character.digit(b[cur++], 16);
                        }
                        c = (byte) v;
                    }
                } else {
                    switch (c) {
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case 'n': c = '\n'; break;
                        case 'r': c = '\r'; break;
                        case 't': c = '\t'; break;
                        case 'v': c = 0x0B; break;
                        default: break;
                    }
                }
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    private void checkUtf8(byte[] out, CopyRow row) {
        if (!layout.utf8()) {
            return; // the shard checks other encodings
        }
        int p = 0;
        while (p < out.length) {
            int n = Utf8.validLength(out, p, out.length);
            if (n <= 0) {
                throw lineError(CopyFormatException.CHARACTER_NOT_IN_REPERTOIRE,
                        "invalid byte sequence for encoding \"UTF8\": " + Utf8.describe(out, p, out.length), row);
            }
            p += n;
        }
    }

    // ---- CopyReadAttributesCSV ----

    /** Splits a CSV line into fields; keeps the key field's NULL-ness and unquoted bytes. */
    private int csvFields(CopyRow row) {
        byte[] b = row.data();
        int cur = row.offset();
        int end = cur + row.length();
        byte delim = layout.delimiter();
        byte quote = layout.quote();
        byte escape = layout.escape();
        int field = 0;
        keyNull = false;
        keyDefault = false;
        keyBytes = null;
        for (;;) {
            int start = cur;
            int endPtr;
            boolean foundDelim = false;
            boolean sawQuote = false;
            boolean isKey = field == keyIndex;
            value.reset();
            outer:
            for (;;) {
                for (;;) {
                    endPtr = cur;
                    if (cur >= end) {
                        break outer;
                    }
                    byte c = b[cur++];
                    if (c == delim) {
                        foundDelim = true;
                        break outer;
                    }
                    if (c == quote) {
                        sawQuote = true;
                        break;
                    }
                    if (isKey) {
                        value.write(c);
                    }
                }
                for (;;) {
                    endPtr = cur;
                    if (cur >= end) {
                        throw lineError(CopyFormatException.BAD_COPY_FILE_FORMAT, "unterminated CSV quoted field", row);
                    }
                    byte c = b[cur++];
                    if (c == escape && cur < end && (b[cur] == escape || b[cur] == quote)) {
                        if (isKey) {
                            value.write(b[cur]);
                        }
                        cur++;
                        continue;
                    }
                    if (c == quote) {
                        break;
                    }
                    if (isKey) {
                        value.write(c);
                    }
                }
            }
            if (isKey) {
                keyNull = !sawQuote && equals(b, start, endPtr, layout.nullString());
                keyDefault = !keyNull && field < columnCount && layout.defaultString() != null
                        && equals(b, start, endPtr, layout.defaultString());
                keyBytes = value.toByteArray();
            }
            field++;
            if (!foundDelim) {
                return field;
            }
        }
    }

    // ---- binary ----

    private Object binary(CopyRow row) {
        byte[] b = row.data();
        int p = row.offset() + 2;
        for (int f = 0; f < keyIndex; f++) {
            int size = int32(b, p);
            p += 4 + Math.max(size, 0);
        }
        int size = int32(b, p);
        p += 4;
        if (size == -1) {
            throw nullKey(layout.context(row.line()));
        }
        switch (keyType) {
            case INTEGER:
                if (size == 2) {
                    return (long) (short) (((b[p] & 0xff) << 8) | (b[p + 1] & 0xff));
                }
                if (size == 4) {
                    return (long) int32(b, p);
                }
                if (size == 8) {
                    return ((long) int32(b, p) << 32) | (int32(b, p + 4) & 0xffffffffL);
                }
                return ANY_SHARD;
            case TEXT:
                return Utf8.valid(b, p, p + size) ? new String(b, p, size, StandardCharsets.UTF_8) : ANY_SHARD;
            default:
                if (size != 16) {
                    return ANY_SHARD;
                }
                long hi = ((long) int32(b, p) << 32) | (int32(b, p + 4) & 0xffffffffL);
                long lo = ((long) int32(b, p + 8) << 32) | (int32(b, p + 12) & 0xffffffffL);
                return new UUID(hi, lo);
        }
    }

    private static int int32(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    private static boolean equals(byte[] b, int from, int to, byte[] marker) {
        if (to - from != marker.length) {
            return false;
        }
        for (int i = 0; i < marker.length; i++) {
            if (b[from + i] != marker[i]) {
                return false;
            }
        }
        return true;
    }
}
