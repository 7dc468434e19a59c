/*
 * test_abi_1_0.c - the SDK 1.x host loads and runs the plugin binary built
 * against SDK 1.0 (abi10_plugin.x86_64.so, committed; build.sh says how it
 * was made): the loader accepts its 1.0 descriptor, and an evaluation and a
 * letter give the answer 1.0 defined, in process and in a sandboxed worker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evaluate.h"
#include "letter.h"
#include "plugin_call.h"
#include "plugin_loader.h"
#include "plugin_set.h"
#include "worker_proto.h"

#define PLUGIN "abi10_plugin.x86_64.so"

static cJSON *the_case(void)
{
    FILE *f = fopen(BATON_CASES_DIR "/gb-ew-b2b-ready.json", "rb");
    char buf[65536];
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *c = cJSON_Parse(buf);
    assert_non_null(c);
    return c;
}

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)ctx;
    fail_msg("refused for %s: %s: %s", tenant, path, message);
}

static bh_plugin_set *load(int isolated)
{
    cJSON *plugins = cJSON_Parse("[{\"path\": \"" PLUGIN "\", \"config\": {\"fee_bp\": 250}}]");
    bh_plugin_set *set = NULL;
    bh_isolation_limits limits;
    char err[512];
    bh_isolation_limits_default(&limits);
    limits.call_timeout_ms = 10000;
    bh_plugin_load_opts o = {
        .plugin_dir = BATON_ABI10_DIR,
        .limits = &limits,
        .force_isolated = isolated,
        .on_refusal = on_refusal,
    };
    if (bh_plugin_set_load("abi10", plugins, &o, &set, err, sizeof err) != 0)
        fail_msg("%s", err);
    cJSON_Delete(plugins);
    assert_int_equal(set->count, 1);
    return set;
}

static void the_loader_takes_the_1_0_descriptor(void **state)
{
    (void)state;
    bh_plugin *p = NULL;
    char err[512];
    if (bh_plugin_open(BATON_ABI10_DIR "/" PLUGIN, &p, err, sizeof err) != 0)
        fail_msg("%s", err);
    const baton_plugin *d = bh_plugin_desc(p);
    assert_int_equal(d->sdk_major, 1);
    assert_int_equal(d->sdk_minor, 0);
    assert_int_equal(d->struct_size, BATON_PLUGIN_SIZE_1_0);
    assert_string_equal(d->name, "abi10");
    bh_plugin_close(p);
}

static void evaluate_in(int isolated)
{
    bh_plugin_set *set = load(isolated);
    cJSON *c = the_case(), *a = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (bh_evaluate(set, c, NULL, &a, &e) != 0)
        fail_msg("%s: %d %s", isolated ? "isolated" : "in process", e.http_status, e.message);
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(a, "facts");
    const cJSON *abi = cJSON_GetObjectItemCaseSensitive(facts, "abi10");
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(abi, "principal");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(pr, "amount")->valuestring, "7420.00");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(abi, "as_of")->valuestring, "2025-11-03");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(abi, "days_overdue")));
    const cJSON *costs = cJSON_GetObjectItemCaseSensitive(a, "costs");
    assert_int_equal(cJSON_GetArraySize(costs), 1);
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(costs, 0), "amount");
    /* 2.50 % of 7,420.00, half up: the 1.0 header's inline arithmetic. */
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(amount, "amount")->valuestring, "185.50");
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "findings"), 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(f, "code")->valuestring, "abi10_probe");
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

struct wait {
    int finished, rc;
};

static void on_done(void *ctx, int rc, const bh_eval_error *e)
{
    struct wait *w = ctx;
    (void)e;
    w->finished = 1;
    w->rc = rc;
}

/* The letter capability through the host's call path, in either mode. */
static void render_in(int isolated)
{
    bh_plugin_set *set = load(isolated);
    cJSON *c = the_case();
    char *text = cJSON_PrintUnformatted(c);
    bh_case_input cs = {.json = c, .as_of = "2025-11-03", .text = text, .len = strlen(text)};
    baton_letter *l = bh_letter_new();
    bh_sync_env env;
    struct wait w = {0, 0};
    assert_int_equal(bh_sync_env_begin(&env), 0);
    bh_plugin_call(&env.env, set->items[0], BH_CAP_LETTER, "abi10_note", &cs, NULL, l, on_done, &w);
    bh_sync_env_wait(&env, &w.finished);
    assert_int_equal(w.rc, 0);
    assert_int_equal(l->count, 2);
    assert_int_equal(l->blocks[0].kind, BATON_BLOCK_TITLE);
    assert_string_equal(l->blocks[1].text, "Blue Door Kitchens Ltd");
    assert_string_equal(l->title, "SDK 1.0 note");
    bh_letter_free(l);
    bh_sync_env_end(&env);
    cJSON_free(text);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void a_1_0_plugin_writes_its_letter_in_both_modes(void **state)
{
    (void)state;
    render_in(0);
    render_in(1);
}

static void a_1_0_plugin_evaluates_in_process(void **state)
{
    (void)state;
    evaluate_in(0);
}

static void a_1_0_plugin_evaluates_isolated(void **state)
{
    (void)state;
    evaluate_in(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_loader_takes_the_1_0_descriptor),
        cmocka_unit_test(a_1_0_plugin_evaluates_in_process),
        cmocka_unit_test(a_1_0_plugin_evaluates_isolated),
        cmocka_unit_test(a_1_0_plugin_writes_its_letter_in_both_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
