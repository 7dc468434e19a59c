/*
 * test_de_tables.c - the de plugin's pure tables and calculations, compiled
 * in from plugins/de (de_tables.c, de_calc.c) and checked against figures
 * typed in from the published sources:
 *
 *   GKG Anlage 2, KostRÄG 2021 version (BGBl. 2020 I S. 3229), rows
 *     500..6,000 as printed in the excerpt of Anlage 2 at ra-zehnter.de, the
 *     rest from Anlage 2 as published;
 *   GKG Anlage 2, KostBRÄG 2025 version ("Gerichtsgebührentabelle ab
 *     01.06.2025", anwaltonline.com, Stand 21.05.2025);
 *   Mahnverfahren 0.5 fees from 01.06.2025 with the 38,00 € minimum
 *     (Gerichtskostentabelle, confidentia-inkasso.de);
 *   RVG Anlage 2 a.F. and n.F. (buzer.de comparison of Anlage 2 RVG before
 *     and from 01.06.2025, Art. 11 KostBRÄG 2025);
 *   Basiszinssatz: Deutsche Bundesbank announcements (see
 *     docs/plugins/de.md); interest expected values are worked out by hand
 *     in the comments from those rates and § 288 BGB.
 *
 * Every table row is checked at its upper value and one cent above it (which
 * must give the next printed row), so both sides of every step edge between
 * the first and the last row are pinned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "baton/error.h"
#include "de_calc.h"
#include "de_internal.h"
#include "de_tables.h"

typedef struct row {
    int64_t upto_eur; /* "Streitwert bis ... €" */
    int64_t fee;      /* "Gebühr ... €" in cents */
} row;

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const row gkg_2021[] = {
    {500, 3800},    {1000, 5800},   {1500, 7800},   {2000, 9800},   {3000, 11900},  {4000, 14000},
    {5000, 16100},  {6000, 18200},  {7000, 20300},  {8000, 22400},  {9000, 24500},  {10000, 26600},
    {13000, 29500}, {16000, 32400}, {19000, 35300}, {22000, 38200}, {25000, 41100}, {30000, 44900},
    {35000, 48700}, {40000, 52500}, {45000, 56300}, {50000, 60100}, {65000, 73300}, {80000, 86500},
};

static const row gkg_2025[] = {
    {500, 4000},      {1000, 6100},     {1500, 8200},     {2000, 10300},    {3000, 12550},
    {4000, 14800},    {5000, 17050},    {6000, 19300},    {7000, 21550},    {8000, 23800},
    {9000, 26050},    {10000, 28300},   {13000, 31350},   {16000, 34400},   {19000, 37450},
    {22000, 40500},   {25000, 43550},   {30000, 47600},   {35000, 51650},   {40000, 55700},
    {45000, 59750},   {50000, 63800},   {65000, 77800},   {80000, 91800},   {95000, 105800},
    {110000, 119800}, {125000, 133800}, {140000, 147800}, {155000, 161800}, {170000, 175800},
    {185000, 189800}, {200000, 203800}, {230000, 224800}, {260000, 245800}, {290000, 266800},
    {320000, 287800}, {350000, 308800}, {380000, 329800}, {410000, 350800}, {440000, 371800},
    {470000, 392800}, {500000, 413800},
};

static const row rvg_2021[] = {
    {500, 4900},      {1000, 8800},     {1500, 12700},    {2000, 16600},    {3000, 22200},
    {4000, 27800},    {5000, 33400},    {6000, 39000},    {7000, 44600},    {8000, 50200},
    {9000, 55800},    {10000, 61400},   {13000, 66600},   {16000, 71800},   {19000, 77000},
    {22000, 82200},   {25000, 87400},   {30000, 95500},   {35000, 103600},  {40000, 111700},
    {45000, 119800},  {50000, 127900},  {65000, 137300},  {80000, 146700},  {95000, 156100},
    {110000, 165500}, {125000, 174900}, {140000, 184300}, {155000, 193700}, {170000, 203100},
    {185000, 212500}, {200000, 221900}, {230000, 235100}, {260000, 248300}, {290000, 261500},
    {320000, 274700}, {350000, 287900}, {380000, 301100}, {410000, 314300}, {440000, 327500},
    {470000, 340700}, {500000, 353900},
};

