/*
 * test_sdk_mockhost.c - libbaton-mockhost as an integrator uses it: the
 * gb-ew plugin's sources linked into this test (no dlopen, no batond), its
 * init and capability functions called directly on a case file, and what
 * they wrote read back: findings and facts through result_view, the
 * letter's blocks and properties, the reason of a refused builder call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../support/test_files.h"

#include "baton/mockhost.h"

/* The whole file at path (test_files.h's reader, without the length). */
static char *slurp(const char *path)
{
    size_t len;
    return test_slurp(path, &len);
}

typedef struct fixture {
    baton_mockhost *mh;
    const baton_plugin *p;
    void *state;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char err[256];
    char *cfg = slurp(BATON_DOCS_DIR "/plugins/gb-ew.config.json");
    char *cs = slurp(BATON_CASES_DIR "/gb-ew-b2b-ready.json");
    fx->mh = baton_mockhost_new();
    assert_non_null(fx->mh);
    assert_int_equal(baton_mockhost_set_config(fx->mh, cfg, err, sizeof err), 0);
    assert_int_equal(baton_mockhost_set_case(fx->mh, cs, "2025-11-03", err, sizeof err), 0);
    fx->p = baton_plugin_entry();
    if (fx->p->init(baton_mockhost_api(fx->mh), NULL, baton_mockhost_config(fx->mh), &fx->state,
                    err, sizeof err) != 0)
        fail_msg("init: %s", err);
    free(cfg);
    free(cs);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    fx->p->fini(fx->state);
    baton_mockhost_free(fx->mh);
    free(fx);
    return 0;
}

static void a_capability_runs_on_a_case_and_its_answer_reads_back(void **state)
{
    fixture *fx = *state;
    const baton_host_api *api = baton_mockhost_api(fx->mh);
    baton_result *r = baton_mockhost_result(fx->mh);
    assert_int_equal(fx->p->filing_rules->evaluate(fx->state, baton_mockhost_case(fx->mh), r), 0);
    assert_int_equal(fx->p->fee_schedule->fees(fx->state, baton_mockhost_case(fx->mh), r), 0);
    const baton_view *answer = api->result_view(r);
    size_t findings = 0, costs = 0;
    const char *kind = NULL;
    assert_int_equal(api->view_count(answer, "findings", &findings), 0);
    assert_true(findings > 0);
    assert_int_equal(api->view_count(answer, "costs", &costs), 0);
    assert_true(costs > 0);
    assert_int_equal(api->view_string(answer, "facts.interest.kind", &kind), 0);
    assert_true(strlen(kind) > 0);
    char *json = baton_mockhost_result_json(fx->mh);
    assert_non_null(strstr(json, "\"court_fee\""));
    free(json);
}

static void a_letter_renders_into_blocks(void **state)
{
    fixture *fx = *state;
    enum baton_block_kind kind;
    const char *text;
    assert_int_equal(baton_mockhost_reset(fx->mh), 0);
    assert_int_equal(fx->p->letter_formats->render(fx->state, "letter_of_claim",
                                                   baton_mockhost_case(fx->mh),
                                                   baton_mockhost_letter(fx->mh)),
                     0);
    assert_true(baton_mockhost_block_count(fx->mh) > 5);
    assert_int_equal(baton_mockhost_block(fx->mh, 0, &kind, &text), 0);
    assert_true(kind >= BATON_BLOCK_TITLE && kind <= BATON_BLOCK_BULLET);
    assert_int_equal(baton_mockhost_block(fx->mh, 100000, &kind, &text), BATON_ENOENT);
    assert_non_null(baton_mockhost_letter_property(fx->mh, "title"));
}

static void a_refused_builder_call_says_why(void **state)
{
    fixture *fx = *state;
    const baton_host_api *api = baton_mockhost_api(fx->mh);
    assert_int_equal(baton_mockhost_reset(fx->mh), 0);
    assert_string_equal(baton_mockhost_last_error(), "");
    assert_int_equal(api->result_finding(baton_mockhost_result(fx->mh), "readiness", "Final demand",
                                         BATON_FINDING_MET, "t", NULL),
                     BATON_EINVAL);
    assert_string_equal(baton_mockhost_last_error(),
                        "finding code \"Final demand\": not [a-z0-9_-]{1,64} (byte 0)");
    assert_string_equal(api->last_error(), baton_mockhost_last_error());
    char err[200];
    assert_int_equal(baton_mockhost_set_case(fx->mh, "{\"a\": 1,}", "2025-11-03", err, sizeof err),
                     BATON_EINVAL);
    assert_non_null(strstr(err, "not JSON"));
}

static void log_lines_are_kept_for_the_test(void **state)
{
    fixture *fx = *state;
    const baton_host_api *api = baton_mockhost_api(fx->mh);
    assert_int_equal(baton_mockhost_reset(fx->mh), 0);
    api->log(NULL, BATON_LOG_INFO, "hello");
    assert_int_equal(baton_mockhost_log_count(fx->mh), 1);
    assert_string_equal(baton_mockhost_log_line(fx->mh, 0), "hello");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_capability_runs_on_a_case_and_its_answer_reads_back),
        cmocka_unit_test(a_letter_renders_into_blocks),
        cmocka_unit_test(a_refused_builder_call_says_why),
        cmocka_unit_test(log_lines_are_kept_for_the_test),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
