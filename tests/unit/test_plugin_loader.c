/* test_plugin_loader.c - every refusal of a mis-built plugin, and a sound load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "evaluate.h"
#include "plugin_loader.h"
#include "plugin_set.h"
#include "test_plugins.h"

/* The SDK version these tests are built with, as the host prints it. */
#define SDK_XSTR(x) #x
#define SDK_STR(x)  SDK_XSTR(x)
#define SDK_TEXT    SDK_STR(BATON_SDK_MAJOR) "." SDK_STR(BATON_SDK_MINOR)

static void path_of(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s.so", BATON_PLUGIN_DIR, name);
}

/* The one name rule (plugin_loader.h), at its edges; `baton plugin new`
 * applies the same function, and the docs state the same rule. */
static void plugin_names_are_1_to_32_of_a_z_0_9_and_hyphen(void **state)
{
    (void)state;
    assert_true(bh_plugin_name_valid("a"));
    assert_true(bh_plugin_name_valid("gb-ew"));
    assert_true(bh_plugin_name_valid("us-ny"));
    assert_true(bh_plugin_name_valid("acme2-courts"));
    assert_true(bh_plugin_name_valid("abcdefghij-abcdefghij-abcdefghij"));   /* 32 */
    assert_false(bh_plugin_name_valid("abcdefghij-abcdefghij-abcdefghijk")); /* 33 */
    assert_false(bh_plugin_name_valid(""));
    assert_false(bh_plugin_name_valid(NULL));
    assert_false(bh_plugin_name_valid("2fast"));
    assert_false(bh_plugin_name_valid("-gb"));
    assert_false(bh_plugin_name_valid("gb-"));
    assert_false(bh_plugin_name_valid("GB-EW"));
    assert_false(bh_plugin_name_valid("gb_ew"));
    assert_false(bh_plugin_name_valid("gb ew"));
    assert_false(bh_plugin_name_valid("gb/ew"));
    assert_false(bh_plugin_name_valid("g\xc3\xa9"));
}

static void refuses_each_misbuilt_plugin_naming_file_and_versions(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *says;
    } cases[] = {
        {"bad-noentry", "exports no entry function baton_plugin_entry"},
        {"bad-magic", "descriptor magic is"},
        {"bad-major", "built against SDK 2." SDK_STR(BATON_SDK_MINOR) " (sdk_major differs)"},
        {"bad-minor", "(sdk_minor is newer)"},
        {"bad-size", "descriptor is"},
        {"bad-scope", "scope is missing or malformed"},
        {"bad-name", "its name \"probe-with-a-name-of-33-character\" is not 1 to 32 characters"},
        {"bad-nocap", "provides no capability"},
        {"does-not-exist", "cannot be loaded"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], err[512];
        bh_plugin *p = (bh_plugin *)1;
        path_of(path, sizeof path, cases[i].name);
        assert_true(bh_plugin_open(path, &p, err, sizeof err) < 0);
        assert_null(p);
        assert_non_null(strstr(err, path));
        assert_non_null(strstr(err, cases[i].says));
        if (strcmp(cases[i].name, "does-not-exist") != 0)
            assert_non_null(strstr(err, "host offers SDK " SDK_TEXT));
        assert_null(strchr(err, '\n'));
    }
}

struct refusals {
    int count;
    char last[768];
};

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    struct refusals *r = ctx;
    (void)tenant;
    (void)path;
    r->count++;
    snprintf(r->last, sizeof r->last, "%s", message);
}

/* The members every case must have (docs/case-format.md), around the
 * member a test case is about. */
#define ADDRESS "{\"lines\":[\"1 Test Street\"],\"city\":\"London\",\"country\":\"GB\"}"
#define PARTIES                                                                                    \
    "\"case_id\":\"X\",\"creditor\":{\"name\":\"C "                                                \
    "Ltd\",\"kind\":\"business\",\"address\":" ADDRESS                                             \
    "},\"debtor\":{\"name\":\"D Ltd\",\"kind\":\"business\",\"address\":" ADDRESS "},"
#define CLAIM_REST "\"contract_type\":\"written\",\"due_date\":\"2025-06-01\""
#define CLAIM(amount, currency)                                                                    \
    "\"claim\":{\"principal\":{\"amount\":" amount ",\"currency\":\"" currency "\"}," CLAIM_REST "}"

static void a_failing_init_is_refused_and_the_rest_still_loads(void **state)
{
    (void)state;
    char *json = NULL;
    char buf[2048];
    snprintf(buf, sizeof buf,
             "[{\"path\":\"bad-init.so\"},{\"path\":\"good-probe.so\",\"config\":{\"fee_minor\":"
             "4200}},{\"path\":\"bad-major.so\"},{\"path\":\"good-probe.so\"}]");
    cJSON *plugins = cJSON_Parse(buf);
    struct refusals r = {0, ""};
    bh_plugin_set *set = NULL;
    char err[256];
    assert_int_equal(test_plugin_set_load("t1", plugins, BATON_PLUGIN_DIR, on_refusal, &r, &set,
                                          err, sizeof err),
                     0);
    assert_int_equal(set->count, 1);
    /* bad-init, bad-major and the duplicate scope */
    assert_int_equal(r.count, 3);
    assert_non_null(strstr(r.last, "scope jurisdiction:zz is already provided"));

    cJSON *c = cJSON_Parse("{\"jurisdiction\":\"zz\",\"as_of\":\"2026-01-02\"," PARTIES
                           "\"claim\":{\"last_payment_date\":null,\"principal\":{\"amount\":\"10."
                           "00\",\"currency\":\"EUR\"}," CLAIM_REST "}}");
    cJSON *answer = NULL;
    bh_eval_error e;
    assert_int_equal(bh_evaluate(set, c, NULL, &answer, &e), 0);
    json = cJSON_PrintUnformatted(answer);
    assert_non_null(strstr(json, "\"minor\":4200"));
    assert_non_null(strstr(json, "\"as_of\":\"2026-01-02\""));
    assert_non_null(strstr(json, "\"probe_seen\""));
    assert_true(atomic_load(&set->items[0]->calls) == 2);
    cJSON_free(json);
    cJSON_Delete(answer);
    cJSON_Delete(c);
    cJSON_Delete(plugins);
    bh_plugin_set_unref(set);
}

