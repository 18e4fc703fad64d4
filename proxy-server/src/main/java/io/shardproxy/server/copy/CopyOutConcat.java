package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * COPY TO STDOUT over several shards (CONCAT): the shards' outputs, one shard after the other,
 * made into the one stream a single PostgreSQL would send.
 *
 * <ul>
 *   <li>Text and CSV without HEADER: every shard's data unchanged.</li>
 *   <li>With HEADER: each shard starts with its header line, which PostgreSQL sends as a CopyData
 *       message of its own; the first shard's is kept, the others' are dropped.</li>
 *   <li>Binary: the first shard's file header is kept, the others' (19 bytes plus their
 *       extension) dropped; every shard's trailer ({@code -1} as Int16) is dropped and one is
 *       written after the last shard. Handled byte by byte, whatever the message boundaries.</li>
 * </ul>
 *
 * <pre>{@code
 * CopyOutConcat concat = new CopyOutConcat(plan.options(), client::sendCopyData);
 * for each shard s, in order: for each CopyData d of s: concat.data(d.data());  then concat.endShard();
 * concat.finish();   // then CopyDone, CommandComplete "COPY <sum of the shards' counts>"
 * }</pre>
 */
public final class CopyOutConcat {
    private static final int HEADER_FIXED = BinaryRowSplitter.HEADER_FIXED;

    private final Plan.CopyFormat format;
    private final boolean header;
    private final Consumer<byte[]> client;
    private int shard;
    /** Messages (text) or bytes (binary) seen from the current shard. */
    private long seen;
    /** Binary: header bytes of the current shard still to drop, or -1 until its length is known. */
    private long skip;
    private byte[] headerBytes = new byte[0];
    /** Binary: the last two bytes seen, held back in case they are the trailer. */
    private final byte[] tail = new byte[2];
    private int tailLength;

    public CopyOutConcat(Plan.CopyOptions options, Consumer<byte[]> client) {
        this.format = options.format();
        this.header = options.header() != Plan.CopyHeader.NONE;
        this.client = client;
        this.skip = -1;
    }

    /** One CopyData message of the current shard. */
    public void data(byte[] message) {
        if (format != Plan.CopyFormat.BINARY) {
            boolean headerLine = header && seen == 0;
            seen++;
            if (!headerLine || shard == 0) {
                client.accept(message);
            }
            return;
        }
        int from = 0;
        if (shard > 0 && skip != 0) {
            from = dropHeader(message);
            if (from < 0) {
                return;
            }
        }
        seen += message.length - from;
        // Hold back the stream's last two bytes: they may be the trailer.
        int n = message.length - from;
        byte[] joined = new byte[tailLength + n];
        System.arraycopy(tail, 0, joined, 0, tailLength);
        System.arraycopy(message, from, joined, tailLength, n);
        int keep = Math.min(2, joined.length);
        if (joined.length > keep) {
            client.accept(Arrays.copyOf(joined, joined.length - keep));
        }
        System.arraycopy(joined, joined.length - keep, tail, 0, keep);
        tailLength = keep;
    }

    /** The current shard's CopyDone: the next data is the next shard's. */
    public void endShard() {
        if (format == Plan.CopyFormat.BINARY) {
            if (tailLength != 2 || tail[0] != (byte) 0xff || tail[1] != (byte) 0xff) {
                throw new IllegalStateException("binary COPY output of shard " + shard + " does not end with its trailer");
            }
            tailLength = 0;
            skip = -1;
            headerBytes = new byte[0];
        }
        shard++;
        seen = 0;
    }

    /** After the last shard: the binary trailer. */
    public void finish() {
        if (format == Plan.CopyFormat.BINARY) {
            client.accept(new byte[] {(byte) 0xff, (byte) 0xff});
        }
    }

    /**
     * Drops a later shard's binary file header from the front of {@code message}; returns where
     * the tuples start in it, or -1 when the whole message was header.
     */
    private int dropHeader(byte[] message) {
        int from = 0;
        if (skip < 0) {
            int need = HEADER_FIXED - headerBytes.length;
            int take = Math.min(need, message.length);
            headerBytes = Arrays.copyOf(headerBytes, headerBytes.length + take);
            System.arraycopy(message, 0, headerBytes, headerBytes.length - take, take);
            from = take;
            if (headerBytes.length < HEADER_FIXED) {
                return -1;
            }
            int p = HEADER_FIXED - 4;
            skip = ((headerBytes[p] & 0xffL) << 24) | ((headerBytes[p + 1] & 0xff) << 16)
                    | ((headerBytes[p + 2] & 0xff) << 8) | (headerBytes[p + 3] & 0xff);
        }
        int take = (int) Math.min(skip, message.length - from);
        skip -= take;
        from += take;
        return from == message.length && skip > 0 ? -1 : from;
    }
}
