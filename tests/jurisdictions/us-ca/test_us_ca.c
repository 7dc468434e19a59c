/*
 * test_us_ca.c - table-driven tests of the us-ca plugin through the host
 * runtime: every fee tier and jurisdiction edge on both sides, both sides of
 * the SB 71 change date (2024-01-01) and of the Civil Code 3289(b) contract
 * date, limitation 4 years vs 2 years, interest rounding, the Regulation F
 * validation period across weekends and federal holidays, the time-barred
 * consumer-debt block, and every model form B-1 field in the letter.
 *
 * Expected figures are typed in from the published sources named in each
 * table (CCP 116.220/116.221/116.230/116.231, CCP 85, Gov. Code 70611,
 * 70613, 70602.5, 70602.6, Civil Code 3289, CCP 337/339/360, 12 CFR
 * 1006.26 and 1006.34, OPM's federal holiday lists), never computed by the
 * plugin's own code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "evaluate.h"
#include "letter.h"
#include "letter_render.h"
#include "letters.h"
#include "plugin_set.h"
#include "test_plugins.h"

static bh_plugin_set *g_set;

static const char *base_case =
    "{\"case_id\":\"CA-T-1\",\"jurisdiction\":\"us-ca\",\"as_of\":\"2026-06-01\","
    "\"creditor\":{\"name\":\"Golden Gate Supply Inc\",\"kind\":\"business\","
    "\"address\":{\"lines\":[\"100 Market St\"],\"city\":\"San Francisco\",\"region\":\"CA\","
    "\"postcode\":\"94105\",\"country\":\"US\"}},"
    "\"debtor\":{\"name\":\"Maria Lopez\",\"kind\":\"individual\",\"identity_verified\":true,"
    "\"address\":{\"lines\":[\"22 Oak Ave\"],\"city\":\"Fresno\",\"region\":\"CA\","
    "\"postcode\":\"93701\",\"country\":\"US\"}},"
    "\"claim\":{\"principal\":{\"amount\":\"1000.00\",\"currency\":\"USD\"},"
    "\"reference\":\"GG-5521\",\"contract_type\":\"written\",\"due_date\":\"2026-01-01\","
    "\"interest\":{\"contractual_rate_bp\":null,\"statutory\":false}},"
    "\"documents\":[{\"kind\":\"agreement\",\"date\":\"2025-06-01\"}],"
    "\"letters_sent\":[],\"disputes\":[],\"assignments\":[]}";

/* ---- case editing: set a value at a dot path, creating objects ---- */

static cJSON *walk(cJSON *root, const char *path, char *last, size_t lastlen)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s", path);
    cJSON *node = root;
    char *p = buf, *dot;
    while ((dot = strchr(p, '.')) != NULL) {
        *dot = '\0';
        cJSON *next = cJSON_GetObjectItemCaseSensitive(node, p);
        if (next == NULL || !cJSON_IsObject(next)) {
            cJSON_DeleteItemFromObjectCaseSensitive(node, p);
            next = cJSON_AddObjectToObject(node, p);
        }
        node = next;
        p = dot + 1;
    }
    snprintf(last, lastlen, "%s", p);
    return node;
}

static void set_item(cJSON *root, const char *path, cJSON *item)
{
    char last[64];
    cJSON *parent = walk(root, path, last, sizeof last);
    cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
    cJSON_AddItemToObject(parent, last, item);
}

static void set_str(cJSON *root, const char *path, const char *s)
{
    set_item(root, path, cJSON_CreateString(s));
}

static void set_int(cJSON *root, const char *path, int v)
{
    set_item(root, path, cJSON_CreateNumber(v));
}

static void set_json(cJSON *root, const char *path, const char *json)
{
    cJSON *item = cJSON_Parse(json);
    assert_non_null(item);
    set_item(root, path, item);
}

static cJSON *new_case(void)
{
    cJSON *c = cJSON_Parse(base_case);
    assert_non_null(c);
    return c;
}

static cJSON *evaluate(const cJSON *c)
{
    cJSON *answer = NULL;
    bh_eval_error e;
    int rc = bh_evaluate(g_set, c, NULL, &answer, &e);
    if (rc != 0)
        fail_msg("evaluation failed: %s %s", e.code, e.message);
    return answer;
}

/* ---- reading the answer ---- */

static const cJSON *fact(const cJSON *answer, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(answer, "facts");
    for (char *tok = strtok(buf, "."); tok != NULL && node != NULL; tok = strtok(NULL, "."))
        node = cJSON_GetObjectItemCaseSensitive(node, tok);
    return node;
}

static const char *fact_str(const cJSON *answer, const char *path)
{
    const cJSON *n = fact(answer, path);
    if (!cJSON_IsString(n))
        fail_msg("fact %s missing", path);
    return n->valuestring;
}

static int64_t money_minor(const cJSON *m)
{
    const cJSON *minor = cJSON_GetObjectItemCaseSensitive(m, "minor");
    if (!cJSON_IsNumber(minor))
        fail_msg("money without minor");
    return (int64_t)minor->valuedouble;
}

/* The amount of the only cost line of kind, or -1 when there is none. */
static int64_t cost(const cJSON *answer, const char *kind)
{
    const cJSON *costs = cJSON_GetObjectItemCaseSensitive(answer, "costs");
    const cJSON *it;
    int64_t found = -1;
    cJSON_ArrayForEach(it, costs)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, "kind");
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0) {
            assert_int_equal(found, -1);
            found = money_minor(cJSON_GetObjectItemCaseSensitive(it, "amount"));
        }
    }
    return found;
}

/* The status of finding code, or NULL when absent. */
static const char *finding(const cJSON *answer, const char *code)
{
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(answer, "findings");
    const cJSON *it;
    cJSON_ArrayForEach(it, fs)
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "code");
        if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0)
            return cJSON_GetObjectItemCaseSensitive(it, "status")->valuestring;
    }
    return NULL;
}

/* ---- fee tiers and jurisdiction limits ---- */

