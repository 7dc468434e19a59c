/*
 * test_northwind.c - the example agency plugin.
 *
 * Part one calls the commission lookup and the recovery score directly
 * (expected values worked by hand from the weights documented in
 * docs/plugins/northwind.md). Part two loads gb-ew.so and northwind.so
 * through the host runtime and checks each recommendation rule on variants
 * of the realistic case files, and that a bad config is refused at load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evaluate.h"
#include "northwind.h"
#include "plugin_set.h"
#include "test_plugins.h"

/* ------------------------------------------------------------ commission */

static void test_commission_by_stage_and_age(void **state)
{
    nw_state st;
    (void)state;
    memset(&st, 0, sizeof st);
    /* The shipped table: <=90 days 8%/12%, <=365 12%/18%, older 18%/25%. */
    st.commission[0] = (nw_commission_row){90, 800, 1200};
    st.commission[1] = (nw_commission_row){365, 1200, 1800};
    st.commission[2] = (nw_commission_row){-1, 1800, 2500};
    st.n_commission = 3;
    assert_int_equal(nw_commission_bp(&st, NW_PRE_LEGAL, -3), 800);
    assert_int_equal(nw_commission_bp(&st, NW_PRE_LEGAL, 0), 800);
    assert_int_equal(nw_commission_bp(&st, NW_LEGAL, 90), 1200);
    assert_int_equal(nw_commission_bp(&st, NW_LEGAL, 91), 1800);
    assert_int_equal(nw_commission_bp(&st, NW_PRE_LEGAL, 91), 1200);
    assert_int_equal(nw_commission_bp(&st, NW_LEGAL, 365), 1800);
    assert_int_equal(nw_commission_bp(&st, NW_LEGAL, 366), 2500);
    assert_int_equal(nw_commission_bp(&st, NW_PRE_LEGAL, 5000), 1800);
    st.n_commission = 0;
    assert_int_equal(nw_commission_bp(&st, NW_LEGAL, 10), 0);
}

/* -------------------------------------------------------------- recovery */

typedef struct rec_case {
    nw_recovery_input in;
    int32_t want;
} rec_case;

static const rec_case rec_cases[] = {
    /* engaged 2000 + 7/7 docs 3000 + assets known 3000 + 30 days 2000 */
    {{1, 0, 0, 2, 7, 7, 30, 0}, 10000},
    /* not engaged 500 - 500 promise - 500 plan -> 0; no docs; no assets; 800 days 200 */
    {{0, 1, 1, 0, 0, 7, 800, 0}, 200},
    /* 2000 - 1000 = 1000; 3000 x 5/7 = 2142; unknown 1200; 181 days 1000 */
    {{1, 2, 0, 1, 5, 7, 181, 0}, 5342},
    /* the first case, insolvent: capped at 500 */
    {{1, 0, 0, 2, 7, 7, 30, 1}, 500},
    /* nothing checked: documentation 0; 500 + 1200 + 2000 */
    {{0, 0, 0, 1, 0, 0, 90, 0}, 3700},
};

static void test_recovery_score(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rec_cases / sizeof rec_cases[0]; i++) {
        nw_recovery r;
        nw_recovery_estimate(&rec_cases[i].in, &r);
        if (r.likelihood_bp != rec_cases[i].want)
            print_error("case %zu: got %d want %d\n", i, r.likelihood_bp, rec_cases[i].want);
        assert_int_equal(r.likelihood_bp, rec_cases[i].want);
    }
}

static void test_recovery_age_bands(void **state)
{
    static const struct {
        int64_t age;
        int32_t bp;
    } bands[] = {{0, 2000},   {90, 2000}, {91, 1500}, {180, 1500}, {181, 1000},
                 {365, 1000}, {366, 500}, {730, 500}, {731, 200}};
    (void)state;
    for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
        nw_recovery_input in = {0, 0, 0, 0, 0, 0, bands[i].age, 0};
        nw_recovery r;
        nw_recovery_estimate(&in, &r);
        assert_int_equal(r.age_bp, bands[i].bp);
    }
}

/* ------------------------------------------------- through the host */

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    cJSON *j;
    if (f == NULL)
        fail_msg("cannot read %s", path);
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    j = cJSON_Parse(buf);
    if (j == NULL)
        fail_msg("%s is not valid JSON", path);
    return j;
}