/* Anlage 2 RVG n.F. in two runs of consecutive printed rows. */
static const row rvg_2025_a[] = {
    {500, 5150},    {1000, 9300},   {1500, 13450},  {2000, 17600},  {3000, 23550},  {4000, 29500},
    {5000, 35450},  {6000, 41400},  {7000, 47350},  {8000, 53300},  {9000, 59250},  {10000, 65200},
    {13000, 70700}, {16000, 76200}, {19000, 81700}, {22000, 87200}, {25000, 92700}, {30000, 101300},
};
static const row rvg_2025_b[] = {
    {50000, 135700},  {65000, 145650},  {80000, 155600},  {95000, 165550},  {110000, 175500},
    {125000, 185450}, {140000, 195400}, {155000, 205350}, {170000, 215300}, {185000, 225250},
    {200000, 235200}, {230000, 249200}, {260000, 263200}, {290000, 277200}, {320000, 291200},
    {350000, 305200}, {380000, 319200},
};

typedef int (*fee_fn)(enum de_fee_version, int64_t, int64_t *);

static void check_rows(fee_fn fn, enum de_fee_version v, const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t fee = -1;
        int64_t value = rows[i].upto_eur * 100;
        assert_int_equal(fn(v, value, &fee), 0);
        if (fee != rows[i].fee)
            fail_msg("value %lld EUR: fee %lld, table says %lld", (long long)rows[i].upto_eur,
                     (long long)fee, (long long)rows[i].fee);
        if (i + 1 < n) {
            assert_int_equal(fn(v, value + 1, &fee), 0);
            if (fee != rows[i + 1].fee)
                fail_msg("value %lld.01 EUR: fee %lld, next row says %lld",
                         (long long)rows[i].upto_eur, (long long)fee, (long long)rows[i + 1].fee);
        }
    }
}

static void gkg_2021_matches_anlage_2_at_every_step_edge(void **state)
{
    (void)state;
    check_rows(de_gkg_fee, DE_FEES_2021, gkg_2021, N(gkg_2021));
    int64_t fee;
    assert_int_equal(de_gkg_fee(DE_FEES_2021, 1, &fee), 0); /* 0.01 EUR */
    assert_int_equal(fee, 3800);
}

static void gkg_2025_matches_anlage_2_at_every_step_edge(void **state)
{
    (void)state;
    check_rows(de_gkg_fee, DE_FEES_2025, gkg_2025, N(gkg_2025));
}

static void rvg_2021_matches_anlage_2_at_every_step_edge(void **state)
{
    (void)state;
    check_rows(de_rvg_fee, DE_FEES_2021, rvg_2021, N(rvg_2021));
}

static void rvg_2025_matches_anlage_2_at_every_step_edge(void **state)
{
    (void)state;
    check_rows(de_rvg_fee, DE_FEES_2025, rvg_2025_a, N(rvg_2025_a));
    check_rows(de_rvg_fee, DE_FEES_2025, rvg_2025_b, N(rvg_2025_b));
    int64_t fee;
    /* Beyond the printed table the 2025 step is not verified: refused. */
    assert_int_equal(de_rvg_fee(DE_FEES_2025, 50000000, &fee), 0);
    assert_int_equal(de_rvg_fee(DE_FEES_2025, 50000001, &fee), BATON_ERANGE);
    assert_int_equal(de_rvg_fee(DE_FEES_2025, 0, &fee), BATON_EINVAL);
}

