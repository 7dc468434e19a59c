/*
 * plugin.c - the us-ca plugin's descriptor, entry point and instance state.
 *
 * Owns: init/fini and the capability tables. Does not own: any rule or
 * figure (rules.c, fees.c, tables.c) or letter text (validation_notice.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "us_ca.h"

static void fini(void *state);

/*
 * The tenant's overrides of the limit tables (docs/plugins/us-ca.md):
 * params.<name> = {"version", "values": [{"from", "amount_minor"}], ...}.
 */
static int read_limits(const baton_host_api *api, const baton_view *config, usca_state *st,
                       char *err, size_t errlen)
{
    static const bpc_dated_table *const shipped[3] = {
        &usca_small_claims_natural, &usca_small_claims_entity, &usca_limited_civil};
    const bpc_dated_table **in_force[3] = {&st->small_claims_natural, &st->small_claims_entity,
                                           &st->limited_civil};
    char path[96];

    for (int i = 0; i < 3; i++) {
        int rc;
        *in_force[i] = shipped[i];
        snprintf(path, sizeof path, "params.%s", shipped[i]->name);
        rc = bpc_dated_table_from_config(api, config, path, "amount_minor", shipped[i], &st->own[i],
                                         err, errlen);
        if (rc != 0)
            return rc;
        if (st->own[i] != NULL)
            *in_force[i] = st->own[i];
    }
    return 0;
}

static int init(const baton_host_api *api, baton_host *host, const baton_view *config, void **state,
                char *err, size_t errlen)
{
    usca_state *st;
    int rc;

    if (api == NULL || state == NULL)
        return BATON_EINVAL;
    if (api->sdk_major != BATON_SDK_MAJOR) {
        if (err != NULL && errlen > 0)
            strncpy(err, "us-ca: host SDK major differs", errlen - 1);
        return BATON_EVERSION;
    }
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        if (err != NULL && errlen > 0)
            strncpy(err, "us-ca: out of memory", errlen - 1);
        return BATON_ENOMEM;
    }
    st->api = api;
    st->host = host;
    rc = read_limits(api, config, st, err, errlen);
    if (rc != 0) {
        fini(st);
        return rc;
    }
    *state = st;
    return 0;
}

static void fini(void *state)
{
    usca_state *st = state;
    if (st == NULL)
        return;
    for (int i = 0; i < 3; i++)
        bpc_dated_table_free(st->own[i]);
    free(st);
}

static const baton_filing_rules filing_rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = usca_filing_rules,
};

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = usca_fees,
};

static const char *const letter_kinds[] = {"validation_notice", NULL};

static const baton_letter_formats letter_formats = {
    .struct_size = sizeof(baton_letter_formats),
    .kinds = letter_kinds,
    .render = usca_render,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "us-ca",
    .version = "1.1.0",
    .scope = "jurisdiction:us-ca",
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
