package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;

import java.util.Arrays;

/**
 * Text and CSV COPY data into lines, a port of PostgreSQL's CopyReadLineText
 * (commands/copyfromparse.c) that reads from chunks instead of a file:
 *
 * <ul>
 *   <li>A line ends at an unescaped (text) or unquoted (CSV) {@code \n}, {@code \r} or
 *       {@code \r\n}; the first line ending fixes the style and any other style later is an
 *       error, as in PostgreSQL.</li>
 *   <li>Text: a backslash escapes the next byte, even a line ending; {@code \.} ends the data
 *       (see {@link CopyLayout.EndMarker} for where, by server version).</li>
 *   <li>CSV: quotes and the escape byte are tracked so quoted delimiters and line endings are
 *       data; newlines inside quotes count as lines the way PostgreSQL counts them.</li>
 *   <li>UTF8 data is checked as PostgreSQL checks it, at the byte where PostgreSQL would stop.</li>
 * </ul>
 *
 * <p>Trap: PostgreSQL peeks one to three bytes ahead after {@code \r} and {@code \}. When a chunk
 * ends before the peeked byte, reading stops at the byte that needs it and starts there again
 * with the next chunk ("undo fetch"), exactly as PostgreSQL does when its buffer runs dry; no
 * state is kept between bytes of one line except what PostgreSQL keeps.
 */
final class TextRowSplitter implements CopyRowSplitter {
    private enum Eol { UNKNOWN, NL, CR, CRNL }

    private static final int NEED = 0;
    private static final int LINE = 1;
    private static final int EOF = 2;
    private static final int MARKER = 3;

    private final CopyLayout layout;
    private final boolean csv;
    private final boolean pg18;
    private final byte quote;
    /** The CSV escape byte, or 0 when it equals the quote (then the quote toggles only). */
    private final byte escape;

    private byte[] buf = new byte[8192];
    private int len;
    private int pos;
    private int lineStart;
    /** Bytes before this index are known to be valid UTF8 (or are not checked). */
    private int verified;

    private Eol eol = Eol.UNKNOWN;
    private boolean inLine;
    private boolean inQuote;
    private boolean lastWasEsc;
    private boolean firstCharInLine;
    private int quotedLf;
    private int quotedCr;
    private long line;
    private boolean headerPending;
    private int eolLength;
    private int markerAt;
    private boolean ended;

    TextRowSplitter(CopyLayout layout) {
        this.layout = layout;
        this.csv = layout.csv();
        this.pg18 = layout.endMarker() == CopyLayout.EndMarker.PG18;
        this.quote = layout.quote();
        this.escape = layout.escape() == layout.quote() ? 0 : layout.escape();
        this.headerPending = layout.header() != Plan.CopyHeader.NONE;
    }

