package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COPY options read as PostgreSQL 17 reads them. The expected errors are PostgreSQL 17.11's own
 * SQLSTATE and message for each statement (CopyFormatTest in integration-tests checks a larger
 * corpus against a live server).
 */
class CopyOptionsTest {
    private final Routing r = new Routing();

    private Plan.CopyOptions options(String sql) {
        return assertInstanceOf(Plan.Copy.class, r.plan(sql)).options();
    }

    @Test
    void textDefaults() {
        Plan.CopyOptions o = options("copy tbl from stdin");
        assertEquals(Plan.CopyFormat.TEXT, o.format());
        assertEquals("\t", o.delimiter());
        assertEquals("\\N", o.nullString());
        assertNull(o.quote());
        assertNull(o.escape());
        assertNull(o.defaultString());
        assertEquals(Plan.CopyHeader.NONE, o.header());
        assertNull(o.encoding());
        assertFalse(o.freeze());
        assertFalse(o.onErrorIgnore());
    }

    @Test
    void csvDefaultsAndEscapeDefaultsToQuote() {
        Plan.CopyOptions o = options("copy tbl from stdin (format csv)");
        assertEquals(",", o.delimiter());
        assertEquals("", o.nullString());
        assertEquals("\"", o.quote());
        assertEquals("\"", o.escape());
        o = options("copy tbl from stdin (format csv, quote '''')");
        assertEquals("'", o.escape());
    }

