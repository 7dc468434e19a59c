/*
 * test_gb_ew_cases.c - the built gb-ew.so and northwind.so, loaded by the
 * host runtime with the shipped example configs, over the realistic case
 * files in tests/cases (expected outcomes documented in
 * tests/cases/README.md). Also renders the Letter of Claim and checks
 * every element paragraph 3 of the Pre-Action Protocol asks for.
 *
 * Expected figures are worked by hand from the statutes and fee tables
 * (the working is next to each), not read back from the plugins.
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

#include "evaluate.h"
#include "letter.h"
#include "letter_render.h"
#include "letters.h"
#include "plugin_set.h"
#include "test_plugins.h"

#ifndef GBEW_CASES_DIR
#error "GBEW_CASES_DIR must be defined"
#endif
#define DOCS_DIR GBEW_CASES_DIR "/../../docs"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n)
            buf[n] = '\0';
        else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static cJSON *load_json(const char *path)
{
    char *text = slurp(path);
    cJSON *j;
    if (text == NULL)
        fail_msg("cannot read %s", path);
    j = cJSON_Parse(text);
    free(text);
    if (j == NULL)
        fail_msg("%s is not valid JSON", path);
    return j;
}

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)ctx;
    fail_msg("plugin refused for %s: %s: %s", tenant, path, message);
}

static char refusal_text[512];

static void keep_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)ctx;
    (void)tenant;
    (void)path;
    snprintf(refusal_text, sizeof refusal_text, "%s", message);
}

static bh_plugin_set *load_set(void)
{
    cJSON *plugins = cJSON_CreateArray();
    cJSON *gb = cJSON_CreateObject(), *nw = cJSON_CreateObject();
    bh_plugin_set *set = NULL;
    char err[256];
    cJSON_AddStringToObject(gb, "path", "gb-ew.so");
    cJSON_AddItemToObject(gb, "config", load_json(DOCS_DIR "/plugins/gb-ew.config.json"));
    cJSON_AddStringToObject(nw, "path", "northwind.so");
    cJSON_AddItemToObject(nw, "config", load_json(DOCS_DIR "/plugins/northwind.config.json"));
    cJSON_AddItemToArray(plugins, gb);
    cJSON_AddItemToArray(plugins, nw);
    assert_int_equal(test_plugin_set_load("agency-test", plugins, BATON_PLUGIN_DIR, on_refusal,
                                          NULL, &set, err, sizeof err),
                     0);
    cJSON_Delete(plugins);
    assert_non_null(set);
    assert_int_equal(set->count, 2);
    return set;
}

static int setup(void **state)
{
    *state = load_set();
    return 0;
}

static int teardown(void **state)
{
    bh_plugin_set_unref(*state);
    return 0;
}

static cJSON *load_case(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", GBEW_CASES_DIR, name);
    return load_json(path);
}

static cJSON *evaluate(void **state, const cJSON *c)
{
    cJSON *answer = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (bh_evaluate(*state, c, NULL, &answer, &e) != 0)
        fail_msg("evaluation failed: %d %s %s", e.http_status, e.code, e.message);
    return answer;
}

static cJSON *evaluate_file(void **state, const char *name)
{
    cJSON *c = load_case(name);
    cJSON *a = evaluate(state, c);
    cJSON_Delete(c);
    return a;
}

/* The status of finding code (first one), or "absent". */
static const char *finding(const cJSON *a, const char *code)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(a, "findings"))
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(f, "code");
        if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0)
            return cJSON_GetObjectItemCaseSensitive(f, "status")->valuestring;
    }
    return "absent";
}

/* facts.<dotted> */
static const cJSON *fact(const cJSON *a, const char *dotted)
{
    char buf[128], *save = NULL, *tok;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(a, "facts");
    snprintf(buf, sizeof buf, "%s", dotted);
    for (tok = strtok_r(buf, ".", &save); tok != NULL && n != NULL;
         tok = strtok_r(NULL, ".", &save))
        n = cJSON_GetObjectItemCaseSensitive(n, tok);
    if (n == NULL)
        fail_msg("fact %s missing", dotted);
    return n;
}

static const char *fact_str(const cJSON *a, const char *dotted)
{
    const cJSON *n = fact(a, dotted);
    assert_true(cJSON_IsString(n));
    return n->valuestring;
}

static int64_t fact_minor(const cJSON *a, const char *dotted)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(fact(a, dotted), "minor");
    assert_true(cJSON_IsNumber(n));
    return (int64_t)n->valuedouble;
}

/* Sum of cost lines of kind (minor units). */
static int64_t cost(const cJSON *a, const char *kind)
{
    const cJSON *c;
    int64_t sum = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(a, "costs"))
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(c, "kind")->valuestring, kind) == 0)
            sum += (int64_t)cJSON_GetObjectItemCaseSensitive(
                       cJSON_GetObjectItemCaseSensitive(c, "amount"), "minor")
                       ->valuedouble;
    }
    return sum;
}

static void set_as_of(cJSON *c, const char *date)
{
    cJSON_DeleteItemFromObjectCaseSensitive(c, "as_of");
    cJSON_AddStringToObject(c, "as_of", date);
}

/* ------------------------------------------------------------- the cases */

