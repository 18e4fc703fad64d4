package io.shardproxy.server.session;

/** Turns a row of text-format values into the formats a client asked for in Bind. */
interface RowEncoder {
    byte[][] encode(byte[][] row);
}
