/*
 * test_sdk_reasons.c - SDK 1.1's reasons for refusals (last_error) and the
 * target-minor switch, through the host's own runtime:
 *
 *   - every refused builder or view call leaves the reason the header
 *     promises, and a plugin reads the same reasons in process and in an
 *     isolated worker;
 *   - a capability that fails after a refusal gets a 502 plugin_failed
 *     naming the reason, in both modes; one that fails without a refusal
 *     names none;
 *   - a plugin built with 1.1 headers and BATON_SDK_TARGET_MINOR=0 stamps
 *     minor 0 (so a 1.0 host takes it), and runs both in this host and in
 *     a simulated 1.0 host, whose table ends before last_error: there it
 *     checks BATON_HOST_HAS and goes without.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../support/test_files.h"

#include "case_view.h"
#include "evaluate.h"
#include "host_api.h"
#include "plugin_loader.h"
#include "plugin_set.h"
#include "result.h"

#define FINDING_CODE_REASON "finding code \"Final demand\": not [a-z0-9_-]{1,64} (byte 0)"

/* The whole file at path (test_files.h's reader, without the length). */
static char *slurp(const char *path)
{
    size_t len;
    return test_slurp(path, &len);
}

static cJSON *the_case(void)
{
    char *text = slurp(BATON_CASES_DIR "/gb-ew-b2b-ready.json");
    cJSON *c = cJSON_Parse(text);
    free(text);
    assert_non_null(c);
    return c;
}

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)ctx;
    fail_msg("plugin refused for %s: %s: %s", tenant, path, message);
}

static bh_plugin_set *load(const char *file, const char *probe, int isolated)
{
    cJSON *plugins = cJSON_CreateArray(), *p = cJSON_CreateObject(), *cfg = cJSON_CreateObject();
    bh_plugin_set *set = NULL;
    bh_isolation_limits limits;
    char err[512];
    cJSON_AddStringToObject(p, "path", file);
    cJSON_AddStringToObject(cfg, "probe", probe);
    cJSON_AddItemToObject(p, "config", cfg);
    cJSON_AddItemToArray(plugins, p);
    bh_isolation_limits_default(&limits);
    limits.call_timeout_ms = 10000;
    bh_plugin_load_opts o = {
        .plugin_dir = BATON_TEST_PLUGIN_DIR,
        .limits = &limits,
        .force_isolated = isolated,
        .on_refusal = on_refusal,
    };
    if (bh_plugin_set_load("reasons", plugins, &o, &set, err, sizeof err) != 0)
        fail_msg("loading %s: %s", file, err);
    cJSON_Delete(plugins);
    assert_int_equal(set->count, 1);
    return set;
}

/* facts.r of an evaluation with the probe "all", as JSON text. */
static char *reasons_seen(const char *file, int isolated)
{
    bh_plugin_set *set = load(file, "all", isolated);
    cJSON *c = the_case(), *answer = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (bh_evaluate(set, c, NULL, &answer, &e) != 0)
        fail_msg("evaluation failed: %d %s", e.http_status, e.message);
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(answer, "facts");
    cJSON *pick = cJSON_CreateObject();
    cJSON_AddItemToObject(pick, "r",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(facts, "r"), 1));
    cJSON_AddItemToObject(pick, "rc",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(facts, "rc"), 1));
    cJSON_AddItemToObject(pick, "kept",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(facts, "kept"), 1));
    char *text = cJSON_Print(pick);
    cJSON_Delete(pick);
    cJSON_Delete(answer);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
    return text;
}

static const char *fact(const cJSON *all, const char *group, const char *name)
{
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(all, group);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(g, name);
    if (!cJSON_IsString(f))
        fail_msg("no fact %s.%s", group, name);
    return f->valuestring;
}

