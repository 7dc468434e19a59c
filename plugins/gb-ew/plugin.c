/*
 * plugin.c - the gb-ew plugin's descriptor, instance lifecycle and config.
 *
 * Owns: the descriptor the host reads, init/fini, and the per-tenant
 * config. The plugin ships its dated parameters (params.c: the Bank of
 * England Bank Rate history, fee 1.1, track limits) and works with no
 * config at all. A tenant may override the Bank Rate table, in either
 * shape (docs/plugins/gb-ew.md):
 *
 *   {"params": {"bank_rate": {"version": "...", "horizon": "2026-12-31",
 *                             "values": [{"from": "2025-08-07", "rate_bp": 400}, ...]}}}
 *   {"base_rates": [{"from": "2025-08-07", "rate_bp": 400}, ...]}   (older shape)
 *
 * "from" is the first day a rate was in force; entries must be strictly
 * ascending; a rate is 0..10000 basis points. The fee 1.1 table can be
 * replaced too (params.issue_fee, fee_config.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gb_ew.h"

/* Reads a tenant's Bank Rate override, if any, into st->own_bank_rate. */
static int load_bank_rate(const baton_host_api *api, const baton_view *config, gbew_state *st,
                          char *err, size_t errlen)
{
    bpc_dated_table *t = NULL;
    int rc;

    if (config != NULL && api->view_type(config, "params.bank_rate") != BATON_VIEW_MISSING &&
        api->view_type(config, "base_rates") != BATON_VIEW_MISSING) {
        snprintf(err, errlen,
                 "config.base_rates: give the Bank Rate either as base_rates or as "
                 "params.bank_rate, not both");
        return BATON_EINVAL;
    }
    rc = bpc_dated_table_from_config(api, config, "params.bank_rate", "rate_bp", &gbew_bank_rate,
                                     &t, err, errlen);
    if (rc == 0 && t == NULL)
        rc = bpc_dated_table_from_array(api, config, "base_rates", "rate_bp", &gbew_bank_rate, &t,
                                        err, errlen);
    if (rc != 0)
        return rc;
    if (t == NULL)
        return 0;
    st->own_bank_rate = t;
    for (size_t i = 0; i < t->n; i++) {
        if (t->values[i].value < 0 || t->values[i].value > 10000) {
            snprintf(err, errlen,
                     "config.%s[%zu].rate_bp: must be an integer from 0 to 10000 (basis points)",
                     api->view_type(config, "base_rates") != BATON_VIEW_MISSING
                         ? "base_rates"
                         : "params.bank_rate.values",
                     i);
            return BATON_EINVAL;
        }
    }
    st->bank_rate = t;
    return 0;
}

static void gbew_fini(void *state)
{
    gbew_state *st = state;
    if (st == NULL)
        return;
    bpc_dated_table_free(st->own_bank_rate);
    gbew_fee_config_free(st->own_issue_fee);
    free(st);
}

static int gbew_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                     void **state, char *err, size_t errlen)
{
    gbew_state *st;
    int rc;

    if (api == NULL || state == NULL)
        return BATON_EINVAL;
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    st->api = api;
    st->host = host;
    st->bank_rate = &gbew_bank_rate;
    st->issue_fee = &gbew_issue_fee_table;
    rc = load_bank_rate(api, config, st, err, errlen);
    if (rc == 0)
        rc = gbew_fee_config_read(api, config, &st->own_issue_fee, err, errlen);
    if (rc == 0 && st->own_issue_fee != NULL)
        st->issue_fee = st->own_issue_fee;
    if (rc != 0) {
        gbew_fini(st);
        return rc;
    }
    *state = st;
    return 0;
}

static const baton_filing_rules filing_rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = gbew_filing_rules,
};

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = gbew_fees,
};

static const baton_letter_formats letter_formats = {
    .struct_size = sizeof(baton_letter_formats),
    .kinds = gbew_letter_kinds,
    .render = gbew_render,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "gb-ew",
    .version = "1.1.0",
    .scope = "jurisdiction:gb-ew",
    .init = gbew_init,
    .fini = gbew_fini,
    .filing_rules = &filing_rules,
    .fee_schedule = &fee_schedule,
    .letter_formats = &letter_formats,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