static void version_changes_on_1_june_2025(void **state)
{
    (void)state;
    baton_date before = {2025, 5, 31}, on = {2025, 6, 1}, old = {2020, 12, 31};
    baton_date first = {2021, 1, 1};
    assert_int_equal(de_fee_version_for(before), DE_FEES_2021);
    assert_int_equal(de_fee_version_for(on), DE_FEES_2025);
    assert_int_equal(de_fee_version_for(first), DE_FEES_2021);
    assert_int_equal(de_fee_version_for(old), DE_FEES_NONE);

    /* Klage (KV 1210, 3.0) for 1,000 EUR: 3 x 58,00 before, 3 x 61,00 after. */
    int64_t fee;
    assert_int_equal(de_court_fee_klage(de_fee_version_for(before), 100000, &fee), 0);
    assert_int_equal(fee, 17400);
    assert_int_equal(de_court_fee_klage(de_fee_version_for(on), 100000, &fee), 0);
    assert_int_equal(fee, 18300);
    /* 5,000 EUR: 3 x 161,00 and 3 x 170,50. */
    assert_int_equal(de_court_fee_klage(DE_FEES_2021, 500000, &fee), 0);
    assert_int_equal(fee, 48300);
    assert_int_equal(de_court_fee_klage(DE_FEES_2025, 500000, &fee), 0);
    assert_int_equal(fee, 51150);
}

static void mahnverfahren_fee_has_its_statutory_minimum(void **state)
{
    (void)state;
    int64_t fee;
    /* 2021: 0.5 x 58,00 = 29,00 < 36,00 minimum; 0.5 x 78,00 = 39,00. */
    assert_int_equal(de_court_fee_mahnverfahren(DE_FEES_2021, 50000, &fee), 0);
    assert_int_equal(fee, 3600);
    assert_int_equal(de_court_fee_mahnverfahren(DE_FEES_2021, 100000, &fee), 0);
    assert_int_equal(fee, 3600);
    assert_int_equal(de_court_fee_mahnverfahren(DE_FEES_2021, 100001, &fee), 0);
    assert_int_equal(fee, 3900);

    /* 2025: the published Mahnverfahren table (0.5 fee, minimum 38,00). */
    static const row mahn_2025[] = {
        {500, 3800},    {1000, 3800},   {1500, 4100},   {2000, 5150},   {3000, 6275},
        {4000, 7400},   {5000, 8525},   {6000, 9650},   {7000, 10775},  {8000, 11900},
        {9000, 13025},  {10000, 14150}, {13000, 15675}, {16000, 17200}, {19000, 18725},
        {22000, 20250}, {25000, 21775}, {30000, 23800}, {35000, 25825}, {40000, 27850},
        {45000, 29875}, {50000, 31900}, {65000, 38900}, {80000, 45900}, {95000, 52900},
    };
    check_rows(de_court_fee_mahnverfahren, DE_FEES_2025, mahn_2025, N(mahn_2025));
    assert_int_equal(de_kv1100_minimum(DE_FEES_2021), 3600);
    assert_int_equal(de_kv1100_minimum(DE_FEES_2025), 3800);
}

static void lawyer_fee_rates_round_half_up_and_pauschale_is_capped(void **state)
{
    (void)state;
    /* 1.3 x 93,00 = 120,90; 1.2 x 93,00 = 111,60 (RVG 2025, 1,000 EUR). */
    assert_int_equal(de_fee_rate(9300, 13), 12090);
    assert_int_equal(de_fee_rate(9300, 12), 11160);
    /* 0.5 x 125,25 = 62,625 -> 62,63 (§ 2 Abs. 2 S. 2 RVG). */
    assert_int_equal(de_fee_rate(12525, 5), 6263);
    assert_int_equal(de_fee_rate(12524, 5), 6262);
    /* VV 7002: 20 % of 73,50 = 14,70; capped at 20,00. */
    assert_int_equal(de_vv7002(7350), 1470);
    assert_int_equal(de_vv7002(9997), 1999);
    assert_int_equal(de_vv7002(10000), 2000);
    assert_int_equal(de_vv7002(23250), 2000);
    /* § 13 Abs. 2 RVG: up to 50 EUR the Inkasso Geschäftsgebühr base is 30 EUR. */
    int64_t fee;
    assert_int_equal(de_rvg_fee_inkasso(DE_FEES_2021, 5000, &fee), 0);
    assert_int_equal(fee, 3000);
    assert_int_equal(de_rvg_fee_inkasso(DE_FEES_2021, 5001, &fee), 0);
    assert_int_equal(fee, 4900);
}

