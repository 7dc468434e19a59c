/*
 * plugin.c - the us-ny plugin's descriptor, entry point and instance state.
 *
 * Owns: init/fini (the court calendars are built per instance) and the
 * capability tables. Does not own: any rule or figure (rules.c, fees.c,
 * params.c) or letter text (validation_notice.c). The plugin has no
 * per-tenant settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "us_ny.h"

static int init(const baton_host_api *api, baton_host *host, const baton_view *config, void **state,
                char *err, size_t errlen)
{
    (void)config;
    usny_state *st;

    if (api == NULL || state == NULL)
        return BATON_EINVAL;
    if (api->sdk_major != BATON_SDK_MAJOR) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "us-ny: host SDK major differs");
        return BATON_EVERSION;
    }
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "us-ny: out of memory");
        return BATON_ENOMEM;
    }
    st->api = api;
    st->host = host;
    usny_calendars_build(st);
    if (bpc_calendar_check(&st->ny) != 0 || bpc_calendar_check(&st->us) != 0 ||
        bpc_dated_check(&usny_limits_table) != 0 || bpc_dated_check(&usny_fees_table) != 0 ||
        bpc_dated_check(&usny_judgment_rate_consumer) != 0) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "us-ny: a built-in table is malformed");
        free(st);
        return BATON_EINVAL;
    }
    *state = st;
    return 0;
}

static void fini(void *state)
{
    free(state);
}

static const baton_filing_rules filing_rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = usny_filing_rules,
};

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = usny_fees,
};

static const char *const letter_kinds[] = {"validation_notice", NULL};

static const baton_letter_formats letter_formats = {
    .struct_size = sizeof(baton_letter_formats),
    .kinds = letter_kinds,
    .render = usny_render,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "us-ny",
    .version = "1.0.0",
    .scope = "jurisdiction:us-ny",
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
