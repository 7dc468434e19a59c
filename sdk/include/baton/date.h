/*
 * baton/date.h - civil dates for plugins and host (header-only).
 *
 * A baton_date is a proleptic Gregorian calendar date with no time zone.
 * Day arithmetic goes through a day number counted from 1970-01-01 (day 0),
 * computed with the era-based conversion: the year is shifted to start in
 * March so the leap day falls at the end, then split into 400-year eras of
 * 146097 days. Everything here is pure integer arithmetic and inline, so it
 * adds nothing to the plugin ABI.
 */
#ifndef BATON_DATE_H
#define BATON_DATE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct baton_date {
    int32_t year;  /* 1..9999 */
    int32_t month; /* 1..12 */
    int32_t day;   /* 1..31 */
} baton_date;

static inline int baton_is_leap_year(int32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int32_t baton_days_in_month(int32_t y, int32_t m)
{
    static const int8_t len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return len[m - 1] + (m == 2 && baton_is_leap_year(y));
}

/* 1 when d names a real date between 0001-01-01 and 9999-12-31. */
static inline int baton_date_valid(baton_date d)
{
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= baton_days_in_month(d.year, d.month);
}

/* Day number of d, 1970-01-01 being 0. d must be valid. */
static inline int64_t baton_date_to_days(baton_date d)
{
    int64_t y = d.year - (d.month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                         /* [0, 399] */
    int64_t mp = (d.month + 9) % 12;                     /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d.day - 1;        /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* The date of day number n (1970-01-01 being 0). */
static inline baton_date baton_days_to_date(int64_t n)
{
    n += 719468;
    int64_t era = (n >= 0 ? n : n - 146096) / 146097;
    int64_t doe = n - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    baton_date d;
    d.day = (int32_t)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int32_t)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int32_t)(yoe + era * 400 + (d.month <= 2));
    return d;
}

static inline baton_date baton_date_add_days(baton_date d, int64_t days)
{
    return baton_days_to_date(baton_date_to_days(d) + days);
}

/* b - a in days. */
static inline int64_t baton_date_diff(baton_date a, baton_date b)
{
    return baton_date_to_days(b) - baton_date_to_days(a);
}

/* <0, 0, >0 as a is before, equal to, after b. */
static inline int baton_date_cmp(baton_date a, baton_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    return (a.day > b.day) - (a.day < b.day);
}

/*
 * d plus the given number of calendar months; a day past the end of the
 * target month is clamped to its last day (31 Jan + 1 month = 28/29 Feb).
 */
static inline baton_date baton_date_add_months(baton_date d, int32_t months)
{
    int64_t m0 = (int64_t)d.year * 12 + (d.month - 1) + months;
    baton_date r;
    r.year = (int32_t)(m0 / 12);
    r.month = (int32_t)(m0 % 12) + 1;
    int32_t last = baton_days_in_month(r.year, r.month);
    r.day = d.day > last ? last : d.day;
    return r;
}

static inline baton_date baton_date_add_years(baton_date d, int32_t years)
{
    return baton_date_add_months(d, years * 12);
}

/* ISO weekday: 1 = Monday .. 7 = Sunday. */
static inline int baton_date_weekday(baton_date d)
{
    int64_t n = baton_date_to_days(d); /* 1970-01-01 was a Thursday (4) */
    int64_t w = (n + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

#ifdef __cplusplus
}
#endif

#endif
