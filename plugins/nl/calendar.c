/*
 * calendar.c - the Algemene termijnenwet: which days are closed and how a
 * statutory period that ends on one is extended.
 *
 * Owns: the algemeen erkende feestdagen of art. 3 Atw, computed from their
 * rules (Easter by the Gregorian computus) into a court calendar for
 * NL_CAL_FIRST..NL_CAL_LAST at init. Does not
 * own: moving deadlines (plugins/common/court_calendar.c does, under the
 * rule named by NL_ATW_RULE) or which periods the Atw applies to (claim.c
 * decides: art. 4 Atw excludes periods longer than three months, so
 * limitation periods are never moved).
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

static void add(nl_state *st, size_t *n, baton_date d, const char *name)
{
    if (*n < NL_CAL_MAX) {
        st->days[*n].date = d;
        st->days[*n].name = name;
        st->days[*n].regions = 0;
        (*n)++;
    }
}

void nl_calendar_build(nl_state *st)
{
    size_t n = 0;
    for (int32_t y = NL_CAL_FIRST; y <= NL_CAL_LAST; y++) {
        baton_date easter = nl_easter(y);
        baton_date kings = {y, 4, 27};
        if (baton_date_weekday(kings) == 7)
            kings.day = 26;
        /* in date order: 5 May can fall before or after Ascension Day */
        add(st, &n, (baton_date){y, 1, 1}, "Nieuwjaarsdag");
        add(st, &n, baton_date_add_days(easter, -2), "Goede Vrijdag");
        add(st, &n, baton_date_add_days(easter, 1), "Tweede Paasdag");
        add(st, &n, kings, "Koningsdag");
        baton_date liberation = {y, 5, 5}, ascension = baton_date_add_days(easter, 39);
        if (baton_date_cmp(ascension, liberation) < 0) {
            add(st, &n, ascension, "Hemelvaartsdag");
            add(st, &n, liberation, "Bevrijdingsdag");
        } else if (baton_date_cmp(ascension, liberation) == 0) {
            add(st, &n, liberation, "Bevrijdingsdag en Hemelvaartsdag");
        } else {
            add(st, &n, liberation, "Bevrijdingsdag");
            add(st, &n, ascension, "Hemelvaartsdag");
        }
        add(st, &n, baton_date_add_days(easter, 50), "Tweede Pinksterdag");
        add(st, &n, (baton_date){y, 12, 25}, "Eerste Kerstdag");
        add(st, &n, (baton_date){y, 12, 26}, "Tweede Kerstdag");
    }
    st->atw = (bpc_court_calendar){
        .name = "nl_atw_holidays",
        .version = "Atw art. 3 (computed)",
        .source = "Algemene termijnenwet art. 1, 3; Easter by the Gregorian computus",
        .first_year = NL_CAL_FIRST,
        .last_year = NL_CAL_LAST,
        .weekend_closed = 1,
        .days = st->days,
        .n = n,
    };
}