static void test_b2b_ready_case_goes_legal(void **state)
{
    cJSON *a = evaluate_file(state, "gb-ew-b2b-ready.json");
    /* Due 10 April 2025: reference date 31 Dec 2024, Bank Rate 4.75% -> 12.75%.
     * 207 days to 3 Nov 2025: 742000 x 1275 x 207 / 3650000 = 53652.698 -> 53652. */
    assert_string_equal(fact_str(a, "interest.kind"), "late_payment");
    assert_int_equal(fact(a, "interest.rate_bp")->valueint, 1275);
    assert_int_equal(fact(a, "interest.days")->valueint, 207);
    assert_int_equal(cost(a, "interest"), 53652);
    assert_int_equal(cost(a, "compensation"), 7000); /* s.5A: £1,000 to < £10,000 */
    /* Claim value 7420.00 + 536.52 + 70.00 = 8026.52 -> fee band (g) £455. */
    assert_int_equal(fact_minor(a, "claim.value"), 802652);
    assert_int_equal(cost(a, "court_fee"), 45500);
    assert_string_equal(fact_str(a, "route.track"), "small_claims");
    assert_string_equal(fact_str(a, "route.procedure"), "money_claim_online");
    assert_string_equal(fact_str(a, "pre_action.protocol"), "practice_direction");
    assert_string_equal(fact_str(a, "pre_action.status"), "complete");
    assert_string_equal(finding(a, "in_time"), "met");
    assert_string_equal(fact_str(a, "limitation.deadline"), "2031-04-11");
    /* All seven checklist items met. */
    assert_int_equal(fact(a, "readiness.met")->valueint, 7);
    assert_int_equal(fact(a, "readiness.missing")->valueint, 0);
    /* Northwind: likelihood 0 (not engaged, a broken promise and plan) + 3000
     * (7/7 documents) + 3000 (assets known) + 1000 (207 days) = 7000. */
    assert_int_equal(fact(a, "recovery.likelihood_bp")->valueint, 7000);
    /* Balance 802652 x 70% = 561856; commission 18% = 101134; costs 45500 +
     * 9500 = 55000; net 405722. */
    assert_int_equal(fact_minor(a, "recovery.legal.net"), 405722);
    assert_int_equal(cost(a, "commission"), 101134);
    assert_int_equal(cost(a, "lawyer_fee"), 9500);
    assert_string_equal(fact_str(a, "recommendation.action"), "legal");
    assert_string_equal(fact_str(a, "recommendation.reason_codes"), "legal_ready");
    cJSON_Delete(a);
}

static void test_consumer_inside_pre_action_period_stays_pre_legal(void **state)
{
    cJSON *a = evaluate_file(state, "gb-ew-consumer-pap-waiting.json");
    /* s.69 8%: 286000 x 800 x 227 / 3650000 = 14229.48 -> 14229. */
    assert_string_equal(fact_str(a, "interest.kind"), "s69");
    assert_int_equal(cost(a, "interest"), 14229);
    assert_int_equal(cost(a, "compensation"), 0);
    /* 2860.00 + 142.29 = 3002.29: interest lifts the claim into band (f), £205. */
    assert_int_equal(cost(a, "court_fee"), 20500);
    assert_string_equal(fact_str(a, "pre_action.protocol"), "debt_claims");
    assert_string_equal(fact_str(a, "pre_action.status"), "waiting");
    assert_string_equal(finding(a, "pre_action_period_running"), "missing");
    /* Letter of Claim 16 Oct 2025: reply until 15 Nov, claim from 16 Nov. */
    assert_string_equal(fact_str(a, "pre_action.earliest_issue_date"), "2025-11-16");
    /* Limitation restarted by the part payment of 30 May 2025. */
    assert_string_equal(fact_str(a, "limitation.restarted_by"), "part_payment");
    assert_string_equal(fact_str(a, "limitation.deadline"), "2031-05-30");
    assert_string_equal(finding(a, "disputes_answered"), "met");
    assert_string_equal(fact_str(a, "recommendation.action"), "pre_legal");
    assert_string_equal(fact_str(a, "recommendation.reason_codes"), "pre_action_pending");
    cJSON_Delete(a);

    /* On 16 Nov 2025 the period is over and the case is ready to issue. */
    cJSON *c = load_case("gb-ew-consumer-pap-waiting.json");
    set_as_of(c, "2025-11-15");
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "pre_action.status"), "waiting");
    cJSON_Delete(a);
    set_as_of(c, "2025-11-16");
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "pre_action.status"), "complete");
    assert_string_equal(finding(a, "letter_of_claim_sent"), "met");
    assert_string_equal(fact_str(a, "recommendation.action"), "legal");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void test_time_barred_case_is_blocked_and_written_off(void **state)
{
    cJSON *a = evaluate_file(state, "gb-ew-time-barred.json");
    /* Due 31 March 2019: accrued 1 April 2019, barred after 1 April 2025. */
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_string_equal(fact_str(a, "limitation.deadline"), "2025-04-01");
    assert_int_equal(fact(a, "limitation.time_barred")->valueint, 1);
    assert_string_equal(fact_str(a, "recommendation.action"), "write_off");
    assert_string_equal(fact_str(a, "recommendation.reason_codes"), "time_barred");
    assert_int_equal(cost(a, "commission"), 0);
    cJSON_Delete(a);
}

