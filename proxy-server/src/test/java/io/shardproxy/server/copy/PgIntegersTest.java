package io.shardproxy.server.copy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Integer input as PostgreSQL 17's int8in reads it (CopyFormatTest checks more against a live server). */
class PgIntegersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "0|0", "42|42", "-42|-42", "+42|42", "' 7 '|7", "'\t8\t'|8", "0x1F|31", "0X1f|31", "-0x10|-16",
            "0o17|15", "0b101|5", "1_000|1000", "_1|NULL", "0x_1|1", "0b_1|1", "9223372036854775807|9223372036854775807",
            "-9223372036854775808|-9223372036854775808", "0x7FFFFFFFFFFFFFFF|9223372036854775807",
            "-0x8000000000000000|-9223372036854775808", "007|7",
            "9223372036854775808|NULL", "-9223372036854775809|NULL", "0x8000000000000000|NULL",
            "''|NULL", "' '|NULL", "-|NULL", "0x|NULL", "1_|NULL", "1__0|NULL", "1.0|NULL", "1e3|NULL",
            "abc|NULL", "0b102|NULL", "1 2|NULL", "'\u00a07'|NULL", "--1|NULL"})
    void readsLikeInt8in(String text, Long expected) {
        assertEquals(expected, PgIntegers.parse(text), text);
    }
}
