/*
 * test_gb_ew_tables.c - the England & Wales rule tables, edge by edge.
 *
 * Every expected value below is typed in from the published source named
 * next to its table, or worked out by hand from the statute's formula (the
 * working is in the comment), never taken from the plugin's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gb_ew.h"

static baton_date D(int y, int m, int d)
{
    baton_date r = {y, m, d};
    return r;
}

/* ------------------------------------------------------------------ fees */

typedef struct fee_case {
    int64_t claim_minor;
    int64_t fee_minor;
} fee_case;

/*
 * CPFO 2008 Sch. 1 fee 1.1 as substituted by S.I. 2015/576 art. 2(3):
 * (a) not over £300 £35; (b) £500 £50; (c) £1,000 £70; (d) £1,500 £80;
 * (e) £3,000 £115; (f) £5,000 £205; (g) £10,000 £455; (h) not over
 * £200,000: 5% of the value of the claim (rounded down to the penny, per
 * gov.uk "Make a court claim for money: court fees"); (i) over £200,000
 * £10,000.
 */
static const fee_case fees_2015[] = {
    {1, 3500},                        /* £0.01 */
    {30000, 3500},                    /* £300.00 */
    {30001, 5000},                    /* £300.01 */
    {50000, 5000},                    /* £500.00 */
    {50001, 7000},                    /* £500.01 */
    {100000, 7000},                   /* £1,000.00 */
    {100001, 8000},                   /* £1,000.01 */
    {150000, 8000},                   /* £1,500.00 */
    {150001, 11500},                  /* £1,500.01 */
    {300000, 11500},                  /* £3,000.00 */
    {300001, 20500},                  /* £3,000.01 */
    {500000, 20500},                  /* £5,000.00 */
    {500001, 45500},                  /* £5,000.01 */
    {1000000, 45500},                 /* £10,000.00 */
    {1000001, 50000},                 /* £10,000.01: 5% = £500.0005 -> £500.00 */
    {1234567, 61728},                 /* £12,345.67: 5% = £617.2835 -> £617.28 */
    {1999999, 99999},                 /* £19,999.99: 5% = £999.9995 -> £999.99 */
    {19999999, 999999},               /* £199,999.99: 5% = £9,999.9995 -> £9,999.99 */
    {20000000, 1000000},              /* £200,000.00: 5% = £10,000.00 */
    {20000001, 1000000},              /* £200,000.01: fixed £10,000 */
    {100000000, 1000000},             /* £1,000,000.00 */
    {INT64_C(900000000000), 1000000}, /* £9bn */
};

/*
 * Fee 1.1 as substituted by S.I. 2014/874 (from 22 April 2014): ... (f)
 * £5,000 £205; (g) not over £15,000 £455; (h) £50,000 £610; (i) £100,000
 * £910; (j) £150,000 £1,115; (k) £200,000 £1,315; (l) £250,000 £1,515;
 * (m) £300,000 £1,720; (n) over £300,000 £1,920.
 */
static const fee_case fees_2014[] = {
    {30000, 3500},      {30001, 5000},      {300001, 20500},    {500000, 20500},
    {500001, 45500},    {1000001, 45500},   {1500000, 45500},   {1500001, 61000},
    {5000000, 61000},   {5000001, 91000},   {10000000, 91000},  {10000001, 111500},
    {15000000, 111500}, {15000001, 131500}, {20000000, 131500}, {20000001, 151500},
    {25000000, 151500}, {25000001, 172000}, {30000000, 172000}, {30000001, 192000},
};

static void run_fee_table(const fee_case *t, size_t n, baton_date filed)
{
    for (size_t i = 0; i < n; i++) {
        int64_t fee = -1;
        const char *basis = NULL;
        int rc = gbew_issue_fee(t[i].claim_minor, filed, &fee, &basis);
        if (rc != 0 || fee != t[i].fee_minor)
            print_error("claim %lld pence on %04d-%02d-%02d: got rc %d fee %lld, want %lld\n",
                        (long long)t[i].claim_minor, filed.year, filed.month, filed.day, rc,
                        (long long)fee, (long long)t[i].fee_minor);
        assert_int_equal(rc, 0);
        assert_int_equal(fee, t[i].fee_minor);
        assert_non_null(basis);
    }
}