    @Override
    public void feed(byte[] chunk, int offset, int length, RowSink sink) {
        if (ended || length == 0) {
            return;
        }
        compact();
        if (len + length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + length));
        }
        System.arraycopy(chunk, offset, buf, len, length);
        len += length;
        scan(false, sink);
    }

    @Override
    public void finish(RowSink sink) {
        if (!ended) {
            scan(true, sink);
            ended = true;
        }
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public long line() {
        return line;
    }

    /** Drops the bytes of finished lines from the buffer, keeping the line in progress. */
    private void compact() {
        if (lineStart == 0) {
            return;
        }
        System.arraycopy(buf, lineStart, buf, 0, len - lineStart);
        len -= lineStart;
        pos -= lineStart;
        verified -= lineStart;
        lineStart = 0;
    }

    private void scan(boolean eof, RowSink sink) {
        while (!ended) {
            if (!inLine) {
                inLine = true;
                line++;
                lineStart = pos;
                firstCharInLine = true;
                inQuote = false;
                lastWasEsc = false;
                quotedLf = 0;
                quotedCr = 0;
            }
            int result = readLine(eof);
            if (result == NEED) {
                return;
            }
            inLine = false;
            boolean header = headerPending;
            headerPending = false;
            int end;
            int eolBytes = 0;
            if (result == LINE) {
                end = pos - eolLength;
                eolBytes = eolLength;
            } else if (result == MARKER) {
                end = markerAt;
            } else {
                end = Math.min(pos, len);
            }
            if (result != LINE) {
                ended = true;
            }
            if (end > lineStart || result == LINE) {
                sink.row(new CopyRow(buf, lineStart, end - lineStart, eolBytes, line, header, quotedLf, quotedCr));
            }
            lineStart = Math.min(pos, len);
        }
    }

    /**
     * CopyReadLineText: advances {@code pos} over one line. Returns LINE (line ending found, its
     * length in {@code eolLength}), MARKER (end-of-data marker at {@code markerAt}), EOF, or NEED
     * with {@code pos} back at the byte that needs more data.
     */
    private int readLine(boolean eof) {
        for (;;) {
            skipPlainBytes();
            int have = have(pos, eof);
            if (have == NEED) {
                return NEED;
            }
            if (have == EOF) {
                return EOF;
            }
            int prev = pos;
            byte c = buf[pos++];
            if (csv) {
                // PostgreSQL fetches the byte after these before changing the quote state.
                if (c == '\r' || (c == '\\' && !pg18)) {
                    if (have(pos, eof) == NEED) {
                        pos = prev;
                        return NEED;
                    }
                }
                if (inQuote && c == escape && escape != 0) {
                    lastWasEsc = !lastWasEsc;
                }
                if (c == quote && !lastWasEsc) {
                    inQuote = !inQuote;
                }
                if (c != escape || escape == 0) {
                    lastWasEsc = false;
                }
                if (inQuote && c == (eol == Eol.NL ? '\n' : '\r')) {
                    line++;
                }
                if (inQuote && c == '\n') {
                    quotedLf++;
                } else if (inQuote && c == '\r') {
                    quotedCr++;
                }
            }
            if (c == '\r' && (!csv || !inQuote)) {
                if (eol == Eol.UNKNOWN || eol == Eol.CRNL) {
                    int next = have(pos, eof);
                    if (next == NEED) {
                        pos = prev;
                        return NEED;
                    }
                    if (next != EOF && buf[pos] == '\n') {
                        pos++;
                        eol = Eol.CRNL;
                    } else {
                        if (eol == Eol.CRNL) {
                            throw carriageReturn();
                        }
                        eol = Eol.CR;
                    }
                } else if (eol == Eol.NL) {
                    throw carriageReturn();
                }
                eolLength = pos - prev;
                return LINE;
            }
            if (c == '\n' && (!csv || !inQuote)) {
                if (eol == Eol.CR || eol == Eol.CRNL) {
                    throw newline();
                }
                eol = Eol.NL;
                eolLength = 1;
                return LINE;
            }
            if (c == '\\' && (!csv || (firstCharInLine && !pg18))) {
                int next = have(pos, eof);
                if (next == NEED) {
                    pos = prev;
                    return NEED;
                }
                if (next == EOF) {
                    return EOF; // a backslash just before the end is data
                }
                if (buf[pos] == '.') {
                    int r = endMarker(prev, eof);
                    if (r == NEED) {
                        pos = prev;
                        return NEED;
                    }
                    if (r == MARKER) {
                        markerAt = prev;
                        return MARKER;
                    }
                    pos = prev + 1; // CSV: not a marker; read on after the backslash
                } else if (!csv) {
                    pos++; // the escaped byte is data, whatever it is
                }
            }
            firstCharInLine = false;
        }
    }

    /**
     * Moves over checked bytes that cannot end a line, start an escape or change the quote state,
     * without the byte-at-a-time logic below; the rest of a line is most of its bytes.
     */
    private void skipPlainBytes() {
        int p = pos;
        int limit = verified;
        if (!csv) {
            while (p < limit) {
                byte c = buf[p];
                if (c == '\n' || c == '\r' || c == '\\') {
                    break;
                }
                p++;
            }
        } else if (!inQuote) {
            while (p < limit) {
                byte c = buf[p];
                if (c == '\n' || c == '\r' || c == quote || c == '\\') {
                    break;
                }
                p++;
            }
        } else {
            while (p < limit) {
                byte c = buf[p];
                if (c == '\n' || c == '\r' || c == quote || c == escape || c == '\\') {
                    break;
                }
                p++;
            }
            if (p > pos) {
                lastWasEsc = false;
            }
        }
        if (p > pos) {
            pos = p;
            firstCharInLine = false;
        }
    }

    /**
     * After {@code \.} at {@code prev}: MARKER when it ends the data, NEED for more bytes, LINE
     * when (CSV) it is data after all; throws when it is a broken marker (text).
     */
    private int endMarker(int prev, boolean eof) {
        pos++; // the '.'
        if (eol == Eol.CRNL) {
            int h = have(pos, eof);
            if (h == NEED) {
                return NEED;
            }
            byte c2 = h == EOF ? 0 : buf[pos++];
            if (c2 == '\n') {
                if (!csv) {
                    throw bad("end-of-copy marker does not match previous newline style");
                }
                return LINE;
            } else if (c2 != '\r') {
                if (!csv) {
                    throw bad(pg18 ? "end-of-copy marker is not alone on its line" : "end-of-copy marker corrupt");
                }
                return LINE;
            }
        }
        int h = have(pos, eof);
        if (h == NEED) {
            return NEED;
        }
        byte c2 = h == EOF ? 0 : buf[pos++];
        if (c2 != '\r' && c2 != '\n') {
            if (!csv) {
                throw bad(pg18 ? "end-of-copy marker is not alone on its line" : "end-of-copy marker corrupt");
            }
            return LINE;
        }
        if ((eol == Eol.NL && c2 != '\n') || (eol == Eol.CRNL && c2 != '\n') || (eol == Eol.CR && c2 != '\r')) {
            throw bad("end-of-copy marker does not match previous newline style");
        }
        if (pg18 && prev > lineStart) {
            throw bad("end-of-copy marker is not alone on its line");
        }
        return MARKER;
    }

    // ---- input, checked as PostgreSQL checks UTF8 before parsing it ----

    /**
     * Whether byte {@code p} can be read: LINE (yes, and it is valid), NEED (not here yet), EOF
     * (the data ended before it). Throws when the data is not valid UTF8 there.
     */
    private int have(int p, boolean eof) {
        if (p < verified) {
            return LINE;
        }
        if (!layout.utf8()) {
            verified = len;
        } else {
            verifyAhead();
        }
        if (p < verified) {
            return LINE;
        }
        if (verified >= len) {
            return eof ? EOF : NEED;
        }
        // The reader has come to bytes that are not valid UTF8, or not all here yet.
        if (Utf8.validLength(buf, verified, len) == 0 && !eof) {
            return NEED; // a character cut by the chunk boundary
        }
        if (Utf8.reportable(buf, verified, len, eof)) {
            throw new CopyFormatException(CopyFormatException.CHARACTER_NOT_IN_REPERTOIRE,
                    "invalid byte sequence for encoding \"UTF8\": " + Utf8.describe(buf, verified, len),
                    null, null, layout.context(line));
        }
        return NEED; // PostgreSQL reads on before it reports, to show the whole character
    }

    /**
     * Checks the buffered bytes ahead of the reader, stopping before the first character that is
     * invalid or incomplete: PostgreSQL reports it only when its reader gets there.
     */
    private void verifyAhead() {
        while (verified < len) {
            if (buf[verified] > 0) {
                verified++;
                continue;
            }
            int n = Utf8.validLength(buf, verified, len);
            if (n <= 0) {
                return;
            }
            verified += n;
        }
    }

    private CopyFormatException carriageReturn() {
        return csv ? bad("unquoted carriage return found in data", "Use quoted CSV field to represent carriage return.")
                : bad("literal carriage return found in data", "Use \"\\r\" to represent carriage return.");
    }

    private CopyFormatException newline() {
        return csv ? bad("unquoted newline found in data", "Use quoted CSV field to represent newline.")
                : bad("literal newline found in data", "Use \"\\n\" to represent newline.");
    }

    private CopyFormatException bad(String message) {
        return bad(message, null);
    }

    private CopyFormatException bad(String message, String hint) {
        return new CopyFormatException(CopyFormatException.BAD_COPY_FILE_FORMAT, message, null, hint,
                layout.context(line));
    }
}