static void test_limitation_edge_day_before_and_after(void **state)
{
    cJSON *c = load_case("gb-ew-time-barred.json"), *a;
    set_as_of(c, "2025-04-01"); /* the last day */
    a = evaluate(state, c);
    assert_string_equal(finding(a, "in_time"), "met");
    assert_string_equal(finding(a, "limitation_near"), "warn");
    assert_int_equal(fact(a, "limitation.days_left")->valueint, 0);
    assert_string_equal(finding(a, "time_barred"), "absent");
    cJSON_Delete(a);
    set_as_of(c, "2025-04-02"); /* the day after */
    a = evaluate(state, c);
    assert_string_equal(finding(a, "time_barred"), "block");
    assert_int_equal(fact(a, "limitation.days_left")->valueint, -1);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void test_too_small_case_is_written_off(void **state)
{
    cJSON *a = evaluate_file(state, "gb-ew-too-small.json");
    /* Due 30 Sept 2024: reference date 30 June 2024, Bank Rate 5.25% -> 13.25%;
     * 399 days: 14500 x 1325 x 399 / 3650000 = 2100.21 -> 2100. s.5A: £40. */
    assert_int_equal(cost(a, "interest"), 2100);
    assert_int_equal(cost(a, "compensation"), 4000);
    assert_int_equal(cost(a, "court_fee"), 3500); /* £206.00: band (a) */
    /* 3 of 7 checklist items met (invoice, reminders, no dispute). */
    assert_int_equal(fact(a, "readiness.met")->valueint, 3);
    assert_string_equal(finding(a, "agreement"), "missing");
    assert_string_equal(finding(a, "identity_verified"), "missing");
    /* Likelihood 500 + 1285 + 1200 + 500 = 3485; gross 20600 x 34.85% = 7179;
     * legal: 7179 - 1794 (25%) - 13000 = -7615; pre-legal: 4307 - 775 = 3532. */
    assert_int_equal(fact(a, "recovery.likelihood_bp")->valueint, 3485);
    assert_int_equal(fact_minor(a, "recovery.legal.net"), -7615);
    assert_int_equal(fact_minor(a, "recovery.pre_legal.net"), 3532);
    assert_string_equal(fact_str(a, "recommendation.action"), "write_off");
    assert_string_equal(fact_str(a, "recommendation.reason_codes"), "too_small");
    cJSON_Delete(a);
}

static void test_unanswered_dispute_holds_the_case(void **state)
{
    cJSON *a = evaluate_file(state, "gb-ew-b2b-dispute-open.json");
    /* 1825000 x 1275 x 207 / 3650000 = 131962.5 -> 131962 (truncated). */
    assert_int_equal(cost(a, "interest"), 131962);
    assert_int_equal(cost(a, "compensation"), 10000); /* £10,000 or more: £100 */
    /* 18250.00 + 1319.62 + 100.00 = 19669.62; 5% = 983.481 -> £983.48. */
    assert_int_equal(cost(a, "court_fee"), 98348);
    assert_string_equal(fact_str(a, "route.track"), "fast");
    assert_string_equal(finding(a, "disputes_answered"), "missing");
    assert_string_equal(fact_str(a, "recommendation.action"), "hold");
    assert_string_equal(fact_str(a, "recommendation.reason_codes"), "dispute_open");
    cJSON_Delete(a);
}

static void test_assigned_debt_needs_a_letter_of_claim(void **state)
{
    cJSON *a = evaluate_file(state, "gb-ew-assigned-no-letter-of-claim.json");
    assert_string_equal(finding(a, "assignment_notice"), "met");
    assert_string_equal(finding(a, "letter_of_claim_required"), "missing");
    assert_string_equal(fact_str(a, "pre_action.status"), "letter_of_claim_required");
    /* Sent on 3 Nov 2025, the first issue day would be 4 Dec 2025. */
    assert_string_equal(fact_str(a, "pre_action.earliest_issue_date"), "2025-12-04");
    assert_string_equal(fact_str(a, "recommendation.action"), "pre_legal");
    assert_string_equal(fact_str(a, "recommendation.reason_codes"), "pre_action_pending");
    cJSON_Delete(a);
}

static void test_insolvent_debtor_is_blocked(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "debtor_profile");
    cJSON_DeleteItemFromObjectCaseSensitive(p, "insolvent");
    cJSON_AddBoolToObject(p, "insolvent", 1);
    a = evaluate(state, c);
    assert_string_equal(finding(a, "debtor_insolvent"), "block");
    assert_string_equal(fact_str(a, "recommendation.action"), "write_off");
    assert_string_equal(fact_str(a, "recommendation.reason_codes"), "debtor_insolvent");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void test_reference_rate_follows_the_day_interest_starts(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    cJSON *claim = cJSON_GetObjectItemCaseSensitive(c, "claim");
    /* Due 29 June 2025: interest starts 30 June, reference 31 Dec 2024 (4.75%). */
    cJSON_ReplaceItemInObjectCaseSensitive(claim, "due_date", cJSON_CreateString("2025-06-29"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "interest.reference_date"), "2024-12-31");
    assert_int_equal(fact(a, "interest.rate_bp")->valueint, 1275);
    cJSON_Delete(a);
    /* Due 30 June 2025: interest starts 1 July, reference 30 June 2025 (4.25%). */
    cJSON_ReplaceItemInObjectCaseSensitive(claim, "due_date", cJSON_CreateString("2025-06-30"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "interest.reference_date"), "2025-06-30");
    assert_int_equal(fact(a, "interest.rate_bp")->valueint, 1225);
    /* 742000 x 1225 x 126 / 3650000 (1 July to 3 Nov 2025) = 31377.45 -> 31377. */
    assert_int_equal(fact(a, "interest.days")->valueint, 126);
    assert_int_equal(cost(a, "interest"), 31377);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void test_consumer_gets_s69_interest_and_no_compensation(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    cJSON *debtor = cJSON_GetObjectItemCaseSensitive(c, "debtor");
    /* The same invoice owed by a consumer: 8% simple, no s.5A sum.
     * 742000 x 800 x 207 / 3650000 = 33664.44 -> 33664. */
    cJSON_ReplaceItemInObjectCaseSensitive(debtor, "kind", cJSON_CreateString("individual"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "interest.kind"), "s69");
    assert_int_equal(cost(a, "interest"), 33664);
    assert_int_equal(cost(a, "compensation"), 0);
    /* And the Protocol now applies: no Letter of Claim yet. */
    assert_string_equal(fact_str(a, "pre_action.protocol"), "debt_claims");
    assert_string_equal(finding(a, "letter_of_claim_required"), "missing");
    cJSON_Delete(a);
    /* A sole trader buying for the business is not a consumer: Late Payment Act. */
    cJSON_ReplaceItemInObjectCaseSensitive(debtor, "kind", cJSON_CreateString("sole_trader"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "interest.kind"), "late_payment");
    assert_int_equal(cost(a, "interest"), 53652);
    assert_string_equal(fact_str(a, "pre_action.protocol"), "debt_claims");
    cJSON_Delete(a);
    /* A contractual rate displaces both: 742000 x 1200 x 207 / 3650000 = 50496.66 -> 50496. */
    cJSON_ReplaceItemInObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "claim"), "interest"),
        "contractual_rate_bp", cJSON_CreateNumber(1200));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "interest.kind"), "contractual");
    assert_int_equal(cost(a, "interest"), 50496);
    assert_int_equal(cost(a, "compensation"), 0);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void test_route_for_large_and_foreign_claims(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    cJSON *claim = cJSON_GetObjectItemCaseSensitive(c, "claim");
    cJSON *principal = cJSON_GetObjectItemCaseSensitive(claim, "principal");
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(claim, "interest"),
                                           "statutory", cJSON_CreateBool(0));
    /* £100,000.00: intermediate track, and no longer Money Claim Online (< £100,000). */
    cJSON_ReplaceItemInObjectCaseSensitive(principal, "amount", cJSON_CreateString("100000.00"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "route.track"), "intermediate");
    assert_string_equal(fact_str(a, "route.procedure"), "claim_form_n1");
    assert_int_equal(cost(a, "court_fee"), 500000); /* 5% */
    cJSON_Delete(a);
    /* £99,999.99 still goes online; 5% = £4,999.9995 -> £4,999.99. */
    cJSON_ReplaceItemInObjectCaseSensitive(principal, "amount", cJSON_CreateString("99999.99"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "route.procedure"), "money_claim_online");
    assert_int_equal(cost(a, "court_fee"), 499999);
    cJSON_Delete(a);
    /* £250,000.00: multi-track, fee capped at £10,000. */
    cJSON_ReplaceItemInObjectCaseSensitive(principal, "amount", cJSON_CreateString("250000.00"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "route.track"), "multi");
    assert_int_equal(cost(a, "court_fee"), 1000000);
    cJSON_Delete(a);
    /* A debtor in Ireland: service out of the jurisdiction, form N1. */
    cJSON_ReplaceItemInObjectCaseSensitive(principal, "amount", cJSON_CreateString("7420.00"));
    cJSON_ReplaceItemInObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "debtor"), "address"),
        "country", cJSON_CreateString("IE"));
    a = evaluate(state, c);
    assert_string_equal(finding(a, "service_address"), "warn");
    assert_string_equal(fact_str(a, "route.procedure"), "claim_form_n1");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static bh_plugin_set *load_gb_ew(const char *config_json)
{
    char json[1024];
    cJSON *plugins;
    bh_plugin_set *set = NULL;
    char err[256];
    snprintf(json, sizeof json, "[{\"path\": \"gb-ew.so\"%s%s}]",
             config_json != NULL ? ", \"config\": " : "", config_json != NULL ? config_json : "");
    plugins = cJSON_Parse(json);
    assert_non_null(plugins);
    assert_int_equal(test_plugin_set_load("gb-ew-only", plugins, BATON_PLUGIN_DIR, on_refusal, NULL,
                                          &set, err, sizeof err),
                     0);
    cJSON_Delete(plugins);
    return set;
}