    @Test
    void genericOptionArguments() {
        Plan.CopyOptions o = options("copy tbl from stdin with (format 'csv', header match, delimiter E'\\t', "
                + "null 'NULL', default '\\D', force_not_null (info, \"crt_time\"), force_null *, freeze on, "
                + "encoding 'UTF-8', on_error ignore, log_verbosity verbose)");
        assertEquals(Plan.CopyFormat.CSV, o.format());
        assertEquals(Plan.CopyHeader.MATCH, o.header());
        assertEquals("\t", o.delimiter());
        assertEquals("NULL", o.nullString());
        assertEquals("\\D", o.defaultString());
        assertEquals(List.of("info", "crt_time"), o.forceNotNull());
        assertTrue(o.forceNullAll());
        assertTrue(o.freeze());
        assertEquals("UTF8", o.encoding());
        assertTrue(o.onErrorIgnore());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "header|PRESENT", "header true|PRESENT", "header 1|PRESENT", "header on|PRESENT", "header 'ON'|PRESENT",
            "header 0|NONE", "header false|NONE", "header off|NONE", "header 'Match'|MATCH", "header match|MATCH"})
    void headerValues(String option, String expected) {
        assertEquals(Plan.CopyHeader.valueOf(expected), options("copy tbl from stdin (" + option + ")").header());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "copy tbl to stdout (force_quote (id))#0A000#COPY FORCE_QUOTE requires CSV mode",
            "copy tbl from stdin (format csv, force_quote (id))#0A000#COPY FORCE_QUOTE cannot be used with COPY FROM",
            "copy tbl to stdout (format csv, force_not_null (id))#22023#COPY FORCE_NOT_NULL cannot be used with COPY TO",
            "copy tbl to stdout (force_null (id))#0A000#COPY FORCE_NULL requires CSV mode",
            "copy tbl to stdout (format csv, force_null (id))#22023#COPY FORCE_NULL cannot be used with COPY TO",
            "copy tbl to stdout (quote 'x')#0A000#COPY QUOTE requires CSV mode",
            "copy tbl to stdout (escape 'x')#0A000#COPY ESCAPE requires CSV mode",
            "copy tbl to stdout (freeze)#22023#COPY FREEZE cannot be used with COPY TO",
            "copy tbl to stdout (default 'x')#0A000#COPY DEFAULT cannot be used with COPY TO",
            "copy tbl to stdout (format binary, header)#0A000#cannot specify HEADER in BINARY mode",
            "copy tbl to stdout (format binary, delimiter ',')#42601#cannot specify DELIMITER in BINARY mode",
            "copy tbl to stdout (on_error ignore)#22023#COPY ON_ERROR cannot be used with COPY TO",
            "copy tbl from stdin (format binary, on_error ignore)#42601#only ON_ERROR STOP is allowed in BINARY mode",
            "copy tbl from stdin (log_verbosity loud)#22023#COPY LOG_VERBOSITY \"loud\" not recognized",
            "copy tbl from stdin (reject_limit 3)#22023#COPY REJECT_LIMIT requires ON_ERROR to be set to IGNORE",
            "copy tbl from stdin (on_error ignore, reject_limit 0)#22023#REJECT_LIMIT (0) must be greater than zero",
            "copy tbl from stdin (on_error ignore, reject_limit)#42601#reject_limit requires a numeric value",
            "copy tbl from stdin (reject_limit 'x')#22P02#invalid input syntax for type bigint: \"x\"",
            "copy tbl to stdout (header match)#0A000#cannot use \"match\" with HEADER in COPY TO",
            "copy tbl from stdin (header 2)#42601#header requires a Boolean value or \"match\"",
            "copy tbl from stdin (header 'x')#42601#header requires a Boolean value or \"match\"",
            "copy tbl from stdin (freeze 'x')#42601#freeze requires a Boolean value",
            "copy tbl from stdin (format)#42601#format requires a parameter",
            "copy tbl from stdin (delimiter)#42601#delimiter requires a parameter",
            "copy tbl from stdin (delimiter 1)#22023#COPY delimiter cannot be \"1\"",
            "copy tbl from stdin (format 'CSV')#22023#COPY format \"CSV\" not recognized",
            "copy tbl from stdin (foo)#42601#option \"foo\" not recognized",
            "copy tbl from stdin (format csv, format csv)#42601#conflicting or redundant options",
            "copy tbl from stdin (null '\\N', null 'x')#42601#conflicting or redundant options",
            "copy tbl from stdin (delimiter 'ab')#0A000#COPY delimiter must be a single one-byte character",
            "copy tbl from stdin (delimiter 'é')#0A000#COPY delimiter must be a single one-byte character",
            "copy tbl from stdin (delimiter E'\\n')#22023#COPY delimiter cannot be newline or carriage return",
            "copy tbl from stdin (null E'a\\rb')#22023#COPY null representation cannot use newline or carriage return",
            "copy tbl from stdin (delimiter '\\')#22023#COPY delimiter cannot be \"\\\"",
            "copy tbl from stdin (delimiter '.')#22023#COPY delimiter cannot be \".\"",
            "copy tbl from stdin (format csv, quote 'ab')#0A000#COPY quote must be a single one-byte character",
            "copy tbl from stdin (format csv, delimiter '\"')#22023#COPY delimiter and quote must be different",
            "copy tbl from stdin (format csv, escape '')#0A000#COPY escape must be a single one-byte character",
            "copy tbl from stdin (null 'a|b', delimiter '|')#22023#COPY delimiter character must not appear in the NULL specification",
            "copy tbl from stdin (format csv, null '\"')#22023#CSV quote character must not appear in the NULL specification",
            "copy tbl from stdin (default 'x,y', format csv)#0A000#COPY delimiter character must not appear in the DEFAULT specification",
            "copy tbl from stdin (default 'x\"', format csv)#0A000#CSV quote character must not appear in the DEFAULT specification",
            "copy tbl from stdin (default 'N', null 'N')#0A000#NULL specification and DEFAULT specification cannot be the same",
            "copy tbl from stdin (force_quote id)#22023#argument to option \"force_quote\" must be a list of column names",
            "copy tbl from stdin (encoding 'klingon')#22023#argument to option \"encoding\" must be a valid encoding name",
            "copy tbl from stdin (on_error maybe)#22023#COPY ON_ERROR \"maybe\" not recognized"})
    void invalidOptionsFailAsInPostgres(String sql, String state, String message) {
        ShardProxyException e = org.junit.jupiter.api.Assertions.assertThrows(ShardProxyException.class, () -> r.plan(sql));
        assertEquals(state, e.state().code(), sql);
        assertEquals(message, e.getMessage(), sql);
    }

    @Test
    void csvAllowsLettersAndDigitsAsDelimiter() {
        assertEquals("a", options("copy tbl from stdin (format csv, delimiter 'a')").delimiter());
        assertEquals("1", options("copy tbl from stdin (format csv, delimiter 1)").delimiter());
    }

    @Test
    void numbersAsArgumentsAreReadAsThePostgresLexerReadsThem() {
        assertEquals(Plan.CopyHeader.PRESENT, options("copy tbl from stdin (header 0x1)").header());
        assertEquals(Plan.CopyHeader.NONE, options("copy tbl from stdin (header 0_0)").header());
        ShardProxyException e = r.refused("copy tbl from stdin (delimiter 1.5)", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals("COPY delimiter must be a single one-byte character", e.getMessage());
        e = r.refused("copy tbl from stdin (delimiter -1)", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals("COPY delimiter must be a single one-byte character", e.getMessage());
    }

    @Test
    void encodingNamesAreCleanedAsPostgresCleansThem() {
        assertEquals("LATIN1", options("copy tbl from stdin (encoding 'ISO-8859-1')").encoding());
        assertEquals("UTF8", options("copy tbl from stdin (encoding 'Unicode')").encoding());
        assertEquals("WIN1251", options("copy tbl from stdin (encoding 'win')").encoding());
        assertEquals("EUC_JP", options("copy tbl from stdin (encoding 'euc_jp')").encoding());
    }

    @Test
    void unreadableStringConstantIsRefused() {
        ShardProxyException e = r.refused("copy tbl from stdin (delimiter U&'\\007C')", SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.getMessage().contains("U&'\\007C'"), e.getMessage());
    }

    @Test
    void stateCodeOfInvalidParameterValue() {
        assertEquals("22023", SqlState.INVALID_PARAMETER_VALUE.code());
    }
}
