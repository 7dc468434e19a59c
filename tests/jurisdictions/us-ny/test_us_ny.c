/*
 * test_us_ny.c - table-driven tests of the us-ny plugin through the host
 * runtime: small-claims and commercial-claims limits and fees by court on
 * both sides of every edge, the five-a-month rule, the Civil Court and
 * Supreme Court routes; limitation (CPLR 214-i three years, CPLR 213(2)
 * six) at the last day and the day after, deadlines moved by GCL § 25-a
 * over a weekend, Lincoln's Birthday and Election Day, one not moved; no
 * revival by payment; the CPLR 3016(j) items; CPLR 5004 2 % vs 9 % on both
 * sides of 2022-04-30; the Regulation F validation period; the NY
 * validation notice with the 23 NYCRR 1.2 and 1.3 disclosures.
 *
 * Expected figures are typed in from the sources named at each table
 * (CCA/UCCA/UJCA 1801, 1801-A, 1803, 1803-A, CCA 202, CPLR 8018, 5004,
 * 213, 214-i, GCL §§ 24, 25-a, 12 CFR 1006.34, 23 NYCRR 1.2, 1.3), never
 * computed by the plugin's own code.
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
    "{\"case_id\":\"NY-T-1\",\"jurisdiction\":\"us-ny\",\"as_of\":\"2026-03-02\","
    "\"creditor\":{\"name\":\"Hudson Valley Printing Corp\",\"kind\":\"business\","
    "\"address\":{\"lines\":[\"200 Main St\"],\"city\":\"Poughkeepsie\",\"region\":\"NY\","
    "\"postcode\":\"12601\",\"country\":\"US\"}},"
    "\"debtor\":{\"name\":\"Midtown Events LLC\",\"kind\":\"business\",\"identity_verified\":true,"
    "\"address\":{\"lines\":[\"500 Seventh Ave\"],\"city\":\"New York\",\"region\":\"NY\","
    "\"postcode\":\"10018\",\"country\":\"US\"}},"
    "\"claim\":{\"principal\":{\"amount\":\"1000.00\",\"currency\":\"USD\"},"
    "\"reference\":\"HVP-1\",\"contract_type\":\"written\",\"due_date\":\"2025-10-31\","
    "\"interest\":{\"statutory\":false}},"
    "\"documents\":[{\"kind\":\"agreement\"}],"
    "\"letters_sent\":[],\"disputes\":[],\"assignments\":[],"
    "\"ext\":{\"us-ny\":{\"commercial_claims_this_month\":0}}}";

static cJSON *new_case(void)
{
    cJSON *c = cJSON_Parse(base_case);
    assert_non_null(c);
    return c;
}

static cJSON *consumer_case(void)
{
    cJSON *c = new_case();
    set_str(c, "debtor.name", "Angela Russo");
    set_str(c, "debtor.kind", "individual");
    return c;
}

/* ---- routes and fees ---- */

struct route_row {
    const char *court, *creditor_kind, *debtor_kind, *amount;
    int this_month; /* -1: not given */
    const char *track;
    int64_t fee; /* cents, -1 none */
};

/* Small claims: NYC $10,000 (CCA 1801), City Courts $5,000 (UCCA 1801),
 * Town/Village $3,000 (UJCA 1801); $15 up to $1,000, $20 above; Town and
 * Village $10 / $15. Commercial claims: NYC $10,000, City $5,000, $25,
 * five a calendar month (CCA/UCCA 1803-A). NYC Civil Court to $50,000
 * (CCA 202): $45, $140 for a consumer credit transaction; above it Supreme
 * Court, $210 (CPLR 8018(a)). */
static const struct route_row route_rows[] = {
    {"nyc", "individual", "business", "1000.00", 0, "small_claims", 1500},
    {"nyc", "individual", "business", "1000.01", 0, "small_claims", 2000},
    {"nyc", "individual", "business", "10000.00", 0, "small_claims", 2000},
    {"nyc", "individual", "business", "10000.01", 0, "civil_court", 4500},
    {"city", "individual", "business", "5000.00", 0, "small_claims", 2000},
    {"city", "individual", "business", "5000.01", 0, "civil_action", -1},
    {"town_village", "individual", "business", "1000.00", 0, "small_claims", 1000},
    {"town_village", "individual", "business", "1000.01", 0, "small_claims", 1500},
    {"town_village", "individual", "business", "3000.00", 0, "small_claims", 1500},
    {"town_village", "sole_trader", "business", "3000.01", 0, "civil_action", -1},
    {"nyc", "business", "business", "10000.00", 0, "commercial_claims", 2500},
    {"nyc", "business", "business", "10000.01", 0, "civil_court", 4500},
    {"nyc", "business", "individual", "10000.01", 0, "civil_court", 14000},
    {"city", "business", "business", "5000.00", 0, "commercial_claims", 2500},
    {"city", "business", "business", "5000.01", 0, "civil_action", -1},
    {"nyc", "business", "business", "5000.00", 4, "commercial_claims", 2500},
    {"nyc", "business", "business", "5000.00", 5, "civil_court", 4500},
    {"nyc", "business", "business", "50000.00", 0, "civil_court", 4500},
    {"nyc", "business", "business", "50000.01", 0, "supreme_court", 21000},
};

