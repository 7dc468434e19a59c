/* test_config.c - batond.json and tenant files: strict validation that
 * names every problem by file and field path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/error.h"
#include "config.h"
#include "counterparts.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    char sub[128];
    (void)state;
    snprintf(root, sizeof root, "/tmp/baton-config-XXXXXX");
    if (mkdtemp(root) == NULL)
        return -1;
    snprintf(sub, sizeof sub, "%s/tenants", root);
    return mkdir(sub, 0700);
}

static int teardown(void **state)
{
    char cmd[160];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

struct problems {
    char lines[16][512];
    int n;
};

static void collect(void *ctx, const char *line)
{
    struct problems *p = ctx;
    if (p->n < 16)
        snprintf(p->lines[p->n++], sizeof p->lines[0], "%s", line);
}

static int has(const struct problems *p, const char *text)
{
    for (int i = 0; i < p->n; i++)
        if (strstr(p->lines[i], text) != NULL)
            return 1;
    return 0;
}

static int load(const char *rel, const bh_config_overrides *ov, struct problems *p, bh_config **out)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    memset(p, 0, sizeof *p);
    return bh_config_load(path, ov, collect, p, out, err, sizeof err);
}

static void loads_a_valid_config_with_resolved_paths(void **state)
{
    struct problems p;
    bh_config *c = NULL;
    char want[256];
    (void)state;
    put("batond.json", "{\"listen\": \"[::1]:9001\", \"plugin_dir\": \"plugins\", "
                       "\"tenants\": [\"tenants/\"], \"workers\": 2, \"limits\": "
                       "{\"max_body_bytes\": 2048}}\n");
    put("tenants/b.json", "{\"id\": \"b\", \"kind\": \"lawfirm\"}");
    put("tenants/a.json",
        "{\"id\": \"a\", \"kind\": \"agency\", \"name\": \"A Ltd\", \"plugins\": "
        "[{\"path\": \"x.so\", \"config\": {\"k\": 1}}], \"token_hashes\": [\"blake2b256:"
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"]}");
    assert_int_equal(load("batond.json", NULL, &p, &c), 0);
    assert_int_equal(p.n, 0);
    assert_string_equal(c->listen_host, "::1");
    assert_int_equal(c->listen_port, 9001);
    assert_int_equal(c->workers, 2);
    assert_int_equal(c->limits.max_body_bytes, 2048);
    snprintf(want, sizeof want, "%s/plugins", root);
    assert_string_equal(c->plugin_dir, want);
    assert_string_equal(c->data_dir, "data");
    assert_int_equal(c->tenant_count, 2);
    assert_string_equal(c->tenants[0].id, "a"); /* folder entries sorted */
    assert_int_equal(c->tenants[0].kind, BH_TENANT_AGENCY);
    assert_int_equal(c->tenants[0].token_hash_count, 1);
    assert_int_equal(c->tenants[0].token_hashes[0][31], 0xff);
    assert_string_equal(c->tenants[1].name, "b");
    assert_int_equal(c->tenants[1].kind, BH_TENANT_LAWFIRM);
    bh_config_free(c);

    bh_config_overrides ov = {"127.0.0.1:0", "/opt/p", "/var/d"};
    assert_int_equal(load("batond.json", &ov, &p, &c), 0);
    assert_int_equal(c->listen_port, 0);
    assert_string_equal(c->plugin_dir, "/opt/p");
    assert_string_equal(c->data_dir, "/var/d");
    bh_config_free(c);
}