static void test_issue_fee_2015_bands_at_every_edge(void **state)
{
    (void)state;
    run_fee_table(fees_2015, sizeof fees_2015 / sizeof fees_2015[0], D(2025, 11, 3));
    /* The 2015 table still applies on its first day. */
    run_fee_table(fees_2015, sizeof fees_2015 / sizeof fees_2015[0], D(2015, 3, 9));
}

static void test_issue_fee_2014_bands_before_9_march_2015(void **state)
{
    (void)state;
    run_fee_table(fees_2014, sizeof fees_2014 / sizeof fees_2014[0], D(2015, 3, 8));
    run_fee_table(fees_2014, sizeof fees_2014 / sizeof fees_2014[0], D(2014, 4, 22));
}

static void test_issue_fee_changes_on_9_march_2015(void **state)
{
    int64_t fee;
    const char *basis, *b2014;
    (void)state;
    /* £15,000.00: £455 under the 2014 table, 5% = £750.00 from 9 March 2015. */
    assert_int_equal(gbew_issue_fee(1500000, D(2015, 3, 8), &fee, &b2014), 0);
    assert_int_equal(fee, 45500);
    assert_int_equal(gbew_issue_fee(1500000, D(2015, 3, 9), &fee, &basis), 0);
    assert_int_equal(fee, 75000);
    assert_string_not_equal(basis, b2014);
    assert_non_null(strstr(basis, "2015/576"));
    /* £50,000.00: £610 then £2,500.00. */
    assert_int_equal(gbew_issue_fee(5000000, D(2015, 3, 8), &fee, &basis), 0);
    assert_int_equal(fee, 61000);
    assert_int_equal(gbew_issue_fee(5000000, D(2015, 3, 9), &fee, &basis), 0);
    assert_int_equal(fee, 250000);
    /* £250,000.00: £1,515 then £10,000. */
    assert_int_equal(gbew_issue_fee(25000000, D(2015, 3, 8), &fee, &basis), 0);
    assert_int_equal(fee, 151500);
    assert_int_equal(gbew_issue_fee(25000000, D(2015, 3, 9), &fee, &basis), 0);
    assert_int_equal(fee, 1000000);
}

static void test_issue_fee_refuses_dates_before_the_oldest_table(void **state)
{
    int64_t fee;
    const char *basis;
    (void)state;
    assert_int_equal(gbew_issue_fee(100000, D(2014, 4, 21), &fee, &basis), BATON_ERANGE);
    assert_int_equal(gbew_issue_fee(100000, D(2014, 4, 22), &fee, &basis), 0);
    assert_int_equal(gbew_issue_fee(0, D(2025, 1, 1), &fee, &basis), BATON_EINVAL);
    assert_int_equal(gbew_issue_fee(-100, D(2025, 1, 1), &fee, &basis), BATON_EINVAL);
}

/* -------------------------------------------------------------- interest */

typedef struct interest_case {
    int64_t principal;
    int32_t bp;
    int64_t days;
    int64_t want;
} interest_case;

/* principal x bp/10000 x days/365, truncated to the penny (worked by hand). */
static const interest_case interest_cases[] = {
    {100000, 800, 1, 21},       /* £1,000 8% 1 day: 21.917p -> 21p */
    {100000, 800, 365, 8000},   /* a full year: exactly £80.00 */
    {100000, 800, 366, 8021},   /* 366 days: 8021.917p -> £80.21 (no leap-year divisor) */
    {100000, 800, 228, 4997},   /* 4997.26p -> £49.97 */
    {742000, 1275, 207, 53652}, /* £7,420 at 12.75% for 207 days: 53652.698p -> £536.52 */
    {1, 800, 365, 0},           /* 0.08p -> 0 */
    {456250, 800, 1, 100},      /* exactly 100p */
    {100000, 800, 0, 0},        /* no days, no interest */
    {100000, 800, -5, 0},       /* evaluation before the start */
    {286000, 800, 227, 14229},  /* £2,860 8% 227 days: 14229.48p -> £142.29 */
};

