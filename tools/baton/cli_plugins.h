/*
 * cli_plugins.h - what the offline commands (evaluate, letter, plugin check)
 * share: reading JSON files, choosing and loading the plugins a command runs
 * with, writing output files.
 *
 * Which plugins an offline command uses, first match wins:
 *   1. every --plugin PATH[:CONFIG.json] given, in order;
 *   2. the "plugins" list of --tenant-config FILE (the same list a tenant has
 *      in batond's config: [{"path": ..., "config": {...}}]), so the offline
 *      answer is the one the API gives that tenant;
 *   3. the case's jurisdiction plugin (<plugin dir>/<jurisdiction>.so), plus
 *      --agency NAME (<plugin dir>/NAME.so) when given.
 * A PATH without '/' that does not exist as a file names a plugin in the
 * plugin dir ("gb-ew" is <plugin dir>/gb-ew.so). A plugin given without a
 * config uses <plugin>.json next to the .so when that file exists, else an
 * empty config. The plugin dir is --plugin-dir, else $BATON_PLUGIN_DIR, else
 * the build tree's plugins/ or the installed lib/baton/plugins next to this
 * executable. --isolated runs every plugin in a sandboxed worker, as batond
 * runs a tenant's uploads (entries with "isolated": true run there anyway).
 */
#ifndef BATON_CLI_PLUGINS_H
#define BATON_CLI_PLUGINS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "plugin_set.h"

typedef struct cli_plugins {
    cJSON *list;               /* [{"path","config"}] from --plugin, owned */
    const char *tenant_config; /* --tenant-config */
    const char *plugin_dir;    /* --plugin-dir */
    const char *agency;        /* --agency */
    int isolated;              /* --isolated: every plugin runs in a worker */
} cli_plugins;

/* The plugin options every offline command takes, for its getopt_long table. */
enum { CLI_OPT_PLUGIN = 0x1000, CLI_OPT_TENANT, CLI_OPT_AGENCY, CLI_OPT_DIR, CLI_OPT_ISOLATED };
#define CLI_PLUGIN_OPTIONS                                                                         \
    {"plugin", required_argument, NULL, CLI_OPT_PLUGIN},                                           \
        {"tenant-config", required_argument, NULL, CLI_OPT_TENANT},                                \
        {"agency", required_argument, NULL, CLI_OPT_AGENCY},                                       \
        {"plugin-dir", required_argument, NULL, CLI_OPT_DIR},                                      \
    {                                                                                              \
        "isolated", no_argument, NULL, CLI_OPT_ISOLATED                                            \
    }

/* Takes one of those options (opt is getopt's answer): 0, or a negative
 * code with err for a bad --plugin. */
int cli_plugins_option(cli_plugins *p, int opt, const char *arg, char *err, size_t errlen);

/* Adds one --plugin PATH[:CONFIG.json]; 0 or a negative code with err. */
int cli_plugins_add(cli_plugins *p, const char *spec, char *err, size_t errlen);

/* The plugin directory (see above) into buf. */
const char *cli_plugin_dir(const cli_plugins *p, char *buf, size_t len);

/*
 * Loads the plugin set for a case whose jurisdiction is jurisdiction (may be
 * NULL when a list is given). Refused plugins are reported on stderr, one
 * line each, and then fail the load (BATON_EPLUGIN, err naming the first
 * refusal): offline, a missing plugin would silently change the answer.
 * Returns 0 with *out (free with bh_plugin_set_free), or a negative code
 * with err.
 */
int cli_plugins_load(const cli_plugins *p, const char *jurisdiction, bh_plugin_set **out, char *err,
                     size_t errlen);

void cli_plugins_free(cli_plugins *p);

/* Reads a JSON file ("-" = stdin). Caller frees with cJSON_Delete. */
cJSON *cli_read_json(const char *path, char *err, size_t errlen);

/* Reads a whole file into a NUL-terminated buffer (caller frees). */
char *cli_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* Writes data to path ("-" = stdout), replacing it atomically. */
int cli_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen);

#endif