static void reports_every_problem_with_its_field_path(void **state)
{
    struct problems p;
    bh_config *c = (bh_config *)1;
    (void)state;
    put("bad.json", "{\"listen\": \"nowhere\", \"workers\": 0, \"colour\": 1, "
                    "\"limits\": {\"max_body_bytes\": \"big\"}, \"tenants\": [\"t1.json\", "
                    "\"t2.json\", \"t3.json\"]}");
    put("t1.json", "{\"id\": \"Bad Id\", \"kind\": \"agency\", \"plugins\": "
                   "[{\"path\": \"a.so\"}, {\"path\": 5}, \"c.so\", {\"path\": \"d.so\", "
                   "\"config\": [], \"extra\": true}]}");
    put("t2.json", "{\"id\": \"x\", \"kind\": \"bank\", \"token_hashes\": [\"sha1:00\"]}");
    put("t3.json", "{\"id\": \"x\", \"kind\": \"agency\"}");
    assert_int_equal(load("bad.json", NULL, &p, &c), BATON_EINVAL);
    assert_null(c);
    assert_true(has(&p, "bad.json: listen: expected HOST:PORT, got \"nowhere\""));
    assert_true(has(&p, "bad.json: workers: must be between 1 and 64"));
    assert_true(has(&p, "bad.json: colour: unknown field"));
    assert_true(has(&p, "bad.json: limits.max_body_bytes: expected an integer, got a string"));
    assert_true(has(&p, "t1.json: id: must be 1-63 characters"));
    assert_true(has(&p, "t1.json: plugins[1].path: expected a string, got a number"));
    assert_true(has(&p, "t1.json: plugins[2]: expected an object, got a string"));
    assert_true(has(&p, "t1.json: plugins[3].config: expected an object, got an array"));
    assert_true(has(&p, "t1.json: plugins[3].extra: unknown field"));
    assert_true(has(&p, "t2.json: kind: expected \"agency\" or \"lawfirm\", got \"bank\""));
    assert_true(has(&p, "t2.json: token_hashes[0]: expected \"blake2b256:\""));
}

static void reports_json_syntax_with_line_and_column(void **state)
{
    struct problems p;
    bh_config *c = NULL;
    char err[512], path[256];
    (void)state;
    put("syntax.json", "{\n  \"tenants\": [],\n  \"listen\": \"x\" \"y\"\n}\n");
    assert_int_equal(load("syntax.json", NULL, &p, &c), BATON_EINVAL);
    assert_true(has(&p, "syntax.json: invalid JSON at line 3, column 17"));
    put("dup.json", "{\"tenants\": [\"d1.json\", \"d2.json\"]}");
    put("d1.json", "{\"id\": \"same\", \"kind\": \"agency\"}");
    put("d2.json", "{\"id\": \"same\", \"kind\": \"lawfirm\"}");
    assert_int_equal(load("dup.json", NULL, &p, &c), BATON_EINVAL);
    assert_true(has(&p, "d2.json: id: tenant \"same\" is already defined in"));
    snprintf(path, sizeof path, "%s/missing.json", root);
    assert_int_equal(bh_config_load(path, NULL, NULL, NULL, &c, err, sizeof err), BATON_EINVAL);
    assert_non_null(strstr(err, "missing.json: cannot open"));
}

static void parses_listen_addresses(void **state)
{
    char *host = NULL;
    int port = -1;
    (void)state;
    assert_int_equal(bh_parse_listen("0.0.0.0:80", &host, &port), 0);
    assert_string_equal(host, "0.0.0.0");
    assert_int_equal(port, 80);
    free(host);
    assert_int_equal(bh_parse_listen(":8080", &host, &port), 0);
    assert_string_equal(host, "127.0.0.1");
    free(host);
    assert_int_equal(bh_parse_listen("[::]:1", &host, &port), 0);
    assert_string_equal(host, "::");
    free(host);
    assert_int_equal(bh_parse_listen("host", &host, &port), BATON_EINVAL);
    assert_int_equal(bh_parse_listen("h:65536", &host, &port), BATON_EINVAL);
    assert_int_equal(bh_parse_listen("h:", &host, &port), BATON_EINVAL);
    assert_int_equal(bh_parse_listen("[::1]8080", &host, &port), BATON_EINVAL);
}

