package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes rows as COPY TO STDOUT text or CSV lines, byte for byte what PostgreSQL writes
 * (CopyAttributeOutText, CopyAttributeOutCSV, the header of CopyToTextLikeStart): used for
 * {@code COPY (query) TO STDOUT} whose rows the proxy merges. Values are the text-format bytes of
 * a DataRow (UTF8, null for SQL NULL); each line is one CopyData message, as PostgreSQL sends it.
 *
 * <p>Text: NULL is the NULL string; backslash and the delimiter get a backslash; {@code \b \f \n
 * \r \t \v} become backslash letters; other bytes pass unchanged. CSV: a value is quoted when
 * FORCE_QUOTE says so, when it equals the NULL string, when it is {@code \.} in a one-column
 * result, or when it holds the delimiter, the quote, {@code \n} or {@code \r}; inside quotes the
 * quote and escape bytes get the escape byte.
 */
public final class CopyRowEncoder {
    private final boolean csv;
    private final byte delimiter;
    private final byte quote;
    private final byte escape;
    private final byte[] nullString;
    private final boolean[] forceQuote;
    private final List<String> columns;
    private final boolean header;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    private CopyRowEncoder(Plan.CopyOptions o, List<String> columns, boolean[] forceQuote) {
        this.csv = o.format() == Plan.CopyFormat.CSV;
        this.delimiter = (byte) o.delimiter().charAt(0);
        this.quote = o.quote() == null ? 0 : (byte) o.quote().charAt(0);
        this.escape = o.escape() == null ? 0 : (byte) o.escape().charAt(0);
        this.nullString = o.nullString().getBytes(StandardCharsets.UTF_8);
        this.forceQuote = forceQuote;
        this.columns = List.copyOf(columns);
        this.header = o.header() != Plan.CopyHeader.NONE;
    }

    /**
     * The encoder for a result with these column names (from its RowDescription). Checks
     * FORCE_QUOTE's names against them as PostgreSQL does for COPY (query): 42703 for a name the
     * query does not return, 42701 for a name given twice.
     */
    public static CopyRowEncoder create(Plan.CopyOptions options, List<String> columnNames) {
        if (options.format() == Plan.CopyFormat.BINARY) {
            throw new IllegalArgumentException("binary COPY rows are not encoded by the proxy");
        }
        boolean[] force = new boolean[columnNames.size()];
        if (options.forceQuoteAll()) {
            Arrays.fill(force, true);
        } else {
            List<Integer> seen = new ArrayList<>();
            for (String name : options.forceQuote()) {
                int i = columnNames.indexOf(name);
                if (i < 0) {
                    throw new CopyFormatException(CopyFormatException.UNDEFINED_COLUMN,
                            "column \"" + name + "\" does not exist", null, null, null);
                }
                if (seen.contains(i)) {
                    throw new CopyFormatException(CopyFormatException.DUPLICATE_COLUMN,
                            "column \"" + name + "\" specified more than once", null, null, null);
                }
                seen.add(i);
                force[i] = true;
            }
        }
        return new CopyRowEncoder(options, columnNames, force);
    }

    /** The header line (with its line feed), or null when the COPY has no HEADER. */
    public byte[] header() {
        if (!header) {
            return null;
        }
        out.reset();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(delimiter);
            }
            byte[] name = columns.get(i).getBytes(StandardCharsets.UTF_8);
            if (csv) {
                csv(name, false);
            } else {
                text(name);
            }
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** One row as a COPY line, line feed included. */
    public byte[] encode(byte[][] values) {
        out.reset();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(delimiter);
            }
            byte[] v = values[i];
            if (v == null) {
                out.write(nullString, 0, nullString.length);
            } else if (csv) {
                csv(v, forceQuote[i]);
            } else {
                text(v);
            }
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** CopyAttributeOutText. */
    private void text(byte[] v) {
        int start = 0;
        for (int i = 0; i < v.length; i++) {
            byte c = v[i];
            if ((c & 0xff) < 0x20) {
                byte letter;
                switch (c) {
                    case '\b': letter = 'b'; break;
                    case '\f': letter = 'f'; break;
                    case '\n': letter = 'n'; break;
                    case '\r': letter = 'r'; break;
                    case '\t': letter = 't'; break;
                    case 0x0B: letter = 'v'; break;
                    default:
                        if (c != delimiter) {
                            continue;
                        }
                        letter = c;
                }
                out.write(v, start, i - start);
                out.write('\\');
                out.write(letter);
                start = i + 1;
            } else if (c == '\\' || c == delimiter) {
                out.write(v, start, i - start);
                out.write('\\');
                start = i;
            }
        }
        out.write(v, start, v.length - start);
    }

    /** CopyAttributeOutCSV. */
    private void csv(byte[] v, boolean useQuote) {
        if (!useQuote && Arrays.equals(v, nullString)) {
            useQuote = true;
        }
        if (!useQuote) {
            if (columns.size() == 1 && v.length == 2 && v[0] == '\\' && v[1] == '.') {
                useQuote = true;
            } else {
                for (byte c : v) {
                    if (c == delimiter || c == quote || c == '\n' || c == '\r') {
                        useQuote = true;
                        break;
                    }
                }
            }
        }
        if (!useQuote) {
            out.write(v, 0, v.length);
            return;
        }
        out.write(quote);
        int start = 0;
        for (int i = 0; i < v.length; i++) {
            byte c = v[i];
            if (c == quote || c == escape) {
                out.write(v, start, i - start);
                out.write(escape);
                start = i;
            }
        }
        out.write(v, start, v.length - start);
        out.write(quote);
    }
}
