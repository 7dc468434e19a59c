/*
 * host_api.h - the baton_host_api table batond hands to every plugin, and
 * the baton_host handle a plugin logs through.
 */
#ifndef BH_HOST_API_H
#define BH_HOST_API_H

#include "baton/plugin.h"

struct baton_host {
    const char *tenant; /* borrowed */
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

/* The table of SDK BATON_SDK_MAJOR.BATON_SDK_MINOR; static, never freed. */
const baton_host_api *bh_host_api(void);

#endif
