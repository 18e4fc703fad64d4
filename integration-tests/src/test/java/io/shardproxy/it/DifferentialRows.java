package io.shardproxy.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The tables and rows of {@link DifferentialQueryTest}, made from a fixed seed so every run loads
 * the same data. Both tables are sharded by {@code id mod 4}; ids start below zero, so negative
 * keys land on every shard too.
 *
 * <ul>
 *   <li>{@code diff_items}: a mixed table (NULLs in every column but the key, ties, negative
 *       numbers, mixed case and non-ASCII names, timestamps, numerics of many scales).</li>
 *   <li>{@code diff_types}: one column per type the merge orders or combines, with the values
 *       that catch wrong comparisons: NaN, ±Infinity and -0 in the floats, infinite and BC dates
 *       and timestamps, mixed-scale numerics, bytea with a high bit, uuids, and text where C order
 *       differs from case-insensitive and UTF-16 order ('B' &lt; 'a' &lt; 'b', accents, Greek,
 *       CJK, an emoji, a full-width letter). Its {@code cat} column groups rows: {@code solo}
 *       rows live on one shard only (the other shards have no such group), {@code void} rows are
 *       NULL in every value column (aggregates over NULL-only input), and some rows have no
 *       cat. Float values are multiples of 1/8, so sums are exact in any order.</li>
 * </ul>
 */
final class DifferentialRows {
    static final String ITEMS = "diff_items";
    static final String GROUPS = "diff_groups";
    static final String TYPES = "diff_types";

    static final String CREATE_ITEMS = "create table " + ITEMS + " (id int primary key, grp int, name text,"
            + " price numeric(10,2), qty int, big bigint, score float8, created timestamp, flag boolean, amount numeric,"
            + " seen timestamptz)";
    static final String CREATE_GROUPS = "create table " + GROUPS + " (grp int primary key, label text)";
    static final String CREATE_TYPES = "create table " + TYPES + " (id int primary key, cat text, i2 smallint, i4 int,"
            + " i8 bigint, n numeric, f4 real, f8 float8, b boolean, d date, ts timestamp, tz timestamptz, u uuid,"
            + " bin bytea, t text, iv interval)";
    static final String INSERT_GROUPS = "insert into " + GROUPS + " values (0, 'g zero'), (1, 'g one'), (2, 'g two'),"
            + " (3, 'g three'), (4, 'four'), (5, 'g five'), (6, 'six')";

    /** Lowest diff_items id; ids run from here, {@link #ITEM_ROWS} of them, so a quarter are negative. */
    static final int FIRST_ITEM_ID = -150;
    static final int ITEM_ROWS = 400;
    /** Lowest diff_types id. */
    static final int FIRST_TYPE_ID = -40;
    static final int TYPE_ROWS = 240;

    private static final String[] NAMES = {"apple", "Apple", "APPLE", "banana", "Banana", "Äpfel", "éclair", "zebra",
        "Zebra", "日本語", "naïve", "", "a b", "z", "😀 smile", "ｚ fullwidth", "O'Brien", "50%"};
    /** Numbers of many scales, for a numeric column without a type modifier. */
    private static final String[] AMOUNTS = {"1", "0.5", "123.456", "-7.0001", "1e-10", "99999999999999999999.9",
        "-0.000", "2.50", "3", "1000000", "0.333333333333333333333"};

    /** Text whose C order is not its case-insensitive, accent-folded or UTF-16 order. */
    private static final String[] TEXTS = {"B", "a", "b", "A", "apple", "Apple", "APPLE", "éclair", "eclair", "Éclair",
        "zebra", "Zebra", "Äpfel", "apfel", "naïve", "naive", "Straße", "strasse", "ß", "日本語", "中文", "한국어",
        "Ωmega", "ωmega", "Привет", "привет", "😀", "ｚ", "", " lead", "a b", "a-b", "ab", "Z", "z", "~tilde", "Ａ"};
    private static final String[] CATS = {"alpha", "Beta", "gamma", "Δέλτα"};
    private static final String[] NUMERICS = {"1", "1.0", "-1.00", "0.5", "0.50", "123.456", "-7.0001", "1e-10",
        "12345678901234567890.123", "-0.000", "2.50", "3", "0.333333333333333333333", "-42", "1000000.0001"};
    private static final String[] FLOAT_SPECIALS = {"NaN", "-0", "0", "Infinity", "-Infinity"};
    private static final String[] DATES = {"infinity", "-infinity", "0044-03-15 BC", "1999-12-31", "2000-02-29"};
    private static final String[] TIMESTAMPS = {"infinity", "-infinity", "0044-03-15 12:00:00 BC",
        "1999-12-31 23:59:59.999999", "2026-01-01 00:00:00"};
    private static final String[] BYTEAS = {"\\x", "\\x00", "\\x0001", "\\x01", "\\x7f", "\\x80", "\\xff", "\\xdeadbeef",
        "\\x00ff"};
    private static final String[] INTERVALS = {"1 day", "24 hours", "1 mon", "30 days", "-1 day", "1 year 2 mons",
        "00:00:01.5"};

    private DifferentialRows() {
    }

    /** Every statement that creates and fills the tables, the same for the proxy and the oracle. */
    static List<String> load() {
        List<String> sql = new ArrayList<>(List.of(CREATE_ITEMS, CREATE_GROUPS, CREATE_TYPES, INSERT_GROUPS));
        sql.addAll(itemInserts(new Random(20261101)));
        sql.addAll(typeInserts(new Random(20261122)));
        return sql;
    }