static void init_failure_line_names_file_versions_and_reason(void **state)
{
    (void)state;
    cJSON *plugins = cJSON_Parse("[{\"path\":\"bad-init.so\"}]");
    struct refusals r = {0, ""};
    bh_plugin_set *set = NULL;
    char err[256];
    assert_int_equal(test_plugin_set_load("t1", plugins, BATON_PLUGIN_DIR, on_refusal, &r, &set,
                                          err, sizeof err),
                     0);
    assert_int_equal(set->count, 0);
    assert_int_equal(r.count, 1);
    assert_non_null(strstr(r.last, "bad-init.so refused: init of probe 1.0.0"));
    assert_non_null(strstr(r.last, "SDK " SDK_TEXT));
    assert_non_null(strstr(r.last, "required config key 'rates' is missing"));
    cJSON_Delete(plugins);
    bh_plugin_set_unref(set);
}

static void malformed_plugin_lists_are_errors_with_the_field(void **state)
{
    (void)state;
    static const struct {
        const char *json, *says;
    } cases[] = {
        {"{}", "plugins: expected an array"},
        {"[{\"path\":7}]", "plugins[0].path"},
        {"[{\"path\":\"good-probe.so\",\"config\":[]}]", "plugins[0].config"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *plugins = cJSON_Parse(cases[i].json);
        bh_plugin_set *set = NULL;
        char err[256];
        assert_true(test_plugin_set_load("t", plugins, BATON_PLUGIN_DIR, NULL, NULL, &set, err,
                                         sizeof err) < 0);
        assert_null(set);
        assert_non_null(strstr(err, cases[i].says));
        cJSON_Delete(plugins);
    }
}

static void evaluation_errors_carry_status_and_code(void **state)
{
    (void)state;
    cJSON *plugins = cJSON_Parse("[{\"path\":\"good-probe.so\"}]");
    bh_plugin_set *set = NULL;
    char err[256];
    assert_int_equal(
        test_plugin_set_load("t", plugins, BATON_PLUGIN_DIR, NULL, NULL, &set, err, sizeof err), 0);
    static const struct {
        const char *json;
        int status;
        const char *code, *says;
    } cases[] = {
        {"[]", 400, "invalid_case", "JSON object"},
        {"{" PARTIES CLAIM("\"1\"", "GBP") "}", 400, "invalid_case", "jurisdiction: required"},
        {"{\"jurisdiction\":\"zz\"," PARTIES "\"claim\":{" CLAIM_REST "}}", 400, "invalid_case",
         "claim.principal: required"},
        {"{\"jurisdiction\":\"zz\"," PARTIES CLAIM("12.5", "GBP") "}", 400, "invalid_case",
         "claim.principal.amount"},
        {"{\"jurisdiction\":\"zz\"," PARTIES CLAIM("\"12.555\"", "GBP") "}", 400, "invalid_case",
         "decimal places"},
        {"{\"jurisdiction\":\"zz\",\"as_of\":\"2026-02-30\"," PARTIES CLAIM("\"1\"", "GBP") "}",
         400, "invalid_case", "as_of"},
        {"{\"jurisdiction\":\"zz\"," PARTIES CLAIM("\"10000000000.01\"", "GBP") "}", 400,
         "invalid_case", "largest amount"},
        {"{\"jurisdiction\":\"de\"," PARTIES CLAIM("\"1\"", "EUR") "}", 422,
         "no_jurisdiction_plugin", "'de'"},
        {"{\"jurisdiction\":\"zz\",\"probe_fail\":\"evaluate\"," PARTIES CLAIM("\"1\"", "EUR") "}",
         502, "plugin_failed", "probe 1.0.0 failed in filing_rules"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *c = cJSON_Parse(cases[i].json);
        cJSON *answer = NULL;
        bh_eval_error e;
        assert_true(bh_evaluate(set, c, "2026-01-01", &answer, &e) < 0);
        assert_null(answer);
        assert_int_equal(e.http_status, cases[i].status);
        assert_string_equal(e.code, cases[i].code);
        assert_non_null(strstr(e.message, cases[i].says));
        cJSON_Delete(c);
    }
    assert_true(atomic_load(&set->items[0]->failures) == 1);
    cJSON_Delete(plugins);
    bh_plugin_set_unref(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plugin_names_are_1_to_32_of_a_z_0_9_and_hyphen),
        cmocka_unit_test(refuses_each_misbuilt_plugin_naming_file_and_versions),
        cmocka_unit_test(a_failing_init_is_refused_and_the_rest_still_loads),
        cmocka_unit_test(init_failure_line_names_file_versions_and_reason),
        cmocka_unit_test(malformed_plugin_lists_are_errors_with_the_field),
        cmocka_unit_test(evaluation_errors_carry_status_and_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
