/*
 * tables.c - the Dutch figures the plugin applies, each with its source and
 * the date it took effect. All amounts are euro cents.
 *
 * Owns: the staffel of the Besluit vergoeding voor buitengerechtelijke
 * incassokosten, the half-yearly statutory interest tables (art. 6:119 and
 * 6:119a BW) and the griffierecht table (Wet griffierechten burgerlijke
 * zaken, bijlage). Does not own: how they are applied (claim.c, fees.c).
 *
 * Sources (read 2026-12-05; docs/plugins/nl.md lists the addresses):
 *   Besluit vergoeding voor buitengerechtelijke incassokosten, Stb. 2012,
 *     141, art. 2 (in force 2012-07-01, unchanged since)
 *   art. 6:119 BW rates: Besluit vaststelling wettelijke rente (4 % from
 *     2023-01-01); published announcements for the later half-years
 *   art. 6:119a BW rates: the ECB main refinancing rate on the last day
 *     before 1 January / 1 July plus 8 points (art. 6:120 lid 2 BW)
 *   griffierecht: the 2024 and 2026 kanton and civiel tables; the 2025
 *     table is not shipped (see the griffierecht section below)
 */
#include "nl.h"

#define EUR(e) ((int64_t)(e)*100)

/* ---- interest tables ---- */

/* Art. 6:119 BW, set half-yearly by AMvB (art. 6:120 lid 1 BW). */
static const bpc_dated_value statutory[] = {
    {{2015, 1, 1}, 200, NULL}, /* 2 % (verlaging per 1 januari 2015) */
    {{2023, 1, 1}, 400, NULL}, /* Besluit vaststelling wettelijke rente, art. 1: "vier procent" */
    {{2023, 7, 1}, 600, NULL}, /* 6 % */
    {{2024, 1, 1}, 700, NULL}, /* 7 % */
    {{2024, 7, 1}, 700, NULL}, /* 7 %, unchanged */
    {{2025, 1, 1}, 600, NULL}, /* 6 % (AMvB of 10 December 2024) */
    /* 6 %, unchanged: vanlaarhovenenpartners.nl, "Wettelijke rente bij niet
     * of te late betaling" (25 September 2025): "Sinds 1 juli 2025 ...
     * 10,15% voor handelstransacties ... niet-handelstransacties ... 6%".
     * Until plugin 1.2.0 this entry was 5 %, derived from the ECB rate, not
     * read; no published text found gives 5 %. */
    {{2025, 7, 1}, 600, NULL},
    /* 4 % (AMvB of 10 December 2025), as carried with its source by
     * github.com/Apartsalan/luxis (backend/alembic/versions/
     * 010_seed_interest_rates.py, checked against rijksoverheid.nl and
     * wieringa-advocaten.nl on 2026-02-18, docs/research/
     * INCASSO-VERIFICATIE.md). */
    {{2026, 1, 1}, 400, NULL},
    /* 4 %, unchanged: rijksoverheid.nl in July 2026 ("consumentenrente
     * blijft 4%"), quoted by the same repository (docs/sessions/
     * S230-werkorders.md). */
    {{2026, 7, 1}, 400, NULL},
};

const bpc_dated_table nl_statutory_rate = {
    .name = "nl_statutory_rate",
    .version = "nl-statutory-2026-07",
    .source = "art. 6:119, 6:120 lid 1 BW; Besluit vaststelling wettelijke rente",
    .horizon = {2026, 12, 31}, /* the half-year of the last entry */
    .values = statutory,
    .n = sizeof statutory / sizeof statutory[0],
};

/* Art. 6:119a BW: ECB main refinancing rate + 8 points (art. 6:120 lid 2). */
static const bpc_dated_value commercial[] = {
    {{2015, 1, 1}, 805, NULL},  /* 0.05 + 8 */
    {{2016, 7, 1}, 800, NULL},  /* 0.00 + 8 (ECB 0 % from 16 March 2016) */
    {{2023, 1, 1}, 1050, NULL}, /* 2.50 + 8 */
    {{2023, 7, 1}, 1200, NULL}, /* 4.00 + 8 */
    {{2024, 1, 1}, 1250, NULL}, /* 4.50 + 8 */
    {{2024, 7, 1}, 1225, NULL}, /* 4.25 + 8 */
    {{2025, 1, 1}, 1115, NULL}, /* 3.15 + 8 */
    {{2025, 7, 1}, 1015, NULL}, /* 2.15 + 8 */
    {{2026, 1, 1}, 1015, NULL}, /* 2.15 + 8, ECB rate unchanged since 11 June 2025 */
    /* 2.40 + 8: the ECB rate 2.40 % from 17 June 2026; rijksoverheid.nl
     * ("sinds 1 juli 2026 10,4%") as quoted by github.com/Apartsalan/luxis
     * (docs/sessions/S230-werkorders.md); the Bundesbank's Basiszinssatz
     * rose by the same 0.25 points on 1 July 2026 (docs/plugins/de.md). */
    {{2026, 7, 1}, 1040, NULL},
};