struct route_case {
    const char *as_of;
    const char *creditor_kind; /* "individual" or "business" */
    const char *amount;
    int filed_12_months; /* -1: not given */
    int over_2500_count; /* -1: not given */
    int assigned;
    const char *track;
    int64_t fee; /* cents */
};

/* Sources: CCP 116.230(b)(1)-(3), (c) ($30/$50/$75, $100 for more than 12
 * claims in 12 months); CCP 116.221 ($12,500, natural person) and
 * 116.220(a)(1) ($6,250) from 2024-01-01 (SB 71), $10,000 / $5,000 before;
 * CCP 85(a) limited civil $35,000 from 2024-01-01, $25,000 before;
 * Gov. Code 70613(b)+70602.5(c) $225 up to $10,000, 70613(a)+70602.5(b)
 * $370 above; Gov. Code 70611+70602.5(a)+70602.6 $435 unlimited;
 * CCP 116.231(a) two claims over $2,500 a year; CCP 116.420(a) assignees. */
static const struct route_case route_cases[] = {
    /* small-claims fee tiers (natural person, well inside the limit) */
    {"2026-06-01", "individual", "1500.00", 0, 0, 0, "small_claims", 3000},
    {"2026-06-01", "individual", "1500.01", 0, 0, 0, "small_claims", 5000},
    {"2026-06-01", "individual", "5000.00", 0, 0, 0, "small_claims", 5000},
    {"2026-06-01", "individual", "5000.01", 0, 0, 0, "small_claims", 7500},
    {"2026-06-01", "individual", "0.01", 0, 0, 0, "small_claims", 3000},
    /* frequent filer: more than 12 other claims in the previous 12 months */
    {"2026-06-01", "individual", "1000.00", 12, 0, 0, "small_claims", 3000},
    {"2026-06-01", "individual", "1000.00", 13, 0, 0, "small_claims", 10000},
    {"2026-06-01", "business", "6000.00", 40, 0, 0, "small_claims", 10000},
    /* natural-person limit, from 2024-01-01 */
    {"2026-06-01", "individual", "12500.00", 0, 0, 0, "small_claims", 7500},
    {"2026-06-01", "individual", "12500.01", 0, 0, 0, "limited_civil", 37000},
    /* a sole proprietor is a natural person (issue 11 item 6) */
    {"2026-06-01", "sole_trader", "12500.00", 0, 0, 0, "small_claims", 7500},
    {"2026-06-01", "sole_trader", "12500.01", 0, 0, 0, "limited_civil", 37000},
    /* entity limit */
    {"2026-06-01", "business", "6250.00", 0, 0, 0, "small_claims", 7500},
    {"2026-06-01", "business", "6250.01", 0, 0, 0, "limited_civil", 22500},
    /* both sides of the SB 71 change date */
    {"2023-12-31", "individual", "10000.00", 0, 0, 0, "small_claims", 7500},
    {"2023-12-31", "individual", "10000.01", 0, 0, 0, "limited_civil", 37000},
    {"2024-01-01", "individual", "10000.01", 0, 0, 0, "small_claims", 7500},
    {"2023-12-31", "business", "5000.00", 0, 0, 0, "small_claims", 5000},
    {"2023-12-31", "business", "5000.01", 0, 0, 0, "limited_civil", 22500},
    {"2024-01-01", "business", "5000.01", 0, 0, 0, "small_claims", 7500},
    /* limited civil fee tier at $10,000 */
    {"2026-06-01", "business", "10000.00", 0, 0, 0, "limited_civil", 22500},
    {"2026-06-01", "business", "10000.01", 0, 0, 0, "limited_civil", 37000},
    /* limited vs unlimited civil, both sides of 2024-01-01 */
    {"2026-06-01", "business", "35000.00", 0, 0, 0, "limited_civil", 37000},
    {"2026-06-01", "business", "35000.01", 0, 0, 0, "unlimited_civil", 43500},
    {"2023-12-31", "business", "25000.00", 0, 0, 0, "limited_civil", 37000},
    {"2023-12-31", "business", "25000.01", 0, 0, 0, "unlimited_civil", 43500},
    {"2024-01-01", "business", "25000.01", 0, 0, 0, "limited_civil", 37000},
    /* CCP 116.231: two claims over $2,500 in the calendar year */
    {"2026-06-01", "individual", "2500.01", 0, 2, 0, "limited_civil", 22500},
    {"2026-06-01", "individual", "2500.01", 0, 1, 0, "small_claims", 5000},
    {"2026-06-01", "individual", "2500.00", 0, 9, 0, "small_claims", 5000},
    /* CCP 116.420(a): an assignee cannot use small claims */
    {"2026-06-01", "individual", "1000.00", 0, 0, 1, "limited_civil", 22500},
};