static void reads_an_agreement_and_its_defaults(void **state)
{
    struct problems p;
    bh_config *c = NULL;
    bh_counterpart cp;
    (void)state;
    put("ag.json", "{\"tenants\": [\"ag-a.json\", \"ag-f.json\", \"ag-g.json\"]}");
    put("ag-f.json", "{\"id\": \"f\", \"kind\": \"lawfirm\"}");
    put("ag-g.json", "{\"id\": \"g\", \"kind\": \"lawfirm\"}");
    put("ag-a.json",
        "{\"id\": \"a\", \"kind\": \"agency\", \"counterparts\": [{\"tenant\": \"f\", "
        "\"agreement\": {\"contingency_fee_bp\": 1500, \"fee_on_direct_payments\": true, "
        "\"reimbursed_costs\": [\"court_fee\", \"enforcement\"], \"cost_budget\": "
        "{\"amount\": \"500.00\", \"currency\": \"GBP\"}, \"remittance_due_days\": 14, "
        "\"stalled_after_days\": 45, \"judgment_enforcement_days\": 60}}, {\"tenant\": \"g\"}]}");
    assert_int_equal(load("ag.json", NULL, &p, &c), 0);
    assert_int_equal(bh_counterpart_find(c->tenants[0].counterparts, "f", &cp), 0);
    assert_true(cp.has_agreement);
    assert_int_equal(cp.agreement.contingency_fee_bp, 1500);
    assert_true(cp.agreement.fee_on_direct_payments);
    assert_int_equal(cp.agreement.reimbursed_costs, BH_COST_COURT_FEE | BH_COST_ENFORCEMENT);
    assert_true(cp.agreement.has_cost_budget);
    assert_int_equal(cp.agreement.cost_budget_minor, 50000);
    assert_string_equal(cp.agreement.cost_budget_currency, "GBP");
    assert_int_equal(cp.agreement.remittance_due_days, 14);
    assert_int_equal(cp.agreement.stalled_after_days, 45);
    assert_int_equal(cp.agreement.judgment_enforcement_days, 60);
    /* No agreement: the documented defaults. */
    assert_int_equal(bh_counterpart_find(c->tenants[0].counterparts, "g", &cp), 0);
    assert_false(cp.has_agreement);
    assert_int_equal(cp.agreement.contingency_fee_bp, 0);
    assert_false(cp.agreement.fee_on_direct_payments);
    assert_int_equal(cp.agreement.reimbursed_costs, 0);
    assert_false(cp.agreement.has_cost_budget);
    assert_int_equal(cp.agreement.remittance_due_days, 30);
    assert_int_equal(cp.agreement.stalled_after_days, 60);
    assert_int_equal(cp.agreement.judgment_enforcement_days, 90);
    bh_config_free(c);
}