static void route_and_fee_by_court_at_every_edge(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof route_rows / sizeof route_rows[0]; i++) {
        const struct route_row *t = &route_rows[i];
        cJSON *c = new_case();
        set_str(c, "ext.us-ny.court", t->court);
        set_str(c, "creditor.kind", t->creditor_kind);
        set_str(c, "debtor.kind", t->debtor_kind);
        set_str(c, "claim.principal.amount", t->amount);
        set_int(c, "ext.us-ny.commercial_claims_this_month", t->this_month);
        cJSON *a = evaluate(c);
        const char *track = fact_str(a, "route.track");
        if (strcmp(track, t->track) != 0 || cost(a, "court_fee") != t->fee)
            fail_msg("row %zu (%s %s %s): %s %lld, expected %s %lld", i, t->court, t->creditor_kind,
                     t->amount, track, (long long)cost(a, "court_fee"), t->track,
                     (long long)t->fee);
        if (t->fee < 0)
            assert_string_equal(finding(a, "filing_fee_not_tabulated"), "warn");
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void assignee_cannot_use_small_claims(void **state)
{
    (void)state;
    /* CCA 1809: no small claim by an assignee; commercial claims admit one */
    cJSON *c = new_case();
    set_str(c, "ext.us-ny.court", "nyc");
    set_str(c, "creditor.kind", "individual");
    set_json(c, "assignments", "[{\"from\":\"Old Co\",\"to\":\"X\",\"date\":\"2025-11-01\"}]");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "commercial_claims");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void commercial_claim_needs_certification_and_consumer_demand_letter(void **state)
{
    (void)state;
    cJSON *c = consumer_case();
    set_str(c, "ext.us-ny.court", "nyc");
    set_item(c, "ext.us-ny.commercial_claims_this_month", cJSON_CreateNull());
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "commercial_claims_certification"), "missing");
    assert_string_equal(finding(a, "commercial_demand_letter"), "missing");
    cJSON_Delete(a);
    /* CCA 1803-A(b): 10 to 180 days before filing */
    set_json(c, "letters_sent", "[{\"kind\":\"final_demand\",\"date\":\"2026-02-20\"}]");
    a = evaluate(c); /* 10 days before 2026-03-02 */
    assert_string_equal(finding(a, "commercial_demand_letter"), "met");
    cJSON_Delete(a);
    set_json(c, "letters_sent", "[{\"kind\":\"final_demand\",\"date\":\"2026-02-21\"}]");
    a = evaluate(c); /* 9 days: too late */
    assert_string_equal(finding(a, "commercial_demand_letter"), "missing");
    cJSON_Delete(a);
    set_json(c, "letters_sent", "[{\"kind\":\"final_demand\",\"date\":\"2025-09-03\"}]");
    a = evaluate(c); /* 180 days */
    assert_string_equal(finding(a, "commercial_demand_letter"), "met");
    cJSON_Delete(a);
    set_json(c, "letters_sent", "[{\"kind\":\"final_demand\",\"date\":\"2025-09-02\"}]");
    a = evaluate(c); /* 181 days */
    assert_string_equal(finding(a, "commercial_demand_letter"), "missing");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- limitation ---- */

struct lim_row {
    const char *debtor_kind, *due, *as_of;
    const char *deadline, *moved_by;
    int barred;
};

/* CPLR 214-i: three years for a consumer credit transaction; CPLR 213(2):
 * six years; the claim accrues the day after the due date and the last day
 * is the anniversary (GCL § 20); GCL § 25-a moves a last day on a Saturday,
 * Sunday or GCL § 24 holiday to the next business day. */
