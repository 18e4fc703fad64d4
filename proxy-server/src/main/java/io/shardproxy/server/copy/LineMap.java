package io.shardproxy.server.copy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which line of the client's COPY data each line a shard read came from, so a shard's error
 * ({@code COPY t, line 2, column b: "x"}) can name the client's line. A shard numbers lines of its
 * own stream (its share of the rows, plus the header); this map turns those numbers back.
 *
 * <p>Memory is bounded: rows are kept as small deltas (one to three bytes each) in a ring of
 * {@code capacity} bytes, and the oldest are dropped when it is full. A shard reports an error at
 * a row at most a few socket buffers behind the last row sent to it, so a ring of a megabyte
 * covers hundreds of thousands of rows of any size; a line that has been dropped maps to -1.
 */
public final class LineMap {
    private final byte[] ring;
    private int head;
    private int used;
    /** End lines (client, shard) of the newest row dropped from the ring. */
    private long baseClient;
    private long baseShard;
    private long lastClient;
    private long lastShard;

    public LineMap(int capacity) {
        this.ring = new byte[Math.max(capacity, 32)];
    }

    /**
     * Records the next row the shard reads: it ends at the client's line {@code clientLine} and
     * takes {@code shardLines} lines of the shard's stream.
     */
    public void add(long clientLine, long shardLines) {
        long clientDelta = clientLine - lastClient;
        boolean plain = shardLines == 1;
        int needed = varintSize((clientDelta << 1) | (plain ? 0 : 1)) + (plain ? 0 : varintSize(shardLines));
        while (ring.length - used < needed) {
            dropOldest();
        }
        writeVarint((clientDelta << 1) | (plain ? 0 : 1));
        if (!plain) {
            writeVarint(shardLines);
        }
        lastClient = clientLine;
        lastShard += shardLines;
    }

    /** The client's line for the shard's line {@code shardLine}, or -1 when unknown. */
    public long clientLine(long shardLine) {
        if (shardLine <= baseShard || shardLine > lastShard) {
            return -1;
        }
        long client = baseClient;
        long shard = baseShard;
        int p = head;
        int left = used;
        while (left > 0) {
            long v = 0;
            int shift = 0;
            int b;
            do {
                b = ring[p] & 0xff;
                p = (p + 1) % ring.length;
                left--;
                v |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            long lines = 1;
            if ((v & 1) != 0) {
                lines = 0;
                shift = 0;
                do {
                    b = ring[p] & 0xff;
                    p = (p + 1) % ring.length;
                    left--;
                    lines |= (long) (b & 0x7f) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
            }
            client += v >>> 1;
            shard += lines;
            if (shard >= shardLine) {
                return client - (shard - shardLine);
            }
        }
        return -1;
    }

    /** Lines the shard has been sent so far. */
    public long shardLines() {
        return lastShard;
    }

    /**
     * A shard's CONTEXT with its {@code COPY <relation>, line N} lines renumbered to the client's
     * lines. A line this map no longer knows keeps the shard's number, saying so.
     */
    public String rewriteContext(String context, String relation, String shardName) {
        if (context == null) {
            return null;
        }
        Pattern p = Pattern.compile("(?m)^(COPY " + Pattern.quote(relation) + ", line )(\\d+)");
        return renumber(p.matcher(context), shardName);
    }

    /**
     * A shard's NOTICE of a row skipped by ON_ERROR IGNORE ({@code ... at line N for column ...})
     * renumbered to the client's line.
     */
    public String rewriteSkipNotice(String message, String shardName) {
        if (message == null) {
            return null;
        }
        return renumber(Pattern.compile("( at line )(\\d+)( for column )").matcher(message), shardName);
    }

    private String renumber(Matcher m, String shardName) {
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            long shardLine = Long.parseLong(m.group(2));
            long client = clientLine(shardLine);
            String tail = m.groupCount() >= 3 ? m.group(3) : "";
            String replacement = client >= 0 ? m.group(1) + client + tail
                    : m.group(1) + shardLine + " of the rows sent to shard " + shardName + tail;
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private void dropOldest() {
        long v = readVarintAtHead();
        long lines = (v & 1) != 0 ? readVarintAtHead() : 1;
        baseClient += v >>> 1;
        baseShard += lines;
    }

    private long readVarintAtHead() {
        long v = 0;
        int shift = 0;
        int b;
        do {
            b = ring[head] & 0xff;
            head = (head + 1) % ring.length;
            used--;
            v |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return v;
    }

    private void writeVarint(long v) {
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            ring[(head + used) % ring.length] = (byte) (v != 0 ? b | 0x80 : b);
            used++;
        } while (v != 0);
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }
}