static void test_simple_interest_truncates_the_total_to_the_penny(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof interest_cases / sizeof interest_cases[0]; i++) {
        const interest_case *c = &interest_cases[i];
        int64_t got = gbew_simple_interest(c->principal, c->bp, c->days);
        if (got != c->want)
            print_error("case %zu: got %lld want %lld\n", i, (long long)got, (long long)c->want);
        assert_int_equal(got, c->want);
    }
}

static void test_late_payment_reference_date_by_half_year(void **state)
{
    baton_date r;
    (void)state;
    /* S.I. 2002/1675: 31 Dec before, for interest starting 1 Jan-30 Jun; 30 Jun before,
     * for interest starting 1 Jul-31 Dec. */
    r = gbew_reference_date(D(2025, 1, 1));
    assert_true(baton_date_cmp(r, D(2024, 12, 31)) == 0);
    r = gbew_reference_date(D(2025, 4, 10));
    assert_true(baton_date_cmp(r, D(2024, 12, 31)) == 0);
    r = gbew_reference_date(D(2025, 6, 30));
    assert_true(baton_date_cmp(r, D(2024, 12, 31)) == 0);
    r = gbew_reference_date(D(2025, 7, 1));
    assert_true(baton_date_cmp(r, D(2025, 6, 30)) == 0);
    r = gbew_reference_date(D(2025, 12, 31));
    assert_true(baton_date_cmp(r, D(2025, 6, 30)) == 0);
}

static void test_base_rate_in_force_on_a_date(void **state)
{
    /* The shipped table against the Bank of England's Official Bank Rate
     * history: the rate on each Late Payment Act reference date. */
    int32_t bp = -1;
    (void)state;
    assert_int_equal(bpc_dated_check(&gbew_bank_rate), 0);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2009, 3, 4), &bp), BATON_ENOENT);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2022, 6, 30), &bp), 0);
    assert_int_equal(bp, 125);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2022, 12, 31), &bp), 0);
    assert_int_equal(bp, 350);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2023, 6, 30), &bp), 0);
    assert_int_equal(bp, 500);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2023, 12, 31), &bp), 0);
    assert_int_equal(bp, 525);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2024, 6, 30), &bp), 0);
    assert_int_equal(bp, 525);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2024, 12, 31), &bp), 0);
    assert_int_equal(bp, 475);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2025, 6, 30), &bp), 0);
    assert_int_equal(bp, 425);
    /* The change day itself uses the new rate; the day before the old one. */
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2025, 8, 6), &bp), 0);
    assert_int_equal(bp, 425);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2025, 8, 7), &bp), 0);
    assert_int_equal(bp, 400);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2025, 12, 17), &bp), 0);
    assert_int_equal(bp, 400);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2025, 12, 31), &bp), 0);
    assert_int_equal(bp, 375);
    /* Past the last MPC decision checked (5 February 2026): the newest
     * rate, flagged as beyond the horizon. */
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2026, 2, 5), &bp), 0);
    assert_int_equal(gbew_base_rate_on(&gbew_bank_rate, D(2026, 6, 30), &bp), BPC_BEYOND_HORIZON);
    assert_int_equal(bp, 375);
}

static void test_issue_fee_and_track_tables_are_well_formed(void **state)
{
    (void)state;
    assert_int_equal(bpc_dated_check(&gbew_issue_fee_table), 0);
    assert_int_equal(bpc_dated_check(&gbew_track_table), 0);
    assert_int_equal(bpc_calendar_check(&gbew_court_calendar), 0);
}

static void test_fixed_compensation_bands(void **state)
{
    (void)state;
    /* Late Payment of Commercial Debts (Interest) Act 1998 s.5A(2). */
    assert_int_equal(gbew_fixed_compensation(1), 4000);
    assert_int_equal(gbew_fixed_compensation(99999), 4000);     /* £999.99 */
    assert_int_equal(gbew_fixed_compensation(100000), 7000);    /* £1,000.00 */
    assert_int_equal(gbew_fixed_compensation(999999), 7000);    /* £9,999.99 */
    assert_int_equal(gbew_fixed_compensation(1000000), 10000);  /* £10,000.00 */
    assert_int_equal(gbew_fixed_compensation(50000000), 10000); /* £500,000.00 */
}

/* ------------------------------------------------------------ limitation */