static void route_and_filing_fee_at_every_edge(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof route_cases / sizeof route_cases[0]; i++) {
        const struct route_case *t = &route_cases[i];
        cJSON *c = new_case();
        set_str(c, "as_of", t->as_of);
        set_str(c, "claim.due_date", "2023-10-01");
        set_str(c, "creditor.kind", t->creditor_kind);
        set_str(c, "claim.principal.amount", t->amount);
        if (t->filed_12_months >= 0)
            set_int(c, "creditor.small_claims_filed_12_months", t->filed_12_months);
        if (t->over_2500_count >= 0)
            set_int(c, "ext.us-ca.small_claims_over_2500_this_year", t->over_2500_count);
        if (t->assigned)
            set_json(c, "assignments",
                     "[{\"from\":\"Old Co\",\"to\":\"Golden Gate Supply Inc\","
                     "\"date\":\"2023-11-01\"}]");
        cJSON *a = evaluate(c);
        const char *track = fact_str(a, "route.track");
        if (strcmp(track, t->track) != 0 || cost(a, "court_fee") != t->fee)
            fail_msg("row %zu (%s %s %s): track %s fee %lld, expected %s %lld", i, t->as_of,
                     t->creditor_kind, t->amount, track, (long long)cost(a, "court_fee"), t->track,
                     (long long)t->fee);
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void demand_over_2500_without_filing_count_asks_for_the_declaration(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "creditor.kind", "individual");
    set_str(c, "claim.principal.amount", "2500.01");
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "small_claims_declaration"), "missing");
    cJSON_Delete(a);
    set_str(c, "claim.principal.amount", "2500.00");
    a = evaluate(c);
    assert_null(finding(a, "small_claims_declaration"));
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void small_claims_needs_a_prior_demand_for_payment(void **state)
{
    (void)state;
    /* CCP 116.320(b)(3): the claim states that payment was demanded */
    cJSON *c = new_case();
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "small_claims");
    assert_string_equal(finding(a, "payment_demanded"), "missing");
    cJSON_Delete(a);
    set_json(c, "letters_sent", "[{\"kind\":\"final_demand\",\"date\":\"2026-03-01\"}]");
    a = evaluate(c);
    assert_string_equal(finding(a, "payment_demanded"), "met");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void readiness_checklist_uses_the_common_codes(void **state)
{
    (void)state;
    /* base case: agreement on file, identity verified, nothing else */
    cJSON *c = new_case();
    cJSON *a = evaluate(c);
    static const struct {
        const char *code, *status;
    } want[] = {
        {"agreement", "met"},
        {"invoices_statements", "missing"},
        {"proof_of_delivery", "missing"},
        {"communication_log", "missing"},
        {"identity_verified", "met"},
        {"collection_attempts", "missing"},
        {"disputes_answered", "met"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *got = finding(a, want[i].code);
        if (got == NULL || strcmp(got, want[i].status) != 0)
            fail_msg("%s: %s, expected %s", want[i].code, got ? got : "absent", want[i].status);
    }
    assert_int_equal((int)fact(a, "readiness.met")->valuedouble, 3);
    assert_int_equal((int)fact(a, "readiness.missing")->valuedouble, 4);
    cJSON_Delete(a);

    /* a dispute document without an answer counts as open */
    set_json(c, "disputes", "[]");
    set_json(c, "documents",
             "[{\"kind\":\"agreement\"},{\"kind\":\"dispute\",\"date\":\"2026-02-01\"}]");
    a = evaluate(c);
    assert_string_equal(finding(a, "disputes_answered"), "missing");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void insolvent_or_deceased_debtor_blocks(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_json(c, "debtor_profile", "{\"insolvent\":true,\"deceased\":true,\"vulnerable\":true}");
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "debtor_insolvent"), "block");
    assert_string_equal(finding(a, "debtor_deceased"), "block");
    assert_string_equal(finding(a, "debtor_vulnerable"), "warn");
    cJSON_Delete(a);
    set_json(c, "debtor_profile", "{\"insolvent\":false}");
    a = evaluate(c);
    assert_null(finding(a, "debtor_insolvent"));
    assert_null(finding(a, "debtor_deceased"));
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void debt_not_yet_due_blocks(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "claim.due_date", "2026-06-01"); /* as_of is 2026-06-01 */
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "not_yet_due"), "block");
    cJSON_Delete(a);
    set_str(c, "claim.due_date", "2026-05-31");
    a = evaluate(c);
    assert_null(finding(a, "not_yet_due"));
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void claims_outside_the_plugins_reach_are_blocked_not_guessed(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "claim.principal.currency", "EUR");
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "case_incomplete"), "block");
    assert_int_equal(cost(a, "court_fee"), -1);
    cJSON_Delete(a);
    cJSON_Delete(c);

    /* before the first date the tables were checked for */
    c = new_case();
    set_str(c, "as_of", "2020-12-31");
    set_str(c, "claim.due_date", "2020-06-01");
    a = evaluate(c);
    assert_string_equal(finding(a, "case_incomplete"), "block");
    cJSON_Delete(a);
    set_str(c, "as_of", "2021-01-01");
    a = evaluate(c);
    assert_null(finding(a, "case_incomplete"));
    assert_string_equal(fact_str(a, "route.track"), "small_claims");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- limitation ---- */

struct lim_case {
    const char *contract_type;
    const char *due;
    const char *as_of;
    const char *ack; /* NULL: none */
    const char *deadline;
    int barred;
};

/* CCP 337(a), (b): four years; CCP 339(1): two years; counted from the day
 * after the due date (accrual), the last day being the anniversary (CCP 12).
 * CCP 360: a signed written acknowledgment restarts a two-year period;
 * CCP 337(d): the four-year period only extends by a CCP 360.5 waiver. */
static const struct lim_case lim_cases[] = {
    {"written", "2022-03-15", "2026-03-16", NULL, "2026-03-16", 0},
    {"written", "2022-03-15", "2026-03-17", NULL, "2026-03-16", 1},
    {"open_account", "2022-03-15", "2026-03-16", NULL, "2026-03-16", 0},
    {"open_account", "2022-03-15", "2026-03-17", NULL, "2026-03-16", 1},
    {"oral", "2024-03-15", "2026-03-16", NULL, "2026-03-16", 0},
    {"oral", "2024-03-15", "2026-03-17", NULL, "2026-03-16", 1},
    /* the same debt two years on: barred if oral, alive if written; the
     * two years end on Saturday 16 March 2024, extended to Monday the 18th
     * (CCP 12a) */
    {"oral", "2022-03-15", "2026-03-16", NULL, "2024-03-18", 1},
    /* accrual on 29 February: the anniversary four years on exists */
    {"written", "2020-02-28", "2024-02-29", NULL, "2024-02-29", 0},
    {"written", "2020-02-28", "2024-03-01", NULL, "2024-02-29", 1},
    /* acknowledgment in time restarts an oral claim (CCP 360); the new
     * period ends on Sunday 10 January 2027: Monday the 11th (CCP 12a) */
    {"oral", "2023-01-10", "2026-06-01", "2025-01-10", "2027-01-11", 0},
    /* acknowledgment on the last day of the period (Friday 13 March 2026)
     * is still in time and restarts it (CCP 360) */
    {"oral", "2024-03-12", "2026-06-01", "2026-03-13", "2028-03-13", 0},
    /* acknowledgment after the bar is not counted */
    {"oral", "2021-01-10", "2026-06-01", "2025-01-10", "2023-01-11", 1},
    /* acknowledgment does not extend a written claim (CCP 337(d)); the four
     * years end on Saturday 11 January 2025: Monday the 13th */
    {"written", "2021-01-10", "2026-06-01", "2024-12-01", "2025-01-13", 1},
    /* judicial holidays (CCP 135): Lincoln Day, Thursday 12 February 2026,
     * moves the last day to Friday the 13th */
    {"written", "2022-02-11", "2026-02-13", NULL, "2026-02-13", 0},
    {"written", "2022-02-11", "2026-02-14", NULL, "2026-02-13", 1},
    /* Thanksgiving 26 November 2026, the day after, the weekend: Monday 30 */
    {"written", "2022-11-25", "2026-11-30", NULL, "2026-11-30", 0},
    {"written", "2022-11-25", "2026-12-01", NULL, "2026-11-30", 1},
    /* Columbus Day (12 October 2026) is not a judicial holiday: not moved */
    {"written", "2022-10-11", "2026-10-13", NULL, "2026-10-12", 1},
};

