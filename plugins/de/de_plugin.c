/*
 * de_plugin.c - the descriptor of the Germany jurisdiction plugin and its
 * instance lifecycle: init reads the tenant's config (base-rate table,
 * collection fee rate, receipt delay, supervisory authority), fini frees it.
 *
 * Config (documented in docs/plugins/de.md; the default is
 * plugins/de/config.default.json):
 *   {"params": {"basiszinssatz": {"version", "values": [{"from": "2026-07-01",
 *                                  "rate_bp": 152}, ...]}},
 *    "collection_fee_tenths": 5, "mahnung_receipt_days": 3,
 *    "supervisor": {"name", "address", "contact"}}
 * None of it is required: the Basiszinssatz table ships with the plugin
 * (de_params.c); params.basiszinssatz (or the older base_rates array)
 * overrides it for a tenant.
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
    bpc_dated_table_free(st->own_base_rates);
    free(st->supervisor_name);
    free(st->supervisor_address);
    free(st->supervisor_contact);
    free(st);
}

/*
 * The supervisory authority named in a first demand (§ 13a Abs. 1 Nr. 8
 * RDG) when the config names none: since 1 January 2025 the Bundesamt für
 * Justiz is the central supervisor under the RDG (§ 19 RDG).
 */
#define DE_SUPERVISOR_NAME    "Bundesamt für Justiz (Aufsicht nach dem Rechtsdienstleistungsgesetz)"
#define DE_SUPERVISOR_ADDRESS "Adenauerallee 99-103, 53113 Bonn"
#define DE_SUPERVISOR_CONTACT "rdg@bfj.bund.de"

/* Copies an optional config string into *out, or dflt when absent. */
static int copy_opt(const baton_host_api *api, const baton_view *cfg, const char *path,
                    const char *dflt, char **out)
{
    const char *s = dflt;
    *out = NULL;
    if (cfg != NULL && api->view_string(cfg, path, &s) != 0)
        s = dflt;
    *out = strdup(s);
    return *out == NULL ? BATON_ENOMEM : 0;
}

/*
 * The Basiszinssatz table: the shipped one, or the tenant's override from
 * params.basiszinssatz or the older base_rates array; either way each entry
 * must start on 1 January or 1 July (§ 247 Abs. 1 S. 2 BGB). Then copied
 * into the array de_calc reads.
 */
static int read_rates(const baton_host_api *api, const baton_view *cfg, de_state *st, char *err,
                      size_t errlen)
{
    bpc_dated_table *own = NULL;
    const bpc_dated_table *t;
    int rc;

    if (cfg != NULL && api->view_type(cfg, "params.basiszinssatz") != BATON_VIEW_MISSING &&
        api->view_type(cfg, "base_rates") != BATON_VIEW_MISSING) {
        snprintf(err, errlen,
                 "de: config.base_rates: give the Basiszinssatz either as base_rates "
                 "or as params.basiszinssatz, not both");
        return BATON_EINVAL;
    }
    rc = bpc_dated_table_from_config(api, cfg, "params.basiszinssatz", "rate_bp", &de_basiszinssatz,
                                     &own, err, errlen);
    if (rc == 0 && own == NULL)
        rc = bpc_dated_table_from_array(api, cfg, "base_rates", "rate_bp", &de_basiszinssatz, &own,
                                        err, errlen);
    if (rc != 0)
        return rc;
    st->own_base_rates = own;
    t = own != NULL ? own : &de_basiszinssatz;
    if (t->n > 256) {
        snprintf(err, errlen, "de: config: the Basiszinssatz table has more than 256 entries");
        return BATON_ELIMIT;
    }
    st->rates = calloc(t->n, sizeof *st->rates);
    if (st->rates == NULL)
        return BATON_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        if (t->values[i].value < -10000 || t->values[i].value > 10000) {
            snprintf(err, errlen,
                     "de: config: Basiszinssatz entry %zu: rate_bp must be -10000..10000", i);
            return BATON_EINVAL;
        }
        st->rates[i].from = t->values[i].from;
        st->rates[i].bp = (int32_t)t->values[i].value;
    }
    st->nrates = t->n;
    st->base_rate_table = t;
    if (de_base_rates_check(st->rates, st->nrates) != 0) {
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
    if (config != NULL && api->view_int(config, "collection_fee_tenths", &v) == 0) {
        /* Nr. 2300 Anm. Abs. 2 VV RVG: 0.5 .. 1.3 for undisputed claims. */
        if (v < 5 || v > 13) {
            snprintf(err, errlen, "de: config.collection_fee_tenths must be 5..13");
            rc = BATON_EINVAL;
            goto out;
        }
        st->collection_fee_tenths = (int)v;
    }
    if (config != NULL && api->view_int(config, "mahnung_receipt_days", &v) == 0) {
        if (v < 0 || v > 14) {
            snprintf(err, errlen, "de: config.mahnung_receipt_days must be 0..14");
            rc = BATON_EINVAL;
            goto out;
        }
        st->mahnung_receipt_days = (int)v;
    }
    rc = copy_opt(api, config, "supervisor.name", DE_SUPERVISOR_NAME, &st->supervisor_name);
    if (rc == 0)
        rc = copy_opt(api, config, "supervisor.address", DE_SUPERVISOR_ADDRESS,
                      &st->supervisor_address);
    if (rc == 0)
        rc = copy_opt(api, config, "supervisor.contact", DE_SUPERVISOR_CONTACT,
                      &st->supervisor_contact);
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
