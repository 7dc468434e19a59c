/*
 * plugin.c - the us-ca plugin's descriptor, entry point and instance state.
 *
 * Owns: init/fini and the capability tables. Does not own: any rule or
 * figure (rules.c, fees.c, tables.c) or letter text (validation_notice.c).
 */
#include <stdlib.h>
#include <string.h>

#include "us_ca.h"

static int init(const baton_host_api *api, baton_host *host, const baton_view *config, void **state,
                char *err, size_t errlen)
{
    (void)config; /* the plugin has no per-tenant settings yet */
    usca_state *st;

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
    *state = st;
    return 0;
}

static void fini(void *state)
{
    free(state);
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
    .version = "1.0.0",
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