static void assert_date(baton_date got, baton_date want)
{
    if (baton_date_cmp(got, want) != 0)
        print_error("got %04d-%02d-%02d want %04d-%02d-%02d\n", got.year, got.month, got.day,
                    want.year, want.month, want.day);
    assert_true(baton_date_cmp(got, want) == 0);
}

static void test_limitation_six_years_from_the_day_after_due(void **state)
{
    gbew_limitation l;
    (void)state;
    /* Due 10 April 2019: accrues 11 April 2019; last day 11 April 2025. */
    gbew_limitation_compute(D(2019, 4, 10), NULL, NULL, 0, &l);
    assert_date(l.accrual, D(2019, 4, 11));
    assert_date(l.deadline, D(2025, 4, 11));
    assert_int_equal(l.restarted, 0);
    /* Day before / on / after the deadline, as days left. */
    assert_int_equal(baton_date_diff(D(2025, 4, 10), l.deadline), 1);
    assert_int_equal(baton_date_diff(D(2025, 4, 11), l.deadline), 0);
    assert_int_equal(baton_date_diff(D(2025, 4, 12), l.deadline), -1);
}

static void test_limitation_restarts_on_part_payment_and_acknowledgment(void **state)
{
    gbew_limitation l;
    baton_date ev[2] = {D(2021, 2, 1), D(2020, 1, 15)};
    int kinds[2] = {1, 2};
    (void)state;
    gbew_limitation_compute(D(2019, 4, 10), ev, kinds, 2, &l);
    assert_date(l.accrual, D(2021, 2, 1));
    assert_date(l.deadline, D(2027, 2, 1));
    assert_int_equal(l.restarted, 1);
}

static void test_limitation_is_not_revived_after_expiry(void **state)
{
    gbew_limitation l;
    baton_date ev[1] = {D(2025, 4, 12)}; /* one day too late */
    int kinds[1] = {2};
    (void)state;
    gbew_limitation_compute(D(2019, 4, 10), ev, kinds, 1, &l);
    assert_date(l.deadline, D(2025, 4, 11));
    assert_int_equal(l.restarted, 0);
    /* On the last day it still restarts. */
    ev[0] = D(2025, 4, 11);
    gbew_limitation_compute(D(2019, 4, 10), ev, kinds, 1, &l);
    assert_date(l.deadline, D(2031, 4, 11));
    assert_int_equal(l.restarted, 2);
}

/* A payment or acknowledgment on the accrual day itself changes nothing
 * (s.29(5): the right accrues that day anyway), so no restart is
 * reported. */
static void test_limitation_event_on_the_accrual_day_is_no_restart(void **state)
{
    gbew_limitation l;
    baton_date ev[1] = {D(2019, 4, 11)};
    int kinds[1] = {1};
    (void)state;
    gbew_limitation_compute(D(2019, 4, 10), ev, kinds, 1, &l);
    assert_date(l.deadline, D(2025, 4, 11));
    assert_int_equal(l.restarted, 0);
}

static void test_limitation_chains_restarts_and_ignores_early_payments(void **state)
{
    gbew_limitation l;
    baton_date ev[3] = {D(2025, 12, 1), D(2018, 1, 1), D(2020, 1, 1)};
    int kinds[3] = {1, 1, 2};
    (void)state;
    /* Payment on account before accrual does nothing; ack 2020 restarts to
     * 2026-01-01; payment 2025-12-01 (in time) restarts to 2031-12-01. */
    gbew_limitation_compute(D(2019, 4, 10), ev, kinds, 3, &l);
    assert_date(l.deadline, D(2031, 12, 1));
    assert_int_equal(l.restarted, 1);
}

static void test_limitation_leap_day_accrual(void **state)
{
    gbew_limitation l;
    (void)state;
    gbew_limitation_compute(D(2020, 2, 28), NULL, NULL, 0, &l);
    assert_date(l.accrual, D(2020, 2, 29));
    assert_date(l.deadline, D(2026, 2, 28));
}

/* ----------------------------------------------------------------- route */