static cJSON *evaluate_with(bh_plugin_set *set, const cJSON *c)
{
    cJSON *a = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (bh_evaluate(set, c, NULL, &a, &e) != 0)
        fail_msg("evaluation failed: %d %s %s", e.http_status, e.code, e.message);
    return a;
}

static void set_due(cJSON *c, const char *date)
{
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "claim"), "due_date",
                                           cJSON_CreateString(date));
}

/* Issue 11 item 5: without any plugin config the shipped Bank Rate table
 * applies, so a £9,990 B2B claim gets statutory interest, the fixed sum and
 * the 5 % fee on the claim value, and the answer names the table. */
static void test_no_config_uses_the_shipped_bank_rate(void **state)
{
    bh_plugin_set *set = load_gb_ew(NULL);
    cJSON *c = load_case("gb-ew-b2b-9990.json"), *a;
    (void)state;
    a = evaluate_with(set, c);
    /* Due 10 April 2025: Bank Rate 4.75 % on 31 Dec 2024 -> 12.75 %; 207 days
     * to 3 Nov 2025: 999000 x 1275 x 207 / 3650000 = 72235.5 -> 72235p.
     * Fixed sum £70 (s.5A(2)(b)). Claim value 999000 + 72235 + 7000 =
     * 1078235p; fee 5 % rounded down = 53911p (£539.11), not £455. */
    assert_string_equal(finding(a, "interest_rate_unknown"), "absent");
    assert_string_equal(fact_str(a, "interest.kind"), "late_payment");
    assert_int_equal(cost(a, "interest"), 72235);
    assert_int_equal(cost(a, "compensation"), 7000);
    assert_int_equal(cost(a, "court_fee"), 53911);
    assert_string_equal(fact_str(a, "params.bank_rate.version"), "boe-2026-02-05");
    assert_string_equal(fact_str(a, "params.issue_fee.version"), "cpfo-fee-1.1-2015-03-09");
    assert_string_equal(finding(a, "params_beyond_horizon"), "absent");
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

/* A tenant's own table is used and named; one that starts after the
 * reference date is reported, not guessed. */
static void test_tenant_rate_table_overrides_and_gaps_are_reported(void **state)
{
    bh_plugin_set *set =
        load_gb_ew("{\"params\": {\"bank_rate\": {\"version\": \"tenant-7\", \"values\": "
                   "[{\"from\": \"2024-01-01\", \"rate_bp\": 100}]}}}");
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    (void)state;
    a = evaluate_with(set, c);
    /* 1 % + 8 % = 9 %: 742000 x 900 x 207 / 3650000 = 37872.6 -> 37872. */
    assert_int_equal(fact(a, "interest.rate_bp")->valueint, 900);
    assert_int_equal(cost(a, "interest"), 37872);
    assert_string_equal(fact_str(a, "params.bank_rate.version"), "tenant-7");
    assert_string_equal(fact_str(a, "params.bank_rate.source"), "tenant plugin config");
    /* Past the tenant table's horizon (its newest date, 1 Jan 2024). */
    assert_string_equal(finding(a, "params_beyond_horizon"), "warn");
    cJSON_Delete(a);
    bh_plugin_set_unref(set);

    set = load_gb_ew("{\"base_rates\": [{\"from\": \"2025-08-07\", \"rate_bp\": 400}]}");
    a = evaluate_with(set, c);
    assert_string_equal(finding(a, "interest_rate_unknown"), "warn");
    assert_string_equal(fact_str(a, "interest.kind"), "none");
    assert_int_equal(cost(a, "interest"), 0);
    assert_int_equal(cost(a, "court_fee"), 45500); /* on £7,420.00 alone */
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

/* A tenant's own fee 1.1 table (a fee order that came before the plugin
 * update) is applied and named; a malformed one refuses the plugin. */
static void test_tenant_issue_fee_table_overrides(void **state)
{
    bh_plugin_set *set = load_gb_ew(
        "{\"params\": {\"issue_fee\": {\"version\": \"tenant-fees-1\", \"values\": [{\"from\": "
        "\"2025-01-01\", \"basis\": \"test order\", \"bands\": [{\"up_to_minor\": 1000000, "
        "\"fee_minor\": 50000}, {\"up_to_minor\": null, \"percent_bp\": 600}]}]}}}");
    cJSON *c = load_case("gb-ew-b2b-9990.json"), *a;
    cJSON *plugins;
    bh_plugin_set *bad = NULL;
    char err[256];
    (void)state;
    a = evaluate_with(set, c);
    /* Claim value £10,782.35 (as with the shipped table): 6 % = 64694.1 -> 64694p. */
    assert_int_equal(cost(a, "court_fee"), 64694);
    assert_string_equal(fact_str(a, "params.issue_fee.version"), "tenant-fees-1");
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);

    plugins = cJSON_Parse("[{\"path\": \"gb-ew.so\", \"config\": {\"params\": {\"issue_fee\": "
                          "{\"version\": \"x\", \"values\": [{\"from\": \"2025-01-01\", "
                          "\"bands\": [{\"up_to_minor\": 1000, \"fee_minor\": 1}]}]}}}}]");
    refusal_text[0] = '\0';
    assert_int_equal(test_plugin_set_load("bad-fees", plugins, BATON_PLUGIN_DIR, keep_refusal, NULL,
                                          &bad, err, sizeof err),
                     0);
    assert_int_equal(bad->count, 0);
    assert_non_null(strstr(refusal_text, "config.params.issue_fee.values[0].bands[0].up_to_minor: "
                                         "the last band must be null"));
    bh_plugin_set_unref(bad);
    cJSON_Delete(plugins);
}

/* A debt whose statutory interest starts after the table's horizon (5 Feb
 * 2026) uses the newest rate and says which table may be stale. */
static void test_reference_date_beyond_the_bank_rate_horizon_warns(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    set_due(c, "2026-07-10");
    set_as_of(c, "2026-11-03");
    a = evaluate(state, c);
    /* Reference date 30 June 2026: beyond the horizon; newest rate 3.75 %. */
    assert_string_equal(fact_str(a, "interest.reference_date"), "2026-06-30");
    assert_int_equal(fact(a, "interest.base_rate_bp")->valueint, 375);
    assert_string_equal(finding(a, "params_beyond_horizon"), "warn");
    assert_string_equal(fact_str(a, "params.bank_rate.horizon"), "2026-02-05");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* Issue 11 item 3: before the due date there is no cause of action, no
 * interest line and no Late Payment fixed sum; from the first day of
 * interest both appear. */
static void test_no_fixed_sum_before_statutory_interest_runs(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    const cJSON *line;
    int interest_lines = 0;
    set_as_of(c, "2025-04-10"); /* the due date itself */
    a = evaluate(state, c);
    assert_string_equal(finding(a, "not_yet_due"), "block");
    cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(a, "costs"))
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(line, "kind")->valuestring, "interest") == 0)
            interest_lines++;
    }
    assert_int_equal(interest_lines, 0);
    assert_int_equal(cost(a, "compensation"), 0);
    assert_int_equal(fact(a, "interest.days")->valueint, 0);
    assert_int_equal(fact_minor(a, "claim.value"), 742000);
    cJSON_Delete(a);
    set_as_of(c, "2025-04-11"); /* interest runs from the day after */
    a = evaluate(state, c);
    assert_string_equal(finding(a, "not_yet_due"), "absent");
    /* One day at 12.75 %: 742000 x 1275 / 3650000 = 259.19 -> 259p. */
    assert_int_equal(cost(a, "interest"), 259);
    assert_int_equal(cost(a, "compensation"), 7000);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* Issue 11 item 4: a limitation period ending on a day the court office is
 * closed runs to the next open day (Pritam Kaur v S Russell & Sons [1973]
 * QB 336), and the answer says so next to the date. */
