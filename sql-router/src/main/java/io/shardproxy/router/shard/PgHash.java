package io.shardproxy.router.shard;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * PostgreSQL's extended (64-bit, seeded) hash functions, bit for bit, so that an operator can
 * compute a row's bucket in SQL: {@code abs(mod(hashint8extended(key::int8, 0), n))},
 * {@code hashtextextended(key, 0)} or {@code uuid_hash_extended(key, 0)} give the same
 * {@code long} as the methods here, and {@link #bucket} the same bucket.
 *
 * <p>The core is Bob Jenkins' lookup3 as PostgreSQL adapted it ({@code hash_bytes_extended} in
 * src/common/hashfn.c): three 32-bit lanes, 12 input bytes per {@code mix}, a {@code final}
 * avalanche, result {@code (b << 32) | c}. PostgreSQL reads words in native byte order; this port
 * reads them little-endian, matching every x86-64 and ARM64 server (a big-endian server would hash
 * differently, and so would not agree with itself across platforms either).
 *
 * <p>Integers: int2 and int4 hash their sign-extended 32-bit value; int8 first folds its high half
 * into the low half (complemented for negatives), so equal values of int2, int4 and int8 hash
 * alike and every int8 that fits in an int4 hashes as that int4.
 */
public final class PgHash {

    /** 0x9e3779b9, the golden ratio, plus PostgreSQL's extra 3923095: the lanes' start before the length. */
    private static final int INIT = 0x9e3779b9 + 3923095;

    private PgHash() {
    }

    /** {@code hashint8extended(value, seed)}. */
    public static long hashInt8Extended(long value, long seed) {
        int lo = (int) value;
        int hi = (int) (value >>> 32);
        lo ^= value >= 0 ? hi : ~hi;
        return hashUint32Extended(lo, seed);
    }

    /** {@code hashint4extended(value, seed)}. */
    public static long hashInt4Extended(int value, long seed) {
        return hashUint32Extended(value, seed);
    }

    /** {@code hashint2extended(value, seed)}: the value is sign-extended to 32 bits first. */
    public static long hashInt2Extended(short value, long seed) {
        return hashUint32Extended(value, seed);
    }

    /**
     * {@code hashtextextended(value, seed)} under a deterministic collation (C, POSIX, or any libc
     * or ICU collation not declared nondeterministic): the hash of the UTF-8 bytes. The string must
     * be valid text for PostgreSQL (no NUL, no unpaired surrogate).
     */
    public static long hashTextExtended(String value, long seed) {
        return hashBytesExtended(value.getBytes(StandardCharsets.UTF_8), seed);
    }

    /** {@code uuid_hash_extended(value, seed)}: the 16 bytes as stored, most significant first. */
    public static long uuidHashExtended(UUID value, long seed) {
        byte[] bytes = new byte[16];
        putLongBigEndian(bytes, 0, value.getMostSignificantBits());
        putLongBigEndian(bytes, 8, value.getLeastSignificantBits());
        return hashBytesExtended(bytes, seed);
    }