static char refusal[512];

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)ctx;
    (void)tenant;
    snprintf(refusal, sizeof refusal, "%s: %s", path, message);
}

/* A set of gb-ew + northwind; nw_config NULL means the shipped example. */
static bh_plugin_set *load_set(cJSON *nw_config)
{
    cJSON *plugins = cJSON_CreateArray();
    cJSON *gb = cJSON_CreateObject(), *nw = cJSON_CreateObject();
    bh_plugin_set *set = NULL;
    char err[256];
    cJSON_AddStringToObject(gb, "path", "gb-ew.so");
    cJSON_AddItemToObject(gb, "config", load_json(NW_DOCS_DIR "/plugins/gb-ew.config.json"));
    cJSON_AddStringToObject(nw, "path", "northwind.so");
    cJSON_AddItemToObject(nw, "config",
                          nw_config ? nw_config
                                    : load_json(NW_DOCS_DIR "/plugins/northwind.config.json"));
    cJSON_AddItemToArray(plugins, gb);
    cJSON_AddItemToArray(plugins, nw);
    refusal[0] = '\0';
    assert_int_equal(test_plugin_set_load("agency-test", plugins, BATON_PLUGIN_DIR, on_refusal,
                                          NULL, &set, err, sizeof err),
                     0);
    cJSON_Delete(plugins);
    return set;
}

static cJSON *evaluate(bh_plugin_set *set, const cJSON *c)
{
    cJSON *answer = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (bh_evaluate(set, c, NULL, &answer, &e) != 0)
        fail_msg("evaluation failed: %d %s %s", e.http_status, e.code, e.message);
    return answer;
}

static const char *fact_str(const cJSON *a, const char *group, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "facts"), group), key);
    if (!cJSON_IsString(n))
        fail_msg("fact %s.%s missing", group, key);
    return n->valuestring;
}

static cJSON *case_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", NW_CASES_DIR, name);
    return load_json(path);
}

static void set_member(cJSON *obj, const char *key, cJSON *value)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    cJSON_AddItemToObject(obj, key, value);
}

static void expect_action(bh_plugin_set *set, cJSON *c, const char *action, const char *codes)
{
    cJSON *a = evaluate(set, c);
    assert_string_equal(fact_str(a, "recommendation", "action"), action);
    assert_string_equal(fact_str(a, "recommendation", "reason_codes"), codes);
    cJSON_Delete(a);
}