static void refuses_a_bad_agreement_naming_file_and_field(void **state)
{
    static const struct {
        const char *agreement;
        const char *problem;
    } bad[] = {
        {"[]", "ag-a.json: counterparts[0].agreement: expected an object"},
        {"{\"fee_bp\": 10}", "ag-a.json: counterparts[0].agreement.fee_bp: unknown field"},
        {"{\"contingency_fee_bp\": 10001}",
         "counterparts[0].agreement.contingency_fee_bp: must be between 0 and 10000"},
        {"{\"contingency_fee_bp\": 15.0}",
         "counterparts[0].agreement.contingency_fee_bp: expected an integer written with digits"},
        {"{\"contingency_fee_bp\": \"1500\"}",
         "counterparts[0].agreement.contingency_fee_bp: expected an integer"},
        {"{\"fee_on_direct_payments\": 1}",
         "counterparts[0].agreement.fee_on_direct_payments: expected true or false"},
        {"{\"reimbursed_costs\": \"court_fee\"}",
         "counterparts[0].agreement.reimbursed_costs: expected an array of cost categories"},
        {"{\"reimbursed_costs\": [\"court_fee\", \"travel\"]}",
         "counterparts[0].agreement.reimbursed_costs[1]: expected one of \"court_fee\""},
        {"{\"reimbursed_costs\": [\"other\", \"other\"]}",
         "counterparts[0].agreement.reimbursed_costs[1]: \"other\" is listed twice"},
        {"{\"cost_budget\": \"500.00\"}", "counterparts[0].agreement.cost_budget: expected money"},
        {"{\"cost_budget\": {\"amount\": \"500.00\", \"currency\": \"GBP\", \"x\": 1}}",
         "counterparts[0].agreement.cost_budget: expected money"},
        {"{\"cost_budget\": {\"amount\": \"500.00\", \"currency\": \"XXQ\"}}",
         "counterparts[0].agreement.cost_budget.currency: not an ISO 4217 currency"},
        {"{\"cost_budget\": {\"amount\": \"5.001\", \"currency\": \"GBP\"}}",
         "counterparts[0].agreement.cost_budget.amount: "},
        {"{\"cost_budget\": {\"amount\": \"-5.00\", \"currency\": \"GBP\"}}",
         "counterparts[0].agreement.cost_budget.amount: must not be negative"},
        {"{\"remittance_due_days\": 0}",
         "counterparts[0].agreement.remittance_due_days: must be between 1 and 3650"},
        {"{\"stalled_after_days\": 3651}",
         "counterparts[0].agreement.stalled_after_days: must be between 1 and 3650"},
        {"{\"judgment_enforcement_days\": -1}",
         "counterparts[0].agreement.judgment_enforcement_days: must be between 1 and 3650"},
    };
    struct problems p;
    bh_config *c = NULL;
    char text[512];
    (void)state;
    put("ag.json", "{\"tenants\": [\"ag-a.json\", \"ag-f.json\"]}");
    put("ag-f.json", "{\"id\": \"f\", \"kind\": \"lawfirm\"}");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text,
                 "{\"id\": \"a\", \"kind\": \"agency\", \"counterparts\": [{\"tenant\": "
                 "\"f\", \"agreement\": %s}]}",
                 bad[i].agreement);
        put("ag-a.json", text);
        assert_int_equal(load("ag.json", NULL, &p, &c), BATON_EINVAL);
        if (!has(&p, bad[i].problem))
            fail_msg("agreement %s: wanted \"%s\", got \"%s\"", bad[i].agreement, bad[i].problem,
                     p.n > 0 ? p.lines[0] : "(no problem)");
    }
    /* A law firm's file records no agreement. */
    put("ag-a.json", "{\"id\": \"a\", \"kind\": \"agency\"}");
    put("ag-f.json", "{\"id\": \"f\", \"kind\": \"lawfirm\", \"counterparts\": "
                     "[{\"tenant\": \"a\", \"agreement\": {}}]}");
    assert_int_equal(load("ag.json", NULL, &p, &c), BATON_EINVAL);
    assert_true(has(&p, "ag-f.json: counterparts[0].agreement: only an agency's tenant file"));
}

/* Loads cfg_rel with the tenant files present; the problems' lines, in
 * order, joined into out. */
static int load_lines(const char *cfg_rel, char *out, size_t len, bh_config **c)
{
    struct problems p;
    int rc = load(cfg_rel, NULL, &p, c);
    out[0] = '\0';
    for (int i = 0; i < p.n; i++) {
        strncat(out, p.lines[i], len - strlen(out) - 1);
        strncat(out, "\n", len - strlen(out) - 1);
    }
    return rc;
}

#define PLUGINS_A                                                                                  \
    "[{\"path\": \"x.so\", \"config\": {\"rates\": [{\"from\": \"2020-01-01\", \"bp\": 25}], "     \
    "\"name\": \"a \\\"quoted\\\" ]} name\"}}, {\"path\": \"y.so\"}]"

/* Tenant files whose "plugins" hold the same bytes share one list (parsed
 * and printed once); the same entries written otherwise get their own list
 * with the same config texts. */
