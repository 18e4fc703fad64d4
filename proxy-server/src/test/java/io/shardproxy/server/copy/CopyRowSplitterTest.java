package io.shardproxy.server.copy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static io.shardproxy.server.copy.CopyFixtures.Row;
import static io.shardproxy.server.copy.CopyFixtures.layout;
import static io.shardproxy.server.copy.CopyFixtures.layout18;
import static io.shardproxy.server.copy.CopyFixtures.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text and CSV data into rows. Expected rows, line numbers and errors are PostgreSQL 17.11's for
 * the same bytes (CopyFormatTest in integration-tests checks thousands more against a live server).
 * Every case is also run in every chunking: one byte at a time, and cut at every position.
 */
class CopyRowSplitterTest {
    private static final CopyLayout TEXT = layout("copy t from stdin");
    private static final CopyLayout CSV = layout("copy t from stdin (format csv)");

    private static byte[] b(String s) {
        // Test data is written with Java escapes; \\xNN is not needed: bytes above 0x7F come from ISO-8859-1.
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The rows, asserting that every chunking of the input gives the same rows. */
    private static List<Row> rows(CopyLayout layout, String data) {
        byte[] d = b(data);
        List<Row> whole = split(layout, d);
        assertEquals(whole, split(layout, d, 1), "one byte at a time");
        assertEquals(whole, split(layout, d, 2, 3, 1, 5), "uneven chunks");
        for (int cut = 1; cut < d.length; cut++) {
            assertEquals(whole, split(layout, d, cut, d.length), "cut at " + cut);
        }
        return whole;
    }

    /** The error, asserting that every chunking fails the same way. */
    private static CopyFormatException error(CopyLayout layout, String data) {
        byte[] d = b(data);
        CopyFormatException e = assertThrows(CopyFormatException.class, () -> split(layout, d));
        for (int cut = 1; cut < d.length; cut++) {
            int c = cut;
            CopyFormatException e2 = assertThrows(CopyFormatException.class, () -> split(layout, d, c, d.length));
            assertEquals(e.getMessage(), e2.getMessage(), "cut at " + cut);
            assertEquals(e.context(), e2.context(), "cut at " + cut);
        }
        CopyFormatException e1 = assertThrows(CopyFormatException.class, () -> split(layout, d, 1));
        assertEquals(e.context(), e1.context());
        return e;
    }

    private static void assertError(CopyFormatException e, String state, String message, String hint, String context) {
        assertEquals(state, e.sqlState());
        assertEquals(message, e.getMessage());
        assertEquals(hint, e.hint());
        assertEquals(context, e.context());
    }

    @Test
    void linesEndAtLineFeedsAndKeepTheirEnding() {
        assertEquals(List.of(new Row("1\tx\ty", "\n", 1, false), new Row("2\tb\tc", "\n", 2, false)),
                rows(TEXT, "1\tx\ty\n2\tb\tc\n"));
    }

    @Test
    void carriageReturnAndCrLfEndingsAreKeptAsSent() {
        assertEquals(List.of(new Row("a", "\r\n", 1, false), new Row("b", "\r\n", 2, false)), rows(TEXT, "a\r\nb\r\n"));
        assertEquals(List.of(new Row("a", "\r", 1, false), new Row("b", "\r", 2, false)), rows(TEXT, "a\rb\r"));
    }

    @Test
    void lastLineNeedsNoEndingAndAnEmptyLineIsARow() {
        assertEquals(List.of(new Row("1", "\n", 1, false), new Row("", "\n", 2, false), new Row("2", "", 3, false)),
                rows(TEXT, "1\n\n2"));
        assertEquals(List.of(), rows(TEXT, ""));
    }

    @Test
    void mixedLineEndingsFailAsInPostgres() {
        assertError(error(TEXT, "1\tx\ty\r\n2\tb\tc\n"), "22P04", "literal newline found in data",
                "Use \"\\n\" to represent newline.", "COPY t, line 2");
        assertError(error(TEXT, "1\tx\ty\n2\tb\tc\r\n"), "22P04", "literal carriage return found in data",
                "Use \"\\r\" to represent carriage return.", "COPY t, line 2");
        assertError(error(TEXT, "1\tx\ty\r2\tb\tc\n"), "22P04", "literal newline found in data",
                "Use \"\\n\" to represent newline.", "COPY t, line 2");
        assertError(error(TEXT, "1\r\n2\r3\r\n"), "22P04", "literal carriage return found in data",
                "Use \"\\r\" to represent carriage return.", "COPY t, line 2");
        assertError(error(CSV, "1,x\r\n2,y\n"), "22P04", "unquoted newline found in data",
                "Use quoted CSV field to represent newline.", "COPY t, line 2");
        assertError(error(CSV, "1,x\n2,y\r"), "22P04", "unquoted carriage return found in data",
                "Use quoted CSV field to represent carriage return.", "COPY t, line 2");
    }

    @Test
    void crAtTheVeryEndAfterCrLfLinesFails() {
        assertError(error(TEXT, "1\r\n2\r"), "22P04", "literal carriage return found in data",
                "Use \"\\r\" to represent carriage return.", "COPY t, line 2");
    }

    @Test
    void backslashEscapesEvenALineEnding() {
        assertEquals(List.of(new Row("1\tx\ty\\\n2\tb\tc", "\n", 1, false)), rows(TEXT, "1\tx\ty\\\n2\tb\tc\n"));
        assertEquals(List.of(new Row("a\\\\", "\n", 1, false), new Row("b", "", 2, false)), rows(TEXT, "a\\\\\nb"));
    }

    @Test
    void backslashJustBeforeTheEndIsData() {
        assertEquals(List.of(new Row("2\tb\tc\\", "", 1, false)), rows(TEXT, "2\tb\tc\\"));
    }

    @Test
    void endMarkerEndsTheDataAndTheRestIsIgnored() {
        assertEquals(List.of(new Row("1", "\n", 1, false)), rows(TEXT, "1\n\\.\n2\n\\.\n"));
        assertEquals(List.of(new Row("1", "\r\n", 1, false)), rows(TEXT, "1\r\n\\.\r\nignored"));
        assertEquals(List.of(new Row("1", "\r", 1, false)), rows(TEXT, "1\r\\.\r"));
        assertEquals(List.of(), rows(TEXT, "\\.\n"));
    }

    @Test
    void postgres17EndsTheDataAtAMarkerAfterDataOnTheSameLine() {
        assertEquals(List.of(new Row("1\tx\ty", "\n", 1, false), new Row("2\tz\tw", "", 2, false)),
                rows(TEXT, "1\tx\ty\n2\tz\tw\\.\n3\tq\tr\n"));
    }

    @Test
    void brokenEndMarkersFailAsInPostgres17() {
        assertError(error(TEXT, "1\tx\ty\n\\."), "22P04", "end-of-copy marker corrupt", null, "COPY t, line 2");
        assertError(error(TEXT, "1\tx\ty\n\\.x\n"), "22P04", "end-of-copy marker corrupt", null, "COPY t, line 2");
        assertError(error(TEXT, "1\tx\ty\n\\.\r\n"), "22P04", "end-of-copy marker does not match previous newline style",
                null, "COPY t, line 2");
        assertError(error(TEXT, "1\r\n2\r\n\\.\n"), "22P04", "end-of-copy marker does not match previous newline style",
                null, "COPY t, line 3");
        assertError(error(TEXT, "1\r\n\\.x"), "22P04", "end-of-copy marker corrupt", null, "COPY t, line 2");
        assertError(error(TEXT, "1\r\n\\.\rx"), "22P04", "end-of-copy marker corrupt", null, "COPY t, line 2");
        assertError(error(TEXT, "1\r\n\\.\r\r"), "22P04", "end-of-copy marker does not match previous newline style",
                null, "COPY t, line 2");
    }

    @Test
    void postgres18WantsTheMarkerAloneOnItsLine() {
        CopyLayout text18 = layout18("copy t from stdin");
        assertError(error(text18, "1\tx\ty\n2\tz\tw\\.\n"), "22P04", "end-of-copy marker is not alone on its line", null,
                "COPY t, line 2");
        assertError(error(text18, "1\n\\.x\n"), "22P04", "end-of-copy marker is not alone on its line", null,
                "COPY t, line 2");
        assertEquals(List.of(new Row("1", "\n", 1, false)), rows(text18, "1\n\\.\n2\n"));
    }

    @Test
    void postgres18CsvHasNoEndMarker() {
        CopyLayout csv18 = layout18("copy t from stdin (format csv)");
        assertEquals(List.of(new Row("1", "\n", 1, false), new Row("\\.", "\n", 2, false), new Row("3", "\n", 3, false)),
                rows(csv18, "1\n\\.\n3\n"));
    }

    @Test
    void csvQuotesHoldDelimitersAndLineEndings() {
        assertEquals(List.of(new Row("1,\"a\nb,c\",d", "\n", 1, false), new Row("2,x", "\n", 2, false)),
                rows(CSV, "1,\"a\nb,c\",d\n2,x\n"));
        assertEquals(List.of(new Row("1,\"a\"\"\n\"", "\n", 1, false)), rows(CSV, "1,\"a\"\"\n\"\n"));
    }

    @Test
    void csvCountsNewlinesInQuotesAsPostgresDoes() {
        // Before the first line ending is known only carriage returns count; then only the ending's character.
        assertEquals(List.of(1L, 2L), lines(rows(CSV, "1,\"a\nb\",c\n2,x\n")));
        assertEquals(List.of(2L, 3L), lines(rows(CSV, "1,\"a\r\nb\",c\r\n2,x\r\n")));
        assertEquals(List.of(2L, 3L), lines(rows(CSV, "1,\"a\rb\",c\n2,x\n")));
        assertEquals(List.of(1L, 2L), lines(rows(CSV, "1,\"a\nb\",c\r\n2,x\r\n")));
        assertEquals(List.of(1L, 3L, 4L), lines(rows(CSV, "1,x\n2,\"a\nb\"\n3,y\n")));
        assertEquals(List.of(1L, 2L, 3L), lines(rows(CSV, "1,x\n2,\"a\rb\"\n3,y\n")));
    }

    @Test
    void csvEscapeCharacterKeepsAQuoteInsideQuotes() {
        CopyLayout esc = layout("copy t from stdin (format csv, escape '\\')");
        assertEquals(List.of(new Row("1,\"a\\\"\nb\"", "\n", 1, false)), rows(esc, "1,\"a\\\"\nb\"\n"));
        assertEquals(List.of(new Row("1,\"a\\\\\"", "\n", 1, false), new Row("b\"\n", "", 3, false)),
                rows(esc, "1,\"a\\\\\"\nb\"\n"));
    }

    @Test
    void csvEndMarkerOnlyAloneAtTheStartOfALine() {
        assertEquals(List.of(new Row("1,x,y", "\n", 1, false)), rows(CSV, "1,x,y\n\\.\n3,z\n"));
        assertEquals(List.of(new Row("1,x,y", "\n", 1, false), new Row("\\.x", "\n", 2, false)),
                rows(CSV, "1,x,y\n\\.x\n"));
        assertEquals(List.of(new Row("\"\\.\"", "\n", 1, false), new Row("ab\\.", "\n", 2, false)),
                rows(CSV, "\"\\.\"\nab\\.\n"));
        assertEquals(List.of(new Row("1", "\n", 1, false), new Row("\\.", "", 2, false)), rows(CSV, "1\n\\."));
        assertEquals(List.of(new Row("1", "\r\n", 1, false), new Row("\\.x", "\r\n", 2, false)),
                rows(CSV, "1\r\n\\.x\r\n"));
    }

    @Test
    void csvEndMarkerWithTheWrongLineEndingStillFails() {
        assertError(error(CSV, "1\n\\.\r\n"), "22P04", "end-of-copy marker does not match previous newline style", null,
                "COPY t, line 2");
    }

    @Test
    void unterminatedCsvQuoteRunsToTheEndOfTheData() {
        assertEquals(List.of(new Row("1,x,y", "\n", 1, false), new Row("2,\"abc\n3,d\n", "", 4, false)),
                rows(CSV, "1,x,y\n2,\"abc\n3,d\n"));
    }

    @Test
    void invalidUtf8FailsAtItsLine() {
        assertError(error(TEXT, "1\tx\ty\n2\t\u00ff\tz\n"), "22021", "invalid byte sequence for encoding \"UTF8\": 0xff",
                null, "COPY t, line 2");
        assertError(error(TEXT, "1\tx\ty\n2\ta\u00e2\u0082"), "22021",
                "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82", null, "COPY t, line 2");
        assertError(error(TEXT, "1\u00c3\u0028xyz\n"), "22021", "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28",
                null, "COPY t, line 1");
        assertError(error(TEXT, "1\n\u0000\n"), "22021", "invalid byte sequence for encoding \"UTF8\": 0x00", null,
                "COPY t, line 2");
    }

    @Test
    void validUtf8IsSplitAnywhere() {
        String s = "1\t\u00c3\u00a9\u00e2\u0082\u00ac\u00f0\u009f\u0098\u0080\n";
        assertEquals(List.of(new Row("1\t\u00c3\u00a9\u00e2\u0082\u00ac\u00f0\u009f\u0098\u0080", "\n", 1, false)),
                rows(TEXT, s));
    }

    @Test
    void bytesAfterTheEndMarkerAreNotChecked() {
        assertEquals(List.of(new Row("1", "\n", 1, false)), rows(TEXT, "1\n\\.\n\u00ff\u00ff"));
    }

    @Test
    void otherEncodingsAreNotCheckedByTheProxy() {
        CopyLayout latin1 = layout("copy t from stdin (encoding 'latin1')");
        assertEquals(List.of(new Row("1\t\u00ff", "\n", 1, false)), rows(latin1, "1\t\u00ff\n"));
    }

    @Test
    void headerLineIsMarked() {
        CopyLayout h = layout("copy t from stdin (format csv, header)");
        assertEquals(List.of(new Row("id,b,c", "\n", 1, true), new Row("1,x,y", "\n", 2, false)),
                rows(h, "id,b,c\n1,x,y\n"));
        assertEquals(List.of(new Row("id,\"b\r\nx\",c", "\r\n", 2, true), new Row("1,x,y", "\r\n", 3, false)),
                rows(h, "id,\"b\r\nx\",c\r\n1,x,y\r\n"));
    }

    @Test
    void endedAndLineAreReported() {
        CopyRowSplitter s = CopyRowSplitter.create(TEXT);
        s.feed(b("1\n2\n\\.\nmore"), r -> { });
        assertTrue(s.ended());
        assertEquals(3, s.line());
        s.feed(b("and more"), r -> { });
        CopyRowSplitter t = CopyRowSplitter.create(TEXT);
        t.feed(b("1\n2"), r -> { });
        assertFalse(t.ended());
    }

    @Test
    void rowsAreSlicesOfLongLinesAcrossManyChunks() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("abcdefghij");
        }
        String longLine = sb.toString();
        List<Row> rows = split(TEXT, b("1\t" + longLine + "\n2\tx\n"), 7, 4096, 1);
        assertEquals(2, rows.size());
        assertEquals("1\t" + longLine, rows.get(0).content());
    }

    @Test
    void randomDataSplitsTheSameInEveryChunkingOrFailsTheSame() {
        Random random = new Random(42);
        String alphabet = "ab\t,\"\\.\n\r\u00e9 ";
        for (int n = 0; n < 400; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(30);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
            for (CopyLayout layout : List.of(TEXT, CSV)) {
                List<Row> whole = null;
                String failure = null;
                try {
                    whole = split(layout, data);
                } catch (CopyFormatException e) {
                    failure = e.getMessage() + "@" + e.context();
                }
                for (int cut = 1; cut < data.length; cut++) {
                    try {
                        List<Row> r = split(layout, data, cut, 1, 3);
                        assertNull(failure, "chunking changed a failure into rows: " + sb);
                        assertEquals(whole, r, "input " + sb.toString().replace("\n", "\\n").replace("\r", "\\r"));
                    } catch (CopyFormatException e) {
                        assertEquals(failure, e.getMessage() + "@" + e.context());
                    }
                }
            }
        }
    }

    private static List<Long> lines(List<Row> rows) {
        return rows.stream().map(Row::line).toList();
    }
}
