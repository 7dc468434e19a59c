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
 * 27th is a Sunday. Lid 3: days equated with them by a Koninklijk Besluit
 * (bridge days, set for three years at a time), listed below with the
 * Besluit that sets them; the years no Besluit was found for (2015-2016,
 * 2020-2022) and those not yet set (2029 on) have none here.
 */
#include "nl.h"

/* Art. 3 lid 3 Atw: the days each Besluit gelijkstelling equates with an
 * algemeen erkende feestdag, in date order.
 *   2017-2019: Besluit van 24 oktober 2016, nr. 2016001827 (Stcrt.
 *     2016, 58653; wetten.overheid.nl BWBR0038666, art. 1).
 *   2023-2025: "Besluit gelijkstelling van 28 april 2023, 19 mei 2023,
 *     10 mei 2024, 27 december 2024 en 30 mei 2025 met een algemeen
 *     erkende feestdag", by its title as given by sterfgeval.nl (question
 *     70745, 4 October 2025); 30 May 2025 also nvmserviceoffice.nl.
 *   2026-2028: "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026,
 *     7 mei 2027, 28 april 2028 en 26 mei 2028 met een algemeen erkende
 *     feestdag", by its title, the same source. */
#define EQUATED(period)                                                                            \
    "met een feestdag gelijkgestelde dag (art. 3 lid 3 Atw, Besluit gelijkstelling " period ")"
static const char equated_2017[] = EQUATED("2017-2019");
static const char equated_2023[] = EQUATED("2023-2025");
static const char equated_2026[] = EQUATED("2026-2028");

static const bpc_holiday equated_days[] = {
    {{2017, 4, 28}, equated_2017, 0},  {{2017, 5, 26}, equated_2017, 0},
    {{2018, 5, 11}, equated_2017, 0},  {{2018, 12, 24}, equated_2017, 0},
    {{2018, 12, 31}, equated_2017, 0}, {{2019, 5, 31}, equated_2017, 0},
    {{2019, 12, 27}, equated_2017, 0}, {{2023, 4, 28}, equated_2023, 0},
    {{2023, 5, 19}, equated_2023, 0},  {{2024, 5, 10}, equated_2023, 0},
    {{2024, 12, 27}, equated_2023, 0}, {{2025, 5, 30}, equated_2023, 0},
    {{2026, 1, 2}, equated_2026, 0},   {{2026, 5, 15}, equated_2026, 0},
    {{2027, 5, 7}, equated_2026, 0},   {{2028, 4, 28}, equated_2026, 0},
    {{2028, 5, 26}, equated_2026, 0},
};

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

/* Inserts the year's equated days among its holidays (from index first),
 * keeping the calendar in date order. */
static void add_equated_days(nl_state *st, size_t first, size_t *n, int32_t y)
{
    for (size_t k = 0; k < sizeof equated_days / sizeof equated_days[0]; k++) {
        if (equated_days[k].date.year != y || *n >= NL_CAL_MAX)
            continue;
        size_t at = *n;
        while (at > first && baton_date_cmp(st->days[at - 1].date, equated_days[k].date) > 0) {
            st->days[at] = st->days[at - 1];
            at--;
        }
        st->days[at] = equated_days[k];
        (*n)++;
    }
}

void nl_calendar_build(nl_state *st)
{
    size_t n = 0;
    for (int32_t y = NL_CAL_FIRST; y <= NL_CAL_LAST; y++) {
        size_t first = n;
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
        add_equated_days(st, first, &n, y);
    }
    st->atw = (bpc_court_calendar){
        .name = "nl_atw_holidays",
        .version = "Atw art. 3 (computed); art. 3 lid 3 days 2017-2019, 2023-2028",
        .source = "Algemene termijnenwet art. 1, 3; Easter by the Gregorian computus; Besluiten "
                  "gelijkstelling met een algemeen erkende feestdag (2017-2019: BWBR0038666; "
                  "2023-2025; 2026-2028)",
        .first_year = NL_CAL_FIRST,
        .last_year = NL_CAL_LAST,
        .weekend_closed = 1,
        .days = st->days,
        .n = n,
    };
}
