/*
 * tenant.h - the tenant registry: every tenant with its kind, plugin set
 * and token hashes, built from one validated config.
 *
 * A registry is immutable once built and shared by every loop thread. It is
 * reference counted: each request holds a reference from its start to its
 * last byte, so a reload (SIGHUP) can build a new registry off to the side,
 * swap it in, and the old one (with its plugins) is freed only when the last
 * request that started under it has finished.
 *
 * Owns: the registry's memory, the tenants' plugin sets, the token table.
 * Does not own: reading config (config.h) or token files (auth.h) - it asks
 * them - nor the log policy: refusals go to the caller's callback.
 */
#ifndef BH_TENANT_H
#define BH_TENANT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "config.h"
#include "id_index.h"
#include "plugin_set.h"
#include "token_table.h"

typedef struct bh_tenant {
    const char *id;   /* borrowed from the registry's config */
    const char *name; /* borrowed */
    enum bh_tenant_kind kind;
    const bh_tenant_config *config; /* borrowed: signing keys, counterparts */
    /*
     * The plugins requests use: the configured ones plus the tenant's
     * activated uploads. Swapped whole under live_mu when an upload is
     * activated or rolled back; a request holds its own reference
     * (bh_tenant_plugins), so it finishes on the set it started with.
     */
    pthread_mutex_t live_mu;
    bh_plugin_set *live; /* one reference; never NULL */
    /* The tenant's isolated plugin calls in flight or queued, on every
     * loop (isolation_pool.h caps them). */
    atomic_uint plugin_calls;
} bh_tenant;

/* The tenant's current plugin set, with a new reference the caller drops
 * with bh_plugin_set_unref. Never NULL. */
bh_plugin_set *bh_tenant_plugins(const bh_tenant *t);

/*
 * Makes the uploaded plugin stored at path (its SHA-256 is sha256) the
 * tenant's active version for plugin name, isolated, with config (may be
 * NULL), replacing the active version of that name if any; path NULL
 * removes name's uploaded version and falls back to nothing (a configured
 * plugin of the same scope is never replaced: it is refused with
 * BATON_EEXIST). The plugin is loaded in a worker first (bh_plugin_probe):
 * a refusal leaves the set as it was. Blocking: call from the thread pool.
 * 0, or a negative code with one line in err.
 */
/*
 * Counts activations (bh_tenant_activate calls that changed a live set).
 * A registry build notes it before reading the catalogs; if it moved by the
 * swap, an activation may be missing from the new registry and the daemon
 * builds again.
 */
uint64_t bh_uploads_epoch(void);

int bh_tenant_activate(bh_tenant *t, const bh_isolation_limits *lim, const char *name,
                       const char *path, const char *sha256, const cJSON *config, char *err,
                       size_t errlen);

typedef struct bh_registry {
    atomic_uint refs;
    uint64_t generation; /* 1 for the first, +1 per reload */
    bh_config *config;   /* owned */
    bh_tenant *tenants;
    size_t count;
    bh_id_index ids;        /* tenant id -> index into tenants */
    bh_token_table tokens;  /* token hash -> index into tenants */
    unsigned refused;       /* plugins refused while building */
    uint64_t uploads_epoch; /* bh_uploads_epoch() when the build began */
    /* The in-process plugin instances its tenants share, which the next
     * build takes over where file and config are unchanged
     * (plugin_shared.h), and how this build filled it. */
    bh_shared_plugins *shared;
    bh_shared_plugins_stats shared_stats;
    struct bh_registry *retire_next; /* registry_retire.c's queue, after the last unref */
} bh_registry;

/* Receives one line per problem met while building (a refused plugin, an
 * unreadable token file). */
typedef void (*bh_registry_report_fn)(void *ctx, const char *tenant, const char *file,
                                      const char *message);

/*
 * Builds a registry from cfg, taking ownership of cfg (also on failure).
 * previous (may be NULL) is the registry in use: its in-process plugin
 * instances are taken over where file and config are unchanged, so only
 * what changed is opened and initialised again (plugin_shared.h).
 * Plugins that are refused are reported and left out; the registry still
 * builds. Fails (negative code, reason in err) only when memory runs out,
 * a token file is unreadable or malformed, or one token hash is held by
 * two tenants (BATON_EEXIST; err names both and where each hash came
 * from, never the hash). *out starts with one reference.
 *
 * Each plugin file is copied into the content store and load-checked once
 * per build, however many tenants use it (plugin_load_cache.h); an
 * in-process plugin is opened and initialised once per distinct file and
 * config, and that instance shared by the tenants using it; tenants'
 * state folders are not opened (tenant_state.h: on first use), only
 * looked for, to read the uploads they activated.
 */
int bh_registry_build(bh_config *cfg, uint64_t generation, bh_registry *previous,
                      bh_registry_report_fn report, void *ctx, bh_registry **out, char *err,
                      size_t errlen);

bh_registry *bh_registry_ref(bh_registry *r);
/* Drops a reference; the last one frees the registry and its plugins, or
 * hands it to the retire function when one is set. */
void bh_registry_unref(bh_registry *r);

/*
 * Who frees a registry whose last reference went: by default the thread
 * that drops it; batond hands it to its main loop (registry_retire.h), so
 * a request ending on a worker loop after a reload never waits for a large
 * registry to be freed. Set (or cleared, fn NULL) only while no other
 * thread holds a registry.
 */
typedef void (*bh_registry_retire_fn)(bh_registry *r, void *ctx);
void bh_registry_set_retire(bh_registry_retire_fn fn, void *ctx);

/* Frees r, whose references are all gone, and its plugins. */
void bh_registry_free(bh_registry *r);

/* The tenant with this id, or NULL. Constant time (a hash index). */
const bh_tenant *bh_registry_find(const bh_registry *r, const char *id);

/* The durable state of tenant id when the registry still holds it (opened
 * on first use, tenant_state.h); NULL when it is not a tenant here or its
 * state cannot be opened. */
struct bh_tenant_state *bh_registry_state(const bh_registry *r, const char *id);

/*
 * The current registry, swapped atomically. A holder takes a reference
 * under a short lock, so a reader never sees a registry being freed.
 */
typedef struct bh_registry_slot {
    pthread_mutex_t mu;
    bh_registry *current; /* holds one reference */
} bh_registry_slot;

void bh_registry_slot_init(bh_registry_slot *s, bh_registry *first);
/* A new reference to the current registry; release with bh_registry_unref. */
bh_registry *bh_registry_slot_acquire(bh_registry_slot *s);
/* Installs next (taking its reference) and drops the slot's reference to
 * the previous one. */
void bh_registry_slot_swap(bh_registry_slot *s, bh_registry *next);
/* Drops the slot's reference (at exit). */
void bh_registry_slot_clear(bh_registry_slot *s);

#endif
