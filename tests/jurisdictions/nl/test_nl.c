/*
 * test_nl.c - table-driven tests of the nl plugin through the host runtime:
 * the staffel of the Besluit vergoeding voor buitengerechtelijke
 * incassokosten on both sides of every step, its minimum and maximum and
 * the VAT uplift; the fourteen-day letter (start the day after receipt,
 * extended by the Algemene termijnenwet over weekends and holidays, and one
 * not moved); statutory and commercial interest across rate changes and a
 * year end (compounding); the table horizon warning; every griffierecht band
 * and party type; the kantonrechter limit; limitation (art. 3:307 and 7:28
 * BW, interruption, a deadline on a Sunday not moved); the letter.
 *
 * Expected figures are worked by hand from the sources named in each table
 * (the Besluit, art. 6:96, 6:119, 6:119a, 3:307, 3:319, 7:28 BW, the Wgbz
 * tables 2024 and 2026 as rechtspraak.nl's tables give them, HR 25 November
 * 2016, ECLI:NL:HR:2016:2704), never computed by the plugin's own code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "test_plugins.h"

static bh_plugin_set *g_set;

#include "case_test.h"

static const char *base_case =
    "{\"case_id\":\"NL-T-1\",\"jurisdiction\":\"nl\",\"as_of\":\"2026-03-02\","
    "\"creditor\":{\"name\":\"Hollands Licht B.V.\",\"kind\":\"business\","
    "\"address\":{\"lines\":[\"Keizersgracht 100\"],\"city\":\"Amsterdam\","
    "\"postcode\":\"1015 AA\",\"country\":\"NL\"}},"
    "\"debtor\":{\"name\":\"Bakkerij Jansen B.V.\",\"kind\":\"business\","
    "\"identity_verified\":true,\"address\":{\"lines\":[\"Dorpsstraat 12\"],"
    "\"city\":\"Utrecht\",\"postcode\":\"3511 AB\",\"country\":\"NL\"}},"
    "\"claim\":{\"principal\":{\"amount\":\"1000.00\",\"currency\":\"EUR\"},"
    "\"reference\":\"HL-1\",\"contract_type\":\"written\",\"due_date\":\"2026-01-31\","
    "\"interest\":{\"statutory\":false}},"
    "\"documents\":[{\"kind\":\"agreement\"}],"
    "\"letters_sent\":[],\"disputes\":[],\"assignments\":[]}";

static cJSON *new_case(void)
{
    cJSON *c = cJSON_Parse(base_case);
    assert_non_null(c);
    return c;
}

/* A consumer debtor: costs only after the fourteen-day letter. */
static cJSON *consumer_case(void)
{
    cJSON *c = new_case();
    set_str(c, "debtor.name", "J. de Vries");
    set_str(c, "debtor.kind", "individual");
    return c;
}

/* ---- buitengerechtelijke incassokosten ---- */

struct bik_row {
    const char *hoofdsom;
    int64_t costs; /* cents */
};

/* Besluit art. 2: 15 % / 10 % / 5 % / 1 % / 0.5 % over EUR 2,500 / 2,500 /
 * 5,000 / 190,000 / the rest; at least EUR 40, at most EUR 6,775. Each
 * step's top is its sum so far: 2,500 -> 375; 5,000 -> 625; 10,000 -> 875;
 * 200,000 -> 2,775; 1,000,000 -> 6,775. Worked example EUR 6,000 -> EUR 675
 * (375 + 250 + 50; Exact's published example of the Besluit). Rounding half
 * up to the cent: 266.70 x 15 % = 40.005 -> 40.01; 10,000.50: 875 + 0.005
 * -> 875.01; 200,001: 2,775 + 0.005 -> 2,775.01. */
static const struct bik_row bik_rows[] = {
    {"100.00", 4000},      {"266.00", 4000},       {"266.70", 4001},       {"300.00", 4500},
    {"2500.00", 37500},    {"2500.10", 37501},     {"5000.00", 62500},     {"5000.20", 62501},
    {"6000.00", 67500},    {"10000.00", 87500},    {"10000.50", 87501},    {"200000.00", 277500},
    {"200001.00", 277501}, {"1000000.00", 677500}, {"1000000.01", 677500}, {"2000000.00", 677500},
};