static const struct lim_row lim_rows[] = {
    /* consumer: accrual 2022-07-01, last day Tue 2025-07-01 */
    {"individual", "2022-06-30", "2025-07-01", "2025-07-01", "none", 0},
    {"individual", "2022-06-30", "2025-07-02", "2025-07-01", "none", 1},
    /* Lincoln's Birthday, Thu 2026-02-12 -> Fri 2026-02-13 */
    {"individual", "2023-02-11", "2026-02-13", "2026-02-13",
     "N.Y. General Construction Law \xc2\xa7 25-a", 0},
    {"individual", "2023-02-11", "2026-02-14", "2026-02-13",
     "N.Y. General Construction Law \xc2\xa7 25-a", 1},
    /* not moved: Tue 2026-02-10 */
    {"individual", "2023-02-09", "2026-02-11", "2026-02-10", "none", 1},
    /* Election Day, Tue 2026-11-03 -> Wed 2026-11-04 */
    {"individual", "2023-11-02", "2026-11-04", "2026-11-04",
     "N.Y. General Construction Law \xc2\xa7 25-a", 0},
    /* business: six years; Sat 2031-11-01 -> Mon 2031-11-03 */
    {"business", "2025-10-31", "2026-03-02", "2031-11-03",
     "N.Y. General Construction Law \xc2\xa7 25-a", 0},
};