static void test_vulnerable_debtor_is_held(void **state)
{
    bh_plugin_set *set = load_set(NULL);
    cJSON *c = case_file("gb-ew-b2b-ready.json");
    (void)state;
    set_member(cJSON_GetObjectItemCaseSensitive(c, "debtor_profile"), "vulnerable",
               cJSON_CreateBool(1));
    expect_action(set, c, "hold", "debtor_vulnerable");
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void test_debt_advice_holds_the_case(void **state)
{
    bh_plugin_set *set = load_set(NULL);
    cJSON *c = case_file("gb-ew-consumer-pap-waiting.json");
    (void)state;
    set_member(c, "as_of", cJSON_CreateString("2025-11-20"));
    set_member(cJSON_GetObjectItemCaseSensitive(c, "debtor_profile"), "seeking_debt_advice",
               cJSON_CreateBool(1));
    expect_action(set, c, "hold", "debt_advice");
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void test_active_payment_plan_is_held(void **state)
{
    bh_plugin_set *set = load_set(NULL);
    cJSON *c = case_file("gb-ew-b2b-ready.json");
    (void)state;
    set_member(cJSON_GetObjectItemCaseSensitive(c, "debtor_profile"), "payment_plan",
               cJSON_CreateString("active"));
    expect_action(set, c, "hold", "payment_plan_active");
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void test_deceased_debtor_blocks_and_holds(void **state)
{
    bh_plugin_set *set = load_set(NULL);
    cJSON *c = case_file("gb-ew-b2b-ready.json");
    (void)state;
    set_member(cJSON_GetObjectItemCaseSensitive(c, "debtor_profile"), "deceased",
               cJSON_CreateBool(1));
    expect_action(set, c, "hold", "legal_action_blocked");
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void test_unverified_identity_keeps_the_case_pre_legal(void **state)
{
    bh_plugin_set *set = load_set(NULL);
    cJSON *c = case_file("gb-ew-b2b-ready.json");
    (void)state;
    set_member(cJSON_GetObjectItemCaseSensitive(c, "debtor"), "identity_verified",
               cJSON_CreateBool(0));
    expect_action(set, c, "pre_legal", "documentation_incomplete");
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void test_threshold_from_config_turns_legal_into_pre_legal(void **state)
{
    cJSON *cfg = load_json(NW_DOCS_DIR "/plugins/northwind.config.json");
    cJSON *min = cJSON_CreateObject();
    bh_plugin_set *set;
    cJSON *c = case_file("gb-ew-b2b-ready.json"), *a;
    (void)state;
    cJSON_AddStringToObject(min, "amount", "100000.00");
    cJSON_AddStringToObject(min, "currency", "GBP");
    set_member(cfg, "min_net_recovery", min);
    set = load_set(cfg);
    assert_int_equal(set->count, 2);
    a = evaluate(set, c);
    assert_string_equal(fact_str(a, "recommendation", "action"), "pre_legal");
    assert_string_equal(fact_str(a, "recommendation", "reason_codes"), "not_worth_suing");
    /* Pre-legal: 561856 x 60% = 337113; 12% commission (207 days) = 40453; net 296660. */
    assert_int_equal((int64_t)cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(
                             cJSON_GetObjectItemCaseSensitive(
                                 cJSON_GetObjectItemCaseSensitive(a, "facts"), "recovery"),
                             "expected_net"),
                         "minor")
                         ->valuedouble,
                     296660);
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void test_default_config_loads(void **state)
{
    bh_plugin_set *set = load_set(cJSON_CreateObject());
    cJSON *c = case_file("gb-ew-b2b-ready.json");
    (void)state;
    assert_int_equal(set->count, 2);
    /* Defaults: no solicitor's fee, same thresholds: still legal. */
    expect_action(set, c, "legal", "legal_ready");
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void test_bad_commission_table_is_refused_at_load(void **state)
{
    cJSON *cfg = cJSON_Parse("{\"commission\": [{\"max_age_days\": 365, \"pre_legal_bp\": 1000, "
                             "\"legal_bp\": 1500}, {\"max_age_days\": 90, \"pre_legal_bp\": 800, "
                             "\"legal_bp\": 1200}]}");
    bh_plugin_set *set = load_set(cfg);
    (void)state;
    assert_int_equal(set->count, 1); /* gb-ew only */
    assert_non_null(strstr(refusal, "config.commission[1].max_age_days"));
    bh_plugin_set_unref(set);
}

static void test_bad_rate_table_is_refused_at_load(void **state)
{
    cJSON *plugins = cJSON_Parse("[{\"path\": \"gb-ew.so\", \"config\": {\"base_rates\": ["
                                 "{\"from\": \"2025-08-07\", \"rate_bp\": 400},"
                                 "{\"from\": \"2025-05-08\", \"rate_bp\": 425}]}}]");
    bh_plugin_set *set = NULL;
    char err[256];
    (void)state;
    refusal[0] = '\0';
    assert_int_equal(test_plugin_set_load("agency-test", plugins, BATON_PLUGIN_DIR, on_refusal,
                                          NULL, &set, err, sizeof err),
                     0);
    assert_int_equal(set->count, 0);
    assert_non_null(strstr(refusal, "config.base_rates[1].from"));
    bh_plugin_set_unref(set);
    cJSON_Delete(plugins);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commission_by_stage_and_age),
        cmocka_unit_test(test_recovery_score),
        cmocka_unit_test(test_recovery_age_bands),
        cmocka_unit_test(test_vulnerable_debtor_is_held),
        cmocka_unit_test(test_debt_advice_holds_the_case),
        cmocka_unit_test(test_active_payment_plan_is_held),
        cmocka_unit_test(test_deceased_debtor_blocks_and_holds),
        cmocka_unit_test(test_unverified_identity_keeps_the_case_pre_legal),
        cmocka_unit_test(test_threshold_from_config_turns_legal_into_pre_legal),
        cmocka_unit_test(test_default_config_loads),
        cmocka_unit_test(test_bad_commission_table_is_refused_at_load),
        cmocka_unit_test(test_bad_rate_table_is_refused_at_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