/* VV RVG 7002 at its rounding and cap edges: 20 % of 99,98 = 19,996 ->
 * 20,00 (half-up, not down to 19,99); 20 % of 100,05 = 20,01 -> capped at
 * 20,00 (the cap is exactly 20 EUR). */
static void pauschale_rounds_half_up_at_the_cent_and_caps_at_20_eur(void **state)
{
    (void)state;
    assert_int_equal(de_vv7002(9998), 2000);
    assert_int_equal(de_vv7002(9992), 1998); /* 19,984 -> 19,98 */
    assert_int_equal(de_vv7002(9993), 1999); /* 19,986 -> 19,99 */
    assert_int_equal(de_vv7002(10005), 2000);
    assert_int_equal(de_vv7002(0), 0);
}

static void amtsgericht_limit_rises_on_1_january_2026(void **state)
{
    (void)state;
    baton_date before = {2025, 12, 31}, on = {2026, 1, 1};
    assert_int_equal(de_amtsgericht_limit(before), 500000);
    assert_int_equal(de_amtsgericht_limit(on), 1000000);
}

static const de_base_rate bundesbank[] = {
    {{2016, 7, 1}, -88}, {{2023, 1, 1}, 162}, {{2023, 7, 1}, 312}, {{2024, 1, 1}, 362},
    {{2024, 7, 1}, 337}, {{2025, 1, 1}, 227}, {{2025, 7, 1}, 127}, {{2026, 1, 1}, 127},
};

static void interest_consumer_and_b2b_over_a_rate_change(void **state)
{
    (void)state;
    de_interest in;
    baton_date from = {2025, 1, 1}, to = {2025, 12, 31};
    /* Consumer: 1,000.00 at 2.27+5 = 7.27 % for 181 days (Jan-Jun) and
     * 1.27+5 = 6.27 % for 184 days (Jul-Dec):
     * 72.70*181/365 + 62.70*184/365 = 36.0512 + 31.6077 = 67.6589 -> 67.66. */
    assert_int_equal(
        de_interest_compute(bundesbank, N(bundesbank), 100000, from, to, 0, 0, 500, &in), 0);
    assert_int_equal(in.amount, 6766);
    assert_int_equal(in.days, 365);
    assert_int_equal(in.nseg, 2);
    assert_int_equal(in.seg[0].days, 181);
    assert_int_equal(in.seg[0].rate_bp, 727);
    assert_int_equal(in.seg[1].days, 184);
    assert_int_equal(in.seg[1].rate_bp, 627);
    /* B2B, § 288 Abs. 2: 11.27 % and 10.27 %: 55.8868 + 51.7721 = 107.66. */
    assert_int_equal(
        de_interest_compute(bundesbank, N(bundesbank), 100000, from, to, 0, 0, 900, &in), 0);
    assert_int_equal(in.amount, 10766);
}

static void interest_across_a_negative_base_rate(void **state)
{
    (void)state;
    de_interest in;
    baton_date from = {2022, 12, 1}, to = {2023, 1, 31};
    /* 31 days at -0.88+5 = 4.12 % and 31 days at 1.62+5 = 6.62 % on 1,000.00:
     * 41.20*31/365 + 66.20*31/365 = 3.4992 + 5.6225 = 9.1216 -> 9.12. */
    assert_int_equal(
        de_interest_compute(bundesbank, N(bundesbank), 100000, from, to, 0, 0, 500, &in), 0);
    assert_int_equal(in.amount, 912);
    assert_int_equal(in.seg[0].rate_bp, 412);
}

static void interest_rounds_half_up_once(void **state)
{
    (void)state;
    de_interest in;
    baton_date d = {2026, 3, 2};
    /* 36.50 at 5 % for one day = 0.005 EUR exactly -> 0.01; 36.49 -> 0.00. */
    assert_int_equal(de_interest_compute(NULL, 0, 3650, d, d, 1, 500, 0, &in), 0);
    assert_int_equal(in.amount, 1);
    assert_int_equal(de_interest_compute(NULL, 0, 3649, d, d, 1, 500, 0, &in), 0);
    assert_int_equal(in.amount, 0);
    /* A period before the first base rate is refused, not guessed. */
    baton_date early = {2016, 6, 30};
    assert_int_equal(
        de_interest_compute(bundesbank, N(bundesbank), 100000, early, d, 0, 0, 500, &in),
        BATON_ENOENT);
    assert_int_equal(
        de_interest_compute(bundesbank, N(bundesbank), 100000, d, early, 0, 0, 500, &in),
        BATON_EINVAL);
}