static void test_limitation_deadline_on_a_bank_holiday_moves(void **state)
{
    cJSON *c = load_case("gb-ew-time-barred.json"), *a;
    /* Due 24 Dec 2020: accrual 25 Dec 2020, six years end Friday 25 Dec
     * 2026 (Christmas Day); 26-27 Dec weekend, 28 Dec Boxing Day substitute
     * (gov.uk): the claim may be issued on Tuesday 29 Dec 2026. */
    set_due(c, "2020-12-24");
    set_as_of(c, "2026-12-29");
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2026-12-29");
    assert_string_equal(fact_str(a, "limitation.deadline_unmoved"), "2026-12-25");
    assert_string_equal(fact_str(a, "limitation.deadline_moved_by"),
                        "Pritam Kaur v S Russell & Sons Ltd [1973] QB 336");
    assert_string_equal(fact_str(a, "limitation.deadline_closed_day"), "Christmas Day");
    assert_string_equal(finding(a, "in_time"), "met");
    assert_string_equal(finding(a, "calendar_beyond_horizon"), "absent");
    cJSON_Delete(a);
    set_as_of(c, "2026-12-30");
    a = evaluate(state, c);
    assert_string_equal(finding(a, "time_barred"), "block");
    cJSON_Delete(a);

    /* Six years ending on Sunday 28 March 2027 (Easter Day), then Easter
     * Monday: moved to Tuesday 30 March 2027. */
    set_due(c, "2021-03-27");
    set_as_of(c, "2027-03-01");
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2027-03-30");
    assert_string_equal(fact_str(a, "limitation.deadline_closed_day"), "Sunday");
    cJSON_Delete(a);

    /* Ending on Thursday 24 Dec 2026, an open day: not moved. */
    set_due(c, "2020-12-23");
    set_as_of(c, "2026-12-01");
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "limitation.deadline"), "2026-12-24");
    assert_string_equal(fact_str(a, "limitation.deadline_moved_by"), "none");
    cJSON_Delete(a);

    /* Beyond the years the bank holiday table covers: a warning. */
    set_due(c, "2025-01-10");
    set_as_of(c, "2026-01-01");
    a = evaluate(state, c);
    assert_string_equal(finding(a, "calendar_beyond_horizon"), "warn");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* Issue 11 item 6: a sole trader creditor contracts in the course of a
 * business, so the Late Payment Act applies as for a company. */
