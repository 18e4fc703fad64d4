package io.shardproxy.server.copy;

/** Receives the rows a {@link CopyRowSplitter} finds, in input order. */
@FunctionalInterface
public interface RowSink {

    /** One complete row; its bytes are valid during this call only. */
    void row(CopyRow row);
}