static void base_rate_table_is_checked(void **state)
{
    (void)state;
    assert_int_equal(de_base_rates_check(bundesbank, N(bundesbank)), 0);
    de_base_rate bad_day[] = {{{2025, 1, 2}, 227}};
    de_base_rate unordered[] = {{{2025, 7, 1}, 127}, {{2025, 1, 1}, 227}};
    assert_int_equal(de_base_rates_check(bad_day, 1), BATON_EINVAL);
    assert_int_equal(de_base_rates_check(unordered, 2), BATON_EINVAL);
    assert_int_equal(de_base_rates_check(NULL, 0), BATON_EINVAL);
    int32_t bp;
    baton_date d = {2025, 6, 30}, e = {2025, 7, 1};
    assert_int_equal(de_base_rate_at(bundesbank, N(bundesbank), d, &bp), 0);
    assert_int_equal(bp, 227);
    assert_int_equal(de_base_rate_at(bundesbank, N(bundesbank), e, &bp), 0);
    assert_int_equal(bp, 127);
}

static void expect_deadline(baton_date due, const baton_date *acts, size_t n, baton_date want)
{
    baton_date got = de_limitation_deadline(due, acts, n, NULL);
    if (baton_date_cmp(got, want) != 0)
        fail_msg("due %04d-%02d-%02d: deadline %04d-%02d-%02d, want %04d-%02d-%02d", due.year,
                 due.month, due.day, got.year, got.month, got.day, want.year, want.month, want.day);
}

static void limitation_runs_to_31_december_three_years_on(void **state)
{
    (void)state;
    /* Due 15.03.2021: period starts 31.12.2021 24:00, ends 31.12.2024 (Tue). */
    expect_deadline((baton_date){2021, 3, 15}, NULL, 0, (baton_date){2024, 12, 31});
    /* Due on the last day of a year and on the first: same deadline. */
    expect_deadline((baton_date){2022, 12, 31}, NULL, 0, (baton_date){2025, 12, 31});
    expect_deadline((baton_date){2022, 1, 1}, NULL, 0, (baton_date){2025, 12, 31});
    /* 31.12.2023 was a Sunday and 01.01.2024 Neujahr: § 193 BGB moves the
     * end to Tuesday 02.01.2024. */
    expect_deadline((baton_date){2020, 6, 30}, NULL, 0, (baton_date){2024, 1, 2});
}

static void limitation_restarts_on_acknowledgment(void **state)
{
    (void)state;
    /* Part payment 10.06.2024 inside the period: new three years to
     * 10.06.2027 (§ 212 Abs. 1 Nr. 1, § 188 Abs. 2 BGB). */
    baton_date pay[] = {{2024, 6, 10}};
    expect_deadline((baton_date){2021, 3, 15}, pay, 1, (baton_date){2027, 6, 10});
    /* An acknowledgment in the year the claim arose does not shorten the
     * period that only starts at the year's end. */
    baton_date early[] = {{2023, 5, 1}};
    expect_deadline((baton_date){2023, 2, 1}, early, 1, (baton_date){2026, 12, 31});
    /* A payment after the period ran out (02.01.2023, moved from Saturday
     * 31.12.2022) restarts nothing. */
    baton_date late[] = {{2023, 2, 1}};
    expect_deadline((baton_date){2019, 5, 1}, late, 1, (baton_date){2023, 1, 2});
    /* A renewed period ending on Good Friday 03.04.2026 runs over Easter to
     * Tuesday 07.04.2026. */
    baton_date ack[] = {{2023, 4, 3}};
    expect_deadline((baton_date){2022, 11, 1}, ack, 1, (baton_date){2026, 4, 7});
}

