/*
 * plugin_shared.h - in-process plugins opened and initialised once for all
 * the tenants whose entries name the same code with the same config.
 *
 * Ten thousand tenants configured alike would otherwise open the same file
 * and run its init ten thousand times, each building the same tables. A
 * bh_shared_plugin is the part of an in-process instance that is the same
 * for every tenant using it: the opened file, its descriptor, the state
 * its init returned, its info and what its load check ran under. What is a
 * tenant's own stays in the tenant's bh_plugin_instance (plugin_set.h):
 * call counters (so /metrics counts each tenant's calls), the tenant its
 * log lines name, the uploaded plugin's name.
 *
 * Sharing the state is sound because the SDK already makes it read-only
 * after init: capability functions may run concurrently on the same state
 * (baton/plugin.h). The host handle init receives names no tenant; a line
 * the plugin logs through it names the tenant whose call or init is running
 * on that thread (bh_host_calling_tenant, host_api.h). The lines init
 * logged are logged again, naming each tenant that takes the instance
 * after the first, so every tenant's log reads as if its own init had run.
 * An init that logs more than BH_SHARED_INIT_LOG_MAX lines, or longer
 * ones, is not shared (each tenant gets its own, as without sharing).
 *
 * Isolated plugins are never shared: each tenant's isolated instance has
 * its own worker processes (isolation_pool.h).
 *
 * A table (bh_shared_plugins) keys instances by (SHA-256 of the stored
 * file, config as JSON text). A registry build fills one and the registry
 * keeps it; the next build (a reload) takes from it every instance whose
 * key is unchanged, so a reload opens and initialises only the plugins
 * whose file or config changed. A table is filled by one build (one
 * thread) and only read after; lookups take its lock all the same.
 *
 * Owns: shared instances (refcounted; the last reference runs fini and
 * closes the file) and the tables. Does not own: copies and load checks
 * (plugin_load_cache.h), tenants' instances (plugin_set.h).
 */
#ifndef BH_PLUGIN_SHARED_H
#define BH_PLUGIN_SHARED_H

#include <stdatomic.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "baton/plugin.h"
#include "host_api.h"
#include "isolation.h"
#include "plugin_loader.h"

#define BH_SHARED_INIT_LOG_MAX   16
#define BH_SHARED_INIT_LOG_BYTES 1024

struct bh_init_log_line {
    enum baton_log_level level;
    char *msg; /* owned */
};

typedef struct bh_shared_plugin {
    atomic_uint refs;
    char sha256[65];          /* of the file that runs */
    char *path;               /* owned: the stored file that runs */
    char *config_json;        /* owned: the config as JSON text ("{}") */
    bh_plugin *plugin;        /* owned */
    const baton_plugin *desc; /* borrowed from plugin */
    void *state;              /* from the plugin's init */
    bh_plugin_info info;      /* owned; sandbox: what its load check ran under */
    struct baton_host host;   /* names no tenant: the calling one */
    /* What init logged, repeated for each later tenant. */
    struct bh_init_log_line init_log[BH_SHARED_INIT_LOG_MAX];
    size_t init_log_count;
    int unshareable; /* init logged too much to repeat it */
} bh_shared_plugin;

/*
 * Opens the stored plugin at path (its SHA-256 is sha256) and runs its init
 * with config (NULL: {}) for tenant, whose log lines name tenant. Takes
 * config_json (the same config as text, may be NULL: out of memory) in all
 * cases. 0 with *out (one reference), or a negative code with one line in
 * err naming path.
 */
int bh_shared_plugin_open(const char *tenant, const char *path, const char *sha256,
                          const cJSON *config, char *config_json, bh_shared_plugin **out, char *err,
                          size_t errlen);

bh_shared_plugin *bh_shared_plugin_ref(bh_shared_plugin *sp);
void bh_shared_plugin_unref(bh_shared_plugin *sp);

/* Logs again, naming tenant, the lines sp's init logged. */
void bh_shared_plugin_replay_init_log(const bh_shared_plugin *sp, const char *tenant);

typedef struct bh_shared_plugins bh_shared_plugins;

bh_shared_plugins *bh_shared_plugins_new(void);
/* Drops the table's references (instances in use live on). */
void bh_shared_plugins_free(bh_shared_plugins *t);

/*
 * The instance of (sha256, config_json) with a new reference: from t, or
 * else from previous (may be NULL; the instance is then added to t too).
 * NULL when neither holds one.
 */
bh_shared_plugin *bh_shared_plugins_find(bh_shared_plugins *t, bh_shared_plugins *previous,
                                         const char *sha256, const char *config_json);

/* Adds sp, just opened, to t (t takes its own reference), unless it is
 * unshareable (then only counted). 0, or BATON_ENOMEM (sp is then just
 * not shared). */
int bh_shared_plugins_add(bh_shared_plugins *t, bh_shared_plugin *sp);

/* What a table holds and how it was filled: instances it holds; of those,
 * opened by its build and taken over from the previous table; lookups it
 * answered; instances opened by its build that were not shareable. */
typedef struct bh_shared_plugins_stats {
    size_t count, opened, reused, hits, unshared;
} bh_shared_plugins_stats;
void bh_shared_plugins_stats_get(bh_shared_plugins *t, bh_shared_plugins_stats *out);

#endif
