package io.shardproxy.server.copy;

/**
 * One row of COPY FROM data as a slice of the splitter's buffer, valid only during the
 * {@link RowSink#row} call that receives it (copy the bytes to keep them).
 *
 * <p>Text and CSV: {@code length} bytes of the line without its line ending, followed in the
 * buffer by {@code eolLength} bytes of line ending as the client sent it (0 for a last line
 * without one, or one cut by the end-of-data marker). Binary: one tuple, field count included;
 * the header row is the file header (signature, flags, extension).
 *
 * @param line      PostgreSQL's line number for errors in this row (its {@code cur_lineno}): the
 *                  last physical line of the row, counting newlines inside CSV quotes as
 *                  PostgreSQL counts them; a binary tuple's number
 * @param header    the HEADER line (text, CSV) or the file header (binary): every shard gets it
 * @param quotedLf  CSV: line feeds inside quotes (for {@link LineMap}'s count of a shard's lines)
 * @param quotedCr  CSV: carriage returns inside quotes
 */
public record CopyRow(byte[] data, int offset, int length, int eolLength, long line, boolean header, int quotedLf,
                      int quotedCr) {

    /** The bytes to send on: the row and its line ending. */
    public int rawLength() {
        return length + eolLength;
    }
}