static void identical_plugin_bytes_share_one_list(void **state)
{
    struct problems p;
    bh_config *c = NULL;
    (void)state;
    put("shared.json", "{\"plugin_dir\": \"plugins\", \"tenants\": [\"lists/\"]}");
    char dir[128];
    snprintf(dir, sizeof dir, "%s/lists", root);
    assert_int_equal(mkdir(dir, 0700), 0);
    put("lists/a.json", "{\"id\": \"a\", \"kind\": \"agency\", \"plugins\": " PLUGINS_A "}");
    put("lists/b.json", "{\"name\": \"B\", \"plugins\": " PLUGINS_A ", \"kind\": \"agency\", "
                        "\"id\": \"b\"}");
    put("lists/c.json", "{\"id\": \"c\", \"kind\": \"agency\", \"plugins\":\n  " PLUGINS_A "}");
    put("lists/d.json", "{\"id\": \"d\", \"kind\": \"agency\", \"plugins\": [ {\"path\": "
                        "\"x.so\", \"config\": {\"rates\": [{\"from\": \"2020-01-01\", \"bp\": "
                        "25}], \"name\": \"a \\\"quoted\\\" ]} name\"}}, {\"path\": \"y.so\"}]}");
    put("lists/e.json", "{\"id\": \"e\", \"kind\": \"lawfirm\"}");
    assert_int_equal(load("shared.json", NULL, &p, &c), 0);
    assert_int_equal(p.n, 0);
    assert_int_equal(c->tenant_count, 5);
    const bh_plugin_list *a = c->tenants[0].plugins, *d = c->tenants[3].plugins;
    assert_non_null(a);
    assert_ptr_equal(c->tenants[1].plugins, a);
    assert_ptr_equal(c->tenants[2].plugins, a);
    assert_non_null(d);
    assert_ptr_not_equal(d, a);
    assert_null(c->tenants[4].plugins);
    assert_int_equal(c->plugin_list_count, 2);
    assert_int_equal(a->count, 2);
    assert_int_equal(d->count, 2);
    assert_string_equal(a->config_texts[0], "{\"rates\":[{\"from\":\"2020-01-01\",\"bp\":25}],"
                                            "\"name\":\"a \\\"quoted\\\" ]} name\"}");
    assert_string_equal(d->config_texts[0], a->config_texts[0]);
    assert_string_equal(a->config_texts[1], "{}");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(a->entries, 1), "path");
    assert_string_equal(path->valuestring, "y.so");
    bh_config_drop_plugin_lists(c);
    assert_null(c->tenants[0].plugins);
    assert_int_equal(c->plugin_list_count, 0);
    bh_config_free(c);
}

/* A file that shares its "plugins" bytes with an earlier one is refused
 * with the same lines, offsets included, as when it is read alone. */
static void a_shared_list_keeps_every_problem_as_it_was(void **state)
{
    char alone[2048], shared[2048];
    bh_config *c = (bh_config *)1;
    (void)state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/probs", root);
    assert_int_equal(mkdir(dir, 0700), 0);
    put("probs.json", "{\"plugin_dir\": \"plugins\", \"tenants\": [\"probs/\"]}");
    /* Problems before, in and after the span: a bad kind, an unknown field,
     * then a syntax error after the plugins. */
    put("probs/b.json",
        "{\"id\": \"b\", \"kind\": \"bank\", \"plugins\": " PLUGINS_A ", \"colour\": 1}");
    put("probs/c.json", "{\"id\": \"c\", \"kind\": \"agency\", \"plugins\": " PLUGINS_A
                        ",\n \"name\": \"C\" \"x\": 1}");
    assert_int_equal(load_lines("probs.json", alone, sizeof alone, &c), BATON_EINVAL);
    assert_null(c);
    assert_non_null(strstr(alone, "b.json: kind: expected \"agency\" or \"lawfirm\""));
    assert_non_null(strstr(alone, "b.json: colour: unknown field"));
    assert_non_null(strstr(alone, "c.json: invalid JSON at line 2"));
    /* Now a sound file with the same bytes is read first. */
    put("probs/a.json", "{\"id\": \"a\", \"kind\": \"agency\", \"plugins\": " PLUGINS_A "}");
    assert_int_equal(load_lines("probs.json", shared, sizeof shared, &c), BATON_EINVAL);
    assert_null(c);
    assert_string_equal(shared, alone);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_a_valid_config_with_resolved_paths),
        cmocka_unit_test(identical_plugin_bytes_share_one_list),
        cmocka_unit_test(a_shared_list_keeps_every_problem_as_it_was),
        cmocka_unit_test(reports_every_problem_with_its_field_path),
        cmocka_unit_test(reports_json_syntax_with_line_and_column),
        cmocka_unit_test(parses_listen_addresses),
        cmocka_unit_test(reads_an_agreement_and_its_defaults),
        cmocka_unit_test(refuses_a_bad_agreement_naming_file_and_field),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