static void collection_costs_follow_the_staffel_at_every_step(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bik_rows / sizeof bik_rows[0]; i++) {
        cJSON *c = new_case();
        set_str(c, "claim.principal.amount", bik_rows[i].hoofdsom);
        cJSON *a = evaluate(c);
        if (cost(a, "compensation") != bik_rows[i].costs)
            fail_msg("hoofdsom %s: costs %lld, expected %lld", bik_rows[i].hoofdsom,
                     (long long)cost(a, "compensation"), (long long)bik_rows[i].costs);
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void vat_is_added_when_the_creditor_cannot_deduct_it(void **state)
{
    (void)state;
    /* EUR 3,200 -> 375 + 70 = 445; + 21 % = 93.45 (Besluit art. 2 lid 3). */
    cJSON *c = new_case();
    set_str(c, "claim.principal.amount", "3200.00");
    cJSON *a = evaluate(c);
    assert_int_equal(cost(a, "compensation"), 44500);
    cJSON_Delete(a);
    set_bool(c, "ext.nl.creditor_vat_deductible", 0);
    a = evaluate(c);
    assert_int_equal(cost(a, "compensation"), 44500 + 9345);
    assert_int_equal(fact_minor(a, "fees.bik"), 53845);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void business_debtor_owes_costs_from_the_day_after_the_due_date(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "as_of", "2026-01-31");
    cJSON *a = evaluate(c);
    assert_int_equal(cost(a, "compensation"), -1);
    assert_string_equal(finding(a, "not_yet_due"), "block");
    cJSON_Delete(a);
    set_str(c, "as_of", "2026-02-01");
    a = evaluate(c);
    assert_int_equal(cost(a, "compensation"), 15000);
    assert_null(finding(a, "not_yet_due"));
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- the fourteen-day letter ---- */

struct term_row {
    const char *letter, *method, *as_of;
    int costs_due;
    const char *end, *moved_by;
};

/* HR 2016:2704: the 14 days start the day after receipt; a letter by post
 * is taken as received the next day (config post_receipt_days, default 1).
 * Art. 1 Atw extends an end on a Saturday, Sunday or art. 3 holiday. */
static const struct term_row term_rows[] = {
    /* Mon 2 Feb 2026 posted, received Tue 3 Feb, 14 days end Tue 17 Feb */
    {"2026-02-02", "post", "2026-02-17", 0, "2026-02-17", "none"},
    {"2026-02-02", "post", "2026-02-18", 1, "2026-02-17", "none"},
    /* Fri 16 Jan posted, received Sat 17 Jan, 14th day Sat 31 Jan -> Mon 2 Feb */
    {"2026-01-16", "post", "2026-02-02", 0, "2026-02-02", "art. 1 lid 1 Algemene termijnenwet"},
    {"2026-01-16", "post", "2026-02-03", 1, "2026-02-02", "art. 1 lid 1 Algemene termijnenwet"},
    /* emailed Mon 13 Apr 2026, received that day, 14th day Mon 27 Apr is
     * Koningsdag -> Tue 28 Apr */
    {"2026-04-13", "email", "2026-04-28", 0, "2026-04-28", "art. 1 lid 1 Algemene termijnenwet"},
    {"2026-04-13", "email", "2026-04-29", 1, "2026-04-28", "art. 1 lid 1 Algemene termijnenwet"},
    /* emailed Tue 22 Dec 2026: 14th day Tue 5 Jan 2027, not moved although
     * the period spans Christmas and New Year */
    {"2026-12-22", "email", "2027-01-06", 1, "2027-01-05", "none"},
};

static void consumer_costs_only_after_the_fourteen_days(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof term_rows / sizeof term_rows[0]; i++) {
        const struct term_row *t = &term_rows[i];
        char letters[160];
        cJSON *c = consumer_case();
        set_str(c, "claim.due_date", "2026-01-10");
        set_str(c, "as_of", t->as_of);
        snprintf(letters, sizeof letters,
                 "[{\"kind\":\"fourteen_day_letter\",\"date\":\"%s\",\"method\":\"%s\"}]",
                 t->letter, t->method);
        set_json(c, "letters_sent", letters);
        cJSON *a = evaluate(c);
        if (strcmp(fact_str(a, "pre_action.fourteen_day_term_end"), t->end) != 0 ||
            strcmp(fact_str(a, "pre_action.fourteen_day_term_end_moved_by"), t->moved_by) != 0 ||
            (cost(a, "compensation") > 0) != t->costs_due)
            fail_msg("row %zu: end %s moved by %s costs %lld", i,
                     fact_str(a, "pre_action.fourteen_day_term_end"),
                     fact_str(a, "pre_action.fourteen_day_term_end_moved_by"),
                     (long long)cost(a, "compensation"));
        assert_string_equal(
            finding(a, t->costs_due ? "fourteen_day_letter" : "fourteen_day_running"),
            t->costs_due ? "met" : "warn");
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void holiday_that_moved_the_term_is_named(void **state)
{
    (void)state;
    cJSON *c = consumer_case();
    set_str(c, "claim.due_date", "2026-01-10");
    set_json(c, "letters_sent",
             "[{\"kind\":\"fourteen_day_letter\",\"date\":\"2026-04-13\",\"method\":\"email\"}]");
    cJSON *a = evaluate(c);
    assert_non_null(strstr(finding_text(a, "fourteen_day_term"), "Koningsdag"));
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* Art. 3 lid 3 Atw: a day a Besluit gelijkstelling equates with a holiday
 * extends a period ending on it (art. 1 lid 1 Atw) like the holiday would.
 * Each letter is emailed on a Friday, received that day; the 14th day is the
 * equated Friday, extended over the weekend to the Monday. The Besluiten:
 * 2017-2019 (27 December 2019), 2023-2025 (30 May 2025), 2026-2028
 * (2 January and 15 May 2026, 7 May 2027). */
static const struct {
    const char *due, *letter, *as_of, *end, *unmoved;
    const char *besluit; /* NULL: not moved */
} equated_rows[] = {
    {"2019-11-01", "2019-12-13", "2020-01-06", "2019-12-30", "2019-12-27", "2017-2019"},
    {"2025-04-01", "2025-05-16", "2025-06-03", "2025-06-02", "2025-05-30", "2023-2025"},
    {"2025-11-30", "2025-12-19", "2026-01-06", "2026-01-05", "2026-01-02", "2026-2028"},
    {"2026-04-01", "2026-05-01", "2026-05-19", "2026-05-18", "2026-05-15", "2026-2028"},
    {"2027-04-01", "2027-04-23", "2027-05-11", "2027-05-10", "2027-05-07", "2026-2028"},
    /* the Monday after: an ordinary day, not moved */
    {"2026-04-01", "2026-05-04", "2026-05-19", "2026-05-18", "2026-05-18", NULL},
};

static void days_equated_by_besluit_extend_the_fourteen_days(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof equated_rows / sizeof equated_rows[0]; i++) {
        char letters[160], besluit[64];
        cJSON *c = consumer_case();
        set_str(c, "claim.due_date", equated_rows[i].due);
        set_str(c, "as_of", equated_rows[i].as_of);
        snprintf(letters, sizeof letters,
                 "[{\"kind\":\"fourteen_day_letter\",\"date\":\"%s\",\"method\":\"email\"}]",
                 equated_rows[i].letter);
        set_json(c, "letters_sent", letters);
        cJSON *a = evaluate(c);
        const char *end = fact_str(a, "pre_action.fourteen_day_term_end");
        if (strcmp(end, equated_rows[i].end) != 0)
            fail_msg("letter %s: end %s, expected %s", equated_rows[i].letter, end,
                     equated_rows[i].end);
        if (equated_rows[i].besluit != NULL) {
            snprintf(besluit, sizeof besluit, "Besluit gelijkstelling %s", equated_rows[i].besluit);
            assert_string_equal(fact_str(a, "pre_action.fourteen_day_term_end_unmoved"),
                                equated_rows[i].unmoved);
            assert_string_equal(fact_str(a, "pre_action.fourteen_day_term_end_moved_by"),
                                "art. 1 lid 1 Algemene termijnenwet");
            assert_non_null(
                strstr(fact_str(a, "pre_action.fourteen_day_term_end_closed_day"), besluit));
        } else {
            assert_string_equal(fact_str(a, "pre_action.fourteen_day_term_end_moved_by"), "none");
        }
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void consumer_without_a_valid_letter_owes_no_costs(void **state)
{
    (void)state;
    cJSON *c = consumer_case();
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "fourteen_day_letter"), "missing");
    assert_int_equal(cost(a, "compensation"), -1);
    /* the staffel figure is still reported: the letter must state it */
    assert_int_equal(fact_minor(a, "fees.bik"), 15000);
    cJSON_Delete(a);
    /* sent on the due date: the debtor was not yet in default */
    set_json(c, "letters_sent",
             "[{\"kind\":\"fourteen_day_letter\",\"date\":\"2026-01-31\",\"method\":\"email\"}]");
    a = evaluate(c);
    assert_string_equal(finding(a, "fourteen_day_letter"), "missing");
    assert_non_null(strstr(finding_text(a, "fourteen_day_letter"), "not yet in default"));
    assert_int_equal(cost(a, "compensation"), -1);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- statutory interest ---- */

struct interest_row {
    const char *debtor_kind; /* "individual" -> art. 6:119, "business" -> 6:119a */
    const char *principal, *from, *as_of;
    int64_t amount;
};

/* Art. 6:119 BW: 7 % in 2024, 6 % from 2025-01-01 (unchanged on
 * 2025-07-01: vanlaarhovenenpartners.nl, 25 September 2025), 4 % from
 * 2026-01-01 (unchanged on 2026-07-01); art. 6:119a BW: 12.25 % from
 * 2024-07-01, 11.15 % from 2025-01-01, 10.15 % from 2025-07-01, 10.40 % from
 * 2026-07-01 (ECB 2.40 % + 8). Actual/365. Compounding (6:119 lid 2): after
 * each full year the year's interest joins the base. */
static const struct interest_row interest_rows[] = {
    /* one day each side of 1 January 2025: 365,000 x 7 % / 365 + x 6 % / 365 */
    {"individual", "365000.00", "2024-12-31", "2025-01-01", 7000 + 6000},
    /* the same days, commercial: 12.25 % + 11.15 % */
    {"business", "365000.00", "2024-12-31", "2025-01-01", 12250 + 11150},
    /* each side of 1 July 2025: 6 % both days (the plugin had 5 % from
     * 2025-07-01 before 1.2.0) */
    {"individual", "365000.00", "2025-06-30", "2025-07-01", 6000 + 6000},
    {"business", "365000.00", "2025-06-30", "2025-07-01", 11150 + 10150},
    /* each side of 1 January 2026: 6 % then 4 %; 10.15 % both days */
    {"individual", "365000.00", "2025-12-31", "2026-01-01", 6000 + 4000},
    {"business", "365000.00", "2025-12-31", "2026-01-01", 10150 + 10150},
    /* each side of 1 July 2026: 4 % both days; 10.15 % then 10.40 % */
    {"individual", "365000.00", "2026-06-30", "2026-07-01", 4000 + 4000},
    {"business", "365000.00", "2026-06-30", "2026-07-01", 10150 + 10400},
    /* a full 2024 (366 days) at 7 % on 10,000: 701.917... -> 701.92; then
     * 2025 on 10,701.92: 365 days at 6 % = 642.1152 -> 642.12 */
    {"individual", "10000.00", "2024-01-01", "2025-12-31", 70192 + 64212},
    /* the day before the year end: nothing compounded yet: 10,000 x 7 % x
     * 366/365 = 701.92 */
    {"individual", "10000.00", "2024-01-01", "2024-12-31", 70192},
};

static void interest_follows_the_half_yearly_rates_and_compounds_yearly(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof interest_rows / sizeof interest_rows[0]; i++) {
        const struct interest_row *t = &interest_rows[i];
        cJSON *c = new_case();
        set_str(c, "debtor.kind", t->debtor_kind);
        set_str(c, "claim.principal.amount", t->principal);
        set_str(c, "claim.due_date", "2023-12-01");
        set_item(c, "claim.interest", cJSON_Parse("{\"statutory\":true}"));
        set_str(c, "claim.interest.from_date", t->from);
        set_str(c, "as_of", t->as_of);
        cJSON *a = evaluate(c);
        if (cost(a, "interest") != t->amount)
            fail_msg("row %zu: interest %lld, expected %lld", i, (long long)cost(a, "interest"),
                     (long long)t->amount);
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void rate_table_horizon_is_a_warning_naming_the_table(void **state)
{
    (void)state;
    /* both shipped rate tables are complete to 31 December 2026: a business
     * debtor uses art. 6:119a BW, an individual art. 6:119 BW */
    static const struct {
        const char *debtor_kind, *table, *version_fact, *version;
    } rows[] = {
        {"business", "nl_commercial_rate", "params.nl_commercial_rate.version",
         "nl-commercial-2026-07"},
        {"individual", "nl_statutory_rate", "params.nl_statutory_rate.version",
         "nl-statutory-2026-07"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cJSON *c = new_case();
        set_str(c, "debtor.kind", rows[i].debtor_kind);
        set_item(c, "claim.interest", cJSON_Parse("{\"statutory\":true}"));
        set_str(c, "as_of", "2026-12-31");
        cJSON *a = evaluate(c);
        assert_null(finding_about(a, "params_beyond_horizon", rows[i].table));
        assert_string_equal(fact_str(a, rows[i].version_fact), rows[i].version);
        cJSON_Delete(a);
        set_str(c, "as_of", "2027-01-01");
        a = evaluate(c);
        assert_string_equal(finding_about(a, "params_beyond_horizon", rows[i].table), "warn");
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

/* ---- griffierecht and route ---- */

struct fee_row {
    const char *as_of, *creditor_kind, *amount;
    int unable;
    const char *track;
    int64_t fee;
};

/* Wgbz tabel 2024, kanton: niet-natuurlijke personen 130 / 328 / 372 / 496
 * / 524 / 1,409; natuurlijke personen 87 / 218 / 248 / 248 / 248 / 706;
 * onvermogenden 87. Rechtbank: 2,889 / 6,617 / 9,825 (natural persons
 * 1,325 / 2,626 / 2,626). Art. 93 Rv: kanton up to EUR 25,000. The claim
 * value is the principal here (as_of on the due date: no costs, no
 * interest). */
static const struct fee_row fee_rows[] = {
    {"2024-06-01", "business", "500.00", 0, "kanton", 13000},
    {"2024-06-01", "business", "500.01", 0, "kanton", 32800},
    {"2024-06-01", "business", "1500.00", 0, "kanton", 32800},
    {"2024-06-01", "business", "1500.01", 0, "kanton", 37200},
    {"2024-06-01", "business", "2500.00", 0, "kanton", 37200},
    {"2024-06-01", "business", "2500.01", 0, "kanton", 49600},
    {"2024-06-01", "business", "5000.00", 0, "kanton", 49600},
    {"2024-06-01", "business", "5000.01", 0, "kanton", 52400},
    {"2024-06-01", "business", "12500.00", 0, "kanton", 52400},
    {"2024-06-01", "business", "12500.01", 0, "kanton", 140900},
    {"2024-06-01", "business", "25000.00", 0, "kanton", 140900},
    {"2024-06-01", "business", "25000.01", 0, "rechtbank", 288900},
    {"2024-06-01", "business", "100000.00", 0, "rechtbank", 288900},
    {"2024-06-01", "business", "100000.01", 0, "rechtbank", 661700},
    {"2024-06-01", "business", "1000000.00", 0, "rechtbank", 661700},
    {"2024-06-01", "business", "1000000.01", 0, "rechtbank", 982500},
    {"2024-06-01", "individual", "500.00", 0, "kanton", 8700},
    {"2024-06-01", "individual", "500.01", 0, "kanton", 21800},
    {"2024-06-01", "individual", "1500.01", 0, "kanton", 24800},
    {"2024-06-01", "sole_trader", "12500.01", 0, "kanton", 70600},
    {"2024-06-01", "individual", "25000.01", 0, "rechtbank", 132500},
    {"2024-06-01", "individual", "1000000.01", 0, "rechtbank", 262600},
    {"2024-06-01", "individual", "12500.01", 1, "kanton", 8700},
    {"2024-06-01", "individual", "25000.01", 1, "rechtbank", 8700},
    /* Wgbz tabel 2026 (Stcrt. 2025, 39855), kanton: niet-natuurlijke
     * personen 139 / 350 / 397 / 529 / 559 / 1,504; natuurlijke personen
     * 93 / 233 / 265 / 265 / 265 / 753; onvermogenden 93. Rechtbank:
     * 3,083 / 7,062 / 10,487 (natural persons 1,414 / 2,803 / 2,803). Both
     * sides of every band for each party type. */
    {"2026-06-01", "business", "500.00", 0, "kanton", 13900},
    {"2026-06-01", "business", "500.01", 0, "kanton", 35000},
    {"2026-06-01", "business", "1500.00", 0, "kanton", 35000},
    {"2026-06-01", "business", "1500.01", 0, "kanton", 39700},
    {"2026-06-01", "business", "2500.00", 0, "kanton", 39700},
    {"2026-06-01", "business", "2500.01", 0, "kanton", 52900},
    {"2026-06-01", "business", "5000.00", 0, "kanton", 52900},
    {"2026-06-01", "business", "5000.01", 0, "kanton", 55900},
    {"2026-06-01", "business", "12500.00", 0, "kanton", 55900},
    {"2026-06-01", "business", "12500.01", 0, "kanton", 150400},
    {"2026-06-01", "business", "25000.00", 0, "kanton", 150400},
    {"2026-06-01", "business", "25000.01", 0, "rechtbank", 308300},
    {"2026-06-01", "business", "100000.00", 0, "rechtbank", 308300},
    {"2026-06-01", "business", "100000.01", 0, "rechtbank", 706200},
    {"2026-06-01", "business", "1000000.00", 0, "rechtbank", 706200},
    {"2026-06-01", "business", "1000000.01", 0, "rechtbank", 1048700},
    {"2026-06-01", "individual", "500.00", 0, "kanton", 9300},
    {"2026-06-01", "individual", "500.01", 0, "kanton", 23300},
    {"2026-06-01", "individual", "1500.00", 0, "kanton", 23300},
    {"2026-06-01", "individual", "1500.01", 0, "kanton", 26500},
    {"2026-06-01", "individual", "2500.00", 0, "kanton", 26500},
    {"2026-06-01", "individual", "2500.01", 0, "kanton", 26500},
    {"2026-06-01", "individual", "5000.00", 0, "kanton", 26500},
    {"2026-06-01", "individual", "5000.01", 0, "kanton", 26500},
    {"2026-06-01", "sole_trader", "12500.00", 0, "kanton", 26500},
    {"2026-06-01", "sole_trader", "12500.01", 0, "kanton", 75300},
    {"2026-06-01", "individual", "25000.00", 0, "kanton", 75300},
    {"2026-06-01", "individual", "25000.01", 0, "rechtbank", 141400},
    {"2026-06-01", "individual", "100000.00", 0, "rechtbank", 141400},
    {"2026-06-01", "individual", "100000.01", 0, "rechtbank", 280300},
    {"2026-06-01", "individual", "1000000.00", 0, "rechtbank", 280300},
    {"2026-06-01", "individual", "1000000.01", 0, "rechtbank", 280300},
    {"2026-06-01", "individual", "500.00", 1, "kanton", 9300},
    {"2026-06-01", "individual", "500.01", 1, "kanton", 9300},
    {"2026-06-01", "individual", "12500.01", 1, "kanton", 9300},
    {"2026-06-01", "individual", "25000.00", 1, "kanton", 9300},
    {"2026-06-01", "individual", "25000.01", 1, "rechtbank", 9300},
    {"2026-06-01", "individual", "1000000.01", 1, "rechtbank", 9300},
    /* the 1 January edges: the 2026 table from 2026-01-01, and through
     * 2026-12-31 */
    {"2026-01-01", "business", "5000.00", 0, "kanton", 52900},
    {"2026-12-31", "business", "5000.00", 0, "kanton", 52900},
    {"2024-01-01", "business", "5000.00", 0, "kanton", 49600},
    {"2024-12-31", "business", "5000.00", 0, "kanton", 49600},
};

static void griffierecht_by_band_and_party_at_every_edge(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fee_rows / sizeof fee_rows[0]; i++) {
        const struct fee_row *t = &fee_rows[i];
        cJSON *c = new_case();
        set_str(c, "as_of", t->as_of);
        set_str(c, "claim.due_date", t->as_of);
        set_str(c, "creditor.kind", t->creditor_kind);
        set_str(c, "claim.principal.amount", t->amount);
        if (t->unable)
            set_bool(c, "ext.nl.creditor_unable_to_pay", 1);
        cJSON *a = evaluate(c);
        const char *track = fact_str(a, "route.track");
        if (strcmp(track, t->track) != 0 || cost(a, "court_fee") != t->fee)
            fail_msg("row %zu (%s %s): %s %lld, expected %s %lld", i, t->creditor_kind, t->amount,
                     track, (long long)cost(a, "court_fee"), t->track, (long long)t->fee);
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

/* The 1 January edges of the griffierecht table (a EUR 1,000 claim of a
 * legal entity, filed on the due date): before 2024 no table; 2024 (328);
 * 2025 not shipped, no fee, the warning names the date and the Regeling;
 * 2026 (350); 2027 the 2026 fee beyond the horizon. The version is the whole
 * table's (its newest year). */
static const struct {
    const char *filed, *table; /* table NULL: no fee, griffierecht_table_missing */
    int64_t fee;
    int beyond_horizon;
} griffierecht_dates[] = {
    {"2023-12-31", NULL, -1, 0},
    {"2024-01-01", "Wgbz tabel kanton 2024", 32800, 0},
    {"2024-12-31", "Wgbz tabel kanton 2024", 32800, 0},
    {"2025-01-01", NULL, -1, 0},
    {"2025-12-31", NULL, -1, 0},
    {"2026-01-01", "Wgbz tabel kanton 2026", 35000, 0},
    {"2026-12-31", "Wgbz tabel kanton 2026", 35000, 0},
    {"2027-01-01", "Wgbz tabel kanton 2026", 35000, 1},
};

static void griffierecht_table_dates_are_named(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof griffierecht_dates / sizeof griffierecht_dates[0]; i++) {
        const char *filed = griffierecht_dates[i].filed, *table = griffierecht_dates[i].table;
        cJSON *c = new_case();
        set_str(c, "as_of", filed);
        set_str(c, "claim.due_date", filed);
        cJSON *a = evaluate(c);
        if (cost(a, "court_fee") != griffierecht_dates[i].fee)
            fail_msg("%s: court fee %lld, expected %lld", filed, (long long)cost(a, "court_fee"),
                     (long long)griffierecht_dates[i].fee);
        if (table == NULL) {
            const char *why = finding_text(a, "griffierecht_table_missing");
            assert_string_equal(finding(a, "griffierecht_table_missing"), "warn");
            assert_non_null(strstr(why, filed));
            if (strncmp(filed, "2025", 4) == 0)
                assert_non_null(strstr(why, "Stcrt. 2024, 38002"));
        } else {
            assert_null(finding(a, "griffierecht_table_missing"));
            assert_string_equal(fact_str(a, "fees.griffierecht_table"), table);
            assert_string_equal(fact_str(a, "params.nl_griffierecht.version"), "wgbz-2026");
        }
        if ((finding_about(a, "params_beyond_horizon", "nl_griffierecht") != NULL) !=
            griffierecht_dates[i].beyond_horizon)
            fail_msg("%s: params_beyond_horizon for nl_griffierecht %s", filed,
                     griffierecht_dates[i].beyond_horizon ? "missing" : "unexpected");
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void consumer_credit_goes_to_the_kantonrechter_whatever_its_value(void **state)
{
    (void)state;
    cJSON *c = consumer_case();
    set_str(c, "as_of", "2026-01-31");
    set_str(c, "claim.principal.amount", "30000.00");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "rechtbank");
    cJSON_Delete(a);
    set_bool(c, "ext.nl.consumer_credit", 1);
    a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "kanton");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- limitation ---- */

struct lim_row {
    const char *due, *as_of;
    int consumer_sale;
    const char *ack; /* NULL: none */
    const char *deadline;
    int barred;
};

/* Art. 3:307 BW: five years from the day after the claim became due
 * (opeisbaar the day after the due date); art. 7:28 BW: two years for the
 * price of a consumer sale; art. 3:319: an acknowledgment starts a new
 * period of the same length. 16 March 2025 is a Sunday and 1 June 2025 a
 * Sunday: neither is moved (art. 4 Atw). */
static const struct lim_row lim_rows[] = {
    {"2020-03-15", "2025-03-16", 0, NULL, "2025-03-16", 0},
    {"2020-03-15", "2025-03-17", 0, NULL, "2025-03-16", 1},
    {"2023-05-31", "2025-06-01", 1, NULL, "2025-06-01", 0},
    {"2023-05-31", "2025-06-02", 1, NULL, "2025-06-01", 1},
    {"2023-05-31", "2025-06-02", 1, "2024-01-10", "2026-01-10", 0},
    /* an acknowledgment after the period ran does not revive it */
    {"2023-05-31", "2025-07-01", 1, "2025-06-15", "2025-06-01", 1},
};

static void limitation_five_and_two_years_at_the_edges(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lim_rows / sizeof lim_rows[0]; i++) {
        const struct lim_row *t = &lim_rows[i];
        cJSON *c = consumer_case();
        set_str(c, "claim.due_date", t->due);
        set_str(c, "as_of", t->as_of);
        if (t->consumer_sale)
            set_bool(c, "ext.nl.consumer_sale", 1);
        if (t->ack != NULL)
            set_str(c, "claim.acknowledged_date", t->ack);
        cJSON *a = evaluate(c);
        if (strcmp(fact_str(a, "limitation.deadline"), t->deadline) != 0 ||
            (finding(a, "time_barred") != NULL) != t->barred)
            fail_msg("row %zu: deadline %s barred %d", i, fact_str(a, "limitation.deadline"),
                     finding(a, "time_barred") != NULL);
        assert_string_equal(finding(a, "deadline_not_moved"), "info");
        assert_string_equal(fact_str(a, "limitation.deadline_moved_by"), "none");
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void written_demand_interrupts_limitation_on_receipt(void **state)
{
    (void)state;
    /* a reminder posted 2024-02-01 reaches the debtor 2024-02-02: new
     * two-year period to 2026-02-02 */
    cJSON *c = consumer_case();
    set_bool(c, "ext.nl.consumer_sale", 1);
    set_str(c, "claim.due_date", "2023-05-31");
    set_str(c, "as_of", "2025-07-01");
    set_json(c, "letters_sent", "[{\"kind\":\"reminder\",\"date\":\"2024-02-01\"}]");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2026-02-02");
    assert_string_equal(finding(a, "limitation_interrupted"), "info");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- the letter ---- */

static void fourteen_day_letter_states_term_costs_and_rule(void **state)
{
    (void)state;
    cJSON *c = consumer_case();
    set_str(c, "claim.principal.amount", "3200.00");
    set_str(c, "creditor.payment.iban", "NL91ABNA0417164300");
    char *s = letter_text(c, "fourteen_day_letter");
    assert_non_null(s);
    static const char *const must[] = {
        "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd",
        "buitengerechtelijke incassokosten verschuldigd van \xe2\x82\xac 445,00",
        "Besluit vergoeding voor buitengerechtelijke incassokosten",
        "\xe2\x82\xac 3.200,00",
        "NL91ABNA0417164300",
        "ECLI:NL:HR:2016:2704",
        "J. de Vries",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (strstr(s, must[i]) == NULL)
            fail_msg("letter lacks \"%s\":\n%s", must[i], s);
    free(s);
    set_bool(c, "ext.nl.creditor_vat_deductible", 0);
    s = letter_text(c, "fourteen_day_letter");
    assert_non_null(strstr(s, "\xe2\x82\xac 538,45 (inclusief 21 % btw)"));
    free(s);
    /* not before default */
    set_str(c, "as_of", "2026-01-31");
    assert_null(letter_text(c, "fourteen_day_letter"));
    cJSON_Delete(c);
}

/* ---- example cases and config ---- */

static void example_cases_give_their_documented_outcome(void **state)
{
    (void)state;
    cJSON *c = load_case(NL_CASES_DIR, "nl-consumer-fourteen-day-letter.json");
    cJSON *a = evaluate(c);
    /* 3,200: costs 445; 14 days to Mon 2 Feb 2026 (moved from Sat 31 Jan);
     * interest 3,200 x (6 % x 31 + 4 % x 61) / 365 = 37.6986 -> 37.70; value
     * 3,682.70, kanton, griffierecht 529 (2026 table, legal entity,
     * 2,500-5,000) */
    assert_int_equal(cost(a, "compensation"), 44500);
    assert_int_equal(cost(a, "interest"), 3770);
    assert_int_equal(cost(a, "court_fee"), 52900);
    assert_null(finding_about(a, "params_beyond_horizon", "nl_griffierecht"));
    assert_string_equal(fact_str(a, "pre_action.fourteen_day_term_end"), "2026-02-02");
    assert_string_equal(fact_str(a, "route.track"), "kanton");
    cJSON_Delete(a);
    cJSON_Delete(c);

    c = load_case(NL_CASES_DIR, "nl-b2b-handelsrente-rechtbank.json");
    a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "rechtbank");
    assert_int_equal(cost(a, "compensation"), 117500);
    assert_int_equal(cost(a, "interest"), 415973);
    /* 2026 table, rechtbank, legal entity, up to 100,000 */
    assert_int_equal(cost(a, "court_fee"), 308300);
    cJSON_Delete(a);
    cJSON_Delete(c);

    c = load_case(NL_CASES_DIR, "nl-consumer-sale-time-barred.json");
    a = evaluate(c);
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_string_equal(fact_str(a, "limitation.basis"), "art. 7:28 BW");
    /* two years from 1 July 2023, interrupted by the reminder received
     * 15 July 2023 */
    assert_string_equal(fact_str(a, "limitation.deadline"), "2025-07-15");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void tenant_rate_table_replaces_the_shipped_one(void **state)
{
    (void)state;
    bh_plugin_set *set = NULL;
    char err[256];
    cJSON *plugins = cJSON_Parse("[{\"path\":\"nl.so\",\"config\":{\"commercial_rates\":"
                                 "[{\"from\":\"2015-01-01\",\"rate_bp\":3650}]}}]");
    int rc =
        test_plugin_set_load("t2", plugins, BATON_PLUGIN_DIR, NULL, NULL, &set, err, sizeof err);
    cJSON_Delete(plugins);
    assert_int_equal(rc, 0);
    assert_int_equal(set->count, 1);
    bh_plugin_set *saved = g_set;
    g_set = set;
    /* 10,000 at 36.5 % from 2026-02-01 to 2026-02-10, 10 days = 100.00 */
    cJSON *c = new_case();
    set_item(c, "claim.interest", cJSON_Parse("{\"statutory\":true}"));
    set_str(c, "claim.principal.amount", "10000.00");
    set_str(c, "as_of", "2026-02-10");
    cJSON *a = evaluate(c);
    g_set = saved;
    assert_int_equal(cost(a, "interest"), 10000);
    assert_string_equal(fact_str(a, "params.nl_commercial_rate.version"), "tenant-config");
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);

    /* the plugins/common shape, params.<table>, with its own version */
    plugins = cJSON_Parse("[{\"path\":\"nl.so\",\"config\":{\"params\":{"
                          "\"nl_statutory_rate\":{\"version\":\"t-2026-07\",\"values\":"
                          "[{\"from\":\"2015-01-01\",\"rate_bp\":3650}]}}}}]");
    rc = test_plugin_set_load("t4", plugins, BATON_PLUGIN_DIR, NULL, NULL, &set, err, sizeof err);
    cJSON_Delete(plugins);
    assert_int_equal(rc, 0);
    assert_int_equal(set->count, 1);
    c = consumer_case();
    set_item(c, "claim.interest", cJSON_Parse("{\"statutory\":true}"));
    set_str(c, "claim.principal.amount", "10000.00");
    set_str(c, "as_of", "2026-02-10");
    g_set = set;
    a = evaluate(c);
    g_set = saved;
    assert_int_equal(cost(a, "interest"), 10000);
    assert_string_equal(fact_str(a, "params.nl_statutory_rate.version"), "t-2026-07");
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static int count_refusals;

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *msg)
{
    (void)ctx;
    (void)tenant;
    (void)path;
    if (strstr(msg, "1 January or 1 July") != NULL)
        count_refusals++;
}

static void rate_table_not_on_a_half_year_is_refused(void **state)
{
    (void)state;
    bh_plugin_set *set = NULL;
    char err[256];
    cJSON *plugins = cJSON_Parse("[{\"path\":\"nl.so\",\"config\":{\"statutory_rates\":"
                                 "[{\"from\":\"2015-02-01\",\"rate_bp\":200}]}}]");
    count_refusals = 0;
    int rc = test_plugin_set_load("t3", plugins, BATON_PLUGIN_DIR, on_refusal, NULL, &set, err,
                                  sizeof err);
    cJSON_Delete(plugins);
    assert_int_equal(rc, 0);
    assert_int_equal(set->count, 0);
    assert_int_equal(count_refusals, 1);
    bh_plugin_set_unref(set);
}

static int setup(void **state)
{
    (void)state;
    return ct_setup("[{\"path\":\"nl.so\"}]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collection_costs_follow_the_staffel_at_every_step),
        cmocka_unit_test(vat_is_added_when_the_creditor_cannot_deduct_it),
        cmocka_unit_test(business_debtor_owes_costs_from_the_day_after_the_due_date),
        cmocka_unit_test(consumer_costs_only_after_the_fourteen_days),
        cmocka_unit_test(holiday_that_moved_the_term_is_named),
        cmocka_unit_test(days_equated_by_besluit_extend_the_fourteen_days),
        cmocka_unit_test(consumer_without_a_valid_letter_owes_no_costs),
        cmocka_unit_test(interest_follows_the_half_yearly_rates_and_compounds_yearly),
        cmocka_unit_test(rate_table_horizon_is_a_warning_naming_the_table),
        cmocka_unit_test(griffierecht_by_band_and_party_at_every_edge),
        cmocka_unit_test(griffierecht_table_dates_are_named),
        cmocka_unit_test(consumer_credit_goes_to_the_kantonrechter_whatever_its_value),
        cmocka_unit_test(limitation_five_and_two_years_at_the_edges),
        cmocka_unit_test(written_demand_interrupts_limitation_on_receipt),
        cmocka_unit_test(fourteen_day_letter_states_term_costs_and_rule),
        cmocka_unit_test(example_cases_give_their_documented_outcome),
        cmocka_unit_test(tenant_rate_table_replaces_the_shipped_one),
        cmocka_unit_test(rate_table_not_on_a_half_year_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, ct_teardown);
}
