package io.shardproxy.router.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vectors computed by a real PostgreSQL 17.11 (x86_64), e.g.
 * {@code SELECT hashint8extended('-9223372036854775808'::int8, 1)} or
 * {@code SELECT hashtextextended('héllo', 0)}; columns are value, seed, expected hash.
 * Texts straddle lookup3's 12-byte blocks (11, 12, 13, 24, 25 bytes) and cover 2-, 3- and
 * 4-byte UTF-8. PgHashMatchesPostgresTest (integration-tests) checks thousands of random values
 * against a live server.
 */
class PgHashTest {

    /** A seed with both 32-bit halves non-zero: 0x0123456789abcdef. */
    private static final long SEED = 0x0123456789abcdefL;

    @ParameterizedTest(name = "hashint8extended({0}, {1}) = {2}")
    @CsvSource({
        "0, 0, 4154612158245552303",
        "1, 0, -3670598878359251130",
        "-1, 0, -1888257769727981238",
        "42, 0, 8010225493015854792",
        "-42, 0, 8809670066178192187",
        "-2147483648, 0, 1977219185673256887",
        "2147483647, 0, -9109110466470504941",
        "-9223372036854775808, 0, -9109110466470504941",
        "9223372036854775807, 0, 1977219185673256887",
        "2147483648, 0, 1977219185673256887",
        "-2147483649, 0, -9109110466470504941",
        "4294967296, 0, -3670598878359251130",
        "-4294967296, 0, 4154612158245552303",
        "1234567890123456789, 0, -1348933112428498873",
        "0, 1, 434346878670890809",
        "1, 1, -7620678293940249823",
        "-1, 1, 3987656643895367148",
        "42, 1, 3812564155960986560",
        "-42, 1, -6366388251206941686",
        "-2147483648, 1, 3044001184559810835",
        "2147483647, 1, 2560836655869490746",
        "-9223372036854775808, 1, 2560836655869490746",
        "9223372036854775807, 1, 3044001184559810835",
        "2147483648, 1, 3044001184559810835",
        "-2147483649, 1, 2560836655869490746",
        "4294967296, 1, -7620678293940249823",
        "-4294967296, 1, 434346878670890809",
        "1234567890123456789, 1, -8094047739564974513",
        "0, -1, -4140905993450701875",
        "1, -1, 1505930170527472848",
        "-1, -1, 6481520839006961279",
        "42, -1, -6198169983862266934",
        "-42, -1, 8355049244265804908",
        "-2147483648, -1, 6110074166949006181",
        "2147483647, -1, 8384907054876656385",
        "-9223372036854775808, -1, 8384907054876656385",
        "9223372036854775807, -1, 6110074166949006181",
        "2147483648, -1, 6110074166949006181",
        "-2147483649, -1, 8384907054876656385",
        "4294967296, -1, 1505930170527472848",
        "-4294967296, -1, -4140905993450701875",
        "1234567890123456789, -1, 3209663503856228607",
        "0, 81985529216486895, -9056972805875950176",
        "1, 81985529216486895, -2002263800794802243",
        "-1, 81985529216486895, -5497670744723922960",
        "42, 81985529216486895, 5120917786104145450",
        "-42, 81985529216486895, 2872524488514869064",
        "-2147483648, 81985529216486895, -2589617623708073286",
        "2147483647, 81985529216486895, -2924246970129791737",
        "-9223372036854775808, 81985529216486895, -2924246970129791737",
        "9223372036854775807, 81985529216486895, -2589617623708073286",
        "2147483648, 81985529216486895, -2589617623708073286",
        "-2147483649, 81985529216486895, -2924246970129791737",
        "4294967296, 81985529216486895, -2002263800794802243",
        "-4294967296, 81985529216486895, -9056972805875950176",
        "1234567890123456789, 81985529216486895, -1561544927703233451"
    })
    void int8MatchesPostgres(long value, long seed, long expected) {
        assertEquals(expected, PgHash.hashInt8Extended(value, seed));
    }

    @ParameterizedTest(name = "hashint4extended({0}, {1}) = {2}")
    @CsvSource({
        "0, 0, 4154612158245552303",
        "1, 0, -3670598878359251130",
        "-1, 0, -1888257769727981238",
        "42, 0, 8010225493015854792",
        "-42, 0, 8809670066178192187",
        "-2147483648, 0, 1977219185673256887",
        "2147483647, 0, -9109110466470504941",
        "0, 1, 434346878670890809",
        "1, 1, -7620678293940249823",
        "-1, 1, 3987656643895367148",
        "42, 1, 3812564155960986560",
        "-42, 1, -6366388251206941686",
        "-2147483648, 1, 3044001184559810835",
        "2147483647, 1, 2560836655869490746",
        "0, -1, -4140905993450701875",
        "1, -1, 1505930170527472848",
        "-1, -1, 6481520839006961279",
        "42, -1, -6198169983862266934",
        "-42, -1, 8355049244265804908",
        "-2147483648, -1, 6110074166949006181",
        "2147483647, -1, 8384907054876656385",
        "0, 81985529216486895, -9056972805875950176",
        "1, 81985529216486895, -2002263800794802243",
        "-1, 81985529216486895, -5497670744723922960",
        "42, 81985529216486895, 5120917786104145450",
        "-42, 81985529216486895, 2872524488514869064",
        "-2147483648, 81985529216486895, -2589617623708073286",
        "2147483647, 81985529216486895, -2924246970129791737"
    })
    void int4MatchesPostgres(int value, long seed, long expected) {
        assertEquals(expected, PgHash.hashInt4Extended(value, seed));
    }