static void limitation_three_and_six_years_moved_by_gcl_25a(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lim_rows / sizeof lim_rows[0]; i++) {
        const struct lim_row *t = &lim_rows[i];
        cJSON *c = new_case();
        set_str(c, "debtor.kind", t->debtor_kind);
        set_str(c, "claim.due_date", t->due);
        set_str(c, "as_of", t->as_of);
        cJSON *a = evaluate(c);
        if (strcmp(fact_str(a, "limitation.deadline"), t->deadline) != 0 ||
            strcmp(fact_str(a, "limitation.deadline_moved_by"), t->moved_by) != 0 ||
            (finding(a, "time_barred") != NULL) != t->barred)
            fail_msg(
                "row %zu: deadline %s moved by %s barred %d", i, fact_str(a, "limitation.deadline"),
                fact_str(a, "limitation.deadline_moved_by"), finding(a, "time_barred") != NULL);
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void payment_does_not_revive_consumer_credit_debt(void **state)
{
    (void)state;
    cJSON *c = consumer_case();
    set_str(c, "claim.due_date", "2022-06-30");
    set_str(c, "claim.last_payment_date", "2025-09-15");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2025-07-01");
    assert_string_equal(finding(a, "no_revival"), "warn");
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_string_equal(finding(a, "regf_time_barred_suit"), "block");
    cJSON_Delete(a);
    /* inside the three years: not counted either */
    set_str(c, "claim.last_payment_date", "2024-01-15");
    a = evaluate(c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2025-07-01");
    assert_string_equal(finding(a, "acknowledgment_not_counted"), "warn");
    cJSON_Delete(a);
    cJSON_Delete(c);

    /* a business debt: a written acknowledgment restarts six years
     * (GOL § 17-101): 2024-01-15 -> Tue 2030-01-15 */
    c = new_case();
    set_str(c, "claim.due_date", "2022-06-30");
    set_str(c, "claim.acknowledged_date", "2024-01-15");
    a = evaluate(c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2030-01-15");
    assert_string_equal(finding(a, "acknowledgment_counted"), "info");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- CPLR 3016(j) ---- */

static void consumer_credit_complaint_items_are_checked(void **state)
{
    (void)state;
    cJSON *c = consumer_case();
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "cplr_3016j_instrument"), "met");
    assert_string_equal(finding(a, "cplr_3016j_account_last4"), "missing");
    assert_string_equal(finding(a, "cplr_3016j_last_payment"), "missing");
    assert_string_equal(finding(a, "cplr_3016j_itemization"), "missing");
    assert_null(finding(a, "cplr_3016j_chain_of_title"));
    cJSON_Delete(a);
    /* revolving credit: the charge-off statement may replace the contract */
    set_json(c, "documents", "[{\"kind\":\"statement\"}]");
    a = evaluate(c);
    assert_string_equal(finding(a, "cplr_3016j_instrument"), "missing");
    cJSON_Delete(a);
    set_bool(c, "ext.us-ny.revolving", 1);
    set_str(c, "ext.us-ny.account_last4", "7731");
    set_bool(c, "ext.us-ny.no_payment_made", 1);
    set_json(c, "claim.itemization",
             "{\"date_kind\":\"last_statement\",\"date\":\"2025-08-31\",\"amount\":{\"amount\":"
             "\"1000.00\",\"currency\":\"USD\"}}");
    set_json(c, "assignments", "[{\"from\":\"Bank\",\"to\":\"X\",\"date\":\"2025-10-15\"}]");
    a = evaluate(c);
    assert_string_equal(finding(a, "cplr_3016j_instrument"), "met");
    assert_string_equal(finding(a, "cplr_3016j_account_last4"), "met");
    assert_string_equal(finding(a, "cplr_3016j_last_payment"), "met");
    assert_string_equal(finding(a, "cplr_3016j_itemization"), "met");
    assert_string_equal(finding(a, "cplr_3016j_chain_of_title"), "met");
    cJSON_Delete(a);
    /* not a consumer credit transaction: none of these */
    set_bool(c, "ext.us-ny.consumer_credit", 0);
    a = evaluate(c);
    assert_null(finding(a, "cplr_3016j_instrument"));
    assert_string_equal(fact_str(a, "limitation.basis"), "CPLR 213(2)");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- interest ---- */

static void consumer_debt_interest_is_two_percent_from_april_30_2022(void **state)
{
    (void)state;
    /* $365,000 from 2022-04-29 to 2022-05-07: 1 day at 9 % ($90.00) and 8
     * days at 2 % ($20.00 a day): $250.00 */
    cJSON *c = consumer_case();
    set_str(c, "claim.principal.amount", "365000.00");
    set_item(c, "claim.interest", cJSON_Parse("{\"statutory\":true}"));
    set_str(c, "claim.due_date", "2022-04-28");
    set_str(c, "as_of", "2022-05-07");
    cJSON *a = evaluate(c);
    assert_int_equal(cost(a, "interest"), 25000);
    assert_int_equal((int)fact(a, "judgment.interest_rate_bp")->valuedouble, 200);
    cJSON_Delete(a);
    /* a business debtor: 9 % throughout: 9 x $90.00 */
    set_str(c, "debtor.kind", "business");
    a = evaluate(c);
    assert_int_equal(cost(a, "interest"), 81000);
    assert_int_equal((int)fact(a, "judgment.interest_rate_bp")->valuedouble, 900);
    cJSON_Delete(a);
    /* before the plugin's first date: refused as incomplete */
    set_str(c, "as_of", "2022-05-06");
    a = evaluate(c);
    assert_string_equal(finding(a, "case_incomplete"), "block");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- validation period and notice ---- */

static void validation_period_skips_weekends_and_federal_holidays(void **state)
{
    (void)state;
    /* sent Tue 2025-12-23: receipt the fifth business day, Wed 2025-12-31
     * (Christmas and a weekend skipped), + 30 days = 2026-01-30 */
    cJSON *c = consumer_case();
    set_str(c, "as_of", "2026-01-30");
    set_json(c, "letters_sent", "[{\"kind\":\"validation_notice\",\"date\":\"2025-12-23\"}]");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "pre_action.validation_period_end"), "2026-01-30");
    assert_string_equal(finding(a, "regf_validation_period"), "warn");
    cJSON_Delete(a);
    set_str(c, "as_of", "2026-01-31");
    a = evaluate(c);
    assert_string_equal(finding(a, "regf_validation_notice"), "met");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static cJSON *notice_case(void)
{
    cJSON *c = consumer_case();
    set_str(c, "creditor.name", "Empire Receivables LLC");
    set_json(c, "assignments",
             "[{\"from\":\"Hudson Bank, N.A.\",\"to\":\"Empire Receivables LLC\","
             "\"date\":\"2025-10-15\"}]");
    set_str(c, "claim.description", "a Hudson Bank credit card");
    set_json(c, "claim.itemization",
             "{\"date_kind\":\"charge_off\",\"date\":\"2025-08-31\","
             "\"amount\":{\"amount\":\"1000.00\",\"currency\":\"USD\"},"
             "\"interest_since\":{\"amount\":\"25.00\",\"currency\":\"USD\"},"
             "\"fees_since\":{\"amount\":\"10.00\",\"currency\":\"USD\"},"
             "\"payments_since\":{\"amount\":\"5.00\",\"currency\":\"USD\"}}");
    set_str(c, "ext.us-ny.account_number", "XXXX-7731");
    set_str(c, "as_of", "2025-12-23");
    set_str(c, "claim.due_date", "2025-02-01");
    return c;
}

static void validation_notice_has_regulation_f_and_23_nycrr_items(void **state)
{
    (void)state;
    cJSON *c = notice_case();
    char *s = letter_text(c, "validation_notice");
    assert_non_null(s);
    static const char *const must[] = {
        /* 1006.34(c)(1)-(3) */
        "is a debt collector. We are trying to collect a debt that you owe to Empire "
        "Receivables LLC",
        "from Hudson Bank, N.A. with account number XXXX-7731",
        "As of August 31, 2025, you owed:\t$1,000.00",
        "You were charged this amount in interest: +\t$25.00",
        "You were charged this amount in fees: +\t$10.00",
        "You paid or were credited this amount toward the debt: -\t$5.00",
        "Total amount of the debt now:\t$1,030.00",
        "by January 30, 2026",
        "www.cfpb.gov/debt-collection",
        /* 23 NYCRR 1.2(a)(1), (2) */
        "the use or threat of violence",
        "11. Ninety percent of your wages or salary earned in the last sixty days.",
        /* 1.2(b) charged-off debt */
        "Name of the original creditor: Hudson Bank, N.A.",
        "Total amount of the debt due as of charge-off\t$1,000.00",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (strstr(s, must[i]) == NULL)
            fail_msg("notice lacks \"%s\":\n%s", must[i], s);
    /* not time-barred: no 1.3 notice */
    assert_null(strstr(s, "statute of limitations) for suing you"));
    free(s);

    /* time-barred consumer credit debt: the 1.3 notice, read with 214-i */
    set_str(c, "claim.due_date", "2022-06-30");
    s = letter_text(c, "validation_notice");
    assert_non_null(strstr(s, "We are required by regulation of the New York State Department "
                              "of Financial Services"));
    assert_non_null(strstr(s, "we will NOT sue you to collect this debt"));
    free(s);

    /* without the itemization the notice is refused */
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "claim"),
                                            "itemization");
    assert_null(letter_text(c, "validation_notice"));
    cJSON_Delete(c);
}

/* ---- example cases ---- */

static void example_cases_give_their_documented_outcome(void **state)
{
    (void)state;
    cJSON *c = load_case(USNY_CASES_DIR, "us-ny-b2b-commercial-claim.json");
    cJSON *a = evaluate(c);
    /* $8,500 at 9 % for 122 days = $255.70; commercial claims $25 */
    assert_string_equal(fact_str(a, "route.track"), "commercial_claims");
    assert_int_equal(cost(a, "court_fee"), 2500);
    assert_int_equal(cost(a, "interest"), 25570);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2031-11-03");
    cJSON_Delete(a);
    cJSON_Delete(c);

    c = load_case(USNY_CASES_DIR, "us-ny-consumer-credit-card-validation.json");
    a = evaluate(c);
    /* $4,125.60 at 2 % for 381 days = $86.13 */
    assert_int_equal(cost(a, "interest"), 8613);
    assert_string_equal(fact_str(a, "pre_action.validation_period_end"), "2026-03-29");
    assert_string_equal(fact_str(a, "limitation.basis"), "CPLR 214-i");
    assert_string_equal(fact_str(a, "limitation.deadline"), "2028-02-15");
    cJSON_Delete(a);
    cJSON_Delete(c);

    c = load_case(USNY_CASES_DIR, "us-ny-consumer-time-barred.json");
    a = evaluate(c);
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_string_equal(finding(a, "no_revival"), "warn");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static int setup(void **state)
{
    (void)state;
    return ct_setup("[{\"path\":\"us-ny.so\"}]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_and_fee_by_court_at_every_edge),
        cmocka_unit_test(assignee_cannot_use_small_claims),
        cmocka_unit_test(commercial_claim_needs_certification_and_consumer_demand_letter),
        cmocka_unit_test(limitation_three_and_six_years_moved_by_gcl_25a),
        cmocka_unit_test(payment_does_not_revive_consumer_credit_debt),
        cmocka_unit_test(consumer_credit_complaint_items_are_checked),
        cmocka_unit_test(consumer_debt_interest_is_two_percent_from_april_30_2022),
        cmocka_unit_test(validation_period_skips_weekends_and_federal_holidays),
        cmocka_unit_test(validation_notice_has_regulation_f_and_23_nycrr_items),
        cmocka_unit_test(example_cases_give_their_documented_outcome),
    };
    return cmocka_run_group_tests(tests, setup, ct_teardown);
}
