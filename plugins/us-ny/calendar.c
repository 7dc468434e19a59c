/*
 * calendar.c - the two court calendars of us-ny, built from their rules at
 * init for USNY_CAL_FIRST..USNY_CAL_LAST:
 *
 *   - New York public holidays, General Construction Law § 24: New Year's
 *     Day, Martin Luther King Jr. Day (3rd Monday of January), Lincoln's
 *     Birthday (12 February), Washington's Birthday (3rd Monday of
 *     February), Memorial Day (last Monday of May), Flag Day (2nd Sunday of
 *     June), Juneteenth (19 June, ch. 249 of 2020), Independence Day, Labor
 *     Day (1st Monday of September), Columbus Day (2nd Monday of October),
 *     Veterans' Day (11 November), Thanksgiving (4th Thursday of November),
 *     Christmas; "if any of such days except Flag day is Sunday, the next
 *     day thereafter"; each general election day (the Tuesday after the
 *     first Monday of November). Days proclaimed by the President or the
 *     Governor are not known in advance and not included. GCL § 25-a moves
 *     a period ending on a Saturday, Sunday or public holiday to the next
 *     business day (it applies to CPLR limitation periods).
 *   - Federal holidays, 5 U.S.C. 6103(a), observed on the Friday before a
 *     Saturday and the Monday after a Sunday (6103(b), E.O. 11582), for the
 *     Regulation F five-day receipt rule (12 CFR 1006.34(b)(5)).
 *
 * Owns: building those tables. Does not own: moving deadlines (the common
 * court_calendar.c does, under the rule the caller names).
 */
#include <stdlib.h>
#include <string.h>

#include "us_ny.h"

/* The n-th weekday wd (1 = Monday) of month m; n = -1: the last. */
static baton_date nth_weekday(int32_t y, int32_t m, int wd, int n)
{
    baton_date d = {y, m, 1};
    if (n < 0) {
        d.day = baton_days_in_month(y, m);
        while (baton_date_weekday(d) != wd)
            d.day--;
        return d;
    }
    while (baton_date_weekday(d) != wd)
        d.day++;
    d.day += (n - 1) * 7;
    return d;
}

static void add(bpc_holiday *days, size_t *n, baton_date d, const char *name)
{
    if (*n < USNY_CAL_MAX) {
        days[*n].date = d;
        days[*n].name = name;
        days[*n].regions = 0;
        (*n)++;
    }
}

/* Fixed-date holiday as New York keeps it: a Sunday moves to Monday. */
static void ny_fixed(bpc_holiday *days, size_t *n, baton_date d, const char *name)
{
    if (baton_date_weekday(d) == 7)
        d = baton_date_add_days(d, 1);
    add(days, n, d, name);
}

/* Fixed-date federal holiday: Saturday -> Friday, Sunday -> Monday. */
static void us_fixed(bpc_holiday *days, size_t *n, baton_date d, const char *name)
{
    int wd = baton_date_weekday(d);
    if (wd == 6)
        d = baton_date_add_days(d, -1);
    else if (wd == 7)
        d = baton_date_add_days(d, 1);
    add(days, n, d, name);
}

static int by_date(const void *a, const void *b)
{
    return baton_date_cmp(((const bpc_holiday *)a)->date, ((const bpc_holiday *)b)->date);
}

