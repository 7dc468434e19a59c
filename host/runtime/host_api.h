/*
 * host_api.h - the baton_host_api table batond hands to every plugin, and
 * the baton_host handle a plugin logs through.
 */
#ifndef BH_HOST_API_H
#define BH_HOST_API_H

#include "baton/plugin.h"

/*
 * The handle a plugin's init receives and logs through. A handle whose
 * tenant is NULL belongs to an instance shared by several tenants
 * (plugin_shared.h): its lines name the tenant whose call (or init) is
 * running on this thread, bh_host_calling_tenant's.
 */
struct baton_host {
    const char *tenant; /* borrowed; NULL: the calling tenant */
    const char *plugin; /* borrowed */
};

/* Receives plugin log lines; set once at start by the daemon (the default
 * writes nothing). */
typedef void (*bh_plugin_log_sink)(const char *tenant, const char *plugin,
                                   enum baton_log_level level, const char *msg);
void bh_host_api_set_log_sink(bh_plugin_log_sink sink);
/* Sends one plugin log line to the sink (the log lines isolated workers
 * send back arrive here). */
void bh_host_log(const char *tenant, const char *plugin, enum baton_log_level level,
                 const char *msg);

/*
 * The tenant an in-process plugin works for on this thread, set around
 * each of its calls and its init (NULL when none); returns the previous
 * one, to restore after.
 */
const char *bh_host_calling_tenant(const char *tenant);

/* Receives the lines a plugin logs on this thread while it is set (as well
 * as the sink): what a shared instance's init wrote, repeated for each
 * tenant that shares it (plugin_shared.h). */
typedef void (*bh_plugin_log_tap)(void *ctx, enum baton_log_level level, const char *msg);
void bh_host_log_tap(bh_plugin_log_tap tap, void *ctx);

/* The table of SDK BATON_SDK_MAJOR.BATON_SDK_MINOR; static, never freed. */
const baton_host_api *bh_host_api(void);

#endif
