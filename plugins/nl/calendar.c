/*
 * calendar.c - the Algemene termijnenwet: which days are closed and how a
 * statutory period that ends on one is extended.
 *
 * Owns: the algemeen erkende feestdagen of art. 3 Atw, computed for any
 * year (Easter by the Gregorian computus), and art. 1 lid 1 Atw. Does not
 * own: which periods the Atw applies to (claim.c decides: art. 4 Atw
 * excludes periods longer than three months, so limitation periods are
 * never moved).
 *
 * Art. 3 lid 1 Atw: Nieuwjaarsdag, de Christelijke tweede Paas- en
 * Pinksterdag, de beide Kerstdagen, de Hemelvaartsdag, de dag waarop de
 * verjaardag van de Koning wordt gevierd en de vijfde mei; lid 2: Goede
 * Vrijdag is gelijkgesteld. Koningsdag is 27 April, or 26 April when the
 * 27th is a Sunday. Days equated by a Koninklijk Besluit under art. 3 lid 3
 * (bridge days, set every three years) are not in this list.
 */
#include "nl.h"

baton_date nl_easter(int32_t y)
{
    /* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    int32_t a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int32_t f = (b + 8) / 25, g = (b - f + 1) / 3;
    int32_t h = (19 * a + b - d - g + 15) % 30;
    int32_t i = c / 4, k = c % 4;
    int32_t l = (32 + 2 * e + 2 * i - h - k) % 7;
    int32_t m = (a + 11 * h + 22 * l) / 451;
    baton_date out = {y, (h + l - 7 * m + 114) / 31, ((h + l - 7 * m + 114) % 31) + 1};
    return out;
}

static int same(baton_date a, baton_date b)
{
    return baton_date_cmp(a, b) == 0;
}

int nl_closed_day(baton_date d, const char **name)
{
    int wd = baton_date_weekday(d);
    baton_date easter = nl_easter(d.year);
    baton_date kings = {d.year, 4, 27};

    if (name != NULL)
        *name = NULL;
    if (baton_date_weekday(kings) == 7)
        kings.day = 26;

    struct {
        baton_date day;
        const char *name;
    } holidays[] = {
        {{d.year, 1, 1}, "Nieuwjaarsdag"},
        {baton_date_add_days(easter, -2), "Goede Vrijdag"},
        {baton_date_add_days(easter, 1), "Tweede Paasdag"},
        {kings, "Koningsdag"},
        {{d.year, 5, 5}, "Bevrijdingsdag"},
        {baton_date_add_days(easter, 39), "Hemelvaartsdag"},
        {baton_date_add_days(easter, 50), "Tweede Pinksterdag"},
        {{d.year, 12, 25}, "Eerste Kerstdag"},
        {{d.year, 12, 26}, "Tweede Kerstdag"},
    };
    for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
        if (same(holidays[i].day, d)) {
            if (name != NULL)
                *name = holidays[i].name;
            return 1;
        }
    if (wd == 6) {
        if (name != NULL)
            *name = "zaterdag";
        return 1;
    }
    if (wd == 7) {
        if (name != NULL)
            *name = "zondag";
        return 1;
    }
    return 0;
}

baton_date nl_atw_extend(baton_date end, int *moved, const char **why)
{
    const char *name = NULL;
    *moved = 0;
    *why = NULL;
    /* At most a long weekend plus two holidays: the loop is bounded. */
    for (int i = 0; i < 10 && nl_closed_day(end, &name); i++) {
        if (!*moved)
            *why = name;
        *moved = 1;
        end = baton_date_add_days(end, 1);
    }
    return end;
}