    /** INSERTs of the rows, 50 to a statement, so the proxy splits each across the shards. */
    private static List<String> itemInserts(Random random) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < ITEM_ROWS; i++) {
            rows.add(row(FIRST_ITEM_ID + i,
                    orNull(random, 10, random.nextInt(8)),
                    orNull(random, 10, quote(NAMES[random.nextInt(NAMES.length)])),
                    orNull(random, 15, random.nextInt(4) == 0
                            ? List.of("0.00", "9.99", "-1.50").get(random.nextInt(3))
                            : (random.nextInt(55_001) - 5_000) / 100.0),
                    orNull(random, 10, random.nextInt(121) - 20),
                    orNull(random, 10, random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1000)),
                    orNull(random, 10, random.nextInt(5) == 0 ? "0.1" : Double.toString(random.nextGaussian() * 1e3)),
                    orNull(random, 10, quote(String.format("2026-%02d-%02d %02d:%02d:%02d",
                            1 + random.nextInt(3), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(2) * 30, 0))),
                    orNull(random, 20, random.nextBoolean()),
                    orNull(random, 10, AMOUNTS[random.nextInt(AMOUNTS.length)]),
                    orNull(random, 10, quote(String.format("2026-03-%02d %02d:%02d:00%+03d",
                            1 + random.nextInt(28), random.nextInt(24), random.nextInt(4) * 15, random.nextInt(25) - 12)))));
        }
        return inserts(ITEMS + " (id, grp, name, price, qty, big, score, created, flag, amount, seen)", rows);
    }

    private static List<String> typeInserts(Random random) {
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            uuids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        }
        // the extremes of uuid order, to catch a signed comparison
        uuids.add("00000000-0000-0000-0000-000000000000");
        uuids.add("ffffffff-ffff-ffff-ffff-ffffffffffff");
        uuids.add("7fffffff-ffff-ffff-8000-000000000000");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < TYPE_ROWS; i++) {
            int id = FIRST_TYPE_ID + i;
            int bucket = Math.abs(id % 4);
            boolean solo = bucket == 1 && random.nextInt(6) == 0;
            boolean empty = !solo && random.nextInt(30) == 0;
            String cat = solo ? "'solo'" : empty ? "'void'" : orNull(random, 8, quote(CATS[random.nextInt(CATS.length)]));
            if (empty) {
                rows.add(row(id, cat, "null", "null", "null", "null", "null", "null", "null", "null", "null", "null",
                        "null", "null", "null", "null"));
                continue;
            }
            rows.add(row(id, cat,
                    orNull(random, 10, random.nextInt(11) - 5),
                    orNull(random, 10, random.nextInt(2001) - 1000),
                    orNull(random, 10, random.nextInt(4) == 0
                            ? (random.nextBoolean() ? 1 : -1) * (Long.MAX_VALUE - random.nextInt(1000))
                            : random.nextInt(100_000) - 50_000),
                    orNull(random, 10, NUMERICS[random.nextInt(NUMERICS.length)]),
                    orNull(random, 10, random.nextInt(12) == 0
                            ? quote(FLOAT_SPECIALS[random.nextInt(FLOAT_SPECIALS.length)])
                            : Double.toString((random.nextInt(801) - 400) / 4.0)),
                    orNull(random, 10, random.nextInt(12) == 0
                            ? quote(FLOAT_SPECIALS[random.nextInt(FLOAT_SPECIALS.length)])
                            : Double.toString((random.nextInt(80_001) - 40_000) / 8.0)),
                    orNull(random, 15, random.nextBoolean()),
                    orNull(random, 10, quote(random.nextInt(15) == 0 ? DATES[random.nextInt(DATES.length)]
                            : String.format("2026-%02d-%02d", 1 + random.nextInt(3), 1 + random.nextInt(28)))),
                    orNull(random, 10, quote(random.nextInt(15) == 0 ? TIMESTAMPS[random.nextInt(TIMESTAMPS.length)]
                            : String.format("2026-%02d-%02d %02d:%02d:%02d.%06d", 1 + random.nextInt(2),
                                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(4) * 15, random.nextInt(2) * 30,
                                    random.nextInt(3) == 0 ? random.nextInt(1_000_000) : 0))),
                    orNull(random, 10, quote(String.format("2026-02-%02d %02d:%02d:00%+03d", 1 + random.nextInt(5),
                            random.nextInt(24), random.nextInt(2) * 30, random.nextInt(27) - 12))),
                    orNull(random, 10, quote(uuids.get(random.nextInt(uuids.size())))),
                    orNull(random, 10, quote(BYTEAS[random.nextInt(BYTEAS.length)])),
                    orNull(random, 8, quote(TEXTS[random.nextInt(TEXTS.length)])),
                    orNull(random, 10, quote(INTERVALS[random.nextInt(INTERVALS.length)]))));
        }
        return inserts(TYPES + " (id, cat, i2, i4, i8, n, f4, f8, b, d, ts, tz, u, bin, t, iv)", rows);
    }

    private static String row(Object... values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(')').toString();
    }

    private static List<String> inserts(String target, List<String> rows) {
        List<String> inserts = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += 50) {
            inserts.add("insert into " + target + " values " + String.join(", ", rows.subList(from, Math.min(rows.size(), from + 50))));
        }
        return inserts;
    }

    private static String orNull(Random random, int nullPercent, Object value) {
        return random.nextInt(100) < nullPercent ? "null" : value.toString();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
