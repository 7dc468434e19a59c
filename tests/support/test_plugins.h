/*
 * test_plugins.h - how the runtime tests load plugins.
 *
 * With BATON_TEST_ISOLATED=1 in the environment every plugin runs in a
 * sandboxed worker instead of in process, so each plugin test runs once in
 * each mode (ctest registers both) and proves the two give the same
 * answers.
 */
#ifndef BATON_TEST_PLUGINS_H
#define BATON_TEST_PLUGINS_H

#include <stdlib.h>
#include <string.h>

#include "plugin_set.h"

static inline int test_plugins_isolated(void)
{
    const char *v = getenv("BATON_TEST_ISOLATED");
    return v != NULL && strcmp(v, "1") == 0;
}

static inline int test_plugin_set_load(const char *tenant, const cJSON *plugins,
                                       const char *plugin_dir, bh_refusal_fn on_refusal, void *ctx,
                                       bh_plugin_set **out, char *err, size_t errlen)
{
    bh_isolation_limits limits;
    bh_isolation_limits_default(&limits);
    limits.call_timeout_ms = 10000;
    bh_plugin_load_opts o = {
        .plugin_dir = plugin_dir,
        .limits = &limits,
        .force_isolated = test_plugins_isolated(),
        .on_refusal = on_refusal,
        .ctx = ctx,
    };
    return bh_plugin_set_load(tenant, plugins, &o, out, err, errlen);
}

#endif
