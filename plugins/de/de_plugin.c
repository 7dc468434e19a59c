/*
 * de_plugin.c - the descriptor of the Germany jurisdiction plugin and its
 * instance lifecycle: init reads the tenant's config (base-rate table,
 * collection fee rate, receipt delay, supervisory authority), fini frees it.
 *
 * Config (documented in docs/plugins/de.md; the default is
 * plugins/de/config.default.json):
 *   {"base_rates": [{"from": "2026-01-01", "rate_bp": 127}, ...],
 *    "collection_fee_tenths": 5, "mahnung_receipt_days": 3,
 *    "supervisor": {"name", "address", "contact"}}
 * base_rates is required: the plugin never guesses a Basiszinssatz.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "de_internal.h"

static void state_free(de_state *st)
{
    if (st == NULL)
        return;
    free(st->rates);
    free(st->supervisor_name);
    free(st->supervisor_address);
    free(st->supervisor_contact);
    free(st);
}

/* Copies an optional config string into *out (NULL when absent). */
static int copy_opt(const baton_host_api *api, const baton_view *cfg, const char *path, char **out)
{
    const char *s;
    *out = NULL;
    if (api->view_string(cfg, path, &s) != 0)
        return 0;
    *out = strdup(s);
    return *out == NULL ? BATON_ENOMEM : 0;
}

static int read_rates(const baton_host_api *api, const baton_view *cfg, de_state *st, char *err,
                      size_t errlen)
{
    size_t n = 0;
    char path[64];
    if (api->view_count(cfg, "base_rates", &n) != 0 || n == 0) {
        snprintf(err, errlen, "de: config.base_rates (dated Basiszinssatz entries) is required");
        return BATON_EINVAL;
    }
    if (n > 256) {
        snprintf(err, errlen, "de: config.base_rates has more than 256 entries");
        return BATON_ELIMIT;
    }
    st->rates = calloc(n, sizeof *st->rates);
    if (st->rates == NULL)
        return BATON_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int64_t bp;
        snprintf(path, sizeof path, "base_rates[%zu].from", i);
        if (api->view_date(cfg, path, &st->rates[i].from) != 0) {
            snprintf(err, errlen, "de: config.%s is missing or not a date", path);
            return BATON_EINVAL;
        }
        snprintf(path, sizeof path, "base_rates[%zu].rate_bp", i);
        if (api->view_int(cfg, path, &bp) != 0 || bp < -10000 || bp > 10000) {
            snprintf(err, errlen, "de: config.%s is missing or not an integer in basis points",
                     path);
            return BATON_EINVAL;
        }
        st->rates[i].bp = (int32_t)bp;
    }
    st->nrates = n;
    if (de_base_rates_check(st->rates, n) != 0) {
        snprintf(err, errlen,
                 "de: config.base_rates must be in ascending order, each from 1 January or "
                 "1 July (§ 247 BGB)");
        return BATON_EINVAL;
    }
    return 0;
}

static int de_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                   void **state, char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    int64_t v;
    de_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        goto out;
    st->api = api;
    st->host = host;
    st->collection_fee_tenths = 5;
    st->mahnung_receipt_days = 3;

    rc = read_rates(api, config, st, err, errlen);
    if (rc != 0)
        goto out;
    if (api->view_int(config, "collection_fee_tenths", &v) == 0) {
        /* Nr. 2300 Anm. Abs. 2 VV RVG: 0.5 .. 1.3 for undisputed claims. */
        if (v < 5 || v > 13) {
            snprintf(err, errlen, "de: config.collection_fee_tenths must be 5..13");
            rc = BATON_EINVAL;
            goto out;
        }
        st->collection_fee_tenths = (int)v;
    }
    if (api->view_int(config, "mahnung_receipt_days", &v) == 0) {
        if (v < 0 || v > 14) {
            snprintf(err, errlen, "de: config.mahnung_receipt_days must be 0..14");
            rc = BATON_EINVAL;
            goto out;
        }
        st->mahnung_receipt_days = (int)v;
    }
    rc = copy_opt(api, config, "supervisor.name", &st->supervisor_name);
    if (rc == 0)
        rc = copy_opt(api, config, "supervisor.address", &st->supervisor_address);
    if (rc == 0)
        rc = copy_opt(api, config, "supervisor.contact", &st->supervisor_contact);
    if (rc != 0)
        goto out;

    *state = st;
    st = NULL;
    rc = 0;
out:
    if (rc == BATON_ENOMEM && err != NULL && errlen > 0)
        snprintf(err, errlen, "de: out of memory");
    state_free(st);
    return rc;
}

static void de_fini(void *state)
{
    state_free(state);
}

static const baton_plugin de_descriptor = {
    BATON_PLUGIN_HEADER,
    .name = DE_PLUGIN_NAME,
    .version = DE_PLUGIN_VERSION,
    .scope = "jurisdiction:de",
    .init = de_init,
    .fini = de_fini,
    .filing_rules = &de_filing_rules,
    .fee_schedule = &de_fee_schedule,
    .letter_formats = &de_letter_formats,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &de_descriptor;
}