    @ParameterizedTest(name = "hashint2extended({0}, 0) = {1}")
    @CsvSource({
        "0, 4154612158245552303",
        "1, -3670598878359251130",
        "-1, -1888257769727981238",
        "42, 8010225493015854792",
        "32767, 1790040721271588170",
        "-32768, 8455483389771436374"
    })
    void int2MatchesPostgres(short value, long expected) {
        assertEquals(expected, PgHash.hashInt2Extended(value, 0));
    }

    @ParameterizedTest(name = "hashtextextended(''{0}'', {1}) = {2}")
    @CsvSource({
        "'', 0, -6939563903564495251",
        "'a', 0, 3591986179850072241",
        "'ab', 0, 2833316173711343549",
        "'abc', 0, -6747756470228489321",
        "'abcd', 0, -1038429303365892052",
        "'abcdefghijk', 0, 3112909444737856467",
        "'abcdefghijkl', 0, -7556637188122330412",
        "'abcdefghijklm', 0, 8871624171452417744",
        "'abcdefghijklmnopqrstuvwx', 0, -1933194731779935345",
        "'abcdefghijklmnopqrstuvwxy', 0, 5649064133428767341",
        "'The quick brown fox jumps over the lazy dog', 0, 2182139051089226439",
        "'héllo', 0, 2465157995015290115",
        "'日本語', 0, 2870829529307104068",
        "'😀', 0, -9149796522330800166",
        "'shard-key-0001', 0, 6388455213801259973",
        "'', 1, -150071773020461347",
        "'a', 1, 3325245193489759299",
        "'ab', 1, 6831083245906393158",
        "'abc', 1, 2125675926272891485",
        "'abcd', 1, -9042268383291675265",
        "'abcdefghijk', 1, 8196382510784792041",
        "'abcdefghijkl', 1, -6429754808531195817",
        "'abcdefghijklm', 1, 3808842878744369845",
        "'abcdefghijklmnopqrstuvwx', 1, -731882798451170301",
        "'abcdefghijklmnopqrstuvwxy', 1, 5694819572527276190",
        "'The quick brown fox jumps over the lazy dog', 1, 6385648752505156361",
        "'héllo', 1, -4745589531464487085",
        "'日本語', 1, 4918542965680842510",
        "'😀', 1, -2514189011794816806",
        "'shard-key-0001', 1, 4443685096524360942",
        "'', -1, -5142811166230430645",
        "'a', -1, 8688456822845412000",
        "'ab', -1, 3639176434904646991",
        "'abc', -1, 1911237551546830967",
        "'abcd', -1, -8506387423880103258",
        "'abcdefghijk', -1, 2833918571160852060",
        "'abcdefghijkl', -1, -3669402583748189229",
        "'abcdefghijklm', -1, 6205390682044465928",
        "'abcdefghijklmnopqrstuvwx', -1, -1203456767747787834",
        "'abcdefghijklmnopqrstuvwxy', -1, -5957734741082924352",
        "'The quick brown fox jumps over the lazy dog', -1, -2916183307962988523",
        "'héllo', -1, 4805052016769612239",
        "'日本語', -1, 721106236517436916",
        "'😀', -1, -3491905906943077388",
        "'shard-key-0001', -1, 4300250685021572955",
        "'', 81985529216486895, 5714803967801994901",
        "'a', 81985529216486895, 5474442009769322144",
        "'ab', 81985529216486895, -5949477072058431560",
        "'abc', 81985529216486895, 1707808682428204635",
        "'abcd', 81985529216486895, 5554817899650624818",
        "'abcdefghijk', 81985529216486895, 3150430116835806880",
        "'abcdefghijkl', 81985529216486895, 7159717585609413365",
        "'abcdefghijklm', 81985529216486895, 5307507824310379875",
        "'abcdefghijklmnopqrstuvwx', 81985529216486895, 4189765936847585917",
        "'abcdefghijklmnopqrstuvwxy', 81985529216486895, 8090569237837293800",
        "'The quick brown fox jumps over the lazy dog', 81985529216486895, -8119536654850546482",
        "'héllo', 81985529216486895, -8542173944437132257",
        "'日本語', 81985529216486895, -6208254035113443071",
        "'😀', 81985529216486895, -2944524829074651239",
        "'shard-key-0001', 81985529216486895, 8793963891879907409"
    })
    void textMatchesPostgres(String value, long seed, long expected) {
        assertEquals(expected, PgHash.hashTextExtended(value, seed));
    }

