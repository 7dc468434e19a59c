/*
 * plugin_set.h - a tenant's plugin instances, built from its config.
 *
 * A tenant's config lists its plugins as
 *   "plugins": [{"path": "gb-ew.so", "config": {...}, "isolated": false}, ...]
 * Relative paths are resolved against the plugin directory. Each file is
 * first copied into the content store (plugin_store.h) and loaded from
 * there, so the answer can name the SHA-256 of the code that ran and a
 * replaced .so is new code on the next load.
 *
 * Two modes, same .so:
 *   in_process  dlopened into the host; capability functions are called
 *               directly (trusted operator plugins; fastest). When the load
 *               options ask for it, the plugin is loaded in a throwaway
 *               worker first (bh_plugin_probe), so a plugin that is refused,
 *               or whose constructors or init crash, never runs in the host.
 *               Opened and initialised once for all tenants whose entries
 *               have the same file and config when the options give a
 *               table (plugin_shared.h).
 *   isolated    never dlopened by the host: calls go to worker processes
 *               (isolation_pool.h), spawned on demand per event loop.
 *
 * An entry that is refused or whose init fails is reported through
 * on_refusal and left out, and the rest still loads: one bad plugin never
 * takes the tenant's other plugins, or other tenants, down with it.
 *
 * Sets and instances are reference counted and immutable once built (call
 * counters are atomic); a set may be read from several threads. A tenant's
 * live set is replaced whole (tenant.h), never changed in place.
 */
#ifndef BH_PLUGIN_SET_H
#define BH_PLUGIN_SET_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "baton/plugin.h"
#include "host_api.h"
#include "isolation.h"
#include "plugin_load_cache.h"
#include "plugin_loader.h"
#include "plugin_shared.h"

enum bh_plugin_mode {
    BH_MODE_IN_PROCESS = 1,
    BH_MODE_ISOLATED = 2,
};

/*
 * A tenant's instance of a plugin. In process, the code, its state and its
 * info are a bh_plugin_shared that other tenants configured alike may use
 * too (plugin_shared.h); the instance holds what is the tenant's own: its
 * name for log lines, its call counters, its upload. Isolated, the instance
 * is the tenant's alone, with its own workers.
 */
struct bh_plugin_answer_text;

typedef struct bh_plugin_instance {
    atomic_uint refs;
    enum bh_plugin_mode mode;
    /* In process, info, path and config_json are borrowed from shared;
     * isolated, owned. */
    bh_plugin_info info; /* name, version, scope, SDK, capabilities */
    char sha256[65];     /* of the file that runs */
    char *path;          /* the stored file that runs */
    char *tenant;        /* owned */
    char *config_json;   /* the per-plugin config as JSON text ("{}") */
    char *upload;        /* owned: the uploaded plugin's name, NULL if configured */
    /* in process */
    bh_shared_plugin *shared; /* one reference */
    const baton_plugin *desc; /* borrowed from shared */
    void *state;              /* borrowed from shared: its init's */
    /* isolated */
    bh_isolation_limits limits;    /* worker_path points into worker_path */
    char *worker_path;             /* owned, may be NULL */
    atomic_uint pool_refs;         /* of refs, those held by worker pools */
    atomic_uint_fast64_t calls;    /* capability calls made */
    atomic_uint_fast64_t failures; /* calls that returned an error */
    atomic_uint_fast64_t crashes;  /* isolated calls whose worker failed */
    atomic_uint_fast64_t timeouts; /* isolated calls past their deadline */
    /* This plugin's member of an answer's "plugins" list, the same for
     * every answer: written by the first evaluation that ran it
     * (evaluate.c) and kept; owned, NULL until then. */
    _Atomic(struct bh_plugin_answer_text *) answer_text;
} bh_plugin_instance;

typedef struct bh_plugin_set {
    atomic_uint refs;
    char *tenant;               /* owned */
    bh_plugin_instance **items; /* one reference each */
    size_t count;
} bh_plugin_set;

/* Called once per refused plugin with one line of explanation. */
typedef void (*bh_refusal_fn)(void *ctx, const char *tenant, const char *path, const char *message);

/* How to load a set. */
typedef struct bh_plugin_load_opts {
    const char *plugin_dir; /* relative paths resolve here; may be NULL */
    const char *store_dir;  /* content store; NULL: run files where they are */
    const bh_isolation_limits *limits;
    int probe;                   /* load in-process plugins in a worker first */
    int force_isolated;          /* run every plugin isolated (baton --isolated) */
    bh_plugin_load_cache *cache; /* copies and load checks shared by one build; may be NULL */
    /* In-process instances shared by one build's tenants, and the previous
     * build's to take over (plugin_shared.h); each may be NULL. */
    bh_shared_plugins *shared;
    bh_shared_plugins *reuse;
    bh_refusal_fn on_refusal;
    void *ctx;
    /* The file the list came from (a tenant file), named with the entry's
     * field in each refusal: "FILE: plugins[1].path: plugin ... refused:
     * ..."; may be NULL. */
    const char *source;
} bh_plugin_load_opts;

/*
 * Loads plugins (a cJSON array as above, may be NULL) for tenant. Returns 0
 * and sets *out (one reference) even when some plugins were refused (they
 * were reported); returns a negative code only when the list itself is
 * malformed or memory ran out, with the reason in err.
 */
int bh_plugin_set_load(const char *tenant, const cJSON *plugins, const bh_plugin_load_opts *o,
                       bh_plugin_set **out, char *err, size_t errlen);

/* The same, with each entry's config already printed as JSON text
 * (config_texts[i] for plugins[i]; NULL: printed here), the text the
 * instance keeps and is keyed by. */
int bh_plugin_set_load_texts(const char *tenant, const cJSON *plugins,
                             const char *const *config_texts, const bh_plugin_load_opts *o,
                             bh_plugin_set **out, char *err, size_t errlen);

/*
 * An isolated instance of the stored plugin at path (SHA-256 sha256) for
 * tenant, checked in a worker first. upload names the uploaded plugin (NULL
 * for a configured one). 0 with *out (one reference), or a negative code
 * with one line in err.
 */
int bh_plugin_instance_isolated(const char *tenant, const char *path, const char *sha256,
                                const cJSON *config, const char *upload,
                                const bh_isolation_limits *lim, bh_plugin_load_cache *cache,
                                bh_plugin_instance **out, char *err, size_t errlen);

bh_plugin_instance *bh_plugin_instance_ref(bh_plugin_instance *in);
void bh_plugin_instance_unref(bh_plugin_instance *in);

/* A new set holding a reference to each of the count items (copied list). */
bh_plugin_set *bh_plugin_set_new(const char *tenant, bh_plugin_instance *const *items,
                                 size_t count);
bh_plugin_set *bh_plugin_set_ref(bh_plugin_set *s);
void bh_plugin_set_unref(bh_plugin_set *s);

/* The instance whose scope is exactly scope ("jurisdiction:gb-ew"), or NULL. */
bh_plugin_instance *bh_plugin_set_find(const bh_plugin_set *s, const char *scope);

/* Scope kind of an instance: 1 jurisdiction, 2 agency, 0 other. */
int bh_plugin_scope_kind(const bh_plugin_instance *in);

/* "in_process" / "isolated". */
const char *bh_plugin_mode_name(enum bh_plugin_mode m);

/* 1 when the set holds an isolated instance. */
int bh_plugin_set_has_isolated(const bh_plugin_set *s);

#endif
