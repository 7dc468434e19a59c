/*
 * plugin.c - the nl plugin's descriptor, entry point and instance state.
 *
 * Owns: init/fini and the capability tables. init reads the tenant's
 * optional config:
 *   {"statutory_rates":  [{"from": "YYYY-MM-DD", "rate_bp": int}, ...],
 *    "commercial_rates": [...],
 *    "params": {"nl_statutory_rate": {"version", "values": [...]}, ...},
 *    "post_receipt_days": int}
 * A rate table given in config (either shape) replaces the shipped one
 * (tables.c) whole, so a tenant can add a half-year the plugin does not
 * know yet. Does not
 * own: any rule or figure (rules.c, fees.c, tables.c) or letter text
 * (letter.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"

static void state_free(nl_state *st)
{
    if (st == NULL)
        return;
    bpc_dated_table_free(st->owned[0]);
    bpc_dated_table_free(st->owned[1]);
    free(st);
}

/*
 * A tenant's rate table, either as params.<name> (the plugins/common
 * shape: {"version", "values": [{"from", "rate_bp"}]}) or as a bare array
 * at key; checked to change only on 1 January and 1 July (art. 6:120 BW).
 */
static int read_rates(const baton_host_api *api, const baton_view *cfg, const char *key,
                      const bpc_dated_table *shipped, bpc_dated_table **owned,
                      const bpc_dated_table **use, char *err, size_t errlen)
{
    char params[64];
    bpc_dated_table *t = NULL;
    int rc;

    snprintf(params, sizeof params, "params.%s", shipped->name);
    if (api->view_type(cfg, params) != BATON_VIEW_MISSING &&
        api->view_type(cfg, key) != BATON_VIEW_MISSING) {
        snprintf(err, errlen, "nl: config.%s: give the rates either as %s or as %s, not both", key,
                 key, params);
        return BATON_EINVAL;
    }
    rc = bpc_dated_table_from_config(api, cfg, params, "rate_bp", shipped, &t, err, errlen);
    if (rc == 0 && t == NULL)
        rc = bpc_dated_table_from_array(api, cfg, key, "rate_bp", shipped, &t, err, errlen);
    *owned = t;
    if (rc != 0 || t == NULL)
        return rc;
    for (size_t i = 0; i < t->n; i++) {
        baton_date f = t->values[i].from;
        if (f.day != 1 || (f.month != 1 && f.month != 7)) {
            snprintf(err, errlen,
                     "nl: config.%s[%zu].from must be a 1 January or 1 July (art. 6:120 BW: the "
                     "rates change half-yearly)",
                     key, i);
            return BATON_EINVAL;
        }
        if (t->values[i].value < 0 || t->values[i].value > 10000) {
            snprintf(err, errlen,
                     "nl: config.%s[%zu].rate_bp must be an integer from 0 to 10000 basis points",
                     key, i);
            return BATON_EINVAL;
        }
    }
    *use = t;
    return 0;
}

static int init(const baton_host_api *api, baton_host *host, const baton_view *config, void **state,
                char *err, size_t errlen)
{
    nl_state *st;
    int64_t days = 1;
    int rc;
    char scratch[200];
    char *e = err != NULL && errlen > 0 ? err : scratch;
    size_t elen = err != NULL && errlen > 0 ? errlen : sizeof scratch;

    if (api == NULL || state == NULL)
        return BATON_EINVAL;
    e[0] = '\0';
    if (api->sdk_major != BATON_SDK_MAJOR) {
        snprintf(e, elen, "nl: host SDK major differs");
        return BATON_EVERSION;
    }
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        snprintf(e, elen, "nl: out of memory");
        return BATON_ENOMEM;
    }
    st->api = api;
    st->host = host;
    st->statutory = &nl_statutory_rate;
    st->commercial = &nl_commercial_rate;
    st->post_receipt_days = 1;
    nl_calendar_build(st);
    rc = bpc_calendar_check(&st->atw);
    if (rc != 0)
        snprintf(e, elen, "nl: the built-in court calendar is malformed");
    if (rc == 0 && config != NULL) {
        rc = read_rates(api, config, "statutory_rates", &nl_statutory_rate, &st->owned[0],
                        &st->statutory, e, elen);
        if (rc == 0)
            rc = read_rates(api, config, "commercial_rates", &nl_commercial_rate, &st->owned[1],
                            &st->commercial, e, elen);
        if (rc == 0 && api->view_type(config, "post_receipt_days") != BATON_VIEW_MISSING &&
            (api->view_int(config, "post_receipt_days", &days) != 0 || days < 0 || days > 10)) {
            snprintf(e, elen, "nl: config.post_receipt_days must be an integer from 0 to 10");
            rc = BATON_EINVAL;
        }
    }
    if (rc != 0) {
        state_free(st);
        return rc;
    }
    st->post_receipt_days = (int)days;
    *state = st;
    return 0;
}

static void fini(void *state)
{
    state_free(state);
}

static const baton_filing_rules filing_rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = nl_filing_rules,
};

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = nl_fees,
};

static const char *const letter_kinds[] = {"fourteen_day_letter", NULL};

static const baton_letter_formats letter_formats = {
    .struct_size = sizeof(baton_letter_formats),
    .kinds = letter_kinds,
    .render = nl_render,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "nl",
    .version = "1.2.0",
    .scope = "jurisdiction:nl",
    .init = init,
    .fini = fini,
    .filing_rules = &filing_rules,
    .fee_schedule = &fee_schedule,
    .letter_formats = &letter_formats,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