/* A base rate that changes on the last day of the period applies to that
 * day: 1,000.00 from 01.06.2023 to 01.07.2023 at 1.62+5 % for 30 days and
 * 3.12+5 % for 1 day: (662 * 30 + 812) * 100000 / 3650000 = 566.36 ct ->
 * 5.66 EUR (one rate for all 31 days would give 5.62). */
static void interest_rate_change_on_the_last_day(void **state)
{
    (void)state;
    de_interest in;
    baton_date from = {2023, 6, 1}, to = {2023, 7, 1};
    assert_int_equal(
        de_interest_compute(bundesbank, N(bundesbank), 100000, from, to, 0, 0, 500, &in), 0);
    assert_int_equal(in.nseg, 2);
    assert_int_equal(in.seg[0].days, 30);
    assert_int_equal(in.seg[1].days, 1);
    assert_int_equal(in.seg[1].rate_bp, 812);
    assert_int_equal(in.amount, 566);
}

/* An acknowledgment on the last day of the period (moved by § 193 BGB)
 * is still inside it and renews it: due 01.05.2019, the period ends
 * Saturday 31.12.2022, moved to Monday 02.01.2023 (Neujahr is Sunday);
 * an acknowledgment that Monday runs a new three years to 02.01.2026. */
static void acknowledgment_on_the_last_day_renews(void **state)
{
    (void)state;
    baton_date ack[] = {{2023, 1, 2}};
    expect_deadline((baton_date){2019, 5, 1}, ack, 1, (baton_date){2026, 1, 2});
}

static void public_holidays_and_easter(void **state)
{
    (void)state;
    baton_date e24 = de_easter(2024), e25 = de_easter(2025), e26 = de_easter(2026);
    assert_true(e24.month == 3 && e24.day == 31);
    assert_true(e25.month == 4 && e25.day == 20);
    assert_true(e26.month == 4 && e26.day == 5);
    assert_true(de_is_non_working_day((baton_date){2026, 5, 14}));  /* Himmelfahrt */
    assert_true(de_is_non_working_day((baton_date){2026, 5, 25}));  /* Pfingstmontag */
    assert_true(de_is_non_working_day((baton_date){2025, 10, 3}));  /* Einheit (Fri) */
    assert_false(de_is_non_working_day((baton_date){2026, 5, 13})); /* Wednesday */
}

static int closed_in(baton_date d, uint32_t land)
{
    return bpc_calendar_closed(&de_court_calendar, d, land, NULL, NULL);
}

/* The Land table: well formed, its nationwide days equal to the computed
 * nationwide holidays for every day of 2021-2030, and Land days on both
 * sides of a border. */