static void test_sole_trader_creditor_gets_late_payment_interest(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "creditor"), "kind",
                                           cJSON_CreateString("sole_trader"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "interest.kind"), "late_payment");
    assert_int_equal(cost(a, "compensation"), 7000);
    cJSON_Delete(a);
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "creditor"), "kind",
                                           cJSON_CreateString("individual"));
    a = evaluate(state, c);
    assert_string_equal(fact_str(a, "interest.kind"), "s69");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void test_fee_table_follows_the_filing_date(void **state)
{
    cJSON *c = load_case("gb-ew-b2b-ready.json"), *a;
    cJSON *claim = cJSON_GetObjectItemCaseSensitive(c, "claim");
    cJSON *interest = cJSON_GetObjectItemCaseSensitive(claim, "interest");
    cJSON_ReplaceItemInObjectCaseSensitive(interest, "statutory", cJSON_CreateBool(0));
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(claim, "principal"),
                                           "amount", cJSON_CreateString("15000.00"));
    cJSON_ReplaceItemInObjectCaseSensitive(claim, "due_date", cJSON_CreateString("2015-01-10"));
    set_as_of(c, "2015-03-08");
    a = evaluate(state, c);
    assert_int_equal(cost(a, "court_fee"), 45500); /* 2014 table: up to £15,000 */
    cJSON_Delete(a);
    set_as_of(c, "2015-03-09");
    a = evaluate(state, c);
    assert_int_equal(cost(a, "court_fee"), 75000); /* 2015 table: 5% */
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* ---------------------------------------------------------------- letters */

