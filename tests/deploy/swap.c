/*
 * swap.c - a small agency plugin for the deploy tests (CMakeLists.txt
 * builds its variants): scope agency:eastgate, a fee schedule that adds
 * one commission line naming the plugin's version, so an evaluation shows
 * which build answered it.
 */
#include <stddef.h>
#include <stdio.h>

#include "baton/plugin.h"

#ifndef SWAP_VERSION
#define SWAP_VERSION "1.0.0"
#endif

#if defined(SWAP_CRASH)
#define SWAP_NAME "eastgate-crash"
#elif defined(SWAP_ERROR)
#define SWAP_NAME "eastgate-error"
#else
#define SWAP_NAME "eastgate-fees"
#endif

struct swap {
    const baton_host_api *api;
};

static struct swap the_state;

static int swap_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                     void **state, char *err, size_t errlen)
{
    (void)host;
    (void)config;
    (void)err;
    (void)errlen;
    the_state.api = api;
    *state = &the_state;
    return 0;
}

static void swap_fini(void *state)
{
    (void)state;
}

static int swap_fees(void *state, const baton_view *c, baton_result *out)
{
    const struct swap *s = state;
    baton_money principal;
#if defined(SWAP_CRASH)
    volatile int *nowhere = NULL;
    (void)s;
    (void)c;
    (void)out;
    (void)principal;
    return *nowhere;
#elif defined(SWAP_ERROR)
    (void)s;
    (void)c;
    (void)out;
    (void)principal;
    return BATON_EPLUGIN;
#else
    int rc = s->api->view_money(c, "claim.principal", &principal);
    if (rc != 0)
        return rc;
    return s->api->result_line_item(out, "commission", "Eastgate commission v" SWAP_VERSION,
                                    baton_money_make(100, principal.currency),
                                    "eastgate-fees " SWAP_VERSION);
#endif
}

static const baton_fee_schedule fees = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = swap_fees,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER, .name = SWAP_NAME, .version = SWAP_VERSION, .scope = "agency:eastgate",
    .init = swap_init,   .fini = swap_fini, .fee_schedule = &fees,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
