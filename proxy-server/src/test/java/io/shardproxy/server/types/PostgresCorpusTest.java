package io.shardproxy.server.types;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Values, their text output and their send bytes exactly as PostgreSQL 17.11 printed them
 * ({@code SELECT concat(v::t), encode(t_send(v::t), 'hex')}, session TimeZone UTC unless a row
 * names a zone). Each row is checked both ways, and the literal it was typed as is read too.
 */
class PostgresCorpusTest {

    /** typeOid, the literal PostgreSQL read, what its output function printed, what its send function sent. */
    private record Row(int oid, String input, String out, String hex) {
    }

    private record Zoned(String zone, String out, String hex) {
    }

    private static final List<Row> CORPUS = List.of(
            row(16, "t", "t", "01"),
            row(16, "f", "f", "00"),
            row(17, "\\x", "\\x", ""),
            row(17, "\\x00017f80ff", "\\x00017f80ff", "00017f80ff"),
            row(17, "abc\\\\def\\001\\377", "\\x6162635c64656601ff", "6162635c64656601ff"),
            row(17, "\\x DE ad BE ef", "\\xdeadbeef", "deadbeef"),
            row(18, "a", "a", "61"),
            row(18, "", "", "00"),
            row(18, "\\351", "\\351", "e9"),
            row(18, "\\\\", "\\", "5c"),
            row(19, "pg_catalog", "pg_catalog", "70675f636174616c6f67"),
            row(19, "", "", ""),
            row(19, "Grüße", "Grüße", "4772c3bcc39f65"),
            row(20, "0", "0", "0000000000000000"),
            row(20, "-9223372036854775808", "-9223372036854775808", "8000000000000000"),
            row(20, "9223372036854775807", "9223372036854775807", "7fffffffffffffff"),
            row(20, "42", "42", "000000000000002a"),
            row(21, "-32768", "-32768", "8000"),
            row(21, "32767", "32767", "7fff"),
            row(21, "0", "0", "0000"),
            row(21, "-1", "-1", "ffff"),
            row(23, "-2147483648", "-2147483648", "80000000"),
            row(23, "2147483647", "2147483647", "7fffffff"),
            row(23, "-5", "-5", "fffffffb"),
            row(23, "0", "0", "00000000"),
            row(25, "", "", ""),
            row(25, "hello, world", "hello, world", "68656c6c6f2c20776f726c64"),
            row(25, "Grüße, 東京 🎉", "Grüße, 東京 🎉", "4772c3bcc39f652c20e69db1e4baac20f09f8e89"),
            row(25, "tab\tand \"quotes\" and \\backslash", "tab\tand \"quotes\" and \\backslash", "74616209616e64202271756f7465732220616e64205c6261636b736c617368"),
            row(26, "0", "0", "00000000"),
            row(26, "4294967295", "4294967295", "ffffffff"),
            row(26, "2147483648", "2147483648", "80000000"),
            row(26, "1259", "1259", "000004eb"),
            row(114, "{\"b\": 1, \"a\": [1, 2.50, null]}", "{\"b\": 1, \"a\": [1, 2.50, null]}", "7b2262223a20312c202261223a205b312c20322e35302c206e756c6c5d7d"),
            row(114, " [ 1 , \"x\" ] ", " [ 1 , \"x\" ] ", "205b2031202c20227822205d20"),
            row(114, "\"\\u00e9\"", "\"\\u00e9\"", "225c753030653922"),
            row(700, "0", "0", "00000000"),
            row(700, "-0", "-0", "80000000"),
            row(700, "NaN", "NaN", "7fc00000"),
            row(700, "Infinity", "Infinity", "7f800000"),
            row(700, "-Infinity", "-Infinity", "ff800000"),
            row(700, "1.5", "1.5", "3fc00000"),
            row(700, "3.4028235e+38", "3.4028235e+38", "7f7fffff"),
            row(700, "1e-45", "1e-45", "00000001"),
            row(700, "1.1754944e-38", "1.1754944e-38", "00800000"),
            row(700, "0.1", "0.1", "3dcccccd"),
            row(700, "-123456.79", "-123456.79", "c7f12065"),
            row(700, "1e+06", "1e+06", "49742400"),
            row(700, "100000", "100000", "47c35000"),
            row(701, "0", "0", "0000000000000000"),
            row(701, "-0", "-0", "8000000000000000"),
            row(701, "NaN", "NaN", "7ff8000000000000"),
            row(701, "Infinity", "Infinity", "7ff0000000000000"),
            row(701, "-Infinity", "-Infinity", "fff0000000000000"),
            row(701, "1.5", "1.5", "3ff8000000000000"),
            row(701, "0.1", "0.1", "3fb999999999999a"),
            row(701, "1.7976931348623157e+308", "1.7976931348623157e+308", "7fefffffffffffff"),
            row(701, "5e-324", "5e-324", "0000000000000001"),
            row(701, "2.2250738585072014e-308", "2.2250738585072014e-308", "0010000000000000"),
            row(701, "-1234567.875", "-1234567.875", "c132d687e0000000"),
            row(701, "1e+15", "1e+15", "430c6bf526340000"),
            row(701, "123456789012345", "123456789012345", "42dc12218377de40"),
            row(701, "0.0001", "0.0001", "3f1a36e2eb1c432d"),
            row(701, "1e-05", "1e-05", "3ee4f8b588e368f1"),
            row(701, "3.141592653589793", "3.141592653589793", "400921fb54442d18"),
            row(1042, "ab   ", "ab   ", "6162202020"),
            row(1042, "", "", ""),
            row(1043, "hello", "hello", "68656c6c6f"),
            row(1043, "Grüße", "Grüße", "4772c3bcc39f65"),
            row(1082, "2000-01-01", "2000-01-01", "00000000"),
            row(1082, "1999-12-31", "1999-12-31", "ffffffff"),
            row(1082, "2024-02-29", "2024-02-29", "00002279"),
            row(1082, "1970-01-01", "1970-01-01", "ffffd533"),
            row(1082, "0001-01-01", "0001-01-01", "fff4dbf9"),
            row(1082, "0001-12-31 BC", "0001-12-31 BC", "fff4dbf8"),
            row(1082, "0044-03-15 BC", "0044-03-15 BC", "fff49d7b"),
            row(1082, "4714-11-24 BC", "4714-11-24 BC", "ffda97a7"),
            row(1082, "5874897-12-31", "5874897-12-31", "7fda970c"),
            row(1082, "infinity", "infinity", "7fffffff"),
            row(1082, "-infinity", "-infinity", "80000000"),
            row(1082, "1582-10-10", "1582-10-10", "fffdacbb"),
            row(1083, "00:00:00", "00:00:00", "0000000000000000"),
            row(1083, "24:00:00", "24:00:00", "000000141dd76000"),
            row(1083, "23:59:59.999999", "23:59:59.999999", "000000141dd75fff"),
            row(1083, "12:34:56.5", "12:34:56.5", "0000000a8be1bd20"),
            row(1083, "01:02:03.000001", "01:02:03.000001", "00000000dde878c1"),
            row(1114, "2000-01-01 00:00:00", "2000-01-01 00:00:00", "0000000000000000"),
            row(1114, "1999-12-31 23:59:59.999999", "1999-12-31 23:59:59.999999", "ffffffffffffffff"),
            row(1114, "2024-06-01 12:34:56.789", "2024-06-01 12:34:56.789", "0002bcd218b06608"),
            row(1114, "1900-01-01 00:00:00", "1900-01-01 00:00:00", "fff4c9ee7c0b8000"),
            row(1114, "0044-03-15 12:00:00 BC", "0044-03-15 12:00:00 BC", "ff1af9e8fb46d000"),
            row(1114, "4714-11-24 00:00:00 BC", "4714-11-24 00:00:00 BC", "fd0f7cc1411fa000"),
            row(1114, "294276-12-31 23:59:59.999999", "294276-12-31 23:59:59.999999", "7fffff5bb3b29fff"),
            row(1114, "infinity", "infinity", "7fffffffffffffff"),
            row(1114, "-infinity", "-infinity", "8000000000000000"),
            row(1114, "1970-01-01 00:00:00.1", "1970-01-01 00:00:00.1", "fffca2fec4c9a6a0"),
            row(1184, "2000-01-01 00:00:00+00", "2000-01-01 00:00:00+00", "0000000000000000"),
            row(1184, "2024-06-01 12:34:56.789+05:30", "2024-06-01 07:04:56.789+00", "0002bccd7c846008"),
            row(1184, "1999-12-31 23:59:59.999999-03:30", "2000-01-01 03:29:59.999999+00", "00000002ef04bdff"),
            row(1184, "0044-03-15 12:00:00+00 BC", "0044-03-15 12:00:00+00 BC", "ff1af9e8fb46d000"),
            row(1184, "infinity", "infinity", "7fffffffffffffff"),
            row(1184, "-infinity", "-infinity", "8000000000000000"),
            row(1184, "1850-01-01 00:00:00+00", "1850-01-01 00:00:00+00", "ffef2ee5ba114000"),
            row(1186, "00:00:00", "00:00:00", "00000000000000000000000000000000"),
            row(1186, "1 year", "1 year", "0000000000000000000000000000000c"),
            row(1186, "1 year 2 mons 3 days 04:05:06.789", "1 year 2 mons 3 days 04:05:06.789", "000000036c97ca88000000030000000e"),
            row(1186, "-1 years -2 mons +3 days -04:05:06", "-1 years -2 mons +3 days -04:05:06", "fffffffc93743f8000000003fffffff2"),
            row(1186, "-3 days", "-3 days", "0000000000000000fffffffd00000000"),
            row(1186, "1 mon -1 days", "1 mon -1 days", "0000000000000000ffffffff00000001"),
            row(1186, "-00:00:00.000001", "-00:00:00.000001", "ffffffffffffffff0000000000000000"),
            row(1186, "2562047788:00:54.775807", "2562047788:00:54.775807", "7fffffffffffffff0000000000000000"),
            row(1186, "-2562047788:00:54.775807", "-2562047788:00:54.775807", "80000000000000010000000000000000"),
            row(1186, "178956970 years 7 mons 2147483647 days", "178956970 years 7 mons 2147483647 days", "00000000000000007fffffff7fffffff"),
            row(1186, "-178956970 years -8 mons -2147483648 days", "-178956970 years -8 mons -2147483648 days", "00000000000000008000000080000000"),
            row(1186, "1 day -00:00:01", "1 day -00:00:01", "fffffffffff0bdc00000000100000000"),
            row(1186, "-1 days +00:00:01", "-1 days +00:00:01", "00000000000f4240ffffffff00000000"),
            row(1186, "infinity", "infinity", "7fffffffffffffff7fffffff7fffffff"),
            row(1186, "-infinity", "-infinity", "80000000000000008000000080000000"),
            row(1186, "12:00:00", "12:00:00", "0000000a0eebb0000000000000000000"),
            row(1266, "00:00:00+00", "00:00:00+00", "000000000000000000000000"),
            row(1266, "12:34:56.789+05:30", "12:34:56.789+05:30", "0000000a8be62608ffffb2a8"),
            row(1266, "23:59:59.999999-15:59", "23:59:59.999999-15:59", "000000141dd75fff0000e0c4"),
            row(1266, "24:00:00-03:30", "24:00:00-03:30", "000000141dd7600000003138"),
            row(1266, "01:02:03+01:17:12", "01:02:03+01:17:12", "00000000dde878c0ffffede8"),
            row(1700, "0", "0", "0000000000000000"),
            row(1700, "0.00", "0.00", "0000000000000002"),
            row(1700, "0.0001", "0.0001", "0001ffff000000040001"),
            row(1700, "0.00000000000000000001", "0.00000000000000000001", "0001fffb000000140001"),
            row(1700, "1e-20", "0.00000000000000000001", "0001fffb000000140001"),
            row(1700, "12345678901234567890.123", "12345678901234567890.123", "000600040000000304d2162e23340d801ed204ce"),
            row(1700, "-12345678901234567890.123", "-12345678901234567890.123", "000600044000000304d2162e23340d801ed204ce"),
            row(1700, "NaN", "NaN", "00000000c0000000"),
            row(1700, "Infinity", "Infinity", "00000000d0000020"),
            row(1700, "-Infinity", "-Infinity", "00000000f0000020"),
            row(1700, "1.50", "1.50", "000200000000000200011388"),
            row(1700, "-1", "-1", "00010000400000000001"),
            row(1700, "10000", "10000", "00010001000000000001"),
            row(1700, "100000000", "100000000", "00010002000000000001"),
            row(1700, "9999.9999", "9999.9999", "0002000000000004270f270f"),
            row(1700, "-0.001", "-0.001", "0001ffff40000003000a"),
            row(1700, "1e100", "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "00010019000000000001"),
            row(1700, "0.12345", "0.12345", "0002ffff0000000504d21388"),
            row(1700, "123.4500", "123.4500", "0002000000000004007b1194"),
            row(2950, "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000", "00000000000000000000000000000000"),
            row(2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a11"),
            row(2950, "ffffffff-ffff-ffff-ffff-ffffffffffff", "ffffffff-ffff-ffff-ffff-ffffffffffff", "ffffffffffffffffffffffffffffffff"),
            row(3802, "{\"b\": 1, \"a\": [1, 2.50, null]}", "{\"a\": [1, 2.50, null], \"b\": 1}", "017b2261223a205b312c20322e35302c206e756c6c5d2c202262223a20317d"),
            row(3802, "{\"aa\": 1, \"b\": 2, \"b\": 3, \"a\": {}}", "{\"a\": {}, \"b\": 3, \"aa\": 1}", "017b2261223a207b7d2c202262223a20332c20226161223a20317d"),
            row(3802, " [ 1e2 , \"x\\u0041\\n\\u001f/\" , true, false, -0, 1.0E-3] ", "[100, \"xA\\n\\u001f/\", true, false, 0, 0.0010]", "015b3130302c202278415c6e5c75303031662f222c20747275652c2066616c73652c20302c20302e303031305d"),
            row(3802, "\"x\"", "\"x\"", "01227822"),
            row(3802, "[]", "[]", "015b5d"),
            row(3802, "\"\\ud83c\\udf89 é\"", "\"🎉 é\"", "0122f09f8e8920c3a922"),
            row(1000, "{t,f,NULL}", "{t,f,NULL}", "000000010000000100000010000000030000000100000001010000000100ffffffff"),
            row(1001, "{\"\\\\x0102\",NULL,\"\\\\x\"}", "{\"\\\\x0102\",NULL,\"\\\\x\"}", "0000000100000001000000110000000300000001000000020102ffffffff00000000"),
            row(1002, "{a,\"\\\\\\\\\",\"\\\\351\",\"\"}", "{a,\"\\\\\",\"\\\\351\",\"\"}", "00000001000000000000001200000004000000010000000161000000015c00000001e90000000100"),
            row(1003, "{a,\"b c\"}", "{a,\"b c\"}", "0000000100000000000000130000000200000001000000016100000003622063"),
            row(1005, "{1,-2,NULL}", "{1,-2,NULL}", "000000010000000100000015000000030000000100000002000100000002fffeffffffff"),
            row(1007, "{1,NULL,3}", "{1,NULL,3}", "00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003"),
            row(1007, "{}", "{}", "000000000000000000000017"),
            row(1007, "[2:3]={1,2}", "[2:3]={1,2}", "000000010000000000000017000000020000000200000004000000010000000400000002"),
            row(1007, "{{1,2},{3,4}}", "{{1,2},{3,4}}", "000000020000000000000017000000020000000100000002000000010000000400000001000000040000000200000004000000030000000400000004"),
            row(1007, "[0:1][-1:0]={{1,2},{3,4}}", "[0:1][-1:0]={{1,2},{3,4}}", "000000020000000000000017000000020000000000000002ffffffff0000000400000001000000040000000200000004000000030000000400000004"),
            row(1007, "{{{1},{2}},{{3},{NULL}}}", "{{{1},{2}},{{3},{NULL}}}", "000000030000000100000017000000020000000100000002000000010000000100000001000000040000000100000004000000020000000400000003ffffffff"),
            row(1009, "{\"\",NULL,\"NULL\",\"null\",\"a b\",\"a,b\",\"a\\\"b\",\"a\\\\b\",\"{x}\",plain,Grüße, lead ,\" \", \"tab\tx\"}", "{\"\",NULL,\"NULL\",\"null\",\"a b\",\"a,b\",\"a\\\"b\",\"a\\\\b\",\"{x}\",plain,Grüße,lead,\" \",\"tab\tx\"}", "0000000100000001000000190000000e0000000100000000ffffffff000000044e554c4c000000046e756c6c0000000361206200000003612c620000000361226200000003615c62000000037b787d00000005706c61696e000000074772c3bcc39f65000000046c6561640000000120000000057461620978"),
            row(1009, "{\"\\t\",\" a\",\"a \"}", "{t,\" a\",\"a \"}", "00000001000000000000001900000003000000010000000174000000022061000000026120"),
            row(1014, "{\"a  \",b}", "{\"a  \",b}", "0000000100000000000004120000000200000001000000036120200000000162"),
            row(1015, "{x,y}", "{x,y}", "000000010000000000000413000000020000000100000001780000000179"),
            row(1016, "{-9223372036854775808,9223372036854775807}", "{-9223372036854775808,9223372036854775807}", "0000000100000000000000140000000200000001000000088000000000000000000000087fffffffffffffff"),
            row(1021, "{NaN,Infinity,-Infinity,-0,1.5}", "{NaN,Infinity,-Infinity,-0,1.5}", "0000000100000000000002bc0000000500000001000000047fc00000000000047f80000000000004ff8000000000000480000000000000043fc00000"),
            row(1022, "{NaN,Infinity,-Infinity,-0,0.1}", "{NaN,Infinity,-Infinity,-0,0.1}", "0000000100000000000002bd0000000500000001000000087ff8000000000000000000087ff000000000000000000008fff0000000000000000000088000000000000000000000083fb999999999999a"),
            row(1028, "{0,4294967295}", "{0,4294967295}", "00000001000000000000001a0000000200000001000000040000000000000004ffffffff"),
            row(1182, "{2000-01-01,\"0044-03-15 BC\",infinity}", "{2000-01-01,\"0044-03-15 BC\",infinity}", "00000001000000000000043a0000000300000001000000040000000000000004fff49d7b000000047fffffff"),
            row(1183, "{00:00:00,24:00:00}", "{00:00:00,24:00:00}", "00000001000000000000043b000000020000000100000008000000000000000000000008000000141dd76000"),
            row(1115, "{\"2000-01-01 00:00:00\",\"0044-03-15 12:00:00 BC\",-infinity}", "{\"2000-01-01 00:00:00\",\"0044-03-15 12:00:00 BC\",-infinity}", "00000001000000000000045a000000030000000100000008000000000000000000000008ff1af9e8fb46d000000000088000000000000000"),
            row(1185, "{\"2000-01-01 00:00:00+00\",infinity}", "{\"2000-01-01 00:00:00+00\",infinity}", "0000000100000000000004a00000000200000001000000080000000000000000000000087fffffffffffffff"),
            row(1187, "{\"1 year 2 mons\",\"-00:00:01\",00:00:00}", "{\"1 year 2 mons\",-00:00:01,00:00:00}", "0000000100000000000004a20000000300000001000000100000000000000000000000000000000e00000010fffffffffff0bdc000000000000000000000001000000000000000000000000000000000"),
            row(1270, "{12:00:00+05:30}", "{12:00:00+05:30}", "0000000100000000000004f200000001000000010000000c0000000a0eebb000ffffb2a8"),
            row(1231, "{1.50,NaN,-Infinity,NULL,0}", "{1.50,NaN,-Infinity,NULL,0}", "0000000100000001000006a400000005000000010000000c0002000000000002000113880000000800000000c00000000000000800000000f0000020ffffffff000000080000000000000000"),
            row(2951, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}", "000000010000000100000b86000000020000000100000010a0eebc999c0b4ef8bb6d6bb9bd380a11ffffffff"),
            row(199, "{\"{\\\"a\\\": 1}\",null,\"[1, 2]\"}", "{\"{\\\"a\\\": 1}\",NULL,\"[1, 2]\"}", "0000000100000001000000720000000300000001000000087b2261223a20317dffffffff000000065b312c20325d"),
            row(3807, "{\"{\\\"b\\\": 1, \\\"a\\\": 2}\",\"[1, 2]\"}", "{\"{\\\"a\\\": 2, \\\"b\\\": 1}\",\"[1, 2]\"}", "000000010000000000000eda000000020000000100000011017b2261223a20322c202262223a20317d00000007015b312c20325d"));

    /** timestamptz_out of the same instants under SET TimeZone = zone. */
    private static final List<Zoned> ZONED = List.of(
            zoned("UTC", "2000-01-01 00:00:00+00", "0000000000000000"),
            zoned("UTC", "2024-06-01 12:34:56.789+00", "0002bcd218b06608"),
            zoned("UTC", "2024-12-01 12:00:00+00", "0002cb32f0ab9000"),
            zoned("UTC", "1850-01-01 00:00:00+00", "ffef2ee5ba114000"),
            zoned("UTC", "1900-01-01 00:00:00+00", "fff4c9ee7c0b8000"),
            zoned("UTC", "1911-01-01 00:00:00+00", "fff60596bc94e000"),
            zoned("UTC", "1970-01-01 00:00:00+00", "fffca2fec4c82000"),
            zoned("UTC", "0044-03-15 12:00:00+00 BC", "ff1af9e8fb46d000"),
            zoned("UTC", "2200-07-01 00:00:00.000001+00", "00167a703f074001"),
            zoned("UTC", "1999-12-31 23:59:59.999999+00", "ffffffffffffffff"),
            zoned("UTC", "infinity", "7fffffffffffffff"),
            zoned("UTC", "-infinity", "8000000000000000"),
            zoned("UTC", "0001-01-01 00:00:00+00", "ff1fe2ffc59c6000"),
            zoned("UTC", "4714-11-24 00:00:00+00 BC", "fd0f7cc1411fa000"),
            zoned("UTC", "294276-12-31 23:59:59.999999+00", "7fffff5bb3b29fff"),
            zoned("Asia/Kolkata", "2000-01-01 05:30:00+05:30", "0000000000000000"),
            zoned("Asia/Kolkata", "2024-06-01 18:04:56.789+05:30", "0002bcd218b06608"),
            zoned("Asia/Kolkata", "2024-12-01 17:30:00+05:30", "0002cb32f0ab9000"),
            zoned("Asia/Kolkata", "1850-01-01 05:53:28+05:53:28", "ffef2ee5ba114000"),
            zoned("Asia/Kolkata", "1900-01-01 05:21:10+05:21:10", "fff4c9ee7c0b8000"),
            zoned("Asia/Kolkata", "1911-01-01 05:30:00+05:30", "fff60596bc94e000"),
            zoned("Asia/Kolkata", "1970-01-01 05:30:00+05:30", "fffca2fec4c82000"),
            zoned("Asia/Kolkata", "0044-03-15 17:53:28+05:53:28 BC", "ff1af9e8fb46d000"),
            zoned("Asia/Kolkata", "2200-07-01 05:30:00.000001+05:30", "00167a703f074001"),
            zoned("Asia/Kolkata", "2000-01-01 05:29:59.999999+05:30", "ffffffffffffffff"),
            zoned("Asia/Kolkata", "infinity", "7fffffffffffffff"),
            zoned("Asia/Kolkata", "-infinity", "8000000000000000"),
            zoned("Asia/Kolkata", "0001-01-01 05:53:28+05:53:28", "ff1fe2ffc59c6000"),
            zoned("Asia/Kolkata", "4714-11-24 05:53:28+05:53:28 BC", "fd0f7cc1411fa000"),
            zoned("Asia/Kolkata", "294277-01-01 05:29:59.999999+05:30", "7fffff5bb3b29fff"),
            zoned("America/St_Johns", "1999-12-31 20:30:00-03:30", "0000000000000000"),
            zoned("America/St_Johns", "2024-06-01 10:04:56.789-02:30", "0002bcd218b06608"),
            zoned("America/St_Johns", "2024-12-01 08:30:00-03:30", "0002cb32f0ab9000"),
            zoned("America/St_Johns", "1849-12-31 20:29:08-03:30:52", "ffef2ee5ba114000"),
            zoned("America/St_Johns", "1899-12-31 20:29:08-03:30:52", "fff4c9ee7c0b8000"),
            zoned("America/St_Johns", "1910-12-31 20:29:08-03:30:52", "fff60596bc94e000"),
            zoned("America/St_Johns", "1969-12-31 20:30:00-03:30", "fffca2fec4c82000"),
            zoned("America/St_Johns", "0044-03-15 08:29:08-03:30:52 BC", "ff1af9e8fb46d000"),
            zoned("America/St_Johns", "2200-06-30 21:30:00.000001-02:30", "00167a703f074001"),
            zoned("America/St_Johns", "1999-12-31 20:29:59.999999-03:30", "ffffffffffffffff"),
            zoned("America/St_Johns", "infinity", "7fffffffffffffff"),
            zoned("America/St_Johns", "-infinity", "8000000000000000"),
            zoned("America/St_Johns", "0001-12-31 20:29:08-03:30:52 BC", "ff1fe2ffc59c6000"),
            zoned("America/St_Johns", "4714-11-23 20:29:08-03:30:52 BC", "fd0f7cc1411fa000"),
            zoned("America/St_Johns", "294276-12-31 20:29:59.999999-03:30", "7fffff5bb3b29fff"),
            zoned("America/New_York", "1999-12-31 19:00:00-05", "0000000000000000"),
            zoned("America/New_York", "2024-06-01 08:34:56.789-04", "0002bcd218b06608"),
            zoned("America/New_York", "2024-12-01 07:00:00-05", "0002cb32f0ab9000"),
            zoned("America/New_York", "1849-12-31 19:03:58-04:56:02", "ffef2ee5ba114000"),
            zoned("America/New_York", "1899-12-31 19:00:00-05", "fff4c9ee7c0b8000"),
            zoned("America/New_York", "1910-12-31 19:00:00-05", "fff60596bc94e000"),
            zoned("America/New_York", "1969-12-31 19:00:00-05", "fffca2fec4c82000"),
            zoned("America/New_York", "0044-03-15 07:03:58-04:56:02 BC", "ff1af9e8fb46d000"),
            zoned("America/New_York", "2200-06-30 20:00:00.000001-04", "00167a703f074001"),
            zoned("America/New_York", "1999-12-31 18:59:59.999999-05", "ffffffffffffffff"),
            zoned("America/New_York", "infinity", "7fffffffffffffff"),
            zoned("America/New_York", "-infinity", "8000000000000000"),
            zoned("America/New_York", "0001-12-31 19:03:58-04:56:02 BC", "ff1fe2ffc59c6000"),
            zoned("America/New_York", "4714-11-23 19:03:58-04:56:02 BC", "fd0f7cc1411fa000"),
            zoned("America/New_York", "294276-12-31 18:59:59.999999-05", "7fffff5bb3b29fff"),
            zoned("Asia/Kathmandu", "2000-01-01 05:45:00+05:45", "0000000000000000"),
            zoned("Asia/Kathmandu", "2024-06-01 18:19:56.789+05:45", "0002bcd218b06608"),
            zoned("Asia/Kathmandu", "2024-12-01 17:45:00+05:45", "0002cb32f0ab9000"),
            zoned("Asia/Kathmandu", "1850-01-01 05:41:16+05:41:16", "ffef2ee5ba114000"),
            zoned("Asia/Kathmandu", "1900-01-01 05:41:16+05:41:16", "fff4c9ee7c0b8000"),
            zoned("Asia/Kathmandu", "1911-01-01 05:41:16+05:41:16", "fff60596bc94e000"),
            zoned("Asia/Kathmandu", "1970-01-01 05:30:00+05:30", "fffca2fec4c82000"),
            zoned("Asia/Kathmandu", "0044-03-15 17:41:16+05:41:16 BC", "ff1af9e8fb46d000"),
            zoned("Asia/Kathmandu", "2200-07-01 05:45:00.000001+05:45", "00167a703f074001"),
            zoned("Asia/Kathmandu", "2000-01-01 05:44:59.999999+05:45", "ffffffffffffffff"),
            zoned("Asia/Kathmandu", "infinity", "7fffffffffffffff"),
            zoned("Asia/Kathmandu", "-infinity", "8000000000000000"),
            zoned("Asia/Kathmandu", "0001-01-01 05:41:16+05:41:16", "ff1fe2ffc59c6000"),
            zoned("Asia/Kathmandu", "4714-11-24 05:41:16+05:41:16 BC", "fd0f7cc1411fa000"),
            zoned("Asia/Kathmandu", "294277-01-01 05:44:59.999999+05:45", "7fffff5bb3b29fff"),
            zoned("Pacific/Chatham", "2000-01-01 13:45:00+13:45", "0000000000000000"),
            zoned("Pacific/Chatham", "2024-06-02 01:19:56.789+12:45", "0002bcd218b06608"),
            zoned("Pacific/Chatham", "2024-12-02 01:45:00+13:45", "0002cb32f0ab9000"),
            zoned("Pacific/Chatham", "1850-01-01 12:13:48+12:13:48", "ffef2ee5ba114000"),
            zoned("Pacific/Chatham", "1900-01-01 12:15:00+12:15", "fff4c9ee7c0b8000"),
            zoned("Pacific/Chatham", "1911-01-01 12:15:00+12:15", "fff60596bc94e000"),
            zoned("Pacific/Chatham", "1970-01-01 12:45:00+12:45", "fffca2fec4c82000"),
            zoned("Pacific/Chatham", "0044-03-16 00:13:48+12:13:48 BC", "ff1af9e8fb46d000"),
            zoned("Pacific/Chatham", "2200-07-01 12:45:00.000001+12:45", "00167a703f074001"),
            zoned("Pacific/Chatham", "2000-01-01 13:44:59.999999+13:45", "ffffffffffffffff"),
            zoned("Pacific/Chatham", "infinity", "7fffffffffffffff"),
            zoned("Pacific/Chatham", "-infinity", "8000000000000000"),
            zoned("Pacific/Chatham", "0001-01-01 12:13:48+12:13:48", "ff1fe2ffc59c6000"),
            zoned("Pacific/Chatham", "4714-11-24 12:13:48+12:13:48 BC", "fd0f7cc1411fa000"),
            zoned("Pacific/Chatham", "294277-01-01 13:44:59.999999+13:45", "7fffff5bb3b29fff"),
            zoned("Europe/Paris", "2000-01-01 01:00:00+01", "0000000000000000"),
            zoned("Europe/Paris", "2024-06-01 14:34:56.789+02", "0002bcd218b06608"),
            zoned("Europe/Paris", "2024-12-01 13:00:00+01", "0002cb32f0ab9000"),
            zoned("Europe/Paris", "1850-01-01 00:09:21+00:09:21", "ffef2ee5ba114000"),
            zoned("Europe/Paris", "1900-01-01 00:09:21+00:09:21", "fff4c9ee7c0b8000"),
            zoned("Europe/Paris", "1911-01-01 00:09:21+00:09:21", "fff60596bc94e000"),
            zoned("Europe/Paris", "1970-01-01 01:00:00+01", "fffca2fec4c82000"),
            zoned("Europe/Paris", "0044-03-15 12:09:21+00:09:21 BC", "ff1af9e8fb46d000"),
            zoned("Europe/Paris", "2200-07-01 02:00:00.000001+02", "00167a703f074001"),
            zoned("Europe/Paris", "2000-01-01 00:59:59.999999+01", "ffffffffffffffff"),
            zoned("Europe/Paris", "infinity", "7fffffffffffffff"),
            zoned("Europe/Paris", "-infinity", "8000000000000000"),
            zoned("Europe/Paris", "0001-01-01 00:09:21+00:09:21", "ff1fe2ffc59c6000"),
            zoned("Europe/Paris", "4714-11-24 00:09:21+00:09:21 BC", "fd0f7cc1411fa000"),
            zoned("Europe/Paris", "294277-01-01 00:59:59.999999+01", "7fffff5bb3b29fff"),
            zoned("Europe/Dublin", "2000-01-01 00:00:00+00", "0000000000000000"),
            zoned("Europe/Dublin", "2024-06-01 13:34:56.789+01", "0002bcd218b06608"),
            zoned("Europe/Dublin", "2024-12-01 12:00:00+00", "0002cb32f0ab9000"),
            zoned("Europe/Dublin", "1849-12-31 23:34:39-00:25:21", "ffef2ee5ba114000"),
            zoned("Europe/Dublin", "1899-12-31 23:34:39-00:25:21", "fff4c9ee7c0b8000"),
            zoned("Europe/Dublin", "1910-12-31 23:34:39-00:25:21", "fff60596bc94e000"),
            zoned("Europe/Dublin", "1970-01-01 01:00:00+01", "fffca2fec4c82000"),
            zoned("Europe/Dublin", "0044-03-15 11:34:39-00:25:21 BC", "ff1af9e8fb46d000"),
            zoned("Europe/Dublin", "2200-07-01 01:00:00.000001+01", "00167a703f074001"),
            zoned("Europe/Dublin", "1999-12-31 23:59:59.999999+00", "ffffffffffffffff"),
            zoned("Europe/Dublin", "infinity", "7fffffffffffffff"),
            zoned("Europe/Dublin", "-infinity", "8000000000000000"),
            zoned("Europe/Dublin", "0001-12-31 23:34:39-00:25:21 BC", "ff1fe2ffc59c6000"),
            zoned("Europe/Dublin", "4714-11-23 23:34:39-00:25:21 BC", "fd0f7cc1411fa000"),
            zoned("Europe/Dublin", "294276-12-31 23:59:59.999999+00", "7fffff5bb3b29fff"),
            zoned("Africa/Monrovia", "2000-01-01 00:00:00+00", "0000000000000000"),
            zoned("Africa/Monrovia", "2024-06-01 12:34:56.789+00", "0002bcd218b06608"),
            zoned("Africa/Monrovia", "2024-12-01 12:00:00+00", "0002cb32f0ab9000"),
            zoned("Africa/Monrovia", "1849-12-31 23:16:52-00:43:08", "ffef2ee5ba114000"),
            zoned("Africa/Monrovia", "1899-12-31 23:16:52-00:43:08", "fff4c9ee7c0b8000"),
            zoned("Africa/Monrovia", "1910-12-31 23:16:52-00:43:08", "fff60596bc94e000"),
            zoned("Africa/Monrovia", "1969-12-31 23:15:30-00:44:30", "fffca2fec4c82000"),
            zoned("Africa/Monrovia", "0044-03-15 11:16:52-00:43:08 BC", "ff1af9e8fb46d000"),
            zoned("Africa/Monrovia", "2200-07-01 00:00:00.000001+00", "00167a703f074001"),
            zoned("Africa/Monrovia", "1999-12-31 23:59:59.999999+00", "ffffffffffffffff"),
            zoned("Africa/Monrovia", "infinity", "7fffffffffffffff"),
            zoned("Africa/Monrovia", "-infinity", "8000000000000000"),
            zoned("Africa/Monrovia", "0001-12-31 23:16:52-00:43:08 BC", "ff1fe2ffc59c6000"),
            zoned("Africa/Monrovia", "4714-11-23 23:16:52-00:43:08 BC", "fd0f7cc1411fa000"),
            zoned("Africa/Monrovia", "294276-12-31 23:59:59.999999+00", "7fffff5bb3b29fff"),
            zoned("Australia/Lord_Howe", "2000-01-01 11:00:00+11", "0000000000000000"),
            zoned("Australia/Lord_Howe", "2024-06-01 23:04:56.789+10:30", "0002bcd218b06608"),
            zoned("Australia/Lord_Howe", "2024-12-01 23:00:00+11", "0002cb32f0ab9000"),
            zoned("Australia/Lord_Howe", "1850-01-01 10:36:20+10:36:20", "ffef2ee5ba114000"),
            zoned("Australia/Lord_Howe", "1900-01-01 10:00:00+10", "fff4c9ee7c0b8000"),
            zoned("Australia/Lord_Howe", "1911-01-01 10:00:00+10", "fff60596bc94e000"),
            zoned("Australia/Lord_Howe", "1970-01-01 10:00:00+10", "fffca2fec4c82000"),
            zoned("Australia/Lord_Howe", "0044-03-15 22:36:20+10:36:20 BC", "ff1af9e8fb46d000"),
            zoned("Australia/Lord_Howe", "2200-07-01 10:30:00.000001+10:30", "00167a703f074001"),
            zoned("Australia/Lord_Howe", "2000-01-01 10:59:59.999999+11", "ffffffffffffffff"),
            zoned("Australia/Lord_Howe", "infinity", "7fffffffffffffff"),
            zoned("Australia/Lord_Howe", "-infinity", "8000000000000000"),
            zoned("Australia/Lord_Howe", "0001-01-01 10:36:20+10:36:20", "ff1fe2ffc59c6000"),
            zoned("Australia/Lord_Howe", "4714-11-24 10:36:20+10:36:20 BC", "fd0f7cc1411fa000"),
            zoned("Australia/Lord_Howe", "294277-01-01 10:59:59.999999+11", "7fffff5bb3b29fff"),
            zoned("America/Sao_Paulo", "1999-12-31 22:00:00-02", "0000000000000000"),
            zoned("America/Sao_Paulo", "2024-06-01 09:34:56.789-03", "0002bcd218b06608"),
            zoned("America/Sao_Paulo", "2024-12-01 09:00:00-03", "0002cb32f0ab9000"),
            zoned("America/Sao_Paulo", "1849-12-31 20:53:32-03:06:28", "ffef2ee5ba114000"),
            zoned("America/Sao_Paulo", "1899-12-31 20:53:32-03:06:28", "fff4c9ee7c0b8000"),
            zoned("America/Sao_Paulo", "1910-12-31 20:53:32-03:06:28", "fff60596bc94e000"),
            zoned("America/Sao_Paulo", "1969-12-31 21:00:00-03", "fffca2fec4c82000"),
            zoned("America/Sao_Paulo", "0044-03-15 08:53:32-03:06:28 BC", "ff1af9e8fb46d000"),
            zoned("America/Sao_Paulo", "2200-06-30 21:00:00.000001-03", "00167a703f074001"),
            zoned("America/Sao_Paulo", "1999-12-31 21:59:59.999999-02", "ffffffffffffffff"),
            zoned("America/Sao_Paulo", "infinity", "7fffffffffffffff"),
            zoned("America/Sao_Paulo", "-infinity", "8000000000000000"),
            zoned("America/Sao_Paulo", "0001-12-31 20:53:32-03:06:28 BC", "ff1fe2ffc59c6000"),
            zoned("America/Sao_Paulo", "4714-11-23 20:53:32-03:06:28 BC", "fd0f7cc1411fa000"),
            zoned("America/Sao_Paulo", "294276-12-31 20:59:59.999999-03", "7fffff5bb3b29fff"),
            zoned("Europe/Moscow", "2000-01-01 03:00:00+03", "0000000000000000"),
            zoned("Europe/Moscow", "2024-06-01 15:34:56.789+03", "0002bcd218b06608"),
            zoned("Europe/Moscow", "2024-12-01 15:00:00+03", "0002cb32f0ab9000"),
            zoned("Europe/Moscow", "1850-01-01 02:30:17+02:30:17", "ffef2ee5ba114000"),
            zoned("Europe/Moscow", "1900-01-01 02:30:17+02:30:17", "fff4c9ee7c0b8000"),
            zoned("Europe/Moscow", "1911-01-01 02:30:17+02:30:17", "fff60596bc94e000"),
            zoned("Europe/Moscow", "1970-01-01 03:00:00+03", "fffca2fec4c82000"),
            zoned("Europe/Moscow", "0044-03-15 14:30:17+02:30:17 BC", "ff1af9e8fb46d000"),
            zoned("Europe/Moscow", "2200-07-01 03:00:00.000001+03", "00167a703f074001"),
            zoned("Europe/Moscow", "2000-01-01 02:59:59.999999+03", "ffffffffffffffff"),
            zoned("Europe/Moscow", "infinity", "7fffffffffffffff"),
            zoned("Europe/Moscow", "-infinity", "8000000000000000"),
            zoned("Europe/Moscow", "0001-01-01 02:30:17+02:30:17", "ff1fe2ffc59c6000"),
            zoned("Europe/Moscow", "4714-11-24 02:30:17+02:30:17 BC", "fd0f7cc1411fa000"),
            zoned("Europe/Moscow", "294277-01-01 02:59:59.999999+03", "7fffff5bb3b29fff"),
            zoned("Pacific/Kiritimati", "2000-01-01 14:00:00+14", "0000000000000000"),
            zoned("Pacific/Kiritimati", "2024-06-02 02:34:56.789+14", "0002bcd218b06608"),
            zoned("Pacific/Kiritimati", "2024-12-02 02:00:00+14", "0002cb32f0ab9000"),
            zoned("Pacific/Kiritimati", "1849-12-31 13:30:40-10:29:20", "ffef2ee5ba114000"),
            zoned("Pacific/Kiritimati", "1899-12-31 13:30:40-10:29:20", "fff4c9ee7c0b8000"),
            zoned("Pacific/Kiritimati", "1910-12-31 13:20:00-10:40", "fff60596bc94e000"),
            zoned("Pacific/Kiritimati", "1969-12-31 13:20:00-10:40", "fffca2fec4c82000"),
            zoned("Pacific/Kiritimati", "0044-03-15 01:30:40-10:29:20 BC", "ff1af9e8fb46d000"),
            zoned("Pacific/Kiritimati", "2200-07-01 14:00:00.000001+14", "00167a703f074001"),
            zoned("Pacific/Kiritimati", "2000-01-01 13:59:59.999999+14", "ffffffffffffffff"),
            zoned("Pacific/Kiritimati", "infinity", "7fffffffffffffff"),
            zoned("Pacific/Kiritimati", "-infinity", "8000000000000000"),
            zoned("Pacific/Kiritimati", "0001-12-31 13:30:40-10:29:20 BC", "ff1fe2ffc59c6000"),
            zoned("Pacific/Kiritimati", "4714-11-23 13:30:40-10:29:20 BC", "fd0f7cc1411fa000"),
            zoned("Pacific/Kiritimati", "294277-01-01 13:59:59.999999+14", "7fffff5bb3b29fff"),
            zoned("Etc/GMT+12", "1999-12-31 12:00:00-12", "0000000000000000"),
            zoned("Etc/GMT+12", "2024-06-01 00:34:56.789-12", "0002bcd218b06608"),
            zoned("Etc/GMT+12", "2024-12-01 00:00:00-12", "0002cb32f0ab9000"),
            zoned("Etc/GMT+12", "1849-12-31 12:00:00-12", "ffef2ee5ba114000"),
            zoned("Etc/GMT+12", "1899-12-31 12:00:00-12", "fff4c9ee7c0b8000"),
            zoned("Etc/GMT+12", "1910-12-31 12:00:00-12", "fff60596bc94e000"),
            zoned("Etc/GMT+12", "1969-12-31 12:00:00-12", "fffca2fec4c82000"),
            zoned("Etc/GMT+12", "0044-03-15 00:00:00-12 BC", "ff1af9e8fb46d000"),
            zoned("Etc/GMT+12", "2200-06-30 12:00:00.000001-12", "00167a703f074001"),
            zoned("Etc/GMT+12", "1999-12-31 11:59:59.999999-12", "ffffffffffffffff"),
            zoned("Etc/GMT+12", "infinity", "7fffffffffffffff"),
            zoned("Etc/GMT+12", "-infinity", "8000000000000000"),
            zoned("Etc/GMT+12", "0001-12-31 12:00:00-12 BC", "ff1fe2ffc59c6000"),
            zoned("Etc/GMT+12", "4714-11-23 12:00:00-12 BC", "fd0f7cc1411fa000"),
            zoned("Etc/GMT+12", "294276-12-31 11:59:59.999999-12", "7fffff5bb3b29fff"));

    @Test
    void encodesTextOutputToTheSendFunctionsBytes() {
        for (Row r : CORPUS) {
            assertEquals(r.hex, hex(BinaryFormat.encode(r.oid, utf8(r.out))), () -> r.toString());
        }
    }

    @Test
    void decodesSendBytesToTheOutputFunctionsText() {
        for (Row r : CORPUS) {
            assertEquals(r.out, text(BinaryFormat.decode(r.oid, bytes(r.hex))), () -> r.toString());
        }
    }

    @Test
    void readsTheLiteralsPostgresReadAsTheSameValue() {
        for (Row r : CORPUS) {
            if (r.oid == TypeOids.JSONB || r.oid == 3807) {
                // jsonb text from a shard is already jsonb_out's, and is only framed.
                continue;
            }
            assertEquals(r.hex, hex(BinaryFormat.encode(r.oid, utf8(r.input))), () -> r.toString());
        }
    }

    @Test
    void jsonbSentInAnySpellingPrintsAsJsonbOut() {
        for (Row r : CORPUS) {
            if (r.oid == TypeOids.JSONB) {
                byte[] input = utf8(r.input);
                byte[] binary = new byte[input.length + 1];
                binary[0] = 1;
                System.arraycopy(input, 0, binary, 1, input.length);
                assertEquals(r.out, text(BinaryFormat.decode(r.oid, binary)), () -> r.toString());
            }
        }
    }

    @Test
    void timestamptzPrintsInTheSessionZoneWithTheOffsetInForce() {
        for (Zoned z : ZONED) {
            assertEquals(z.out, text(BinaryFormat.decode(1184, bytes(z.hex), ZoneId.of(z.zone))), () -> z.toString());
            assertEquals(z.hex, hex(BinaryFormat.encode(1184, utf8(z.out))), () -> z.toString());
        }
    }

    @Test
    void timestamptzArrayElementsPrintInTheSessionZone() {
        // SET TimeZone = 'Asia/Kolkata'; SELECT '{"2000-01-01 00:00:00+00",NULL}'::timestamptz[];
        byte[] binary = BinaryFormat.encode(1185, utf8("{\"2000-01-01 00:00:00+00\",NULL}"));
        assertEquals("{\"2000-01-01 05:30:00+05:30\",NULL}",
                text(BinaryFormat.decode(1185, binary, ZoneId.of("Asia/Kolkata"))));
    }

    private static Row row(int oid, String input, String out, String hex) {
        return new Row(oid, input, out, hex);
    }

    private static Zoned zoned(String zone, String out, String hex) {
        return new Zoned(zone, out, hex);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
