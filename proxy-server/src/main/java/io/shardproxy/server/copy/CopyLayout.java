package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The byte-level rules of one COPY's data, from the statement's options: the format, the
 * delimiter, NULL and DEFAULT markers as bytes, CSV quote and escape, the header, the data's
 * character set, and which PostgreSQL major version's end-of-data rules the shards follow.
 * Also the CONTEXT text PostgreSQL attaches to errors in the data.
 *
 * @param format     text, CSV or binary
 * @param delimiter  the column delimiter byte (text, CSV)
 * @param nullString the NULL marker's bytes in the data's encoding
 * @param defaultString the DEFAULT marker's bytes, or null
 * @param quote      CSV quote byte (0 for text)
 * @param escape     CSV escape byte (0 for text)
 * @param header     HEADER
 * @param endMarker  how {@code \.} is read: PostgreSQL 17 and older, or 18 and newer
 * @param relation   the table as error contexts name it ({@code COPY t, line 3})
 * @param columns    the data's column names, in order (binary errors name them); may be empty
 * @param charset    the data's character set (the ENCODING option, else UTF8)
 * @param utf8       the data is UTF8 and the proxy checks it as PostgreSQL does
 */
public record CopyLayout(Plan.CopyFormat format, byte delimiter, byte[] nullString, byte[] defaultString, byte quote,
                         byte escape, Plan.CopyHeader header, EndMarker endMarker, String relation,
                         List<String> columns, Charset charset, boolean utf8) {

    /** How a line holding {@code \.} ends the data. */
    public enum EndMarker {
        /**
         * PostgreSQL 17 and older: in text format {@code \.} ends the data wherever it stands
         * (the line's data before it is the last row) and must be followed by the line ending; in
         * CSV, {@code \.} alone at the start of a line ends the data, otherwise it is data.
         */
        PG17,
        /**
         * PostgreSQL 18 and newer: in text format {@code \.} must be alone on its line; CSV has no
         * end-of-data marker.
         */
        PG18
    }

    /** The longest COPY data PostgreSQL quotes in an error context, in bytes (MAX_COPY_DATA_DISPLAY). */
    static final int MAX_DISPLAY = 100;

    public CopyLayout {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /**
     * The layout of a planned COPY. {@code serverVersionNum} is the shards' server_version_num
     * (e.g. 170011), which decides the end-of-data rules.
     *
     * @throws CopyFormatException 0A000 when the ENCODING option names an encoding Java cannot decode
     */
    public static CopyLayout of(Plan.Copy plan, int serverVersionNum) {
        if (plan.options() == null) {
            throw new IllegalArgumentException("a COPY the router did not read has no layout: forward its data");
        }
        return of(plan.options(), plan.relation(), plan.columns(), serverVersionNum);
    }

    public static CopyLayout of(Plan.CopyOptions o, String relation, List<String> columns, int serverVersionNum) {
        Charset charset = Encodings.charset(o.encoding());
        boolean utf8 = o.encoding() == null || o.encoding().equals("UTF8") || o.encoding().equals("SQL_ASCII");
        if (charset == null) {
            throw new CopyFormatException(CopyFormatException.FEATURE_NOT_SUPPORTED,
                    "COPY with ENCODING '" + o.encoding() + "' is not supported through ShardProxy for this table",
                    null, "convert the data to UTF8 first, e.g. with iconv", null);
        }
        boolean text = o.format() != Plan.CopyFormat.BINARY;
        return new CopyLayout(o.format(),
                text ? (byte) o.delimiter().charAt(0) : 0,
                text ? o.nullString().getBytes(charset) : null,
                o.defaultString() == null ? null : o.defaultString().getBytes(charset),
                o.quote() == null ? 0 : (byte) o.quote().charAt(0),
                o.escape() == null ? 0 : (byte) o.escape().charAt(0),
                o.header(), serverVersionNum >= 180000 ? EndMarker.PG18 : EndMarker.PG17,
                relation, columns, charset, utf8);
    }

    public boolean csv() {
        return format == Plan.CopyFormat.CSV;
    }

    public boolean binary() {
        return format == Plan.CopyFormat.BINARY;
    }

    /** {@code COPY t, line n}: an error about a line that could not be read whole. */
    String context(long line) {
        return "COPY " + relation + ", line " + line;
    }

    /** {@code COPY t, line n: "data"}: an error about a line, quoted as PostgreSQL quotes it. */
    String context(long line, byte[] data, int offset, int length) {
        return "COPY " + relation + ", line " + line + ": \"" + display(data, offset, length) + "\"";
    }

    /** {@code COPY t, line n, column c}: a binary field error. */
    String context(long line, String column) {
        return "COPY " + relation + ", line " + line + ", column " + column;
    }

    /**
     * Data as PostgreSQL prints it in an error: converted to the server encoding and cut to 100
     * bytes at a character boundary, with "..." when cut (CopyLimitPrintoutLength).
     */
    String display(byte[] data, int offset, int length) {
        String s = decode(data, offset, length);
        byte[] utf = s.getBytes(StandardCharsets.UTF_8);
        if (utf.length <= MAX_DISPLAY) {
            return s;
        }
        int cut = MAX_DISPLAY;
        while (cut > 0 && (utf[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return new String(utf, 0, cut, StandardCharsets.UTF_8) + "...";
    }

    /** Bytes of the data decoded in its character set (invalid sequences replaced). */
    String decode(byte[] data, int offset, int length) {
        return new String(data, offset, length, charset);
    }

    /** Bytes of the data decoded strictly; null when they are not valid in the data's character set. */
    String decodeStrict(byte[] data, int offset, int length) {
        CharsetDecoder d = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer c = d.decode(ByteBuffer.wrap(data, offset, length));
            return c.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