const bpc_dated_table nl_commercial_rate = {
    .name = "nl_commercial_rate",
    .version = "nl-commercial-2026-07",
    .source = "art. 6:119a, 6:120 lid 2 BW (ECB main refinancing rate + 8 points)",
    .horizon = {2026, 12, 31},
    .values = commercial,
    .n = sizeof commercial / sizeof commercial[0],
};

/* ---- buitengerechtelijke incassokosten ---- */

struct step {
    int64_t width; /* cents of hoofdsom in this step; 0 = the rest */
    int64_t bp;
};

/* Art. 2 lid 1 Besluit: 15 % of the first EUR 2,500, 10 % of the next
 * EUR 2,500, 5 % of the next EUR 5,000, 1 % of the next EUR 190,000,
 * 0.5 % of the rest, at most EUR 6,775; lid 2: at least EUR 40. */
static const struct step staffel_steps[] = {
    {EUR(2500), 1500}, {EUR(2500), 1000}, {EUR(5000), 500}, {EUR(190000), 100}, {0, 50},
};

int64_t nl_bik(int64_t hoofdsom, int64_t *staffel)
{
    /* The sum is kept in cent-basis-points (cents x 10000) and rounded
     * once, half-up to the cent. */
    baton_i128 acc = baton_i128_of(0);
    int64_t rest = hoofdsom < 0 ? 0 : hoofdsom;
    for (size_t i = 0; i < sizeof staffel_steps / sizeof staffel_steps[0] && rest > 0; i++) {
        int64_t part = rest;
        if (staffel_steps[i].width > 0 && part > staffel_steps[i].width)
            part = staffel_steps[i].width;
        acc = baton_i128_add(acc, baton_i128_mul(part, staffel_steps[i].bp));
        rest -= part;
    }
    int64_t raw;
    (void)baton_i128_div_half_up(acc, 10000, &raw);
    if (staffel != NULL)
        *staffel = raw;
    if (raw > EUR(6775))
        return EUR(6775);
    if (raw < EUR(40))
        return EUR(40);
    return raw;
}

/* ---- griffierecht ---- */

struct band {
    int64_t upto; /* inclusive upper bound of the claim value; -1 = no bound */
    const char *label;
    int64_t fee[3]; /* legal entity, natural person, unable to pay */
};

/* One year's table. A year whose amounts are not shipped has no bands and
 * says why in not_shipped. */
struct fee_table {
    const char *kanton_name;
    const char *civiel_name;
    const struct band *kanton;
    size_t nkanton;
    const struct band *civiel;
    size_t nciviel;
    const char *not_shipped;
};

/* Kantonrechter, zaken met een vordering van ... (2024). */
static const struct band kanton_2024[] = {
    {EUR(500), "niet meer dan EUR 500", {EUR(130), EUR(87), EUR(87)}},
    {EUR(1500), "meer dan EUR 500 en niet meer dan EUR 1.500", {EUR(328), EUR(218), EUR(87)}},
    {EUR(2500), "meer dan EUR 1.500 en niet meer dan EUR 2.500", {EUR(372), EUR(248), EUR(87)}},
    {EUR(5000), "meer dan EUR 2.500 en niet meer dan EUR 5.000", {EUR(496), EUR(248), EUR(87)}},
    {EUR(12500), "meer dan EUR 5.000 en niet meer dan EUR 12.500", {EUR(524), EUR(248), EUR(87)}},
    {-1, "meer dan EUR 12.500", {EUR(1409), EUR(706), EUR(87)}},
};

/* Rechtbank, sector civiel (2024). Above EUR 1,000,000 a natural person
 * pays the fee of the band below (bijlage Wgbz, note to that band). */
static const struct band civiel_2024[] = {
    {EUR(100000), "niet meer dan EUR 100.000", {EUR(2889), EUR(1325), EUR(87)}},
    {EUR(1000000),
     "meer dan EUR 100.000 en niet meer dan EUR 1.000.000",
     {EUR(6617), EUR(2626), EUR(87)}},
    {-1, "meer dan EUR 1.000.000", {EUR(9825), EUR(2626), EUR(87)}},
};

static const struct fee_table fees_2024 = {
    "Wgbz tabel kanton 2024",
    "Wgbz tabel rechtbank 2024",
    kanton_2024,
    sizeof kanton_2024 / sizeof kanton_2024[0],
    civiel_2024,
    sizeof civiel_2024 / sizeof civiel_2024[0],
    NULL,
};

/* 2025: the Regeling van 8 november 2024 (Stcrt. 2024, 38002) indexed the
 * table (its art. III indexes the Wgbz amounts by about 3.7 %, e.g. art. 17
 * EUR 768 -> 797), but no published or sourced text of the 2025 kanton and
 * civiel amounts was found (docs/plugins/nl.md lists what was searched).
 * The plugin does not compute indexed amounts itself. */