static void limitation_four_and_two_years_at_the_edges(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lim_cases / sizeof lim_cases[0]; i++) {
        const struct lim_case *t = &lim_cases[i];
        cJSON *c = new_case();
        set_str(c, "claim.contract_type", t->contract_type);
        if (strcmp(t->contract_type, "open_account") == 0)
            set_json(c, "documents", "[{\"kind\":\"statement\",\"date\":\"2021-12-01\"}]");
        set_str(c, "claim.due_date", t->due);
        set_str(c, "as_of", t->as_of);
        if (t->ack != NULL)
            set_str(c, "claim.acknowledged_date", t->ack);
        set_str(c, "debtor.kind", "business");
        cJSON *a = evaluate(c);
        const char *dl = fact_str(a, "limitation.deadline");
        const char *barred = finding(a, "time_barred");
        const char *in_time = finding(a, "in_time");
        if (strcmp(dl, t->deadline) != 0)
            fail_msg("row %zu: deadline %s, expected %s", i, dl, t->deadline);
        if (t->barred) {
            assert_non_null(barred);
            assert_string_equal(barred, "block");
            assert_null(in_time);
        } else {
            assert_null(barred);
            assert_string_equal(in_time, "met");
        }
        /* a business debtor: Regulation F does not apply */
        assert_null(finding(a, "regf_time_barred_suit"));
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void days_left_counts_to_the_last_day(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "claim.due_date", "2022-03-15");
    set_str(c, "as_of", "2026-03-06");
    cJSON *a = evaluate(c);
    const cJSON *d = fact(a, "limitation.days_left");
    assert_true(cJSON_IsNumber(d));
    assert_int_equal((int)d->valuedouble, 10);
    assert_string_equal(finding(a, "limitation_near"), "warn");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void time_barred_consumer_debt_blocks_suit_and_threats(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "claim.contract_type", "oral");
    set_str(c, "claim.due_date", "2023-01-10");
    set_str(c, "as_of", "2026-06-01");
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_string_equal(finding(a, "regf_time_barred_suit"), "block");
    cJSON_Delete(a);

    /* the same debt still in time: no Regulation F block */
    set_str(c, "claim.due_date", "2024-07-01");
    a = evaluate(c);
    assert_null(finding(a, "regf_time_barred_suit"));
    assert_null(finding(a, "time_barred"));
    cJSON_Delete(a);

    /* a sole trader's business debt: limitation block only */
    set_str(c, "claim.due_date", "2023-01-10");
    set_str(c, "debtor.kind", "sole_trader");
    a = evaluate(c);
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_null(finding(a, "regf_time_barred_suit"));
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- interest ---- */

struct interest_case {
    const char *amount;
    const char *due;
    const char *as_of;
    int contractual_bp;        /* -1: none */
    const char *contract_date; /* NULL: absent */
    int64_t days;
    int64_t interest; /* cents */
};

/* Civil Code 3289(b): 10 % a year simple after breach for contracts made
 * after 1986-01-01; the 7 % constitutional rate (Cal. Const. art. XV,
 * sec. 1) before; 3289(a): the contract rate when stipulated. Days counted
 * from the day after the due date to the evaluation date inclusive; amount
 * = principal x rate x days / 365, half-up to the cent (worked by hand). */
static const struct interest_case interest_cases[] = {
    /* 1,000.00 x 10 % x 364/365 = 99.7260 -> 99.73 */
    {"1000.00", "2025-01-01", "2025-12-31", -1, NULL, 364, 9973},
    /* one full year: 100.00 */
    {"1000.00", "2025-01-01", "2026-01-01", -1, NULL, 365, 10000},
    /* 18.25 x 10 % / 365 = 0.005 exactly -> half-up to 0.01 */
    {"18.25", "2026-01-01", "2026-01-02", -1, NULL, 1, 1},
    /* 18.24 x 10 % / 365 = 0.004997 -> 0.00 */
    {"18.24", "2026-01-01", "2026-01-02", -1, NULL, 1, 0},
    /* evaluated on the due date itself: nothing yet */
    {"1000.00", "2026-01-01", "2026-01-01", -1, NULL, 0, 0},
    /* contract rate 18 % for a year: 180.00 */
    {"1000.00", "2025-01-01", "2026-01-01", 1800, NULL, 365, 18000},
    /* both sides of the 3289(b) contract date */
    {"1000.00", "2025-01-01", "2026-01-01", -1, "1986-01-01", 365, 7000},
    {"1000.00", "2025-01-01", "2026-01-01", -1, "1986-01-02", 365, 10000},
    /* leap year still divided by 365: 2,000.00 x 10 % x 366/365 = 200.5479 */
    {"2000.00", "2023-12-31", "2024-12-31", -1, NULL, 366, 20055},
};

static void prejudgment_interest_rate_days_and_rounding(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof interest_cases / sizeof interest_cases[0]; i++) {
        const struct interest_case *t = &interest_cases[i];
        cJSON *c = new_case();
        set_str(c, "claim.principal.amount", t->amount);
        set_str(c, "claim.due_date", t->due);
        set_str(c, "as_of", t->as_of);
        set_json(c, "claim.interest", "{\"statutory\":true}");
        if (t->contractual_bp >= 0)
            set_int(c, "claim.interest.contractual_rate_bp", t->contractual_bp);
        if (t->contract_date != NULL)
            set_str(c, "claim.contract_date", t->contract_date);
        cJSON *a = evaluate(c);
        const cJSON *days = fact(a, "interest.days");
        assert_true(cJSON_IsNumber(days));
        if ((int64_t)days->valuedouble != t->days || cost(a, "interest") != t->interest)
            fail_msg("row %zu: %lld days, %lld cents; expected %lld, %lld", i,
                     (long long)days->valuedouble, (long long)cost(a, "interest"),
                     (long long)t->days, (long long)t->interest);
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void no_interest_line_when_interest_is_not_claimed(void **state)
{
    (void)state;
    cJSON *c = new_case();
    cJSON *a = evaluate(c);
    assert_int_equal(cost(a, "interest"), -1);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void contract_rate_above_the_format_bound_is_refused_by_the_host(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_json(c, "claim.interest", "{\"statutory\":true,\"contractual_rate_bp\":100001}");
    /* Above the case format's bound (docs/case.schema.json): the host
     * refuses the case before the plugin sees it. */
    cJSON *a = NULL;
    bh_eval_error e;
    assert_int_equal(bh_evaluate(g_set, c, NULL, &a, &e), BATON_EINVAL);
    assert_null(a);
    assert_string_equal(e.code, "invalid_case");
    assert_non_null(strstr(e.message, "claim.interest.contractual_rate_bp"));
    /* 1000 % a year is still computed: 1,000.00 x 1000 % x 151/365 */
    set_int(c, "claim.interest.contractual_rate_bp", 100000);
    a = evaluate(c);
    assert_null(finding(a, "interest_rate_unusable"));
    /* 2026-01-02 .. 2026-06-01 = 151 days; 1,000,000 x 151 / 365 = 413,698.63 cents */
    assert_int_equal(cost(a, "interest"), 413699);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void interest_counts_toward_the_small_claims_limit(void **state)
{
    (void)state;
    /* 12,400.00 + 10 % for 365 days (1,240.00) = 13,640.00 > 12,500 */
    cJSON *c = new_case();
    set_str(c, "creditor.kind", "individual");
    set_str(c, "claim.principal.amount", "12400.00");
    set_str(c, "claim.due_date", "2025-06-01");
    set_str(c, "as_of", "2026-06-01");
    set_json(c, "claim.interest", "{\"statutory\":true}");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "limited_civil");
    assert_int_equal(money_minor(fact(a, "route.demand")), 1364000);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* Issue 11 item 1: CCP 85(a) measures a limited civil case by the amount in
 * controversy "exclusive of attorneys' fees, interest, and costs": $35,000
 * of principal with $3,500 of interest stays limited civil; a cent more of
 * principal does not. */
static void interest_does_not_count_toward_the_limited_civil_limit(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "creditor.kind", "business");
    set_str(c, "claim.principal.amount", "35000.00");
    set_str(c, "claim.due_date", "2025-06-01");
    set_str(c, "as_of", "2026-06-01");
    set_json(c, "claim.interest", "{\"statutory\":true}");
    cJSON *a = evaluate(c);
    /* 10 % for 365 days = 3,500.00: demand 38,500.00 */
    assert_int_equal(money_minor(fact(a, "route.demand")), 3850000);
    assert_int_equal(money_minor(fact(a, "route.amount_in_controversy")), 3500000);
    assert_string_equal(fact_str(a, "route.track"), "limited_civil");
    /* GC 70613(a) + 70602.5(b): $370 */
    assert_int_equal(cost(a, "court_fee"), 37000);
    assert_string_equal(fact_str(a, "params.limited_civil_limit.version"), "sb71-2024-01-01");
    cJSON_Delete(a);
    set_str(c, "claim.principal.amount", "35000.01");
    a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "unlimited_civil");
    assert_int_equal(cost(a, "court_fee"), 43500);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- Regulation F validation period ---- */

struct vp_case {
    const char *sent;
    const char *end;
};

/* 12 CFR 1006.34(b)(5): receipt assumed 5 days after sending, not counting
 * Saturdays, Sundays and 5 U.S.C. 6103(a) holidays (as observed, OPM
 * lists); the period ends 30 days after receipt. Worked by hand:
 *   2025-12-23 Tue: 24, (25 Christmas), 26, (27-28), 29, 30, 31 -> 2026-01-30
 *   2026-03-05 Thu: 6, (7-8), 9, 10, 11, 12 -> 2026-04-11
 *   2026-06-15 Mon: 16, 17, 18, (19 Juneteenth, 20-21), 22, 23 -> 2026-07-23
 *   2026-06-30 Tue: 1, 2, (3 Independence Day observed, 4-5), 6, 7, 8 -> 2026-08-07
 *   2026-03-02 Mon: 3, 4, 5, 6, 9 -> 2026-04-08 (weekend only)
 *   2021-12-28 Tue: 29, 30, (31 New Year's Day 2022 observed, 1-2), 3, 4, 5 -> 2022-02-04 */
static const struct vp_case vp_cases[] = {
    {"2025-12-23", "2026-01-30"}, {"2026-03-05", "2026-04-11"}, {"2026-06-15", "2026-07-23"},
    {"2026-06-30", "2026-08-07"}, {"2026-03-02", "2026-04-08"}, {"2021-12-28", "2022-02-04"},
};

static void validation_period_skips_weekends_and_federal_holidays(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vp_cases / sizeof vp_cases[0]; i++) {
        cJSON *c = new_case();
        char json[160];
        snprintf(json, sizeof json, "[{\"kind\":\"validation_notice\",\"date\":\"%s\"}]",
                 vp_cases[i].sent);
        set_json(c, "letters_sent", json);
        set_str(c, "as_of", vp_cases[i].sent);
        set_str(c, "claim.due_date", "2021-06-01");
        cJSON *a = evaluate(c);
        const char *end = fact_str(a, "pre_action.validation_period_end");
        if (strcmp(end, vp_cases[i].end) != 0)
            fail_msg("sent %s: end %s, expected %s", vp_cases[i].sent, end, vp_cases[i].end);
        /* still inside the period: wait, and file the day after it ends */
        assert_string_equal(finding(a, "regf_validation_period"), "warn");
        cJSON_Delete(a);
        cJSON_Delete(c);
    }
}

static void consumer_without_validation_notice_is_missing_it(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "as_of", "2026-06-15");
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "regf_validation_notice"), "missing");
    /* sent today: end 2026-07-23, so the earliest filing is the day after */
    assert_string_equal(fact_str(a, "pre_action.earliest_issue_date"), "2026-07-24");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void unanswered_consumer_dispute_blocks(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_json(c, "disputes", "[{\"date\":\"2026-02-01\",\"answered\":false}]");
    cJSON *a = evaluate(c);
    assert_string_equal(finding(a, "regf_dispute_unverified"), "block");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---- the validation notice letter ---- */

static char *letter_text(const cJSON *c)
{
    baton_letter *l = NULL;
    bh_eval_error e;
    int rc = bh_letter_compose(g_set, c, "validation_notice", NULL, &l, &e);
    if (rc != 0)
        fail_msg("letter failed: %s %s", e.code, e.message);
    size_t len = 1;
    for (size_t i = 0; i < l->count; i++)
        len += strlen(l->blocks[i].text) + 1;
    char *s = malloc(len);
    assert_non_null(s);
    s[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        strcat(s, l->blocks[i].text);
        strcat(s, "\n");
    }
    bh_letter_free(l);
    return s;
}

static cJSON *notice_case(void)
{
    cJSON *c = new_case();
    set_str(c, "creditor.name", "Debt Buyer LLC");
    set_json(c, "collector",
             "{\"name\":\"Pacific Recovery Services\",\"address\":{\"lines\":[\"500 Capitol "
             "Mall\",\"Suite 900\"],\"city\":\"Sacramento\",\"region\":\"CA\",\"postcode\":"
             "\"95814\",\"country\":\"US\"},\"registration\":\"CA DCL 10059-01\","
             "\"contact\":{\"email\":\"disputes@pacrec.example\"}}");
    set_json(c, "assignments",
             "[{\"from\":\"Sierra Bank NA\",\"to\":\"Debt Buyer LLC\",\"date\":\"2025-06-01\"}]");
    set_str(c, "claim.description", "a Sierra Bank credit card");
    set_json(c, "claim.itemization",
             "{\"date_kind\":\"charge_off\",\"date\":\"2025-03-31\","
             "\"amount\":{\"amount\":\"1000.00\",\"currency\":\"USD\"},"
             "\"interest_since\":{\"amount\":\"25.00\",\"currency\":\"USD\"},"
             "\"fees_since\":{\"amount\":\"10.00\",\"currency\":\"USD\"},"
             "\"payments_since\":{\"amount\":\"5.00\",\"currency\":\"USD\"},"
             "\"credits_since\":{\"amount\":\"0\",\"currency\":\"USD\"}}");
    set_str(c, "ext.us-ca.account_number", "XXXX-XXXX-4417");
    set_str(c, "ext.us-ca.notice_date", "2025-12-23");
    set_str(c, "claim.due_date", "2025-02-01");
    set_str(c, "as_of", "2025-12-23");
    return c;
}

static void validation_notice_has_every_model_form_field(void **state)
{
    (void)state;
    cJSON *c = notice_case();
    set_item(c, "ext.us-ca.spanish_option", cJSON_CreateTrue());
    char *s = letter_text(c);
    static const char *const must[] = {
        /* (c)(1) */ "Pacific Recovery Services is a debt collector.",
        /* (c)(2)(i) */ "Pacific Recovery Services\n500 Capitol Mall",
        "License\tCA DCL 10059-01",
        "500 Capitol Mall",
        "Suite 900",
        "Sacramento, CA 95814",
        /* (c)(2)(ii) */ "Maria Lopez",
        "22 Oak Ave",
        "Fresno, CA 93701",
        /* (c)(2)(iii), (iv) */
        "You had a Sierra Bank credit card from Sierra Bank NA with account number "
        "XXXX-XXXX-4417.",
        /* (c)(2)(v) */ "a debt that you owe to Debt Buyer LLC",
        /* (c)(2)(vi), (vii) */ "As of March 31, 2025, you owed:\t$1,000.00",
        /* (c)(2)(viii) */ "Between March 31, 2025 and today:",
        "You were charged this amount in interest:\t+ $25.00",
        "You were charged this amount in fees:\t+ $10.00",
        "You paid or were credited this amount toward the debt:\t- $5.00",
        /* (c)(2)(ix) */ "Total amount of the debt now:\t$1,030.00",
        /* (c)(3)(i)-(iii): sent 2025-12-23, end 2026-01-30 */
        "Call or write to us by January 30, 2026, to dispute all or part of the debt",
        "If you write to us by January 30, 2026, we must stop collection",
        "we will assume that our information is correct",
        "name and address of the original creditor",
        /* (c)(3)(iv) */ "www.cfpb.gov/debt-collection",
        /* (c)(3)(v) */ "We accept disputes electronically at disputes@pacrec.example",
        /* (c)(3)(vi) */ "solicitar una copia de este formulario en español",
        /* (c)(4) */ "How do you want to respond?",
        "Mail this form to:",
        "I want to dispute the debt because I think:",
        "This is not my debt.",
        "The amount is wrong.",
        "Other (please describe on reverse or attach additional "
        "information).",
        "I want you to send me the name and address of the original creditor.",
        "I enclosed this amount:",
        "Make your check payable to Pacific Recovery Services.",
        "Quiero este formulario en español.",
        /* Civil Code 1812.700 */ "Rosenthal Fair Debt Collection Practices Act",
        "1-877-FTC-HELP",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (strstr(s, must[i]) == NULL)
            fail_msg("letter lacks \"%s\":\n%s", must[i], s);
    /* not time-barred: no Civil Code 1788.14(d) notice */
    assert_null(strstr(s, "The law limits how long you can be sued"));
    free(s);
    cJSON_Delete(c);
}

static void spanish_option_is_left_out_unless_chosen(void **state)
{
    (void)state;
    cJSON *c = notice_case();
    char *s = letter_text(c);
    assert_null(strstr(s, "español"));
    assert_non_null(strstr(s, "www.cfpb.gov/debt-collection"));
    free(s);
    cJSON_Delete(c);
}

static void time_barred_notice_says_it_will_not_sue(void **state)
{
    (void)state;
    cJSON *c = notice_case();
    set_str(c, "claim.due_date", "2021-01-10");
    set_str(c, "ext.us-ca.notice_date", "2026-06-01");
    set_str(c, "as_of", "2026-06-01");
    char *s = letter_text(c);
    /* Civil Code 1788.14(d)(1): still reportable (7 years from 180 days
     * after delinquency have not passed) */
    assert_non_null(strstr(s, "The law limits how long you can be sued on a debt. Because of the "
                              "age of your debt, we will not sue you for it. If you do not pay "
                              "the debt, Pacific Recovery Services may report it to the credit "
                              "reporting agencies as unpaid for as long as the law permits this "
                              "reporting."));
    free(s);

    /* (d)(2): past the FCRA 605(a) period: due 2018-01-10, delinquent from
     * 2018-01-11, +180 days = 2018-07-10, +7 years = 2025-07-10 */
    set_str(c, "claim.due_date", "2018-01-10");
    s = letter_text(c);
    assert_non_null(strstr(s, "Because of the age of your debt, we will not sue you for it, and "
                              "we will not report it to any credit reporting agency."));
    assert_null(strstr(s, "as unpaid"));
    free(s);
    cJSON_Delete(c);
}

static void notice_without_itemization_is_refused(void **state)
{
    (void)state;
    cJSON *c = notice_case();
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "claim"),
                                            "itemization");
    baton_letter *l = NULL;
    bh_eval_error e;
    assert_true(bh_letter_compose(g_set, c, "validation_notice", NULL, &l, &e) < 0);
    assert_null(l);
    cJSON_Delete(c);
}

