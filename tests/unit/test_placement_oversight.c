/* test_placement_oversight.c - per-firm figures from placement ledgers
 * (placement_oversight.h): sums, ratios half up to 4 digits, medians,
 * the forecast, JSON and RFC 4180 CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "placement_oversight.h"

static void ratios_have_four_digits_rounded_half_up(void **state)
{
    char b[32];
    (void)state;
    static const struct {
        int64_t num, den;
        const char *want;
    } cases[] = {
        {1, 3, "0.3333"},
        {2, 3, "0.6667"},
        {1, 8, "0.1250"},
        {1, 20000, "0.0001"},
        {1, 20001, "0.0000"},
        {99995, 100000, "1.0000"},
        {0, 7, "0.0000"},
        {5, 2, "2.5000"},
        {INT64_MAX, 1, "9223372036854775807.0000"},
        {7, 7, "1.0000"},
        {199999, 200000, "1.0000"},
        {1999, 20000, "0.1000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(bh_ratio_text(cases[i].num, cases[i].den, b, sizeof b), 0);
        if (strcmp(b, cases[i].want) != 0)
            fail_msg("%lld/%lld: %s, wanted %s", (long long)cases[i].num, (long long)cases[i].den,
                     b, cases[i].want);
    }
    assert_int_equal(bh_ratio_text(1, INT64_MAX / 10 + 1, b, sizeof b), BATON_ERANGE);
    assert_int_equal(bh_ratio_text(1, 0, b, sizeof b), BATON_ERANGE);
    assert_int_equal(bh_ratio_text(-1, 3, b, sizeof b), BATON_ERANGE);
}

static void medians_of_days_have_one_digit(void **state)
{
    char b[32];
    (void)state;
    int64_t one[] = {5}, two[] = {4, 1}, three[] = {3, 1, 2}, neg[] = {-3, 0}, half[] = {0, -1};
    bh_median_days_text(one, 1, b, sizeof b);
    assert_string_equal(b, "5.0");
    bh_median_days_text(two, 2, b, sizeof b);
    assert_string_equal(b, "2.5");
    bh_median_days_text(three, 3, b, sizeof b);
    assert_string_equal(b, "2.0");
    bh_median_days_text(neg, 2, b, sizeof b);
    assert_string_equal(b, "-1.5");
    bh_median_days_text(half, 2, b, sizeof b);
    assert_string_equal(b, "-0.5");
}

static bh_placement placement(const char *firm, const char *currency, int64_t placed,
                              int forecast_known, int64_t forecast)
{
    bh_placement p;
    memset(&p, 0, sizeof p);
    snprintf(p.firm, sizeof p.firm, "%s", firm);
    snprintf(p.currency, sizeof p.currency, "%s", currency);
    p.placed = (baton_date){2026, 1, 5};
    p.placed_minor = placed;
    p.forecast_known = forecast_known;
    p.forecast_minor = forecast;
    return p;
}

static void rows_per_firm_and_currency_in_json_and_csv(void **state)
{
    bh_oversight *o = bh_oversight_new();
    char err[200];
    (void)state;
    assert_non_null(o);
    /* harbor-law, GBP: three cases. */
    bh_placement p1 = placement("harbor-law", "GBP", 120000, 1, 80000);
    bh_placement_ledger l1 = {.status = BH_PLACEMENT_IN_SUIT,
                              .collected = 50000,
                              .costs = 5000,
                              .has_suit = 1,
                              .days_to_suit = 15};
    int64_t lags1[] = {10};
    l1.remittance_lags = lags1;
    l1.n_remittance_lags = 1;
    bh_placement p2 = placement("harbor-law", "GBP", 60000, 0, 0);
    bh_placement_ledger l2 = {.status = BH_PLACEMENT_ACKNOWLEDGED, .flags = BH_FLAG_STALLED};
    bh_placement p3 = placement("harbor-law", "GBP", 30001, 1, 20000);
    bh_placement_ledger l3 = {.status = BH_PLACEMENT_CLOSED,
                              .collected = 20000,
                              .costs = 2001,
                              .credits = 10001,
                              .has_suit = 1,
                              .days_to_suit = 20,
                              .has_judgment = 1,
                              .days_to_judgment = 40};
    int64_t lags3[] = {3, 30};
    l3.remittance_lags = lags3;
    l3.n_remittance_lags = 2;
    /* baker-legal, EUR, and harbor-law again in EUR. */
    bh_placement p4 = placement("baker-legal", "EUR", 10000, 1, 12000);
    bh_placement_ledger l4 = {.status = BH_PLACEMENT_PLACED, .collected = 15000};
    bh_placement p5 = placement("harbor-law", "EUR", 5000, 1, 1000);
    bh_placement_ledger l5 = {.status = BH_PLACEMENT_RETURNED};
    assert_int_equal(bh_oversight_add(o, &p1, &l1, err, sizeof err), 0);
    assert_int_equal(bh_oversight_add(o, &p2, &l2, err, sizeof err), 0);
    assert_int_equal(bh_oversight_add(o, &p3, &l3, err, sizeof err), 0);
    assert_int_equal(bh_oversight_add(o, &p4, &l4, err, sizeof err), 0);
    assert_int_equal(bh_oversight_add(o, &p5, &l5, err, sizeof err), 0);

    cJSON *rows = NULL;
    assert_int_equal(bh_oversight_json(o, &rows, err, sizeof err), 0);
    char *text = cJSON_PrintUnformatted(rows);
    assert_string_equal(
        text,
        "[{\"firm\":\"baker-legal\",\"currency\":\"EUR\",\"cases_placed\":1,\"active\":1,"
        "\"closed\":0,\"amount_placed\":\"100.00\",\"collected\":\"150.00\","
        "\"collection_rate\":\"1.5000\",\"closure_rate\":\"0.0000\",\"costs\":\"0.00\","
        "\"legal_cost_per_case\":\"0.00\",\"cost_to_collect\":\"0.0000\",\"credits\":\"0.00\","
        "\"share_of_credits\":\"0.0000\",\"median_days_to_suit\":null,"
        "\"median_days_to_judgment\":null,\"stalled\":0,\"median_remittance_lag_days\":null,"
        "\"forecast_expected\":\"120.00\",\"forecast_remaining\":\"0.00\","
        "\"forecast_unknown\":0},"
        "{\"firm\":\"harbor-law\",\"currency\":\"EUR\",\"cases_placed\":1,\"active\":0,"
        "\"closed\":1,\"amount_placed\":\"50.00\",\"collected\":\"0.00\","
        "\"collection_rate\":\"0.0000\",\"closure_rate\":\"1.0000\",\"costs\":\"0.00\","
        "\"legal_cost_per_case\":\"0.00\",\"cost_to_collect\":null,\"credits\":\"0.00\","
        "\"share_of_credits\":\"0.0000\",\"median_days_to_suit\":null,"
        "\"median_days_to_judgment\":null,\"stalled\":0,\"median_remittance_lag_days\":null,"
        "\"forecast_expected\":\"0.00\",\"forecast_remaining\":\"0.00\","
        "\"forecast_unknown\":0},"
        "{\"firm\":\"harbor-law\",\"currency\":\"GBP\",\"cases_placed\":3,\"active\":2,"
        "\"closed\":1,\"amount_placed\":\"2100.01\",\"collected\":\"700.00\","
        "\"collection_rate\":\"0.3333\",\"closure_rate\":\"0.3333\",\"costs\":\"70.01\","
        "\"legal_cost_per_case\":\"23.34\",\"cost_to_collect\":\"0.1000\","
        "\"credits\":\"100.01\",\"share_of_credits\":\"0.0476\","
        "\"median_days_to_suit\":\"17.5\",\"median_days_to_judgment\":\"40.0\",\"stalled\":1,"
        "\"median_remittance_lag_days\":\"10.0\",\"forecast_expected\":\"800.00\","
        "\"forecast_remaining\":\"300.00\",\"forecast_unknown\":1}]");
    free(text);
    cJSON_Delete(rows);

    char *csv = NULL;
    size_t len = 0;
    assert_int_equal(bh_oversight_csv(o, &csv, &len, err, sizeof err), 0);
    assert_int_equal(len, strlen(csv));
    assert_string_equal(
        csv, "firm,currency,cases_placed,active,closed,amount_placed,collected,collection_rate,"
             "closure_rate,costs,legal_cost_per_case,cost_to_collect,credits,share_of_credits,"
             "median_days_to_suit,median_days_to_judgment,stalled,median_remittance_lag_days,"
             "forecast_expected,forecast_remaining,forecast_unknown\r\n"
             "baker-legal,EUR,1,1,0,100.00,150.00,1.5000,0.0000,0.00,0.00,0.0000,0.00,0.0000,,,0,"
             ",120.00,0.00,0\r\n"
             "harbor-law,EUR,1,0,1,50.00,0.00,0.0000,1.0000,0.00,0.00,,0.00,0.0000,,,0,,0.00,0.00,"
             "0\r\n"
             "harbor-law,GBP,3,2,1,2100.01,700.00,0.3333,0.3333,70.01,23.34,0.1000,100.01,0.0476,"
             "17.5,40.0,1,10.0,800.00,300.00,1\r\n");
    free(csv);
    bh_oversight_free(o);
}

