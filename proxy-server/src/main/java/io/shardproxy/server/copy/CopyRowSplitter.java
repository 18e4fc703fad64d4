package io.shardproxy.server.copy;

import io.netty.buffer.ByteBuf;

/**
 * Splits the COPY FROM data a client sends, in CopyData chunks of any size and boundaries, into
 * rows exactly where PostgreSQL would: text and CSV lines (CopyReadLineText), binary tuples.
 * Rows go to a {@link RowSink} as soon as they are complete, so memory holds the longest row plus
 * one chunk, never the whole input. Malformed framing (mixed line endings, a broken end-of-data
 * marker, bytes invalid in UTF8, a bad binary header) throws {@link CopyFormatException} with
 * PostgreSQL's SQLSTATE, message, hint and CONTEXT line. After the end-of-data marker ({@code \.}
 * or the binary trailer) the rest of the data is ignored, as PostgreSQL ignores it.
 *
 * <pre>{@code
 * CopyRowSplitter splitter = CopyRowSplitter.create(layout);
 * for each CopyData d:  splitter.feed(d.data(), sink);
 * on CopyDone:          splitter.finish(sink);
 * }</pre>
 */
public interface CopyRowSplitter {

    static CopyRowSplitter create(CopyLayout layout) {
        return layout.binary() ? new BinaryRowSplitter(layout) : new TextRowSplitter(layout);
    }

    /** Takes the next chunk of data; calls {@code sink} for every row it completes. */
    void feed(byte[] chunk, int offset, int length, RowSink sink);

    default void feed(byte[] chunk, RowSink sink) {
        feed(chunk, 0, chunk.length, sink);
    }

    /** Takes a chunk from a Netty buffer without consuming it (its reader index is unchanged). */
    default void feed(ByteBuf chunk, RowSink sink) {
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(), chunk.readableBytes(), sink);
        } else {
            byte[] copy = new byte[chunk.readableBytes()];
            chunk.getBytes(chunk.readerIndex(), copy);
            feed(copy, 0, copy.length, sink);
        }
    }

    /** The client's CopyDone: the data ends here; emits a last row that had no line ending. */
    void finish(RowSink sink);

    /** True once the end-of-data marker (or binary trailer) was read: later data is ignored. */
    boolean ended();

    /** PostgreSQL's line number so far ({@code cur_lineno}): the line being read, or the last one read. */
    long line();
}