static void every_refusal_says_why_in_the_headers_words(void **state)
{
    (void)state;
    char *text = reasons_seen("reasons-probe.so", 0);
    cJSON *all = cJSON_Parse(text);
    struct {
        const char *name, *reason;
    } want[] = {
        {"finding_code", FINDING_CODE_REASON},
        {"finding_status",
         "finding ok: status 9 is not BATON_FINDING_MET..BATON_FINDING_WARN (1..5)"},
        {"line_kind", "line item kind \"fee\": not court_fee, lawyer_fee, interest, compensation, "
                      "commission, principal or other"},
        {"money_currency", "fact money: currency \"XXX\" is not an ISO 4217 code Baton knows"},
        {"fact_key_part", "fact key \"a..b\": part 2 is empty, must be [a-z0-9_-]{1,64}"},
        {"fact_key_long", "fact key \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...: 130 "
                          "bytes, at most 127"},
        {"fact_twice", "fact twice: already set (each fact is set once)"},
        {"fact_int_range", "fact integer 1152921504606846976: beyond +-2^53 (not exact in JSON)"},
        {"fact_date", "fact date 2026-2-30: not a date between 0001-01-01 and 9999-12-31"},
        {"view_missing", "view_string(\"no.such\"): no such item"},
        {"view_type", "view_int(\"jurisdiction\"): the item is not a number"},
        {"view_path",
         "view_string(\"claim..due_date\"): malformed path (keys joined by '.', [N] subscripts)"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(fact(all, "r", want[i].name), want[i].reason);
    /* A successful call in between left the last reason standing. */
    const cJSON *kept = cJSON_GetObjectItemCaseSensitive(all, "kept");
    assert_true(cJSON_IsString(kept));
    assert_string_equal(kept->valuestring, fact(all, "r", "view_path"));
    cJSON_Delete(all);
    free(text);
}

static void an_isolated_plugin_reads_the_same_reasons(void **state)
{
    (void)state;
    char *in_process = reasons_seen("reasons-probe.so", 0);
    char *isolated = reasons_seen("reasons-probe.so", 1);
    assert_string_equal(isolated, in_process);
    free(in_process);
    free(isolated);
}

static void failed_call_message(const char *probe, int isolated, bh_eval_error *e)
{
    bh_plugin_set *set = load("reasons-probe.so", probe, isolated);
    cJSON *c = the_case(), *answer = NULL;
    memset(e, 0, sizeof *e);
    assert_true(bh_evaluate(set, c, NULL, &answer, e) < 0);
    assert_null(answer);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void the_502_names_the_refusal_in_both_modes(void **state)
{
    (void)state;
    for (int isolated = 0; isolated <= 1; isolated++) {
        bh_eval_error e;
        failed_call_message("fail", isolated, &e);
        assert_int_equal(e.http_status, 502);
        assert_string_equal(e.code, "plugin_failed");
        if (strstr(e.message, "(the host refused: " FINDING_CODE_REASON ")") == NULL)
            fail_msg("%s: %s", isolated ? "isolated" : "in process", e.message);
        assert_non_null(strstr(e.message, "reasons-probe 1.0.0 failed in filing_rules"));
    }
}

static void a_failure_without_refusal_names_none(void **state)
{
    (void)state;
    for (int isolated = 0; isolated <= 1; isolated++) {
        bh_eval_error e;
        failed_call_message("quiet", isolated, &e);
        assert_int_equal(e.http_status, 502);
        assert_null(strstr(e.message, "host refused"));
        assert_non_null(strstr(e.message, baton_strerror(BATON_EPLUGIN)));
    }
}

static void target_minor_0_stamps_minor_0_and_runs_in_this_host(void **state)
{
    (void)state;
    bh_plugin *p = NULL;
    char err[512];
    if (bh_plugin_open(BATON_TEST_PLUGIN_DIR "/reasons-probe-1-0.so", &p, err, sizeof err) != 0)
        fail_msg("%s", err);
    const baton_plugin *d = bh_plugin_desc(p);
    /* What a 1.0 host checks: same major, minor <= 0, a 1.0-sized descriptor. */
    assert_int_equal(d->sdk_major, 1);
    assert_int_equal(d->sdk_minor, 0);
    assert_int_equal(d->struct_size, BATON_PLUGIN_SIZE_1_0);
    bh_plugin_close(p);
    /* In this (1.1) host BATON_HOST_HAS finds last_error: the same reasons. */
    char *target0 = reasons_seen("reasons-probe-1-0.so", 0);
    char *own = reasons_seen("reasons-probe.so", 0);
    assert_string_equal(target0, own);
    free(target0);
    free(own);
}

static void target_minor_0_goes_without_last_error_in_a_1_0_host(void **state)
{
    (void)state;
    bh_plugin *p = NULL;
    char err[512];
    if (bh_plugin_open(BATON_TEST_PLUGIN_DIR "/reasons-probe-1-0.so", &p, err, sizeof err) != 0)
        fail_msg("%s", err);
    const baton_plugin *d = bh_plugin_desc(p);
    /* A 1.0 host's table: exactly the 1.0 members (a read past them is a
     * heap overflow AddressSanitizer reports), minor 0. */
    unsigned char *table = malloc(BATON_HOST_API_SIZE_1_0);
    uint32_t size = (uint32_t)BATON_HOST_API_SIZE_1_0;
    uint16_t minor = 0;
    assert_non_null(table);
    memcpy(table, bh_host_api(), BATON_HOST_API_SIZE_1_0);
    memcpy(table + offsetof(baton_host_api, struct_size), &size, sizeof size);
    memcpy(table + offsetof(baton_host_api, sdk_minor), &minor, sizeof minor);
    const baton_host_api *old = (const baton_host_api *)(void *)table;
    cJSON *cfg = cJSON_Parse("{\"probe\":\"all\"}");
    baton_view cv = bh_view_of(cfg);
    void *st = NULL;
    assert_int_equal(d->init(old, NULL, &cv, &st, err, sizeof err), 0);
    cJSON *c = the_case();
    baton_view v = bh_case_view_of(c, "2026-06-01");
    baton_result *r = bh_result_new();
    assert_int_equal(d->filing_rules->evaluate(st, &v, r), 0);
    cJSON *tree = bh_result_take(r);
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(tree, "facts");
    assert_string_equal(fact(facts, "r", "finding_code"), "(the host predates SDK 1.1)");
    const cJSON *rc = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(facts, "rc"), "finding_code");
    assert_int_equal((int)cJSON_GetNumberValue(rc), BATON_EINVAL);
    cJSON_Delete(tree);
    bh_result_free(r);
    d->fini(st);
    cJSON_Delete(c);
    cJSON_Delete(cfg);
    free(table);
    bh_plugin_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_refusal_says_why_in_the_headers_words),
        cmocka_unit_test(an_isolated_plugin_reads_the_same_reasons),
        cmocka_unit_test(the_502_names_the_refusal_in_both_modes),
        cmocka_unit_test(a_failure_without_refusal_names_none),
        cmocka_unit_test(target_minor_0_stamps_minor_0_and_runs_in_this_host),
        cmocka_unit_test(target_minor_0_goes_without_last_error_in_a_1_0_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