static char *letter_text(const baton_letter *l)
{
    size_t len = 1;
    char *s;
    for (size_t i = 0; i < l->count; i++)
        len += strlen(l->blocks[i].text) + 1;
    s = calloc(1, len);
    assert_non_null(s);
    for (size_t i = 0; i < l->count; i++) {
        strcat(s, l->blocks[i].text);
        strcat(s, "\n");
    }
    return s;
}

static baton_letter *compose(void **state, cJSON *c, const char *kind)
{
    baton_letter *l = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (bh_letter_compose(*state, c, kind, NULL, &l, &e) != 0)
        fail_msg("compose %s failed: %d %s %s", kind, e.http_status, e.code, e.message);
    return l;
}

static void expect(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL)
        fail_msg("letter lacks \"%s\"", needle);
}

static void test_letter_of_claim_has_every_protocol_element(void **state)
{
    cJSON *c = load_case("gb-ew-assigned-no-letter-of-claim.json");
    baton_letter *l = compose(state, c, "letter_of_claim");
    char *t = letter_text(l);
    assert_string_equal(l->title, "Letter of Claim");
    /* Dated, addressed. */
    expect(t, "3 November 2025");
    expect(t, "Mr Daniel Okafor\n41 Cressingham Road");
    /* amount: 2860.00 + 142.29 interest = £3,002.29. */
    expect(t, "\xc2\xa3"
              "3,002.29");
    expect(t, "Amount unpaid\t\xc2\xa3"
              "2,860.00");
    /* interest continuing, rate and daily amount (2860 x 8% / 365 = 62.68p). */
    expect(t, "Interest is continuing to be added at 8.00% a year (\xc2\xa3"
              "0.62 a day)");
    /* written agreement: date, parties, copy on request. */
    expect(t, "written agreement dated 14 January 2025 between Ashdown Home Improvements Ltd and "
              "Mr Daniel Okafor");
    expect(t, "You can ask us for a copy of the written agreement");
    /* assignment: original creditor, when and to whom. */
    expect(t, "originally owed to Ashdown Home Improvements Ltd");
    expect(t, "on 1 September 2025 from Ashdown Home Improvements Ltd to Castlegate Debt Purchase "
              "Ltd");
    /* statement of account. */
    expect(t, "up-to-date statement of account");
    /* how to pay, and how to discuss payment options. */
    expect(t, "sort code 30-90-21, account number 11220033");
    expect(t, "discuss how to pay");
    /* where the Reply Form goes. */
    expect(t, "Castlegate Debt Purchase Ltd\nFloor 3, 1 Park Row\nLeeds\nLS1 5AB");
    /* 30 days from the date of the letter, and what happens after. */
    expect(t, "within 30 days of the date of this letter, that is by 3 December 2025");
    expect(t, "we may start court proceedings");
    /* The annexes. */
    expect(t, "Information Sheet");
    expect(t, "Reply Form");
    expect(t, "Financial Statement");
    expect(t, "Pre-Action Protocol for Debt Claims");
    /* Northwind's letterhead on top. */
    assert_int_equal(l->blocks[0].kind, BATON_BLOCK_LETTERHEAD);
    expect(l->blocks[0].text, "Northwind Credit Management Ltd");
    free(t);
    bh_letter_free(l);
    cJSON_Delete(c);
}

/* Text with every run of whitespace folded to one space. */
static char *flatten(const char *in)
{
    char *out = malloc(strlen(in) + 1), *o = out;
    int space = 0;
    assert_non_null(out);
    for (; *in; in++) {
        if (*in == ' ' || *in == '\n' || *in == '\t' || *in == '\r' || *in == '\f') {
            space = 1;
            continue;
        }
        if (space && o != out)
            *o++ = ' ';
        space = 0;
        *o++ = *in;
    }
    *o = '\0';
    return out;
}

