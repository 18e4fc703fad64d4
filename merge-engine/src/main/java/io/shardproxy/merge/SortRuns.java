package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The sorted runs of a spilling {@link SortStream}, one temporary file each, and their k-way
 * merge. A run file is its rows one after another:
 * <pre>
 *   row   = varint(columns) value*
 *   value = varint(0)                      NULL
 *         | varint(length + 1) byte[length]
 * </pre>
 * (varint: 7 bits per byte, low bits first, high bit set on all but the last byte). Ties in the
 * merge go to the earlier run, so the sort stays stable. At most {@link #MAX_FAN_IN} runs are open
 * at once: beyond that the runs so far are merged into one first. A run's file is deleted when
 * its rows are exhausted, and every remaining one on {@link #close()}.
 */
final class SortRuns implements AutoCloseable {

    static final int MAX_FAN_IN = 64;
    private static final int BUFFER_BYTES = 1 << 15;

    private record Run(Path file, long rows) {
    }

    private final Path directory;
    private final Comparator<byte[][]> order;
    private final List<Run> runs = new ArrayList<>();
    private final List<RunReader> readers = new ArrayList<>();

    SortRuns(Path directory, Comparator<byte[][]> order) {
        this.directory = directory;
        this.order = order;
    }

    /** Writes sorted rows as a new run. */
    void spill(List<byte[][]> sortedRows) {
        if (runs.size() >= MAX_FAN_IN) {
            compact();
        }
        runs.add(write(() -> null, sortedRows));
    }

    /** Merges every run so far into one. */
    private void compact() {
        List<Run> old = new ArrayList<>(runs);
        runs.clear();
        SortStream.Source merged = mergeOf(old, List.of());
        runs.add(write(merged, List.of()));
        for (Run run : old) {
            delete(run.file);
        }
        readers.clear();
    }

    /** The rows of every run, then of the in-memory {@code lastRun}, merged in order. */
    SortStream.Source merge(List<byte[][]> lastRun) {
        return mergeOf(new ArrayList<>(runs), lastRun);
    }

    private SortStream.Source mergeOf(List<Run> files, List<byte[][]> memory) {
        List<SortStream.Source> sources = new ArrayList<>();
        for (Run run : files) {
            RunReader reader = new RunReader(run);
            readers.add(reader);
            sources.add(reader);
        }
        if (!memory.isEmpty()) {
            int[] position = {0};
            sources.add(() -> position[0] < memory.size() ? memory.set(position[0]++, null) : null);
        }
        record Head(int source, byte[][] row) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
            int c = order.compare(a.row, b.row);
            return c != 0 ? c : Integer.compare(a.source, b.source);
        });
        for (int i = 0; i < sources.size(); i++) {
            byte[][] row = sources.get(i).next();
            if (row != null) {
                heads.add(new Head(i, row));
            }
        }
        return () -> {
            Head head = heads.poll();
            if (head == null) {
                return null;
            }
            byte[][] following = sources.get(head.source).next();
            if (following != null) {
                heads.add(new Head(head.source, following));
            }
            return head.row;
        };
    }

    /** A new run file holding the rows of {@code source} and then {@code rows}. */
    private Run write(SortStream.Source source, List<byte[][]> rows) {
        Path file = null;
        try {
            file = directory == null ? Files.createTempFile("shardproxy-sort-", ".run")
                    : Files.createTempFile(directory, "shardproxy-sort-", ".run");
            long count = 0;
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES))) {
                for (byte[][] row = source.next(); row != null; row = source.next()) {
                    writeRow(out, row);
                    count++;
                }
                for (byte[][] row : rows) {
                    writeRow(out, row);
                    count++;
                }
            }
            return new Run(file, count);
        } catch (IOException e) {
            if (file != null) {
                delete(file);
            }
            throw failure("writing", e);
        }
    }

    private static void writeRow(OutputStream out, byte[][] row) throws IOException {
        writeVarint(out, row.length);
        for (byte[] value : row) {
            if (value == null) {
                writeVarint(out, 0);
            } else {
                writeVarint(out, value.length + 1);
                out.write(value);
            }
        }
    }

    private static void writeVarint(OutputStream out, int value) throws IOException {
        while ((value & ~0x7f) != 0) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static int readVarint(InputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("truncated sort run");
            }
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    /** Reads one run; closes and deletes its file once its last row is read. */
    private final class RunReader implements SortStream.Source, AutoCloseable {
        private final Run run;
        private DataInputStream in;
        private long remaining;

        RunReader(Run run) {
            this.run = run;
            this.remaining = run.rows;
            try {
                in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run.file), BUFFER_BYTES));
            } catch (IOException e) {
                throw failure("reading", e);
            }
        }

        @Override
        public byte[][] next() {
            if (remaining == 0) {
                close();
                return null;
            }
            try {
                byte[][] row = new byte[readVarint(in)][];
                for (int i = 0; i < row.length; i++) {
                    int length = readVarint(in);
                    if (length > 0) {
                        row[i] = new byte[length - 1];
                        in.readFully(row[i]);
                    }
                }
                remaining--;
                return row;
            } catch (IOException e) {
                throw failure("reading", e);
            }
        }

        @Override
        public void close() {
            remaining = 0;
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // Nothing more will be read from it.
                }
                in = null;
                delete(run.file);
            }
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ShardProxyException failure(String what, IOException e) {
        return new ShardProxyException(SqlState.INTERNAL_ERROR,
                "sort spill failed while " + what + " a temporary file: " + e.getMessage(), null, null, e);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (RunReader reader : readers) {
            try {
                reader.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (Run run : runs) {
            try {
                delete(run.file);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