static void land_holidays_by_feiertagsgesetz(void **state)
{
    (void)state;
    assert_int_equal(bpc_calendar_check(&de_court_calendar), 0);
    for (baton_date d = {2021, 1, 1}; d.year <= 2030; d = baton_date_add_days(d, 1))
        assert_int_equal(closed_in(d, 0), de_is_non_working_day(d));

    baton_date buss = {2026, 11, 18}, reformation = {2026, 10, 31}, fronleichnam = {2026, 6, 4};
    baton_date allerheiligen = {2027, 11, 1}, frauentag_mv_2022 = {2022, 3, 8},
               frauentag_mv_2023 = {2023, 3, 8}, befreiung = {2025, 5, 8}, kinder = {2026, 9, 21};
    /* Buß- und Bettag 2026: Wednesday 18 November, Saxony only. */
    assert_true(closed_in(buss, DE_LAND_BIT(DE_SN)));
    assert_false(closed_in(buss, DE_LAND_BIT(DE_BY)));
    /* Reformationstag is a Saturday in 2026: closed everywhere as a Saturday. */
    assert_true(closed_in(reformation, DE_LAND_BIT(DE_BY)));
    /* Fronleichnam 2026 (Easter 5 April + 60): NW yes, SN (only partly) no. */
    assert_true(closed_in(fronleichnam, DE_LAND_BIT(DE_NW)));
    assert_false(closed_in(fronleichnam, DE_LAND_BIT(DE_SN)));
    /* Allerheiligen 2027 (a Monday): BW yes, HH no. */
    assert_true(closed_in(allerheiligen, DE_LAND_BIT(DE_BW)));
    assert_false(closed_in(allerheiligen, DE_LAND_BIT(DE_HH)));
    /* Frauentag: Berlin always, Mecklenburg-Vorpommern from 2023. */
    assert_true(closed_in(frauentag_mv_2023, DE_LAND_BIT(DE_MV)));
    assert_false(closed_in(frauentag_mv_2022, DE_LAND_BIT(DE_MV)));
    assert_true(closed_in(frauentag_mv_2022, DE_LAND_BIT(DE_BE)));
    /* 8 May 2025, Berlin only, once. */
    assert_true(closed_in(befreiung, DE_LAND_BIT(DE_BE)));
    assert_false(closed_in(befreiung, DE_LAND_BIT(DE_BB)));
    /* Weltkindertag is 20 September: the 21st is an ordinary Monday. */
    assert_false(closed_in(kinder, DE_LAND_BIT(DE_TH)));

    const char *code = NULL;
    assert_int_equal(de_land_from("DE-BY", &code), DE_LAND_BIT(DE_BY));
    assert_string_equal(code, "BY");
    assert_int_equal(de_land_from("Thüringen", &code), DE_LAND_BIT(DE_TH));
    assert_int_equal(de_land_from("Bavaria", &code), 0);
}

/* The shipped Basiszinssatz, each half-year from 2023 (Deutsche Bundesbank). */
static void shipped_basiszinssatz(void **state)
{
    (void)state;
    const bpc_dated_value *v;
    baton_date jun26 = {2026, 6, 30}, jul26 = {2026, 7, 1}, jan27 = {2027, 1, 1};
    assert_int_equal(bpc_dated_check(&de_basiszinssatz), 0);
    assert_int_equal(bpc_dated_lookup(&de_basiszinssatz, jun26, &v), 0);
    assert_int_equal(v->value, 127);
    assert_int_equal(bpc_dated_lookup(&de_basiszinssatz, jul26, &v), 0);
    assert_int_equal(v->value, 152);
    assert_int_equal(bpc_dated_lookup(&de_basiszinssatz, jan27, &v), BPC_BEYOND_HORIZON);
    assert_int_equal(bpc_dated_check(&de_fee_tables), 0);
    assert_int_equal(bpc_dated_check(&de_amtsgericht_limits), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gkg_2021_matches_anlage_2_at_every_step_edge),
        cmocka_unit_test(gkg_2025_matches_anlage_2_at_every_step_edge),
        cmocka_unit_test(rvg_2021_matches_anlage_2_at_every_step_edge),
        cmocka_unit_test(rvg_2025_matches_anlage_2_at_every_step_edge),
        cmocka_unit_test(version_changes_on_1_june_2025),
        cmocka_unit_test(mahnverfahren_fee_has_its_statutory_minimum),
        cmocka_unit_test(lawyer_fee_rates_round_half_up_and_pauschale_is_capped),
        cmocka_unit_test(pauschale_rounds_half_up_at_the_cent_and_caps_at_20_eur),
        cmocka_unit_test(interest_rate_change_on_the_last_day),
        cmocka_unit_test(acknowledgment_on_the_last_day_renews),
        cmocka_unit_test(amtsgericht_limit_rises_on_1_january_2026),
        cmocka_unit_test(interest_consumer_and_b2b_over_a_rate_change),
        cmocka_unit_test(interest_across_a_negative_base_rate),
        cmocka_unit_test(interest_rounds_half_up_once),
        cmocka_unit_test(base_rate_table_is_checked),
        cmocka_unit_test(limitation_runs_to_31_december_three_years_on),
        cmocka_unit_test(limitation_restarts_on_acknowledgment),
        cmocka_unit_test(public_holidays_and_easter),
        cmocka_unit_test(land_holidays_by_feiertagsgesetz),
        cmocka_unit_test(shipped_basiszinssatz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