static const struct fee_table fees_2025_not_shipped = {
    "Wgbz tabel kanton 2025",
    "Wgbz tabel rechtbank 2025",
    NULL,
    0,
    NULL,
    0,
    "the 2025 table (Regeling van 8 november 2024, Stcrt. 2024, 38002) is not shipped: its "
    "amounts could not be read from a published source",
};

/* 2026: Regeling tot indexering, Stcrt. 2025, 39855 (+2.94 %, CPI July 2024
 * to July 2025), in force 1 January 2026. The amounts as carried, with that
 * source and rechtspraak.nl's griffierecht-kanton and griffierecht-civiel
 * pages, by github.com/Apartsalan/luxis, backend/app/collections/
 * griffierechten.py and backend/tests/test_griffierechten.py (commit
 * 7758f5d, 3 June 2026), and the same amounts in an independent one,
 * github.com/yddbz7khcq-web/proceskosten-calculator, data/tarieven-2026.json
 * ("Bronnen: Rechtspraak.nl (griffierecht civiel ...)", updated 2026-02-11).
 * Each amount is the 2024 amount raised by the published 2025 and 2026
 * indexations (about 3.7 % and 2.94 %) to within the rounding to whole
 * euros (docs/plugins/nl.md). */
static const struct band kanton_2026[] = {
    {EUR(500), "niet meer dan EUR 500", {EUR(139), EUR(93), EUR(93)}},
    {EUR(1500), "meer dan EUR 500 en niet meer dan EUR 1.500", {EUR(350), EUR(233), EUR(93)}},
    {EUR(2500), "meer dan EUR 1.500 en niet meer dan EUR 2.500", {EUR(397), EUR(265), EUR(93)}},
    {EUR(5000), "meer dan EUR 2.500 en niet meer dan EUR 5.000", {EUR(529), EUR(265), EUR(93)}},
    {EUR(12500), "meer dan EUR 5.000 en niet meer dan EUR 12.500", {EUR(559), EUR(265), EUR(93)}},
    {-1, "meer dan EUR 12.500", {EUR(1504), EUR(753), EUR(93)}},
};

static const struct band civiel_2026[] = {
    {EUR(100000), "niet meer dan EUR 100.000", {EUR(3083), EUR(1414), EUR(93)}},
    {EUR(1000000),
     "meer dan EUR 100.000 en niet meer dan EUR 1.000.000",
     {EUR(7062), EUR(2803), EUR(93)}},
    {-1, "meer dan EUR 1.000.000", {EUR(10487), EUR(2803), EUR(93)}},
};

static const struct fee_table fees_2026 = {
    "Wgbz tabel kanton 2026",
    "Wgbz tabel rechtbank 2026",
    kanton_2026,
    sizeof kanton_2026 / sizeof kanton_2026[0],
    civiel_2026,
    sizeof civiel_2026 / sizeof civiel_2026[0],
    NULL,
};

static const bpc_dated_value griffierecht_values[] = {
    {{2024, 1, 1}, 0, &fees_2024},
    {{2025, 1, 1}, 0, &fees_2025_not_shipped},
    {{2026, 1, 1}, 0, &fees_2026},
};

/* The fees are indexed every 1 January (art. 2 Wgbz): a table is complete
 * for its own year only. */
const bpc_dated_table nl_griffierecht = {
    .name = "nl_griffierecht",
    .version = "wgbz-2026",
    .source = "Wet griffierechten burgerlijke zaken, bijlage (2024 amounts as listed by "
              "wvhl.nl/tools/proceskosten; 2026 amounts of Stcrt. 2025, 39855 as carried by "
              "github.com/Apartsalan/luxis and github.com/yddbz7khcq-web/proceskosten-calculator; "
              "no 2025 amounts)",
    .horizon = {2026, 12, 31},
    .values = griffierecht_values,
    .n = sizeof griffierecht_values / sizeof griffierecht_values[0],
};

void nl_griffierecht_for(baton_date filed, int kanton, enum nl_party party, int64_t value,
                         nl_court_fee *out)
{
    const bpc_dated_value *v;

    out->found = 0;
    out->fee = 0;
    out->band = NULL;
    out->table = NULL;
    out->not_shipped = NULL;
    if (bpc_dated_lookup(&nl_griffierecht, filed, &v) < 0)
        return;
    const struct fee_table *t = v->data;
    const struct band *bands = kanton ? t->kanton : t->civiel;
    size_t nb = kanton ? t->nkanton : t->nciviel;
    out->table = kanton ? t->kanton_name : t->civiel_name;
    if (nb == 0) {
        out->not_shipped = t->not_shipped;
        return;
    }
    const struct band *b = &bands[nb - 1];
    for (size_t i = 0; i < nb; i++)
        if (bands[i].upto >= 0 && value <= bands[i].upto) {
            b = &bands[i];
            break;
        }
    out->found = 1;
    out->fee = b->fee[party];
    out->band = b->label;
}
