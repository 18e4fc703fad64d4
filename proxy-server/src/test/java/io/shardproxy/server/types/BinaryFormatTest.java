package io.shardproxy.server.types;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import static io.shardproxy.server.types.PostgresCorpusTest.bytes;
import static io.shardproxy.server.types.PostgresCorpusTest.hex;
import static io.shardproxy.server.types.PostgresCorpusTest.text;
import static io.shardproxy.server.types.PostgresCorpusTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinaryFormatTest {

    @Test
    void supportsTheListedTypesAndTheirArrays() {
        int[] supported = {16, 17, 18, 19, 20, 21, 23, 25, 26, 114, 700, 701, 1042, 1043, 1082, 1083, 1114, 1184,
            1186, 1266, 1700, 2950, 3802, 1000, 1001, 1002, 1003, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028,
            1115, 1182, 1183, 1185, 1187, 1231, 1270, 199, 2951, 3807};
        for (int oid : supported) {
            assertTrue(BinaryFormat.supports(oid), "OID " + oid);
        }
        for (int oid : new int[] {0, 790, 791, 600, 1020, 869, 142, 3904, -1}) {
            assertFalse(BinaryFormat.supports(oid), "OID " + oid);
        }
    }

    @Test
    void unsupportedTypeIsFeatureNotSupportedNamingTypeAndOid() {
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> BinaryFormat.encode(790, utf8("$1.00")));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals("binary format for type money (OID 790) is not supported by ShardProxy; "
                + "request text format for this column", e.getMessage());
        e = assertThrows(ShardProxyException.class, () -> BinaryFormat.decode(600, new byte[16]));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals("binary format for type OID 600 is not supported by ShardProxy; "
                + "request text format for this column", e.getMessage());
        e = assertThrows(ShardProxyException.class, () -> BinaryFormat.decode(791, new byte[12]));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
    }

    @Test
    void textThatIsNotInputOfTheTypeIsInvalidTextRepresentation() {
        String[][] cases = {
            {"16", "maybe"}, {"16", "o"}, {"17", "\\x0"}, {"17", "\\xzz"}, {"17", "a\\b"}, {"23", "12a"}, {"23", ""},
            {"23", "- 1"}, {"20", "0x10"}, {"700", "1d"}, {"701", "0x1p3"}, {"701", "Infinityf"}, {"701", ""},
            {"1700", "1.2.3"}, {"1700", "1e"}, {"1700", "١"}, {"1082", "2024-02-30"}, {"1082", "2023-02-29"},
            {"1082", "0000-01-01"}, {"1082", "01/02/2024"}, {"1083", "24:00:01"}, {"1083", "12:60:00"},
            {"1114", "2024-01-01T00:00:00"}, {"1184", "2024-01-01 00:00:00"}, {"1184", "2024-01-01 00:00:00+16"},
            {"1186", "1 fortnight"}, {"1186", "1 year 1 year"}, {"1186", ""}, {"1186", "1 year "}, {"1186", "@ 1 hour"}, {"1266", "12:00:00"},
            {"2950", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"}, {"2950", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-"},
            {"1007", "{1,2"}, {"1007", "1,2"}, {"1007", "{{1},2}"}, {"1007", "{{1,2},{3}}"}, {"1007", "{1,,2}"},
            {"1007", "[1:3]={1,2}"}, {"1007", "[1:1]={}"}, {"1007", "{1} x"}, {"1007", "{{{{{{{1}}}}}}}"},
            {"1007", "{1,x}"}, {"1009", "{\"a}"}, {"1009", "{a{b}"}, {"1009", "{\"x\"y}"}, {"1009", "{x\"y\"}"},
            {"1007", "[-1: 0]={1,2}"}, {"1007", "[ 1:2]={1,2}"}, {"1007", "{{},{1}}"}, {"1007", "[1:1]={{}}"},
        };
        for (String[] c : cases) {
            ShardProxyException e = assertThrows(ShardProxyException.class,
                    () -> BinaryFormat.encode(Integer.parseInt(c[0]), utf8(c[1])), c[0] + " " + c[1]);
            assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, e.state(), c[0] + " " + c[1]);
        }
    }

    @Test
    void textOutOfTheTypesRangeIsNumericValueOutOfRange() {
        String[][] cases = {
            {"21", "32768"}, {"21", "-32769"}, {"23", "2147483648"}, {"20", "9223372036854775808"},
            {"20", "-9223372036854775809"}, {"26", "4294967296"}, {"26", "-2147483649"}, {"700", "1e39"},
            {"700", "1e-46"}, {"701", "1e309"}, {"701", "1e-400"}, {"1700", "1e131072"}, {"1700", "1.5e-16383"}, {"1700", "0e-20000"}, {"1082", "5874898-01-01"},
            {"1082", "4714-11-23 BC"}, {"1114", "294277-01-01 00:00:00"}, {"1114", "4714-11-23 23:59:59 BC"},
            {"1184", "294276-12-31 23:00:00-01"}, {"1186", "178956971 years"}, {"1186", "2147483648 days"},
            {"1186", "99999999999999999999 days"},
        };
        for (String[] c : cases) {
            ShardProxyException e = assertThrows(ShardProxyException.class,
                    () -> BinaryFormat.encode(Integer.parseInt(c[0]), utf8(c[1])), c[0] + " " + c[1]);
            assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state(), c[0] + " " + c[1]);
        }
    }

    @Test
    void binaryThatTheReceiveFunctionRefusesIsProtocolViolation() {
        String[][] cases = {
            {"16", ""}, {"16", "0101"}, {"18", ""}, {"21", "00"}, {"23", "0000000000"}, {"20", "00"}, {"700", "000000"},
            {"701", "00"}, {"2950", "00"}, {"25", "ff"}, {"25", "c328"}, {"25", "6100"}, {"25", "eda080"},
            {"19", "61".repeat(64)}, {"1700", "0000"}, {"1700", "000100000000000001"}, {"1700", "0000000020000000"},
            {"1700", "0000000000004000"}, {"1700", "00010000000000002710"}, {"1700", "00010000000000000001ff"},
            {"1082", "7fffffff00"}, {"1082", "7fda970d"}, {"1082", "ffda97a6"}, {"1083", "000000141dd76001"},
            {"1083", "ffffffffffffffff"}, {"1114", "7fffff5bb3b2a000"}, {"1114", "fd0f7cc1411f9fff"},
            {"1266", "00000000000000000000e100"}, {"1266", "0000000000000000ffff1f00"}, {"1186", "00"},
            {"3802", "02227822"}, {"3802", ""}, {"114", "ff"},
            {"1007", "00000007000000000000001700000001000000010000000400000001".substring(0, 24)},
            {"1007", "000000010000000200000017000000010000000100000004000000"}, // flags 2
            {"1007", "000000010000000000000019000000010000000100000000"}, // element type text, not int4
            {"1007", "00000001000000000000001700000001000000010000000500000001"}, // element of 5 bytes, 4 left
            {"1007", "0000000100000000000000170000000100000001000000030000000001"}, // int4 of 3 bytes
            {"1007", "00000001000000000000001700000001000000010000000400000001ff"}, // a byte left over
            {"1007", "000000010000000000000017ffffffff00000001"}, // negative dimension
            {"1007", "0000000100000000000000170000000a7ffffffa"}, // upper bound past INT_MAX
            {"1007", "fffffffe0000000000000017"}, // negative ndim
        };
        for (String[] c : cases) {
            ShardProxyException e = assertThrows(ShardProxyException.class,
                    () -> BinaryFormat.decode(Integer.parseInt(c[0]), bytes(c[1])), c[0] + " " + c[1]);
            assertEquals(SqlState.PROTOCOL_VIOLATION, e.state(), c[0] + " " + c[1] + ": " + e.getMessage());
        }
    }

    @Test
    void jsonSyntaxErrorsInBinaryParametersAreInvalidTextRepresentation() {
        String[][] cases = {
            {"114", ""}, {"114", "7b"}, {"114", "7b2261223a7d"}, {"114", "5b312c5d"}, {"114", "303132"}, {"114", "74727565"  + "78"},
            {"3802", "01" + "7b"}, {"3802", "01" + "22" + "5c7530303030" + "22"}, {"3802", "01" + "22" + "5c7564383363" + "22"},
            {"3802", "01" + "22" + "5c7564663839" + "22"}, {"3802", "01" + "2209" + "22"}, {"3802", "01" + "2d"},
            {"3802", "01" + "312e"}, {"3802", "01" + "4e614e"}, {"3802", "01" + "5b5d5b5d"},
        };
        for (String[] c : cases) {
            ShardProxyException e = assertThrows(ShardProxyException.class,
                    () -> BinaryFormat.decode(Integer.parseInt(c[0]), bytes(c[1])), c[0] + " " + c[1]);
            assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, e.state(), c[0] + " " + c[1] + ": " + e.getMessage());
        }
    }

    @Test
    void jsonKeepsItsTextWhileJsonbPrintsAsJsonbOut() {
        // json_recv only validates; a lone surrogate escape and \u0000 are fine in json.
        String json = "{\"b\" : 1, \"a\":[1.0e1], \"s\": \"\\ud83c\\u0000\"}";
        assertEquals(json, text(BinaryFormat.decode(114, utf8(json))));
        assertEquals("{\"a\": [10], \"b\": 1}", text(BinaryFormat.decode(3802, bytes("01" + hex(utf8("{\"b\" : 1, \"a\":[1.0e1]}"))))));
        assertEquals("01" + hex(utf8("{\"a\": 1}")), hex(BinaryFormat.encode(3802, utf8("{\"a\": 1}"))));
    }

    @Test
    void jsonNestedBeyondTheLimitIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> BinaryFormat.decode(3802, bytes("01" + hex(utf8(deep)))));
        assertEquals(SqlState.PROGRAM_LIMIT_EXCEEDED, e.state());
        String ok = "[".repeat(1000) + "]".repeat(1000);
        assertEquals(ok, text(BinaryFormat.decode(3802, bytes("01" + hex(utf8(ok))))));
    }

    @Test
    void readsEveryInputSpellingPostgresAcceptsForTheSameValue() {
        String[][] same = {
            // oid, spelling, canonical text output
            {"16", " TRUE ", "t"}, {"16", "yes", "t"}, {"16", "on", "t"}, {"16", "1", "t"}, {"16", "tr", "t"},
            {"16", "Of", "f"}, {"16", "n", "f"}, {"16", "0", "f"}, {"16", "FALSE", "f"},
            {"17", "\\x 0a FF\n", "\\x0aff"}, {"17", "a\\\\b\\000\\377", "\\x615c6200ff"}, {"17", "", "\\x"},
            {"18", "ab", "a"}, {"18", "\\777", "\\377"},
            {"23", " +42 ", "42"}, {"23", "-0", "0"}, {"26", "-1", "4294967295"}, {"26", "-2147483648", "2147483648"},
            {"700", " inf", "Infinity"}, {"701", "-INFINITY", "-Infinity"}, {"701", "nan", "NaN"}, {"701", ".5", "0.5"},
            {"701", "5.", "5"}, {"701", "1E3", "1000"}, {"701", "4.9e-324", "5e-324"},
            {"1700", " -0.00 ", "0.00"}, {"1700", "+1.5E+3", "1500"}, {"1700", "1.50e-1", "0.150"}, {"1700", "inf", "Infinity"},
            {"1700", "-INF", "-Infinity"}, {"1700", "nan", "NaN"}, {"1700", ".5", "0.5"},
            {"1082", "INFINITY", "infinity"}, {"1114", "2000-01-01 24:00:00", "2000-01-02 00:00:00"},
            {"1184", "2000-01-01 00:00:00+01:17:12", "1999-12-31 22:42:48+00"},
            {"1186", "+1 years +2 mons", "1 year 2 mons"}, {"1186", "0 days", "00:00:00"},
            {"2950", "{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
            {"2950", "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
            {"2950", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
            {"1007", " { 1 , 2 } ", "{1,2}"}, {"1007", "[3]={1,2,3}", "{1,2,3}"}, {"1007", "  [-1:0] = {1,2}", "[-1:0]={1,2}"},
            {"1007", "[+1:2]={1,2}", "{1,2}"}, {"1007", "{{}}", "{}"}, {"1007", "{ {} , {} }", "{}"},
            {"1009", "{a\\,b,\"x y\" ,  nuLL  ,\"NULL\",x y}", "{\"a,b\",\"x y\",NULL,\"NULL\",\"x y\"}"},
            {"1186", "1 day 2 years 00:00:01", "2 years 1 day 00:00:01"}, {"1186", "00:00:01 1 day", "1 day 00:00:01"},
            {"1700", "1e-16383", "0." + "0".repeat(16382) + "1"}, {"1700", "0e999999", "0"}, {"1700", "0e-3", "0.000"},
            {"1009", "{ a b ,\\ c\\ }", "{\"a b\",\" c \"}"},
        };
        for (String[] c : same) {
            int oid = Integer.parseInt(c[0]);
            byte[] binary = BinaryFormat.encode(oid, utf8(c[1]));
            assertEquals(c[2], text(BinaryFormat.decode(oid, binary)), c[0] + " " + c[1]);
        }
    }

    @Test
    void numericReceiveTruncatesDigitsTheDisplayScaleHides() {
        // ndigits 2, weight 0, +, dscale 2: 1.2345 shown with two decimals, as numeric_recv's trunc_var.
        assertEquals("1.23", text(BinaryFormat.decode(1700, bytes("000200000000000200010929"))));
        assertEquals("-1.2", text(BinaryFormat.decode(1700, bytes("000200004000000100010929"))));
        // -0.0001 at dscale 2 is zero, and zero has no sign.
        assertEquals("0.00", text(BinaryFormat.decode(1700, bytes("0001ffff400000020001"))));
        // Leading and trailing zero digits are allowed on input.
        assertEquals("10000.5", text(BinaryFormat.decode(1700, bytes("0005000200000001" + "00000001000013880000"))));
    }

    @Test
    void arrayReceiveAcceptsAnyFlagAndPrintsAnEmptyDimensionAsEmpty() {
        // flags 1 without a NULL, and a dimension of length 0.
        assertEquals("{7}", text(BinaryFormat.decode(1007, bytes("0000000100000001000000170000000100000001" + "0000000400000007"))));
        assertEquals("{}", text(BinaryFormat.decode(1007, bytes("000000020000000000000017" + "0000000300000001" + "0000000000000001"))));
    }

    @Test
    void timestamptzWithoutAZonePrintsInUtc() {
        assertEquals("2024-06-01 07:04:56.789+00", text(BinaryFormat.decode(1184, bytes("0002bccd7c846008"))));
        assertNull(TypeOids.name(600));
    }
}