/* The file's text with every run of whitespace made one space. */
static char *read_flat(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char raw[131072];
    size_t n = fread(raw, 1, sizeof raw - 1, f);
    fclose(f);
    raw[n] = '\0';
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = raw[i];
        if (ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f')
            ch = ' ';
        if (ch == ' ' && (o == 0 || out[o - 1] == ' '))
            continue;
        out[o++] = ch;
    }
    out[o] = '\0';
    return out;
}

/* The notice as PDF, read back with poppler's pdftotext: every B-1 item
 * survives layout. (The committed samples docs/plugins/us-ca-validation-
 * notice.{txt,pdf} are written by `baton letter` from the example case
 * tests/cases/us-ca-consumer-validation-period.json.) */
static void validation_notice_pdf_reads_back_with_every_item(void **state)
{
    (void)state;
    cJSON *c = notice_case();
    set_item(c, "ext.us-ca.spanish_option", cJSON_CreateTrue());
    baton_letter *l = NULL;
    bh_eval_error e;
    assert_int_equal(bh_letter_compose(g_set, c, "validation_notice", NULL, &l, &e), 0);
    char err[256] = "", *pdf = NULL;
    size_t len = 0;
    int rc = bh_letter_render_pdf(l, &pdf, &len, err, sizeof err);
    bh_letter_free(l);
    cJSON_Delete(c);
    if (rc == BATON_EUNSUPP)
        skip(); /* built without pangocairo: there is no PDF to read back */
    assert_int_equal(rc, 0);

    char pdf_path[] = "/tmp/baton-us-ca-XXXXXX";
    int fd = mkstemp(pdf_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    free(pdf);
    char txt_path[64], cmd[256];
    snprintf(txt_path, sizeof txt_path, "%s.txt", pdf_path);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' '%s'", pdf_path, txt_path);
    if (system(cmd) != 0) {
        unlink(pdf_path);
        skip(); /* poppler-utils not installed */
    }
    char *back = read_flat(txt_path);
    unlink(txt_path);
    unlink(pdf_path);
    assert_non_null(back);
    static const char *const must[] = {
        "Pacific Recovery Services is a debt collector.",
        "500 Capitol Mall",
        "Maria Lopez",
        "22 Oak Ave",
        "Sierra Bank NA",
        "XXXX-XXXX-4417",
        "Debt Buyer LLC",
        "March 31, 2025",
        "$1,000.00",
        "+ $25.00",
        "+ $10.00",
        "- $5.00",
        "$1,030.00",
        "January 30, 2026",
        "www.cfpb.gov/debt-collection",
        "How do you want to respond?",
        "This is not my debt.",
        "The amount is wrong.",
        "original creditor",
        "Quiero este formulario en español.",
        "Federal Trade Commission", /* the phone number may break at a hyphen */
        "www.ftc.gov",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (strstr(back, must[i]) == NULL)
            fail_msg("PDF text lacks \"%s\":\n%s", must[i], back);
    free(back);
}

/* ---- the example cases under tests/cases ---- */

static cJSON *load_case(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", USCA_CASES_DIR, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *c = cJSON_Parse(buf);
    if (c == NULL)
        fail_msg("%s is not JSON", path);
    return c;
}

static void example_cases_give_their_documented_outcome(void **state)
{
    (void)state;
    cJSON *c = load_case("us-ca-small-claims-invoice.json");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "small_claims");
    assert_int_equal(cost(a, "court_fee"), 7500);
    assert_null(finding(a, "time_barred"));
    cJSON_Delete(a);
    cJSON_Delete(c);

    c = load_case("us-ca-consumer-time-barred.json");
    a = evaluate(c);
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_string_equal(finding(a, "regf_time_barred_suit"), "block");
    cJSON_Delete(a);
    cJSON_Delete(c);

    c = load_case("us-ca-consumer-validation-period.json");
    a = evaluate(c);
    assert_string_equal(finding(a, "regf_validation_period"), "warn");
    assert_string_equal(fact_str(a, "pre_action.validation_period_end"), "2026-12-30");
    assert_string_equal(fact_str(a, "pre_action.earliest_issue_date"), "2026-12-31");
    assert_string_equal(fact_str(a, "route.track"), "limited_civil");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static int setup(void **state)
{
    (void)state;
    char err[256];
    cJSON *plugins = cJSON_Parse("[{\"path\":\"us-ca.so\"}]");
    int rc =
        test_plugin_set_load("t", plugins, BATON_PLUGIN_DIR, NULL, NULL, &g_set, err, sizeof err);
    cJSON_Delete(plugins);
    if (rc != 0 || g_set == NULL || g_set->count != 1) {
        fprintf(stderr, "cannot load us-ca.so from %s: %s\n", BATON_PLUGIN_DIR, err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_plugin_set_unref(g_set);
    g_set = NULL;
    return 0;
}

/* Issue 11 item 4: the rule that moved the deadline is a fact next to it. */
static void limitation_deadline_says_which_rule_moved_it(void **state)
{
    (void)state;
    cJSON *c = new_case();
    set_str(c, "claim.contract_type", "written");
    set_str(c, "claim.due_date", "2022-11-25");
    set_str(c, "as_of", "2026-06-01");
    set_str(c, "debtor.kind", "business");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2026-11-30");
    assert_string_equal(fact_str(a, "limitation.deadline_unmoved"), "2026-11-26");
    assert_string_equal(fact_str(a, "limitation.deadline_moved_by"), "CCP 12, 12a");
    assert_string_equal(fact_str(a, "limitation.deadline_closed_day"), "Thanksgiving Day");
    assert_string_equal(fact_str(a, "params.court_calendar.version"),
                        "ca-judicial-holidays-2024-2030");
    cJSON_Delete(a);
    set_str(c, "claim.due_date", "2022-10-11");
    a = evaluate(c);
    assert_string_equal(fact_str(a, "limitation.deadline_moved_by"), "none");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* The golden cases of issue 11: tests/cases/README.md. */
static void issue_11_golden_cases(void **state)
{
    (void)state;
    /* $35,000.00 principal, due 2025-11-23, 10 % (Civil Code 3289(b)) for
     * 365 days = $3,500.00: demand $38,500, amount in controversy $35,000
     * (CCP 85(a)): limited civil, fee $330 + $40 (GC 70613(a), 70602.5(b)). */
    cJSON *c = load_case("us-ca-limited-civil-interest.json");
    cJSON *a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "limited_civil");
    assert_int_equal(cost(a, "interest"), 350000);
    assert_int_equal(cost(a, "court_fee"), 37000);
    cJSON_Delete(a);
    cJSON_Delete(c);

    /* A sole proprietor claiming $12,400: within the natural-person limit
     * of $12,500 (CCP 116.221), fee $75 (CCP 116.230(b)(3)). */
    c = load_case("us-ca-sole-trader-small-claims.json");
    a = evaluate(c);
    assert_string_equal(fact_str(a, "route.track"), "small_claims");
    assert_int_equal(money_minor(fact(a, "route.small_claims_limit")), 1250000);
    assert_int_equal(cost(a, "court_fee"), 7500);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_and_filing_fee_at_every_edge),
        cmocka_unit_test(demand_over_2500_without_filing_count_asks_for_the_declaration),
        cmocka_unit_test(small_claims_needs_a_prior_demand_for_payment),
        cmocka_unit_test(readiness_checklist_uses_the_common_codes),
        cmocka_unit_test(insolvent_or_deceased_debtor_blocks),
        cmocka_unit_test(debt_not_yet_due_blocks),
        cmocka_unit_test(claims_outside_the_plugins_reach_are_blocked_not_guessed),
        cmocka_unit_test(limitation_four_and_two_years_at_the_edges),
        cmocka_unit_test(limitation_deadline_says_which_rule_moved_it),
        cmocka_unit_test(interest_does_not_count_toward_the_limited_civil_limit),
        cmocka_unit_test(issue_11_golden_cases),
        cmocka_unit_test(days_left_counts_to_the_last_day),
        cmocka_unit_test(time_barred_consumer_debt_blocks_suit_and_threats),
        cmocka_unit_test(prejudgment_interest_rate_days_and_rounding),
        cmocka_unit_test(no_interest_line_when_interest_is_not_claimed),
        cmocka_unit_test(contract_rate_above_the_format_bound_is_refused_by_the_host),
        cmocka_unit_test(interest_counts_toward_the_small_claims_limit),
        cmocka_unit_test(validation_period_skips_weekends_and_federal_holidays),
        cmocka_unit_test(consumer_without_validation_notice_is_missing_it),
        cmocka_unit_test(unanswered_consumer_dispute_blocks),
        cmocka_unit_test(validation_notice_has_every_model_form_field),
        cmocka_unit_test(spanish_option_is_left_out_unless_chosen),
        cmocka_unit_test(time_barred_notice_says_it_will_not_sue),
        cmocka_unit_test(notice_without_itemization_is_refused),
        cmocka_unit_test(validation_notice_pdf_reads_back_with_every_item),
        cmocka_unit_test(example_cases_give_their_documented_outcome),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
