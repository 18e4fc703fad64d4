package io.shardproxy.server.types;

import io.shardproxy.merge.value.PgDateTime;

/**
 * The proleptic Gregorian calendar as PostgreSQL counts it: days from 2000-01-01 (its epoch),
 * astronomical years (1 BC is year 0, printed "0001 ... BC"), and the ranges its date and
 * timestamp types accept. Conversions are H. Hinnant's days_from_civil and civil_from_days, exact
 * for any long day count PostgreSQL can produce.
 */
final class Civil {
    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    /** Seconds from 1970-01-01 to 2000-01-01. */
    static final long EPOCH_2000_SECONDS = 946_684_800L;
    /** Julian day 0, 4714-11-24 BC: the first valid date. */
    static final long DATE_MIN = -2_451_545L;
    /** 5874898-01-01, the first date past the range (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE). */
    static final long DATE_END = 2_147_483_494L - 2_451_545L;
    /** MIN_TIMESTAMP: 4714-11-24 00:00:00 BC. */
    static final long TIMESTAMP_MIN = -211_813_488_000_000_000L;
    /** END_TIMESTAMP: 294277-01-01 00:00:00, the first instant past the range. */
    static final long TIMESTAMP_END = 9_223_371_331_200_000_000L;
    /** DATEVAL_NOBEGIN, DATEVAL_NOEND, DT_NOBEGIN, DT_NOEND: -infinity and infinity. */
    static final int DATE_NEG_INFINITY = Integer.MIN_VALUE;
    static final int DATE_INFINITY = Integer.MAX_VALUE;
    static final long TIMESTAMP_NEG_INFINITY = Long.MIN_VALUE;
    static final long TIMESTAMP_INFINITY = Long.MAX_VALUE;

    private Civil() {
    }

    /** Days from 2000-01-01 to an astronomical year, month and day. */
    static long days(long year, int month, int day) {
        return PgDateTime.daysFromCivil(year, month, day);
    }

    /** {astronomical year, month, day} of a day count from 2000-01-01. */
    static long[] civil(long days) {
        long z = days + 719_468 + 10_957;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return new long[] {year, month, day};
    }

    static int daysInMonth(long year, int month) {
        switch (month) {
            case 2:
                boolean leap = Math.floorMod(year, 4) == 0 && (Math.floorMod(year, 100) != 0 || Math.floorMod(year, 400) == 0);
                return leap ? 29 : 28;
            case 4: case 6: case 9: case 11:
                return 30;
            default:
                return 31;
        }
    }
}
