/*
 * plugin.c - the northwind plugin's descriptor, lifecycle and config.
 *
 * Owns: the descriptor, init/fini and the per-tenant config (all members
 * optional; defaults in brackets):
 *
 *   "name", "phone", "email", "registration"   letterhead text
 *   "address": {"lines": [...], "city", "postcode"}
 *   "commission": [{"max_age_days": 90 | null, "pre_legal_bp", "legal_bp"}]
 *        ascending by max_age_days, the last row null (any age)
 *        [<=90 days 8%/12%, <=365 days 12%/18%, older 18%/25%]
 *   "min_net_recovery":   money, below which suing is not worth it [250.00]
 *   "min_net_pre_legal":  money, below which collecting is not worth it [50.00]
 *   "legal_fee":          money, the panel solicitor's fee per claim [0.00]
 *   "pre_legal_factor_bp": pre-legal recovery relative to legal [6000]
 *
 * Money thresholds are applied in minor units of the claim's currency.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "northwind.h"

static void copy_str(const baton_host_api *api, const baton_view *cfg, const char *path, char *dst,
                     size_t len, const char *dflt)
{
    const char *s;
    if (cfg != NULL && api->view_string(cfg, path, &s) == 0)
        snprintf(dst, len, "%s", s);
    else
        snprintf(dst, len, "%s", dflt);
}

static int money_minor(const baton_host_api *api, const baton_view *cfg, const char *path,
                       int64_t *out, char *err, size_t errlen)
{
    baton_money m;
    if (cfg == NULL || api->view_type(cfg, path) == BATON_VIEW_MISSING)
        return 0;
    if (api->view_money(cfg, path, &m) != 0 || m.minor < 0) {
        snprintf(err, errlen, "config.%s: expected {\"amount\": \"250.00\", \"currency\": \"GBP\"}",
                 path);
        return BATON_EINVAL;
    }
    *out = m.minor;
    return 0;
}

static int load_commission(const baton_host_api *api, const baton_view *cfg, nw_state *st,
                           char *err, size_t errlen)
{
    static const nw_commission_row dflt[] = {{90, 800, 1200}, {365, 1200, 1800}, {-1, 1800, 2500}};
    size_t n = 0;

    if (cfg == NULL || api->view_type(cfg, "commission") == BATON_VIEW_MISSING) {
        memcpy(st->commission, dflt, sizeof dflt);
        st->n_commission = sizeof dflt / sizeof dflt[0];
        return 0;
    }
    if (api->view_type(cfg, "commission") != BATON_VIEW_ARRAY ||
        api->view_count(cfg, "commission", &n) != 0 || n == 0 || n > NW_MAX_COMMISSION_ROWS) {
        snprintf(err, errlen,
                 "config.commission: expected 1 to %d rows of {max_age_days, "
                 "pre_legal_bp, legal_bp}",
                 NW_MAX_COMMISSION_ROWS);
        return BATON_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        char path[64];
        int64_t v;
        nw_commission_row *r = &st->commission[i];
        snprintf(path, sizeof path, "commission[%zu].max_age_days", i);
        if (api->view_type(cfg, path) == BATON_VIEW_NULL) {
            r->max_age_days = -1;
        } else if (api->view_int(cfg, path, &v) == 0 && v >= 0) {
            r->max_age_days = v;
        } else {
            snprintf(err, errlen, "config.%s: expected a number of days or null", path);
            return BATON_EINVAL;
        }
        if (i > 0 &&
            (st->commission[i - 1].max_age_days < 0 ||
             (r->max_age_days >= 0 && r->max_age_days <= st->commission[i - 1].max_age_days))) {
            snprintf(err, errlen, "config.%s: rows must ascend, and only the last may be null",
                     path);
            return BATON_EINVAL;
        }
        snprintf(path, sizeof path, "commission[%zu].pre_legal_bp", i);
        if (api->view_int(cfg, path, &v) != 0 || v < 0 || v > 10000) {
            snprintf(err, errlen, "config.%s: expected basis points 0..10000", path);
            return BATON_EINVAL;
        }
        r->pre_legal_bp = (int32_t)v;
        snprintf(path, sizeof path, "commission[%zu].legal_bp", i);
        if (api->view_int(cfg, path, &v) != 0 || v < 0 || v > 10000) {
            snprintf(err, errlen, "config.%s: expected basis points 0..10000", path);
            return BATON_EINVAL;
        }
        r->legal_bp = (int32_t)v;
    }
    st->n_commission = n;
    return 0;
}

static void load_address(const baton_host_api *api, const baton_view *cfg, nw_state *st)
{
    size_t n = 0, used;
    const char *s;
    if (cfg == NULL || api->view_type(cfg, "address") != BATON_VIEW_OBJECT) {
        snprintf(st->address, sizeof st->address,
                 "Quayside House, 12 Sandhill\nNewcastle upon "
                 "Tyne\nNE1 3JF");
        return;
    }
    st->address[0] = '\0';
    api->view_count(cfg, "address.lines", &n);
    for (size_t i = 0; i < n && i < 4; i++) {
        char path[48];
        snprintf(path, sizeof path, "address.lines[%zu]", i);
        if (api->view_string(cfg, path, &s) == 0) {
            used = strlen(st->address);
            snprintf(st->address + used, sizeof st->address - used, "%s%s", used ? "\n" : "", s);
        }
    }
    if (api->view_string(cfg, "address.city", &s) == 0) {
        used = strlen(st->address);
        snprintf(st->address + used, sizeof st->address - used, "%s%s", used ? "\n" : "", s);
    }
    if (api->view_string(cfg, "address.postcode", &s) == 0) {
        used = strlen(st->address);
        snprintf(st->address + used, sizeof st->address - used, "%s%s", used ? "\n" : "", s);
    }
}

static void nw_fini(void *state)
{
    free(state);
}

static int nw_init(const baton_host_api *api, baton_host *host, const baton_view *cfg, void **state,
                   char *err, size_t errlen)
{
    nw_state *st;
    int64_t v;
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
    st->min_net_legal_minor = 25000;
    st->min_net_pre_legal_minor = 5000;
    st->legal_fee_minor = 0;
    st->pre_legal_factor_bp = 6000;
    copy_str(api, cfg, "name", st->name, sizeof st->name, "Northwind Credit Management Ltd");
    copy_str(api, cfg, "phone", st->phone, sizeof st->phone, "0191 496 0000");
    copy_str(api, cfg, "email", st->email, sizeof st->email, "collections@northwind.example");
    copy_str(api, cfg, "registration", st->registration, sizeof st->registration,
             "Authorised and regulated by the Financial Conduct Authority");
    load_address(api, cfg, st);

    if ((rc = load_commission(api, cfg, st, err, errlen)) != 0 ||
        (rc = money_minor(api, cfg, "min_net_recovery", &st->min_net_legal_minor, err, errlen)) !=
            0 ||
        (rc = money_minor(api, cfg, "min_net_pre_legal", &st->min_net_pre_legal_minor, err,
                          errlen)) != 0 ||
        (rc = money_minor(api, cfg, "legal_fee", &st->legal_fee_minor, err, errlen)) != 0)
        goto fail;
    if (cfg != NULL && api->view_type(cfg, "pre_legal_factor_bp") != BATON_VIEW_MISSING) {
        if (api->view_int(cfg, "pre_legal_factor_bp", &v) != 0 || v < 0 || v > 10000) {
            snprintf(err, errlen, "config.pre_legal_factor_bp: expected basis points 0..10000");
            rc = BATON_EINVAL;
            goto fail;
        }
        st->pre_legal_factor_bp = (int32_t)v;
    }
    *state = st;
    return 0;
fail:
    nw_fini(st);
    return rc;
}

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = nw_fees,
};

static const baton_letter_formats letter_formats = {
    .struct_size = sizeof(baton_letter_formats),
    .kinds = nw_letter_kinds,
    .render = nw_render,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "northwind",
    .version = "1.0.0",
    .scope = "agency:northwind",
    .init = nw_init,
    .fini = nw_fini,
    .filing_rules = NULL,
    .fee_schedule = &fee_schedule,
    .letter_formats = &letter_formats,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