static void csv_quotes_a_field_as_rfc_4180_says(void **state)
{
    bh_oversight *o = bh_oversight_new();
    char err[200], *csv;
    size_t len;
    (void)state;
    bh_placement p = placement("x,\"y\"", "GBP", 100, 0, 0);
    bh_placement_ledger l = {.status = BH_PLACEMENT_PLACED};
    assert_int_equal(bh_oversight_add(o, &p, &l, err, sizeof err), 0);
    assert_int_equal(bh_oversight_csv(o, &csv, &len, err, sizeof err), 0);
    assert_non_null(strstr(csv, "\r\n\"x,\"\"y\"\"\",GBP,1,"));
    free(csv);
    bh_oversight_free(o);
}

static void sums_that_do_not_fit_are_refused(void **state)
{
    bh_oversight *o = bh_oversight_new();
    char err[200];
    (void)state;
    bh_placement p = placement("harbor-law", "GBP", INT64_MAX, 0, 0);
    bh_placement_ledger l = {.status = BH_PLACEMENT_PLACED};
    assert_int_equal(bh_oversight_add(o, &p, &l, err, sizeof err), 0);
    assert_int_equal(bh_oversight_add(o, &p, &l, err, sizeof err), BATON_ERANGE);
    assert_string_equal(err, "the amount placed of harbor-law does not fit 64-bit minor units");
    bh_oversight_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ratios_have_four_digits_rounded_half_up),
        cmocka_unit_test(medians_of_days_have_one_digit),
        cmocka_unit_test(rows_per_firm_and_currency_in_json_and_csv),
        cmocka_unit_test(csv_quotes_a_field_as_rfc_4180_says),
        cmocka_unit_test(sums_that_do_not_fit_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