void usny_calendars_build(usny_state *st)
{
    size_t nn = 0, nu = 0;
    for (int32_t y = USNY_CAL_FIRST; y <= USNY_CAL_LAST; y++) {
        baton_date nov_first_monday = nth_weekday(y, 11, 1, 1);
        ny_fixed(st->ny_days, &nn, (baton_date){y, 1, 1}, "New Year's Day");
        add(st->ny_days, &nn, nth_weekday(y, 1, 1, 3), "Martin Luther King Jr. Day");
        ny_fixed(st->ny_days, &nn, (baton_date){y, 2, 12}, "Lincoln's Birthday");
        add(st->ny_days, &nn, nth_weekday(y, 2, 1, 3), "Washington's Birthday");
        add(st->ny_days, &nn, nth_weekday(y, 5, 1, -1), "Memorial Day");
        add(st->ny_days, &nn, nth_weekday(y, 6, 7, 2), "Flag Day");
        ny_fixed(st->ny_days, &nn, (baton_date){y, 6, 19}, "Juneteenth");
        ny_fixed(st->ny_days, &nn, (baton_date){y, 7, 4}, "Independence Day");
        add(st->ny_days, &nn, nth_weekday(y, 9, 1, 1), "Labor Day");
        add(st->ny_days, &nn, nth_weekday(y, 10, 1, 2), "Columbus Day");
        add(st->ny_days, &nn, baton_date_add_days(nov_first_monday, 1), "General Election Day");
        ny_fixed(st->ny_days, &nn, (baton_date){y, 11, 11}, "Veterans' Day");
        add(st->ny_days, &nn, nth_weekday(y, 11, 4, 4), "Thanksgiving Day");
        ny_fixed(st->ny_days, &nn, (baton_date){y, 12, 25}, "Christmas Day");

        us_fixed(st->us_days, &nu, (baton_date){y, 1, 1}, "New Year's Day");
        add(st->us_days, &nu, nth_weekday(y, 1, 1, 3), "Birthday of Martin Luther King, Jr.");
        add(st->us_days, &nu, nth_weekday(y, 2, 1, 3), "Washington's Birthday");
        add(st->us_days, &nu, nth_weekday(y, 5, 1, -1), "Memorial Day");
        us_fixed(st->us_days, &nu, (baton_date){y, 6, 19}, "Juneteenth National Independence Day");
        us_fixed(st->us_days, &nu, (baton_date){y, 7, 4}, "Independence Day");
        add(st->us_days, &nu, nth_weekday(y, 9, 1, 1), "Labor Day");
        add(st->us_days, &nu, nth_weekday(y, 10, 1, 2), "Columbus Day");
        us_fixed(st->us_days, &nu, (baton_date){y, 11, 11}, "Veterans Day");
        add(st->us_days, &nu, nth_weekday(y, 11, 4, 4), "Thanksgiving Day");
        us_fixed(st->us_days, &nu, (baton_date){y, 12, 25}, "Christmas Day");
    }
    /* New Year's Day of the year after may be observed on 31 December
     * (federal): sorting keeps the table ascending either way. */
    qsort(st->ny_days, nn, sizeof st->ny_days[0], by_date);
    qsort(st->us_days, nu, sizeof st->us_days[0], by_date);

    st->ny = (bpc_court_calendar){
        .name = "us_ny_public_holidays",
        .version = "GCL 24 (ch. 249 of 2020)",
        .source = "N.Y. General Construction Law § 24, § 25-a",
        .first_year = USNY_CAL_FIRST,
        .last_year = USNY_CAL_LAST,
        .weekend_closed = 1,
        .days = st->ny_days,
        .n = nn,
    };
    st->us = (bpc_court_calendar){
        .name = "us_federal_holidays",
        .version = "5 USC 6103 (2021)",
        .source = "5 U.S.C. 6103(a), (b); OPM federal holidays",
        .first_year = USNY_CAL_FIRST,
        .last_year = USNY_CAL_LAST,
        .weekend_closed = 1,
        .days = st->us_days,
        .n = nu,
    };
}

int usny_add_federal_business_days(const usny_state *st, baton_date from, int n, baton_date *out)
{
    baton_date d = from;
    int counted = 0;
    while (counted < n) {
        int beyond = 0;
        d = baton_date_add_days(d, 1);
        int closed = bpc_calendar_closed(&st->us, d, 0, NULL, &beyond);
        if (beyond)
            return BATON_ERANGE;
        if (!closed)
            counted++;
    }
    *out = d;
    return 0;
}
