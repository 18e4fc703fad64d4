package io.shardproxy.server.copy;

import java.util.Arrays;

/**
 * Binary COPY data into its file header and tuples, checked as PostgreSQL's
 * ReceiveCopyBinaryHeader and NextCopyFrom check them:
 *
 * <pre>
 * header   Byte11 "PGCOPY\n\377\r\n\0", Int32 flags (bit 16: OIDs, refused; other high bits
 *          critical, refused), Int32 extension length, Byte[n] extension
 * tuple    Int16 field count (must equal the column count), then per field Int32 length
 *          (-1: NULL) and that many bytes
 * trailer  Int16 -1; any byte after it is an error. Data may also just end between tuples.
 * </pre>
 *
 * The header is emitted as a header row (every shard needs it); tuples as rows numbered like
 * PostgreSQL's lines. A header error has no CONTEXT, as in PostgreSQL, which reads the header
 * before it installs its error context.
 */
final class BinaryRowSplitter implements CopyRowSplitter {
    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    static final int HEADER_FIXED = SIGNATURE.length + 8;

    private enum State { HEADER, TUPLES, TRAILER }

    private final CopyLayout layout;
    private final int columns;
    private byte[] buf = new byte[8192];
    private int len;
    private int pos;
    private State state = State.HEADER;
    private long tuples;
    private boolean ended;

    BinaryRowSplitter(CopyLayout layout) {
        this.layout = layout;
        this.columns = layout.columns().size();
    }

    @Override
    public void feed(byte[] chunk, int offset, int length, RowSink sink) {
        if (length == 0 || ended) {
            return;
        }
        if (state == State.TRAILER) {
            throw bad("received copy data after EOF marker", layout.context(tuples + 1));
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, len - pos);
            len -= pos;
            pos = 0;
        }
        if (len + length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + length));
        }
        System.arraycopy(chunk, offset, buf, len, length);
        len += length;
        read(false, sink);
    }

    @Override
    public void finish(RowSink sink) {
        if (!ended) {
            read(true, sink);
            ended = true;
        }
    }

    @Override
    public boolean ended() {
        return ended || state == State.TRAILER;
    }

    @Override
    public long line() {
        return tuples;
    }

    private void read(boolean eof, RowSink sink) {
        if (state == State.HEADER && !header(eof, sink)) {
            return;
        }
        while (state == State.TUPLES) {
            int start = pos;
            if (len - pos < 2) {
                if (eof) {
                    ended = true; // the data ends between tuples (a lone byte is ignored, as PostgreSQL does)
                }
                return;
            }
            int count = int16(pos);
            if (count == -1) {
                pos += 2;
                state = State.TRAILER;
                if (pos < len) {
                    throw bad("received copy data after EOF marker", layout.context(tuples + 1));
                }
                return;
            }
            if (count != columns) {
                throw bad("row field count is " + count + ", expected " + columns, layout.context(tuples + 1));
            }
            int p = pos + 2;
            for (int f = 0; f < count; f++) {
                String column = f < layout.columns().size() ? layout.columns().get(f) : null;
                if (len - p < 4) {
                    if (eof) {
                        throw bad("unexpected EOF in COPY data", layout.context(tuples + 1, column));
                    }
                    return;
                }
                int size = int32(p);
                p += 4;
                if (size == -1) {
                    continue;
                }
                if (size < 0) {
                    throw bad("invalid field size", layout.context(tuples + 1, column));
                }
                if (len - p < size) {
                    if (eof) {
                        throw bad("unexpected EOF in COPY data", layout.context(tuples + 1, column));
                    }
                    return;
                }
                p += size;
            }
            pos = p;
            tuples++;
            sink.row(new CopyRow(buf, start, p - start, 0, tuples, false, 0, 0));
        }
    }

    /** Reads the file header once it is all here; false when more data is needed. */
    private boolean header(boolean eof, RowSink sink) {
        int have = len - pos;
        if (have < SIGNATURE.length) {
            if (eof) {
                throw bad("COPY file signature not recognized", null);
            }
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (buf[pos + i] != SIGNATURE[i]) {
                throw bad("COPY file signature not recognized", null);
            }
        }
        if (have < SIGNATURE.length + 4) {
            if (eof) {
                throw bad("invalid COPY file header (missing flags)", null);
            }
            return false;
        }
        int flags = int32(pos + SIGNATURE.length);
        if ((flags & (1 << 16)) != 0) {
            throw bad("invalid COPY file header (WITH OIDS)", null);
        }
        if (((flags & ~(1 << 16)) >>> 16) != 0) {
            throw bad("unrecognized critical flags in COPY file header", null);
        }
        if (have < HEADER_FIXED) {
            if (eof) {
                throw bad("invalid COPY file header (missing length)", null);
            }
            return false;
        }
        int extension = int32(pos + SIGNATURE.length + 4);
        if (extension < 0) {
            throw bad("invalid COPY file header (missing length)", null);
        }
        if ((long) have < (long) HEADER_FIXED + extension) {
            if (eof) {
                throw bad("invalid COPY file header (wrong length)", null);
            }
            return false;
        }
        int size = HEADER_FIXED + extension;
        sink.row(new CopyRow(buf, pos, size, 0, 0, true, 0, 0));
        pos += size;
        state = State.TUPLES;
        return true;
    }

    private int int16(int p) {
        return (short) (((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff));
    }

    private int int32(int p) {
        return ((buf[p] & 0xff) << 24) | ((buf[p + 1] & 0xff) << 16) | ((buf[p + 2] & 0xff) << 8) | (buf[p + 3] & 0xff);
    }

    private static CopyFormatException bad(String message, String context) {
        return new CopyFormatException(CopyFormatException.BAD_COPY_FILE_FORMAT, message, null, null, context);
    }
}
