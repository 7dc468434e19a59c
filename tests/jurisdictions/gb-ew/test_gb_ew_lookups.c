/*
 * test_gb_ew_lookups.c - what gb-ew's filing_rules costs the host in view
 * lookups, counted through a wrapped host API: each documents[] and
 * letters_sent[] entry's kind is read once, not once per question asked
 * of the list (nine kinds used to mean nine passes), and optional items
 * that are absent are asked for by type, not by a read the host must
 * refuse with a reason. The answers themselves are the golden tests'.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "case_view.h"
#include "gb_ew.h"
#include "host_api.h"
#include "result.h"

static const baton_host_api *real;
static size_t n_reads, n_refused, n_charges;

#define COUNTED(name, type)                                                                        \
    static int counted_##name(const baton_view *v, const char *path, type out)                     \
    {                                                                                              \
        int rc = real->name(v, path, out);                                                         \
        n_reads++;                                                                                 \
        n_refused += rc != 0;                                                                      \
        n_charges += strcmp(path, "claim.charges") == 0;                                           \
        return rc;                                                                                 \
    }
COUNTED(view_string, const char **)
COUNTED(view_int, int64_t *)
COUNTED(view_bool, int *)
COUNTED(view_date, baton_date *)
COUNTED(view_money, baton_money *)
COUNTED(view_count, size_t *)

static enum baton_view_type counted_view_type(const baton_view *v, const char *path)
{
    n_charges += strcmp(path, "claim.charges") == 0;
    return real->view_type(v, path);
}

/* The case of tests/integration/cases/gb-ew-2k.json, cut to what the
 * rules read, with documents[] and letters_sent[] repeated copies times. */
static char *case_with(int copies)
{
    static const char doc[] =
        "{\"kind\":\"agreement\",\"ref\":\"Q-5531\"},{\"kind\":\"invoice\"},"
        "{\"kind\":\"proof_of_delivery\",\"ref\":\"sign-off\"},{\"kind\":\"statement\"},"
        "{\"kind\":\"communication_log\"},{\"kind\":\"identity_check\"},"
        "{\"kind\":\"collection_attempt\"}";
    static const char letter[] = "{\"kind\":\"reminder\",\"date\":\"2025-09-12\"},"
                                 "{\"kind\":\"final_demand\",\"date\":\"2025-12-01\"}";
    static char buf[8192];
    size_t o = 0;
    o += (size_t)snprintf(buf + o, sizeof buf - o,
                          "{\"as_of\":\"2026-03-02\",\"creditor\":{\"kind\":\"business\"},"
                          "\"debtor\":{\"kind\":\"business\",\"identity_verified\":true,"
                          "\"address\":{\"country\":\"GB\"}},"
                          "\"claim\":{\"principal\":{\"amount\":\"12345.67\",\"currency\":\"GBP\"},"
                          "\"contract_type\":\"written\",\"due_date\":\"2025-08-29\","
                          "\"interest\":{\"statutory\":false}},\"documents\":[");
    for (int i = 0; i < copies; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "," : "", doc);
    o += (size_t)snprintf(buf + o, sizeof buf - o, "],\"letters_sent\":[");
    for (int i = 0; i < copies; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "," : "", letter);
    snprintf(buf + o, sizeof buf - o,
             "],\"disputes\":[],\"debtor_profile\":{\"insolvent\":false}}");
    return buf;
}

/* Runs filing_rules (or, fees set, fee_schedule) on the case (with two
 * claim.charges, charges set); the reads it made and how many the host
 * refused. */
static void run_capability(int copies, int fees, int charges, size_t *reads, size_t *refused)
{
    baton_host_api api = *bh_host_api();
    gbew_state st;
    cJSON *root = cJSON_Parse(case_with(copies));
    if (root != NULL && charges)
        cJSON_AddItemToObject(cJSON_GetObjectItem(root, "claim"), "charges",
                              cJSON_Parse("[{\"label\":\"Fee\",\"amount\":{\"amount\":\"40.00\","
                                          "\"currency\":\"GBP\"}},{\"amount\":{\"amount\":"
                                          "\"12.50\",\"currency\":\"GBP\"}}]"));
    baton_view v;
    baton_result *r = bh_result_new();
    assert_non_null(root);
    assert_non_null(r);
    real = bh_host_api();
    api.view_string = counted_view_string;
    api.view_int = counted_view_int;
    api.view_bool = counted_view_bool;
    api.view_date = counted_view_date;
    api.view_money = counted_view_money;
    api.view_count = counted_view_count;
    api.view_type = counted_view_type;
    memset(&st, 0, sizeof st);
    st.api = &api;
    st.bank_rate = &gbew_bank_rate;
    st.issue_fee = &gbew_issue_fee_table;
    v = bh_view_of(root);
    n_reads = n_refused = n_charges = 0;
    assert_int_equal((fees ? gbew_fees : gbew_filing_rules)(&st, &v, r), 0);
    *reads = n_reads;
    *refused = n_refused;
    bh_result_free(r);
    cJSON_Delete(root);
}

static void run(int copies, size_t *reads, size_t *refused)
{
    run_capability(copies, 0, 0, reads, refused);
}

static void test_fees_ask_for_the_charges_once(void **s)
{
    size_t reads, refused;
    (void)s;
    /* gbew_case_read asks for claim.charges by type (and counts them when
     * they are there); fee_schedule then writes a line per charge from
     * that count instead of asking again. */
    run_capability(1, 1, 0, &reads, &refused);
    assert_int_equal(n_charges, 1);
    assert_int_equal(refused, 0);
    run_capability(1, 1, 1, &reads, &refused);
    assert_int_equal(n_charges, 2);
}

static void test_each_entry_read_once(void **s)
{
    size_t one, two, four, refused;
    (void)s;
    run(1, &one, &refused);
    run(2, &two, &refused);
    run(4, &four, &refused);
    /* Seven documents and two letters more per copy: one kind each, and
     * the final demand's date (the latest letter of its kind). */
    assert_int_equal(two - one, 7 + 2 + 1);
    assert_int_equal(four - two, 2 * (7 + 2 + 1));
}

static void test_absent_items_are_not_refused_reads(void **s)
{
    size_t reads, refused;
    (void)s;
    run(1, &reads, &refused);
    /* Optional items the case does not have (assignments, the interest
     * date and rate, claim.last_payment_date, claim.acknowledged_date,
     * claim.payments, debtor.consumer, the other debtor_profile flags) are
     * asked for by type: no read is refused. */
    assert_int_equal(refused, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_entry_read_once),
        cmocka_unit_test(test_absent_items_are_not_refused_reads),
        cmocka_unit_test(test_fees_ask_for_the_charges_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
