package io.shardproxy.server.copy;

import io.shardproxy.router.plan.Plan;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.shardproxy.server.copy.CopyFixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * COPY TO lines as PostgreSQL 17.11 writes them for the same values (CopyFormatTest compares
 * thousands of generated rows with a live server's COPY TO STDOUT).
 */
class CopyRowEncoderTest {

    private static CopyRowEncoder encoder(String options, String... columns) {
        Plan.CopyOptions o = plan("copy (select 1 from t order by 1) to stdout " + options).options();
        return CopyRowEncoder.create(o, List.of(columns));
    }

    private static String line(CopyRowEncoder e, String... values) {
        byte[][] v = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            v[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return new String(e.encode(v), StandardCharsets.UTF_8);
    }

    @Test
    void textEscapesControlCharactersBackslashAndDelimiter() {
        CopyRowEncoder e = encoder("", "a", "b", "c");
        assertEquals("1\t\\N\t\n", line(e, "1", null, ""));
        assertEquals("a\\tb\t\\\\N\tx\\ny\\rz\n", line(e, "a\tb", "\\N", "x\ny\rz"));
        assertEquals("\\b\\f\\v\u0001\u001f\t\u00e9\t\\\\\n", line(e, "\b\f\u000b\u0001\u001f", "\u00e9", "\\"));
        assertNull(e.header());
    }

    @Test
    void textWithOtherDelimiterAndNull() {
        CopyRowEncoder e = encoder("(delimiter '|', null 'NULL')", "a", "b");
        assertEquals("a\\|b\\tc|NULL\n", line(e, "a|b\tc", null));
        CopyRowEncoder ctl = encoder("(delimiter E'\\x01')", "a", "b");
        assertEquals("x\\\u0001y\u0001z\n", line(ctl, "x\u0001y", "z"));
    }

    @Test
    void csvQuotesOnlyWhenNeeded() {
        CopyRowEncoder e = encoder("(format csv)", "a", "b", "c");
        assertEquals("1,,\"\"\n", line(e, "1", null, ""));
        assertEquals("\"a,b\",\"x\"\"y\",\"l\nm\"\n", line(e, "a,b", "x\"y", "l\nm"));
        assertEquals("\\.,\"c\rd\",plain\n", line(e, "\\.", "c\rd", "plain"));
    }

    @Test
    void csvQuotesBackslashDotAloneInAOneColumnResult() {
        CopyRowEncoder e = encoder("(format csv)", "a");
        assertEquals("\"\\.\"\n", line(e, "\\."));
        assertEquals("\\.x\n", line(e, "\\.x"));
    }

    @Test
    void csvQuotesValuesEqualToTheNullString() {
        CopyRowEncoder e = encoder("(format csv, null 'NA')", "a", "b");
        assertEquals("\"NA\",NA\n", line(e, "NA", null));
    }

    @Test
    void csvForceQuoteAndCustomQuoteAndEscape() {
        CopyRowEncoder e = encoder("(format csv, force_quote (b), quote '''', escape '\\')", "a", "b");
        assertEquals("x,'y'\n", line(e, "x", "y"));
        assertEquals("'it\\'s','a\\\\b'\n", line(e, "it's", "a\\b"));
        assertEquals("\"q\",''\n", line(e, "\"q\"", ""));
        CopyRowEncoder all = encoder("(format csv, force_quote *)", "a", "b");
        assertEquals("\"1\",\n", line(all, "1", null));
    }

    @Test
    void headerLines() {
        assertEquals("a\tb c\tx\\ty\n", new String(encoder("(header)", "a", "b c", "x\ty").header(), StandardCharsets.UTF_8));
        assertEquals("a,\"b,c\",\"\"\"q\"\"\"\n", new String(encoder("(format csv, header)", "a", "b,c", "\"q\"").header(),
                StandardCharsets.UTF_8));
        assertEquals("\"\\.\"\n", new String(encoder("(format csv, header)", "\\.").header(), StandardCharsets.UTF_8));
        assertEquals("\"\",x\n", new String(encoder("(format csv, header, null '')", "", "x").header(), StandardCharsets.UTF_8));
    }

    @Test
    void forceQuoteNamesAreCheckedAgainstTheResultColumns() {
        Plan.CopyOptions o = plan("copy (select 1 from t order by 1) to stdout (format csv, force_quote (z))").options();
        CopyFormatException e = assertThrows(CopyFormatException.class, () -> CopyRowEncoder.create(o, List.of("a")));
        assertEquals("42703", e.sqlState());
        assertEquals("column \"z\" does not exist", e.getMessage());
        Plan.CopyOptions twice = plan("copy (select 1 from t order by 1) to stdout (format csv, force_quote (a, a))").options();
        e = assertThrows(CopyFormatException.class, () -> CopyRowEncoder.create(twice, List.of("a")));
        assertEquals("42701", e.sqlState());
        assertEquals("column \"a\" specified more than once", e.getMessage());
        Plan.CopyOptions first = plan("copy (select 1 from t order by 1) to stdout (format csv, force_quote (a))").options();
        assertEquals("\"1\",2\n", line(CopyRowEncoder.create(first, List.of("a", "a")), "1", "2"));
    }
}