    /**
     * {@code hash_bytes_extended(k, len, seed)}, the hash behind text, bytea, uuid, numeric and
     * most other variable-length types.
     */
    public static long hashBytesExtended(byte[] key, long seed) {
        int[] abc = start(key.length, seed);
        int offset = 0;
        int remaining = key.length;
        while (remaining >= 12) {
            abc[0] += littleEndianInt(key, offset);
            abc[1] += littleEndianInt(key, offset + 4);
            abc[2] += littleEndianInt(key, offset + 8);
            mix(abc);
            offset += 12;
            remaining -= 12;
        }
        // the last 0..11 bytes, as little-endian lanes; the lowest byte of c stays free (the length went there)
        if (remaining >= 11) {
            abc[2] += (key[offset + 10] & 0xff) << 24;
        }
        if (remaining >= 10) {
            abc[2] += (key[offset + 9] & 0xff) << 16;
        }
        if (remaining >= 9) {
            abc[2] += (key[offset + 8] & 0xff) << 8;
        }
        if (remaining >= 8) {
            abc[1] += (key[offset + 7] & 0xff) << 24;
        }
        if (remaining >= 7) {
            abc[1] += (key[offset + 6] & 0xff) << 16;
        }
        if (remaining >= 6) {
            abc[1] += (key[offset + 5] & 0xff) << 8;
        }
        if (remaining >= 5) {
            abc[1] += key[offset + 4] & 0xff;
        }
        if (remaining >= 4) {
            abc[0] += (key[offset + 3] & 0xff) << 24;
        }
        if (remaining >= 3) {
            abc[0] += (key[offset + 2] & 0xff) << 16;
        }
        if (remaining >= 2) {
            abc[0] += (key[offset + 1] & 0xff) << 8;
        }
        if (remaining >= 1) {
            abc[0] += key[offset] & 0xff;
        }
        finalMix(abc);
        return result(abc);
    }

    /**
     * The bucket of a hash among {@code buckets}: {@code abs(hash % buckets)}. Java's {@code %} and
     * PostgreSQL's {@code mod} both truncate toward zero, so this equals SQL's
     * {@code abs(mod(h, buckets))}.
     */
    public static int bucket(long hash, int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be positive: " + buckets);
        }
        return (int) Math.abs(hash % buckets);
    }

    /** {@code hash_bytes_uint32_extended(k, seed)}: same as hashing the 4 bytes of {@code k}. */
    private static long hashUint32Extended(int k, long seed) {
        int[] abc = start(4, seed);
        abc[0] += k;
        finalMix(abc);
        return result(abc);
    }

    /** The lanes before any key byte: length folded in, then a 64-bit seed mixed in as a 12-byte block of its own. */
    private static int[] start(int length, long seed) {
        int init = INIT + length;
        int[] abc = {init, init, init};
        if (seed != 0) {
            abc[0] += (int) (seed >>> 32);
            abc[1] += (int) seed;
            mix(abc);
        }
        return abc;
    }

    /** lookup3's mix(a, b, c). */
    private static void mix(int[] abc) {
        int a = abc[0];
        int b = abc[1];
        int c = abc[2];
        a -= c;
        a ^= Integer.rotateLeft(c, 4);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 6);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 8);
        b += a;
        a -= c;
        a ^= Integer.rotateLeft(c, 16);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 19);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 4);
        b += a;
        abc[0] = a;
        abc[1] = b;
        abc[2] = c;
    }

    /** lookup3's final(a, b, c). */
    private static void finalMix(int[] abc) {
        int a = abc[0];
        int b = abc[1];
        int c = abc[2];
        c ^= b;
        c -= Integer.rotateLeft(b, 14);
        a ^= c;
        a -= Integer.rotateLeft(c, 11);
        b ^= a;
        b -= Integer.rotateLeft(a, 25);
        c ^= b;
        c -= Integer.rotateLeft(b, 16);
        a ^= c;
        a -= Integer.rotateLeft(c, 4);
        b ^= a;
        b -= Integer.rotateLeft(a, 14);
        c ^= b;
        c -= Integer.rotateLeft(b, 24);
        abc[0] = a;
        abc[1] = b;
        abc[2] = c;
    }

    /** PostgreSQL returns uint64 {@code (b << 32) | c}; as a bigint (and a Java long) the same 64 bits. */
    private static long result(int[] abc) {
        return ((long) abc[1] << 32) | (abc[2] & 0xffffffffL);
    }

    private static int littleEndianInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff)
                | (bytes[offset + 1] & 0xff) << 8
                | (bytes[offset + 2] & 0xff) << 16
                | (bytes[offset + 3] & 0xff) << 24;
    }

    private static void putLongBigEndian(byte[] bytes, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