static void test_letter_of_claim_pdf_reads_back_with_every_element(void **state)
{
    cJSON *c = load_case("gb-ew-assigned-no-letter-of-claim.json");
    baton_letter *l = compose(state, c, "letter_of_claim");
    char err[256] = "", pdf_path[] = "/tmp/gbew-loc-XXXXXX", txt_path[64], cmd[256];
    char *pdf = NULL, *raw, *flat;
    size_t len = 0;
    FILE *f;
    int fd;
    static const char *const must[] = {
        "Letter of Claim",
        "3 November 2025",
        ("\xc2\xa3"
         "3,002.29"),
        "Interest is continuing to be added at 8.00% a year",
        "You can ask us for a copy of the written agreement",
        "originally owed to Ashdown Home Improvements Ltd",
        "sort code 30-90-21, account number 11220033",
        "within 30 days of the date of this letter, that is by 3 December 2025",
        "Information Sheet",
        "Reply Form",
        "Financial Statement",
        "Pre-Action Protocol for Debt Claims",
        "Northwind Credit Management Ltd",
    };
    int rc = bh_letter_render_pdf(l, &pdf, &len, err, sizeof err);
    if (rc == BATON_EUNSUPP) {
        bh_letter_free(l);
        cJSON_Delete(c);
        skip(); /* built without pangocairo */
    }
    assert_int_equal(rc, 0);
    fd = mkstemp(pdf_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    snprintf(txt_path, sizeof txt_path, "%s.txt", pdf_path);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' '%s' 2>/dev/null", pdf_path, txt_path);
    if (system(cmd) != 0) {
        unlink(pdf_path);
        free(pdf);
        bh_letter_free(l);
        cJSON_Delete(c);
        skip(); /* poppler-utils not installed */
    }
    f = fopen(txt_path, "rb");
    assert_non_null(f);
    raw = calloc(1, 1 << 20);
    assert_non_null(raw);
    assert_true(fread(raw, 1, (1 << 20) - 1, f) > 0);
    fclose(f);
    flat = flatten(raw);
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (strstr(flat, must[i]) == NULL)
            fail_msg("PDF text lacks \"%s\"", must[i]);
    unlink(txt_path);
    unlink(pdf_path);
    free(flat);
    free(raw);
    free(pdf);
    bh_letter_free(l);
    cJSON_Delete(c);
}

static void test_letter_of_claim_for_an_oral_agreement_and_instalments(void **state)
{
    cJSON *c = load_case("gb-ew-consumer-pap-waiting.json");
    cJSON *claim = cJSON_GetObjectItemCaseSensitive(c, "claim");
    cJSON_ReplaceItemInObjectCaseSensitive(claim, "contract_type", cJSON_CreateString("oral"));
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "debtor_profile"),
                                           "payment_plan", cJSON_CreateString("offered"));
    cJSON *ext = cJSON_AddObjectToObject(c, "ext");
    cJSON *oa = cJSON_AddObjectToObject(cJSON_AddObjectToObject(ext, "gb-ew"), "oral_agreement");
    cJSON_AddStringToObject(oa, "made_by", "Mr Paul Ashdown");
    cJSON_AddStringToObject(oa, "place", "41 Cressingham Road, Reading");
    baton_letter *l = compose(state, c, "letter_of_claim");
    char *t = letter_text(l);
    /* oral agreement: who, what, when, where. */
    expect(t, "oral agreement made on 14 January 2025 between Mr Paul Ashdown, acting for "
              "Ashdown Home Improvements Ltd, and Mr Daniel Okafor at 41 Cressingham Road, "
              "Reading");
    expect(t, "What was agreed: Replacement of kitchen windows");
    /* instalments: why the instalment offer is not acceptable. */
    expect(t, "You have offered to pay by instalments. We cannot accept this");
    expect(t, "The debt has not been assigned");
    free(t);
    bh_letter_free(l);
    cJSON_Delete(c);
}

static void test_northwind_reminder_and_final_demand(void **state)
{
    cJSON *c = load_case("gb-ew-consumer-pap-waiting.json");
    baton_letter *l = compose(state, c, "reminder");
    char *t = letter_text(l);
    assert_string_equal(l->title, "Payment reminder");
    expect(t, "Amount outstanding\t\xc2\xa3"
              "2,860.00");
    expect(t, "Please pay by\t10 November 2025");
    expect(t, "sort code 20-45-77");
    free(t);
    bh_letter_free(l);
    l = compose(state, c, "final_demand");
    t = letter_text(l);
    assert_string_equal(l->title, "Final demand");
    expect(t, "Please pay by\t17 November 2025");
    expect(t, "Letter of Claim under the Pre-Action Protocol for Debt Claims");
    assert_int_equal(l->blocks[0].kind, BATON_BLOCK_LETTERHEAD);
    free(t);
    bh_letter_free(l);
    cJSON_Delete(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b2b_ready_case_goes_legal),
        cmocka_unit_test(test_consumer_inside_pre_action_period_stays_pre_legal),
        cmocka_unit_test(test_time_barred_case_is_blocked_and_written_off),
        cmocka_unit_test(test_limitation_edge_day_before_and_after),
        cmocka_unit_test(test_too_small_case_is_written_off),
        cmocka_unit_test(test_unanswered_dispute_holds_the_case),
        cmocka_unit_test(test_assigned_debt_needs_a_letter_of_claim),
        cmocka_unit_test(test_insolvent_debtor_is_blocked),
        cmocka_unit_test(test_reference_rate_follows_the_day_interest_starts),
        cmocka_unit_test(test_consumer_gets_s69_interest_and_no_compensation),
        cmocka_unit_test(test_route_for_large_and_foreign_claims),
        cmocka_unit_test(test_no_config_uses_the_shipped_bank_rate),
        cmocka_unit_test(test_tenant_rate_table_overrides_and_gaps_are_reported),
        cmocka_unit_test(test_reference_date_beyond_the_bank_rate_horizon_warns),
        cmocka_unit_test(test_tenant_issue_fee_table_overrides),
        cmocka_unit_test(test_no_fixed_sum_before_statutory_interest_runs),
        cmocka_unit_test(test_limitation_deadline_on_a_bank_holiday_moves),
        cmocka_unit_test(test_sole_trader_creditor_gets_late_payment_interest),
        cmocka_unit_test(test_fee_table_follows_the_filing_date),
        cmocka_unit_test(test_letter_of_claim_has_every_protocol_element),
        cmocka_unit_test(test_letter_of_claim_pdf_reads_back_with_every_element),
        cmocka_unit_test(test_letter_of_claim_for_an_oral_agreement_and_instalments),
        cmocka_unit_test(test_northwind_reminder_and_final_demand),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
