/*
 * fee_config.c - a tenant's own version of the county court issue fee
 * table (fee 1.1), read from the plugin config.
 *
 * Owns: parsing and checking params.issue_fee and the memory of the table
 * it builds. Does not own: the shipped table (params.c) or applying it
 * (fees.c). Shape (docs/plugins/gb-ew.md):
 *
 *   {"params": {"issue_fee": {"version": "tenant-2027-04", "horizon": "2027-12-31",
 *     "values": [{"from": "2027-04-01", "basis": "S.I. 2027/...",
 *                 "bands": [{"up_to_minor": 30000, "fee_minor": 3500}, ...,
 *                           {"up_to_minor": 20000000, "percent_bp": 500},
 *                           {"up_to_minor": null, "fee_minor": 1000000}]}]}}}
 *
 * Bands ascend by up_to_minor ("does not exceed", inclusive); the last one
 * has up_to_minor null (unlimited). A band charges a fixed fee_minor or
 * percent_bp of the claim value rounded down to the penny. A tenant uses
 * it when a fee order changes before the plugin is updated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "gb_ew.h"

#define MAX_VERSIONS 32
#define MAX_BANDS    64

typedef struct owned_fee_table {
    bpc_dated_table table; /* first: the pointer handed out is the allocation */
    bpc_dated_value values[MAX_VERSIONS];
    gbew_fee_table versions[MAX_VERSIONS];
    gbew_fee_band bands[MAX_VERSIONS][MAX_BANDS];
    char *strings[2 + MAX_VERSIONS]; /* version, source, each basis */
} owned_fee_table;

void gbew_fee_config_free(bpc_dated_table *t)
{
    owned_fee_table *o = (owned_fee_table *)t;
    if (o == NULL)
        return;
    for (size_t i = 0; i < sizeof o->strings / sizeof o->strings[0]; i++)
        free(o->strings[i]);
    free(o);
}

