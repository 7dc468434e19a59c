/*
 * plugin.c - the gb-ew plugin's descriptor, instance lifecycle and config.
 *
 * Owns: the descriptor the host reads, init/fini, and the per-tenant
 * config: the Bank of England Bank Rate history the Late Payment Act
 * reference rate is read from. Rates move, so they are data, not code:
 *
 *   {"base_rates": [{"from": "2025-08-07", "rate_bp": 400}, ...]}
 *
 * "from" is the first day a rate was in force; entries must be strictly
 * ascending. docs/plugins/gb-ew.md ships the table to start from (Bank of
 * England, "Official Bank Rate history"). Without a table the plugin still
 * works, but reports that Late Payment interest cannot be computed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gb_ew.h"

#define MAX_BASE_RATES 1024

static int load_base_rates(const baton_host_api *api, const baton_view *config, gbew_state *st,
                           char *err, size_t errlen)
{
    size_t n = 0;
    int rc;

    if (config == NULL || api->view_type(config, "base_rates") == BATON_VIEW_MISSING)
        return 0;
    rc = api->view_count(config, "base_rates", &n);
    if (rc != 0 || api->view_type(config, "base_rates") != BATON_VIEW_ARRAY) {
        snprintf(err, errlen, "config.base_rates: must be an array of {from, rate_bp}");
        return BATON_EINVAL;
    }
    if (n > MAX_BASE_RATES) {
        snprintf(err, errlen, "config.base_rates: more than %d entries", MAX_BASE_RATES);
        return BATON_ELIMIT;
    }
    if (n == 0)
        return 0;
    st->base_rates = calloc(n, sizeof *st->base_rates);
    if (st->base_rates == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        char path[64];
        int64_t bp;
        snprintf(path, sizeof path, "base_rates[%zu].from", i);
        rc = api->view_date(config, path, &st->base_rates[i].from);
        if (rc != 0) {
            snprintf(err, errlen, "config.%s: must be a date YYYY-MM-DD", path);
            return BATON_EINVAL;
        }
        snprintf(path, sizeof path, "base_rates[%zu].rate_bp", i);
        rc = api->view_int(config, path, &bp);
        if (rc != 0 || bp < 0 || bp > 10000) {
            snprintf(err, errlen, "config.%s: must be an integer from 0 to 10000 (basis points)",
                     path);
            return BATON_EINVAL;
        }
        st->base_rates[i].bp = (int32_t)bp;
        if (i > 0 && baton_date_cmp(st->base_rates[i - 1].from, st->base_rates[i].from) >= 0) {
            snprintf(err, errlen, "config.base_rates[%zu].from: dates must be strictly ascending",
                     i);
            return BATON_EINVAL;
        }
        st->n_base_rates = i + 1;
    }
    return 0;
}

static void gbew_fini(void *state)
{
    gbew_state *st = state;
    if (st == NULL)
        return;
    free(st->base_rates);
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
    rc = load_base_rates(api, config, st, err, errlen);
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
    .version = "1.0.0",
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