static void test_track_edges(void **state)
{
    (void)state;
    /* CPR 26.9 from 1 October 2023. */
    baton_date d = D(2023, 10, 1), before = D(2023, 9, 30);
    assert_int_equal(gbew_track_for(1, d), GBEW_TRACK_SMALL);
    assert_int_equal(gbew_track_for(1000000, d), GBEW_TRACK_SMALL);         /* £10,000.00 */
    assert_int_equal(gbew_track_for(1000001, d), GBEW_TRACK_FAST);          /* £10,000.01 */
    assert_int_equal(gbew_track_for(2500000, d), GBEW_TRACK_FAST);          /* £25,000.00 */
    assert_int_equal(gbew_track_for(2500001, d), GBEW_TRACK_INTERMEDIATE);  /* £25,000.01 */
    assert_int_equal(gbew_track_for(10000000, d), GBEW_TRACK_INTERMEDIATE); /* £100,000.00 */
    assert_int_equal(gbew_track_for(10000001, d), GBEW_TRACK_MULTI);        /* £100,000.01 */
    /* Before 1 October 2023 there was no intermediate track (CPR 26.6). */
    assert_int_equal(gbew_track_for(1000000, before), GBEW_TRACK_SMALL);
    assert_int_equal(gbew_track_for(2500000, before), GBEW_TRACK_FAST);
    assert_int_equal(gbew_track_for(2500001, before), GBEW_TRACK_MULTI);
    assert_string_equal(gbew_track_name(GBEW_TRACK_SMALL), "small_claims");
    assert_string_equal(gbew_track_name(GBEW_TRACK_INTERMEDIATE), "intermediate");
}

static void test_pap_earliest_issue_is_day_31(void **state)
{
    (void)state;
    /* Letter 16 Oct 2025: reply by 15 Nov 2025, claim from 16 Nov 2025. */
    assert_date(gbew_pap_earliest_issue(D(2025, 10, 16)), D(2025, 11, 16));
    /* Across a year end and February. */
    assert_date(gbew_pap_earliest_issue(D(2025, 12, 15)), D(2026, 1, 15));
    assert_date(gbew_pap_earliest_issue(D(2024, 1, 31)), D(2024, 3, 2));
}

/* ------------------------------------------------------------------ text */

static void test_money_and_date_text(void **state)
{
    char buf[64];
    (void)state;
    gbew_money_text(baton_money_make(123456789, "GBP"), buf, sizeof buf);
    assert_string_equal(buf, "\xc2\xa3"
                             "1,234,567.89");
    gbew_money_text(baton_money_make(5, "GBP"), buf, sizeof buf);
    assert_string_equal(buf, "\xc2\xa3"
                             "0.05");
    gbew_money_text(baton_money_make(100000, "EUR"), buf, sizeof buf);
    assert_string_equal(buf, "1,000.00 EUR");
    gbew_date_text(D(2025, 11, 3), buf, sizeof buf);
    assert_string_equal(buf, "3 November 2025");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_fee_2015_bands_at_every_edge),
        cmocka_unit_test(test_issue_fee_2014_bands_before_9_march_2015),
        cmocka_unit_test(test_issue_fee_changes_on_9_march_2015),
        cmocka_unit_test(test_issue_fee_refuses_dates_before_the_oldest_table),
        cmocka_unit_test(test_simple_interest_truncates_the_total_to_the_penny),
        cmocka_unit_test(test_late_payment_reference_date_by_half_year),
        cmocka_unit_test(test_base_rate_in_force_on_a_date),
        cmocka_unit_test(test_issue_fee_and_track_tables_are_well_formed),
        cmocka_unit_test(test_fixed_compensation_bands),
        cmocka_unit_test(test_limitation_six_years_from_the_day_after_due),
        cmocka_unit_test(test_limitation_restarts_on_part_payment_and_acknowledgment),
        cmocka_unit_test(test_limitation_is_not_revived_after_expiry),
        cmocka_unit_test(test_limitation_chains_restarts_and_ignores_early_payments),
        cmocka_unit_test(test_limitation_event_on_the_accrual_day_is_no_restart),
        cmocka_unit_test(test_limitation_leap_day_accrual),
        cmocka_unit_test(test_track_edges),
        cmocka_unit_test(test_pap_earliest_issue_is_day_31),
        cmocka_unit_test(test_money_and_date_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
