/*
 * abi10_plugin.c - a plugin built with the SDK 1.0 headers, kept as a
 * binary (abi10_plugin.x86_64.so, made by build.sh from this file and the
 * headers of commit dfc6d45) so that every later host proves it still
 * loads and runs what 1.0 integrators shipped: test_abi_1_0.c loads the
 * committed .so, never a rebuilt one.
 *
 * It touches every part of the 1.0 ABI a plugin uses: the descriptor and
 * its version header, init with a config view, all three capability
 * tables, the view, result and letter members of the host table, and the
 * 1.0 money.h inline arithmetic. Test-only; never installed.
 */
#include "baton/plugin.h"

static const baton_host_api *host;

static int init(const baton_host_api *api, baton_host *h, const baton_view *config, void **state,
                char *err, size_t errlen)
{
    int64_t bp = 500;
    (void)h;
    (void)err;
    (void)errlen;
    host = api;
    if (api->view_type(config, "fee_bp") == BATON_VIEW_INT)
        api->view_int(config, "fee_bp", &bp);
    *state = (void *)(intptr_t)bp;
    return 0;
}

static void fini(void *state)
{
    (void)state;
}

static int evaluate(void *state, const baton_view *v, baton_result *out)
{
    baton_money principal;
    baton_date due, as_of;
    int rc;
    (void)state;
    if ((rc = host->view_money(v, "claim.principal", &principal)) != 0 ||
        (rc = host->view_date(v, "claim.due_date", &due)) != 0 ||
        (rc = host->view_date(v, "as_of", &as_of)) != 0)
        return rc;
    rc = host->result_finding(out, "readiness", "abi10_probe", BATON_FINDING_INFO,
                              "Evaluated by a plugin built against SDK 1.0.", NULL);
    if (rc == 0)
        rc = host->result_money(out, "abi10.principal", principal);
    if (rc == 0)
        rc = host->result_int(out, "abi10.days_overdue", baton_date_diff(due, as_of));
    if (rc == 0)
        rc = host->result_date(out, "abi10.as_of", as_of);
    return rc;
}

static int fees(void *state, const baton_view *v, baton_result *out)
{
    baton_money principal;
    int rc = host->view_money(v, "claim.principal", &principal);
    if (rc != 0)
        return rc;
    return host->result_line_item(
        out, "other", "SDK 1.0 probe fee",
        baton_money_make(baton_percent_bp_half_up(principal.minor, (intptr_t)state),
                         principal.currency),
        "abi10_plugin.c");
}

static const char *const kinds[] = {"abi10_note", NULL};

static int render(void *state, const char *kind, const baton_view *v, baton_letter *out)
{
    const char *name = "";
    (void)state;
    (void)kind;
    host->view_string(v, "debtor.name", &name);
    int rc = host->letter_set(out, "title", "SDK 1.0 note");
    if (rc == 0)
        rc = host->letter_block(out, BATON_BLOCK_TITLE, "SDK 1.0 note");
    if (rc == 0)
        rc = host->letter_block(out, BATON_BLOCK_PARAGRAPH, name);
    return rc;
}

static const baton_filing_rules rules = {sizeof(baton_filing_rules), evaluate};
static const baton_fee_schedule schedule = {sizeof(baton_fee_schedule), fees};
static const baton_letter_formats letters = {sizeof(baton_letter_formats), kinds, render};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "abi10",
    .version = "1.0.0",
    .scope = "jurisdiction:gb-ew",
    .init = init,
    .fini = fini,
    .filing_rules = &rules,
    .fee_schedule = &schedule,
    .letter_formats = &letters,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
