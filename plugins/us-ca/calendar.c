/*
 * calendar.c - business days for Regulation F: the legal public holidays of
 * 5 U.S.C. 6103(a), as observed, for the years the plugin supports.
 *
 * Owns: the holiday table and the validation-period arithmetic of
 * 12 CFR 1006.34(b)(5). Does not own: court-day rules of California courts
 * (CCP 12, 12a, 135), which the plugin does not apply (see claim.c).
 *
 * The table lists each holiday on the day federal offices observe it: a
 * holiday falling on a Saturday is observed the Friday before, one on a
 * Sunday the Monday after (5 U.S.C. 6103(b); Executive Order 11582). It was
 * written out from the dates and weekday rules of 6103(a) and checked
 * against the U.S. Office of Personnel Management's federal holiday lists
 * (for example 2021-12-31 for New Year's Day 2022, 2022-12-26 for
 * Christmas 2022, 2023-11-10 for Veterans Day 2023). The
 * holiday's own date, when it falls on a weekend, is excluded anyway as a
 * Saturday or Sunday, so both days are skipped: the assumed receipt date
 * can only move later, which gives the consumer at least the time the rule
 * requires. Inauguration Day (5 U.S.C. 6103(c), Washington DC area only)
 * and one-off closures by executive order are not legal public holidays
 * under 6103(a) and are not in the table.
 */
#include "us_ca.h"

/* Covered: 2021-01-01 .. 2030-12-31. Juneteenth from 2021 (Pub. L. 117-17). */
static const baton_date holidays[] = {
    {2021, 1, 1},   {2021, 1, 18},  {2021, 2, 15},  {2021, 5, 31},  {2021, 6, 18},
    {2021, 7, 5},   {2021, 9, 6},   {2021, 10, 11}, {2021, 11, 11}, {2021, 11, 25},
    {2021, 12, 24}, {2021, 12, 31}, /* New Year's Day 2022 (a Saturday) */
    {2022, 1, 17},  {2022, 2, 21},  {2022, 5, 30},  {2022, 6, 20},  {2022, 7, 4},
    {2022, 9, 5},   {2022, 10, 10}, {2022, 11, 11}, {2022, 11, 24}, {2022, 12, 26},
    {2023, 1, 2},   {2023, 1, 16},  {2023, 2, 20},  {2023, 5, 29},  {2023, 6, 19},
    {2023, 7, 4},   {2023, 9, 4},   {2023, 10, 9},  {2023, 11, 10}, {2023, 11, 23},
    {2023, 12, 25}, {2024, 1, 1},   {2024, 1, 15},  {2024, 2, 19},  {2024, 5, 27},
    {2024, 6, 19},  {2024, 7, 4},   {2024, 9, 2},   {2024, 10, 14}, {2024, 11, 11},
    {2024, 11, 28}, {2024, 12, 25}, {2025, 1, 1},   {2025, 1, 20},  {2025, 2, 17},
    {2025, 5, 26},  {2025, 6, 19},  {2025, 7, 4},   {2025, 9, 1},   {2025, 10, 13},
    {2025, 11, 11}, {2025, 11, 27}, {2025, 12, 25}, {2026, 1, 1},   {2026, 1, 19},
    {2026, 2, 16},  {2026, 5, 25},  {2026, 6, 19},  {2026, 7, 3},   {2026, 9, 7},
    {2026, 10, 12}, {2026, 11, 11}, {2026, 11, 26}, {2026, 12, 25}, {2027, 1, 1},
    {2027, 1, 18},  {2027, 2, 15},  {2027, 5, 31},  {2027, 6, 18},  {2027, 7, 5},
    {2027, 9, 6},   {2027, 10, 11}, {2027, 11, 11}, {2027, 11, 25}, {2027, 12, 24},
    {2027, 12, 31}, /* New Year's Day 2028 (a Saturday) */
    {2028, 1, 17},  {2028, 2, 21},  {2028, 5, 29},  {2028, 6, 19},  {2028, 7, 4},
    {2028, 9, 4},   {2028, 10, 9},  {2028, 11, 10}, {2028, 11, 23}, {2028, 12, 25},
    {2029, 1, 1},   {2029, 1, 15},  {2029, 2, 19},  {2029, 5, 28},  {2029, 6, 19},
    {2029, 7, 4},   {2029, 9, 3},   {2029, 10, 8},  {2029, 11, 12}, {2029, 11, 22},
    {2029, 12, 25}, {2030, 1, 1},   {2030, 1, 21},  {2030, 2, 18},  {2030, 5, 27},
    {2030, 6, 19},  {2030, 7, 4},   {2030, 9, 2},   {2030, 10, 14}, {2030, 11, 11},
    {2030, 11, 28}, {2030, 12, 25},
};

static const baton_date covered_first = {2021, 1, 1};
static const baton_date covered_last = {2030, 12, 31};

int usca_federal_holiday(baton_date d)
{
    if (baton_date_cmp(d, covered_first) < 0 || baton_date_cmp(d, covered_last) > 0)
        return BATON_ERANGE;
    for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
        if (baton_date_cmp(holidays[i], d) == 0)
            return 1;
    return 0;
}

int usca_add_business_days(baton_date from, int n, baton_date *out)
{
    baton_date d = from;
    while (n > 0) {
        d = baton_date_add_days(d, 1);
        int h = usca_federal_holiday(d);
        if (h < 0)
            return h;
        if (baton_date_weekday(d) >= 6 || h == 1)
            continue;
        n--;
    }
    *out = d;
    return 0;
}

int usca_validation_period_end(baton_date sent, baton_date *receipt, baton_date *end)
{
    /* 12 CFR 1006.34(b)(5): the collector may assume receipt on any date at
     * least five days (excluding 6103(a) holidays, Saturdays and Sundays)
     * after it provides the notice; the period ends 30 days after receipt. */
    baton_date r;
    int rc = usca_add_business_days(sent, 5, &r);
    if (rc < 0)
        return rc;
    *receipt = r;
    *end = baton_date_add_days(r, 30);
    return 0;
}
