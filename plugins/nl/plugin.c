/*
 * plugin.c - the nl plugin's descriptor, entry point and instance state.
 *
 * Owns: init/fini and the capability tables. init reads the tenant's
 * optional config:
 *   {"statutory_rates":  [{"from": "YYYY-MM-DD", "rate_bp": int}, ...],
 *    "commercial_rates": [...],
 *    "post_receipt_days": int}
 * A rate table given in config replaces the shipped one (tables.c) whole,
 * so a tenant can add a half-year the plugin does not know yet. Does not
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
    free(st->owned[0]);
    free(st->owned[1]);
    free(st);
}

static int read_rates(const baton_host_api *api, const baton_view *cfg, const char *key,
                      nl_rate **owned, nl_rate_table *t, char *err, size_t errlen)
{
    size_t n = 0;
    char path[64];

    if (api->view_type(cfg, key) == BATON_VIEW_MISSING)
        return 0;
    if (api->view_count(cfg, key, &n) != 0 || n == 0 || n > 256) {
        snprintf(err, errlen, "nl: config.%s must be an array of 1 to 256 dated rates", key);
        return BATON_EINVAL;
    }
    *owned = calloc(n, sizeof **owned);
    if (*owned == NULL) {
        snprintf(err, errlen, "nl: out of memory");
        return BATON_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t bp;
        nl_rate *r = &(*owned)[i];
        snprintf(path, sizeof path, "%s[%zu].from", key, i);
        if (api->view_date(cfg, path, &r->from) != 0) {
            snprintf(err, errlen, "nl: config.%s is missing or not a date", path);
            return BATON_EINVAL;
        }
        if (r->from.day != 1 || (r->from.month != 1 && r->from.month != 7)) {
            snprintf(err, errlen,
                     "nl: config.%s must be a 1 January or 1 July (art. 6:120 BW: the rates "
                     "change half-yearly)",
                     path);
            return BATON_EINVAL;
        }
        if (i > 0 && baton_date_cmp((*owned)[i - 1].from, r->from) >= 0) {
            snprintf(err, errlen, "nl: config.%s is not after the entry before it", path);
            return BATON_EINVAL;
        }
        snprintf(path, sizeof path, "%s[%zu].rate_bp", key, i);
        if (api->view_int(cfg, path, &bp) != 0 || bp < 0 || bp > 10000) {
            snprintf(err, errlen, "nl: config.%s must be an integer from 0 to 10000 basis points",
                     path);
            return BATON_EINVAL;
        }
        r->bp = (int32_t)bp;
    }
    t->rates = *owned;
    t->n = n;
    t->version = "tenant config";
    return 0;
}

static int init(const baton_host_api *api, baton_host *host, const baton_view *config, void **state,
                char *err, size_t errlen)
{
    nl_state *st;
    int64_t days = 1;
    int rc;

    if (api == NULL || state == NULL)
        return BATON_EINVAL;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (api->sdk_major != BATON_SDK_MAJOR) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "nl: host SDK major differs");
        return BATON_EVERSION;
    }
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "nl: out of memory");
        return BATON_ENOMEM;
    }
    st->api = api;
    st->host = host;
    st->statutory = nl_statutory_rates();
    st->commercial = nl_commercial_rates();
    st->post_receipt_days = 1;
    if (config != NULL) {
        char scratch[160];
        char *e = err != NULL && errlen > 0 ? err : scratch;
        size_t elen = err != NULL && errlen > 0 ? errlen : sizeof scratch;
        rc = read_rates(api, config, "statutory_rates", &st->owned[0], &st->statutory, e, elen);
        if (rc == 0)
            rc = read_rates(api, config, "commercial_rates", &st->owned[1], &st->commercial, e,
                            elen);
        if (rc == 0 && api->view_type(config, "post_receipt_days") != BATON_VIEW_MISSING &&
            (api->view_int(config, "post_receipt_days", &days) != 0 || days < 0 || days > 10)) {
            snprintf(e, elen, "nl: config.post_receipt_days must be an integer from 0 to 10");
            rc = BATON_EINVAL;
        }
        if (rc != 0) {
            state_free(st);
            return rc;
        }
        st->post_receipt_days = (int)days;
    }
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
    .version = "1.0.0",
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
