package io.shardproxy.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.shardproxy.server.wire.BackendMessage;
import io.shardproxy.server.wire.DataRow;

/**
 * Writes backend messages to a client from a worker thread, in batches: messages are encoded into
 * one buffer that is handed to Netty every {@value #BATCH_BYTES} bytes. When the channel is not
 * writable (a slow client), the worker waits until it is, so the proxy never holds more than the
 * channel's high water mark plus one batch for a client, however large the result.
 */
final class ResultWriter {
    static final int BATCH_BYTES = 32 * 1024;

    private final Channel channel;
    private final Object writable = new Object();
    private final java.util.Queue<java.util.Map<Byte, String>> notices = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private ByteBuf buffer;

    ResultWriter(Channel channel) {
        this.channel = channel;
    }

    void write(BackendMessage message) {
        drainNotices();
        message.encode(buffer());
        maybePush();
    }

    /**
     * A shard's NoticeResponse, from any thread: sent before the next message the session writes
     * (DataRows do not wait for it).
     */
    void notice(java.util.Map<Byte, String> fields) {
        notices.add(fields);
    }

    private void drainNotices() {
        java.util.Map<Byte, String> n;
        while ((n = notices.poll()) != null) {
            new io.shardproxy.server.wire.NoticeResponse(n).encode(buffer());
        }
    }

    void dataRow(byte[][] values) {
        DataRow.encode(buffer(), values);
        maybePush();
    }

    /** Hands everything written so far to the client's socket: one task for the event loop. */
    void flush() {
        ByteBuf b = take();
        if (b == null) {
            channel.flush();
        } else {
            channel.writeAndFlush(b, channel.voidPromise());
        }
    }

    /** Hands everything written so far to the channel, unflushed: what a relay sends follows it. */
    void handOver() {
        push();
    }

    /** Called on the event loop when the channel's writability changes. */
    void writabilityChanged() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    private ByteBuf buffer() {
        if (buffer == null) {
            buffer = channel.alloc().buffer(BATCH_BYTES + 1024);
        }
        return buffer;
    }

    private void maybePush() {
        if (buffer.readableBytes() >= BATCH_BYTES) {
            push();
            if (!channel.isWritable()) {
                channel.flush();
                awaitWritable();
            }
        }
    }

    private void push() {
        ByteBuf b = take();
        if (b != null) {
            channel.write(b, channel.voidPromise());
        }
    }

    /** The buffer written so far, now the caller's to hand to Netty, or null when empty. */
    private ByteBuf take() {
        if (buffer == null) {
            return null;
        }
        ByteBuf b = buffer;
        buffer = null;
        if (!channel.isActive()) {
            b.release();
            throw new ClientGoneException();
        }
        return b;
    }

    private void awaitWritable() {
        synchronized (writable) {
            while (!channel.isWritable()) {
                if (!channel.isActive()) {
                    throw new ClientGoneException();
                }
                try {
                    writable.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClientGoneException();
                }
            }
        }
    }

    /** Drops anything not yet handed to Netty (after the client went away). */
    void discard() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