/* The string at path, or dflt when absent; NULL with err when malformed. */
static int read_string(const baton_host_api *api, const baton_view *cfg, const char *path,
                       const char *dflt, char **out, char *err, size_t errlen)
{
    const char *s = dflt;
    if (api->view_type(cfg, path) != BATON_VIEW_MISSING &&
        (api->view_string(cfg, path, &s) != 0 || s[0] == '\0' || strlen(s) > 300)) {
        snprintf(err, errlen, "config.%s: must be a string of 1 to 300 bytes", path);
        return BATON_EINVAL;
    }
    if (s == NULL) {
        snprintf(err, errlen, "config.%s: is required", path);
        return BATON_EINVAL;
    }
    if ((*out = strdup(s)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    return 0;
}

static int read_bands(const baton_host_api *api, const baton_view *cfg, size_t vi,
                      owned_fee_table *o, char *err, size_t errlen)
{
    char path[128];
    size_t n = 0;

    BPC_PATH_AT(path, sizeof path, "params.issue_fee.values", vi, ".bands");
    if (api->view_type(cfg, path) != BATON_VIEW_ARRAY || api->view_count(cfg, path, &n) != 0 ||
        n == 0 || n > MAX_BANDS) {
        snprintf(err, errlen, "config.%s: must be an array of 1 to %d bands", path, MAX_BANDS);
        return BATON_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        gbew_fee_band *b = &o->bands[vi][i];
        int64_t v;
        snprintf(path, sizeof path, "params.issue_fee.values[%zu].bands[%zu].up_to_minor", vi, i);
        if (i == n - 1) {
            if (api->view_type(cfg, path) != BATON_VIEW_NULL) {
                snprintf(err, errlen, "config.%s: the last band must be null (unlimited)", path);
                return BATON_EINVAL;
            }
            b->upper_minor = INT64_MAX;
        } else if (api->view_int(cfg, path, &v) != 0 || v <= 0 ||
                   (i > 0 && v <= o->bands[vi][i - 1].upper_minor)) {
            snprintf(err, errlen, "config.%s: must be a positive integer above the band before",
                     path);
            return BATON_EINVAL;
        } else {
            b->upper_minor = v;
        }
        snprintf(path, sizeof path, "params.issue_fee.values[%zu].bands[%zu].fee_minor", vi, i);
        if (api->view_int(cfg, path, &v) == 0 && v >= 0 && v <= INT64_C(100000000)) {
            b->kind = GBEW_BAND_FIXED;
            b->value = v;
            continue;
        }
        snprintf(path, sizeof path, "params.issue_fee.values[%zu].bands[%zu].percent_bp", vi, i);
        if (api->view_int(cfg, path, &v) == 0 && v >= 0 && v <= 10000) {
            b->kind = GBEW_BAND_PERCENT_FLOOR;
            b->value = v;
            continue;
        }
        snprintf(err, errlen,
                 "config.params.issue_fee.values[%zu].bands[%zu]: needs fee_minor (0 to "
                 "100000000) or percent_bp (0 to 10000)",
                 vi, i);
        return BATON_EINVAL;
    }
    o->versions[vi].bands = o->bands[vi];
    o->versions[vi].n_bands = n;
    return 0;
}

int gbew_fee_config_read(const baton_host_api *api, const baton_view *cfg, bpc_dated_table **out,
                         char *err, size_t errlen)
{
    owned_fee_table *o;
    char path[128];
    size_t n = 0;
    int rc = BATON_EINVAL;

    *out = NULL;
    if (cfg == NULL || api->view_type(cfg, "params.issue_fee") == BATON_VIEW_MISSING)
        return 0;
    if (api->view_type(cfg, "params.issue_fee") != BATON_VIEW_OBJECT) {
        snprintf(err, errlen, "config.params.issue_fee: must be an object {version, values}");
        return BATON_EINVAL;
    }
    if ((o = calloc(1, sizeof *o)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    if ((rc = read_string(api, cfg, "params.issue_fee.version", NULL, &o->strings[0], err,
                          errlen)) != 0 ||
        (rc = read_string(api, cfg, "params.issue_fee.source", "tenant plugin config",
                          &o->strings[1], err, errlen)) != 0)
        goto fail;
    rc = BATON_EINVAL;
    if (api->view_type(cfg, "params.issue_fee.values") != BATON_VIEW_ARRAY ||
        api->view_count(cfg, "params.issue_fee.values", &n) != 0 || n == 0 || n > MAX_VERSIONS) {
        snprintf(err, errlen,
                 "config.params.issue_fee.values: must be an array of 1 to %d "
                 "versions",
                 MAX_VERSIONS);
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        BPC_PATH_AT(path, sizeof path, "params.issue_fee.values", i, ".from");
        if (api->view_date(cfg, path, &o->values[i].from) != 0) {
            snprintf(err, errlen, "config.%s: must be a date YYYY-MM-DD", path);
            goto fail;
        }
        if (i > 0 && baton_date_cmp(o->values[i - 1].from, o->values[i].from) >= 0) {
            snprintf(err, errlen, "config.%s: dates must be strictly ascending", path);
            goto fail;
        }
        BPC_PATH_AT(path, sizeof path, "params.issue_fee.values", i, ".basis");
        if ((rc = read_string(api, cfg, path, "tenant plugin config (params.issue_fee)",
                              &o->strings[2 + i], err, errlen)) != 0 ||
            (rc = read_bands(api, cfg, i, o, err, errlen)) != 0)
            goto fail;
        rc = BATON_EINVAL;
        o->versions[i].basis = o->strings[2 + i];
        o->values[i].data = &o->versions[i];
    }
    o->table.name = gbew_issue_fee_table.name;
    o->table.version = o->strings[0];
    o->table.source = o->strings[1];
    o->table.values = o->values;
    o->table.n = n;
    o->table.horizon = o->values[n - 1].from;
    if (api->view_type(cfg, "params.issue_fee.horizon") != BATON_VIEW_MISSING &&
        api->view_date(cfg, "params.issue_fee.horizon", &o->table.horizon) != 0) {
        snprintf(err, errlen, "config.params.issue_fee.horizon: must be a date YYYY-MM-DD");
        goto fail;
    }
    *out = &o->table;
    return 0;
fail:
    gbew_fee_config_free(&o->table);
    return rc;
}
