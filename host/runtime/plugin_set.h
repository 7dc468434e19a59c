/*
 * plugin_set.h - a tenant's plugin instances, built from its config.
 *
 * A tenant's config lists its plugins as
 *   "plugins": [{"path": "gb-ew.so", "config": {...}}, ...]
 * Relative paths are resolved against the plugin directory. Each entry is
 * opened (plugin_loader.h) and initialised with its config; an entry that is
 * refused or whose init fails is reported through on_refusal and left out,
 * and the rest still loads: one bad plugin never takes the tenant's other
 * plugins, or other tenants, down with it.
 *
 * A set is immutable once loaded and may be read from several threads; call
 * counters are atomic.
 */
#ifndef BH_PLUGIN_SET_H
#define BH_PLUGIN_SET_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "baton/plugin.h"
#include "host_api.h"
#include "plugin_loader.h"

typedef struct bh_plugin_instance {
    bh_plugin *plugin;             /* owned */
    const baton_plugin *desc;      /* borrowed from plugin */
    void *state;                   /* from the plugin's init */
    struct baton_host host;        /* tenant and plugin names for log() */
    char *tenant;                  /* owned */
    atomic_uint_fast64_t calls;    /* capability calls made */
    atomic_uint_fast64_t failures; /* calls that returned an error */
} bh_plugin_instance;

typedef struct bh_plugin_set {
    char *tenant; /* owned */
    bh_plugin_instance **items;
    size_t count;
} bh_plugin_set;

/* Called once per refused plugin with one line of explanation. */
typedef void (*bh_refusal_fn)(void *ctx, const char *tenant, const char *path, const char *message);

/*
 * Loads plugins (a cJSON array as above, may be NULL) for tenant. Returns 0
 * and sets *out even when some plugins were refused (they were reported);
 * returns a negative code only when the list itself is malformed or memory
 * ran out, with the reason in err.
 */
int bh_plugin_set_load(const char *tenant, const cJSON *plugins, const char *plugin_dir,
                       bh_refusal_fn on_refusal, void *ctx, bh_plugin_set **out, char *err,
                       size_t errlen);
void bh_plugin_set_free(bh_plugin_set *s);

/* The instance whose scope is exactly scope ("jurisdiction:gb-ew"), or NULL. */
bh_plugin_instance *bh_plugin_set_find(const bh_plugin_set *s, const char *scope);

/* Scope kind of an instance: 1 jurisdiction, 2 agency, 0 other. */
int bh_plugin_scope_kind(const bh_plugin_instance *in);

#endif
