/*
 * reasons_probe_plugin.c - a test-only plugin that makes host calls the
 * host must refuse, and writes the reason last_error() gave for each into
 * a fact (test_sdk_reasons.c reads them, in process and isolated).
 *
 * Its config picks what evaluate() does:
 *   {"probe": "all"}   every refusal below, each reason into facts.r.<name>,
 *                      then returns 0
 *   {"probe": "fail"}  one refused finding code, then returns the host's code
 *                      (the 502 and `baton plugin check` must say why)
 *   {"probe": "quiet"} returns BATON_EPLUGIN without any refusal
 *
 * Built twice (tests/sdk-api/CMakeLists.txt): as SDK 1.1 (reasons-probe)
 * and with -DBATON_SDK_TARGET_MINOR=0 (reasons-probe-1-0), which stamps
 * minor 0 and calls last_error only after BATON_HOST_HAS. Never installed.
 */
#include <stdlib.h>
#include <string.h>

#include "baton/plugin.h"

typedef struct probe_state {
    const baton_host_api *api;
    char mode[16];
} probe_state;

/* The reason of the last refusal, the way each target must ask for it. */
static const char *reason_of(const baton_host_api *api)
{
#if BATON_SDK_TARGET_MINOR >= 1
    return api->last_error(); /* a 1.1 plugin: every host that loads it has it */
#else
    if (!BATON_HOST_HAS(api, last_error))
        return "(the host predates SDK 1.1)";
    return api->last_error();
#endif
}

static int init(const baton_host_api *api, baton_host *host, const baton_view *config, void **state,
                char *err, size_t errlen)
{
    const char *mode = "all";
    (void)host;
    (void)err;
    (void)errlen;
    if (api->view_type(config, "probe") == BATON_VIEW_STRING)
        api->view_string(config, "probe", &mode);
    probe_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return BATON_ENOMEM;
    st->api = api;
    strncpy(st->mode, mode, sizeof st->mode - 1);
    *state = st;
    return 0;
}

static void fini(void *state)
{
    free(state);
}

/* Records why call (which must have been refused) failed, as facts
 * r.<name> (the reason) and rc.<name> (the code). */
static void note(const baton_host_api *api, baton_result *out, const char *name, int rc)
{
    char key[96];
    strcpy(key, "r.");
    strncat(key, name, sizeof key - 3);
    api->result_string(out, key, rc < 0 ? reason_of(api) : "(not refused)");
    strcpy(key, "rc.");
    strncat(key, name, sizeof key - 4);
    api->result_int(out, key, rc);
}

static int evaluate(void *state, const baton_view *v, baton_result *out)
{
    probe_state *st = state;
    const baton_host_api *api = st->api;
    const char *s;
    int64_t i;
    char long_key[140];
    int rc;

    if (strcmp(st->mode, "quiet") == 0)
        return BATON_EPLUGIN;
    rc = api->result_finding(out, "readiness", "Final demand", BATON_FINDING_MET, "t", NULL);
    if (strcmp(st->mode, "fail") == 0)
        return rc;
    note(api, out, "finding_code", rc);
    note(api, out, "finding_status",
         api->result_finding(out, "readiness", "ok", (enum baton_finding_status)9, "t", NULL));
    note(api, out, "line_kind",
         api->result_line_item(out, "fee", "Fee", baton_money_make(100, "GBP"), NULL));
    note(api, out, "money_currency", api->result_money(out, "m", baton_money_make(1, "XXX")));
    note(api, out, "fact_key_part", api->result_string(out, "a..b", "v"));
    memset(long_key, 'a', 130);
    long_key[130] = '\0';
    note(api, out, "fact_key_long", api->result_string(out, long_key, "v"));
    api->result_int(out, "twice", 1);
    note(api, out, "fact_twice", api->result_int(out, "twice", 2));
    note(api, out, "fact_int_range", api->result_int(out, "big", INT64_C(1) << 60));
    baton_date feb30 = {2026, 2, 30};
    note(api, out, "fact_date", api->result_date(out, "d", feb30));
    note(api, out, "view_missing", api->view_string(v, "no.such", &s));
    note(api, out, "view_type", api->view_int(v, "jurisdiction", &i));
    note(api, out, "view_path", api->view_string(v, "claim..due_date", &s));
    /* A successful call leaves the reason as it was (like errno). */
    api->result_string(out, "ok", "fine");
    api->result_string(out, "kept", reason_of(api));
    return 0;
}

static const baton_filing_rules rules = {sizeof(baton_filing_rules), evaluate};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,    .name = "reasons-probe",
    .version = "1.0.0",     .scope = "jurisdiction:gb-ew",
    .init = init,           .fini = fini,
    .filing_rules = &rules,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