    @Test
    void longTextMatchesPostgres() {
        String hundredXs = "x".repeat(100);
        assertEquals(-6927006773748011226L, PgHash.hashTextExtended(hundredXs, 0L));
        assertEquals(8113998652912083822L, PgHash.hashTextExtended(hundredXs, 1L));
        assertEquals(4423172905527254427L, PgHash.hashTextExtended(hundredXs, -1L));
        assertEquals(8504237174604202797L, PgHash.hashTextExtended(hundredXs, 81985529216486895L));
    }

    @ParameterizedTest(name = "uuid_hash_extended({0}, {1}) = {2}")
    @CsvSource({
        "00000000-0000-0000-0000-000000000000, 0, -6859010066814654381",
        "ffffffff-ffff-ffff-ffff-ffffffffffff, 0, 293445543803463785",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11, 0, 7543054272012930821",
        "123e4567-e89b-12d3-a456-426614174000, 0, -1647950126005018481",
        "0190f0c2-6b3e-7c4d-9a1b-2c3d4e5f6a7b, 0, 67708655332455176",
        "00000000-0000-0000-0000-000000000000, 1, -865649419113463301",
        "ffffffff-ffff-ffff-ffff-ffffffffffff, 1, -8212000089874860457",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11, 1, -2645530205222611019",
        "123e4567-e89b-12d3-a456-426614174000, 1, 4254032834239447868",
        "0190f0c2-6b3e-7c4d-9a1b-2c3d4e5f6a7b, 1, 4740029364971276786"
    })
    void uuidMatchesPostgres(String value, long seed, long expected) {
        assertEquals(expected, PgHash.uuidHashExtended(UUID.fromString(value), seed));
    }

    @ParameterizedTest(name = "abs(mod(hashint8extended({0}, 0), {1})) = {2}")
    @CsvSource({
        "0, 4, 3",
        "0, 7, 6",
        "1, 4, 2",
        "1, 7, 5",
        "-1, 4, 2",
        "-1, 7, 6",
        "42, 4, 0",
        "42, 7, 5",
        "-42, 4, 3",
        "-42, 7, 4",
        "-2147483648, 4, 3",
        "-2147483648, 7, 5",
        "2147483647, 4, 1",
        "2147483647, 7, 3",
        "-9223372036854775808, 4, 1",
        "-9223372036854775808, 7, 3",
        "9223372036854775807, 4, 3",
        "9223372036854775807, 7, 5",
        "2147483648, 4, 3",
        "2147483648, 7, 5",
        "-2147483649, 4, 1",
        "-2147483649, 7, 3",
        "4294967296, 4, 2",
        "4294967296, 7, 5",
        "-4294967296, 4, 3",
        "-4294967296, 7, 6",
        "1234567890123456789, 4, 1",
        "1234567890123456789, 7, 3"
    })
    void bucketMatchesPostgresAbsMod(long value, int buckets, int expected) {
        assertEquals(expected, PgHash.bucket(PgHash.hashInt8Extended(value, 0), buckets));
    }

    @Test
    void equalIntegersHashAlikeWhateverTheirWidth() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            int value = random.nextInt();
            long seed = i % 2 == 0 ? 0 : random.nextLong();
            long asInt4 = PgHash.hashInt4Extended(value, seed);
            assertEquals(asInt4, PgHash.hashInt8Extended(value, seed), "int8 " + value);
            assertEquals(PgHash.hashInt2Extended((short) value, seed), PgHash.hashInt8Extended((short) value, seed));
        }
        assertEquals(PgHash.hashInt2Extended(Short.MIN_VALUE, SEED), PgHash.hashInt4Extended(Short.MIN_VALUE, SEED));
    }

    @Test
    void textIsHashedAsItsUtf8Bytes() {
        String text = "日本語 héllo 😀";
        assertEquals(PgHash.hashBytesExtended(text.getBytes(StandardCharsets.UTF_8), SEED),
                PgHash.hashTextExtended(text, SEED));
    }

    @Test
    void bucketIsAlwaysInRange() {
        // Long.MIN_VALUE % 7 is -1 (truncation toward zero, as in SQL's mod); Math.abs of a long would overflow only for MIN_VALUE itself
        assertEquals(1, PgHash.bucket(Long.MIN_VALUE, 7));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            int buckets = 1 + random.nextInt(64);
            int bucket = PgHash.bucket(random.nextLong(), buckets);
            assertTrue(bucket >= 0 && bucket < buckets, bucket + " of " + buckets);
        }
        assertThrows(IllegalArgumentException.class, () -> PgHash.bucket(1, 0));
    }
}
