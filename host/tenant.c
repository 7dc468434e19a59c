/*
 * tenant.c - the tenant registry and its atomic swap (see tenant.h).
 */
#include "tenant.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "plugin_catalog.h"
#include "tenant_state.h"

struct refusal_ctx {
    bh_registry_report_fn report;
    void *ctx;
    unsigned count;
};

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    struct refusal_ctx *rc = ctx;
    rc->count++;
    if (rc->report != NULL)
        rc->report(rc->ctx, tenant, path, message);
}

void bh_registry_free(bh_registry *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->count; i++) {
        bh_plugin_set_unref(r->tenants[i].live);
        pthread_mutex_destroy(&r->tenants[i].live_mu);
    }
    free(r->tenants);
    bh_id_index_free(&r->ids);
    bh_token_table_free(&r->tokens);
    bh_shared_plugins_free(r->shared);
    bh_config_free(r->config);
    free(r);
    /* A registry of ten thousand tenants is a hundred MiB or more, built
     * on a thread-pool thread (its own malloc arena). glibc keeps what is
     * freed in the arena, so without a trim each reload would leave the
     * previous registry's pages resident, up to one per arena. Once per
     * reload; it walks the arenas (milliseconds). */
    malloc_trim(0);
}

/*
 * Adds the n hashes of tenant i, which came from where ("its tenant file",
 * "the data directory's token file"). A hash another tenant holds is
 * refused, naming both tenants; the hash itself is not named (it is no
 * secret, but it helps nobody reading a log).
 */
static int add_tokens(bh_registry *r, const unsigned char (*h)[BH_TOKEN_HASH_BYTES], size_t n,
                      uint32_t i, const char *where, char *err, size_t errlen)
{
    for (size_t k = 0; k < n; k++) {
        uint32_t holder = 0;
        int rc = bh_token_table_add(&r->tokens, h[k], i, &holder);
        if (rc == BATON_EEXIST) {
            snprintf(err, errlen,
                     "tenant %s: token hash %zu of %s is also a token hash of tenant %s: one "
                     "token names one tenant",
                     r->tenants[i].id, k + 1, where, r->tenants[holder].id);
            return rc;
        }
        if (rc != 0) {
            snprintf(err, errlen, "out of memory");
            return rc;
        }
    }
    return 0;
}

/*
 * old without the uploaded plugin replace (may be NULL), plus in (may be
 * NULL), as a new set in *out. Refuses (BATON_EEXIST, err says by whom)
 * when another plugin of the set already provides in's scope.
 */
static int set_with(const bh_plugin_set *old, const char *tenant, const char *replace,
                    bh_plugin_instance *in, bh_plugin_set **out, char *err, size_t errlen)
{
    bh_plugin_instance **items = calloc(old->count + 1, sizeof *items);
    size_t n = 0;
    int rc = BATON_ENOMEM;
    *out = NULL;
    if (items == NULL) {
        snprintf(err, errlen, "out of memory");
        return rc;
    }
    for (size_t i = 0; i < old->count; i++) {
        bh_plugin_instance *it = old->items[i];
        if (replace != NULL && it->upload != NULL && strcmp(it->upload, replace) == 0)
            continue; /* the version being replaced */
        if (in != NULL && strcmp(it->info.scope, in->info.scope) == 0) {
            snprintf(err, errlen, "scope %s is already provided by %s plugin %s %s", in->info.scope,
                     it->upload != NULL ? "the uploaded" : "the configured", it->info.name,
                     it->info.version);
            rc = BATON_EEXIST;
            goto out;
        }
        items[n++] = it;
    }
    if (in != NULL)
        items[n++] = in;
    if ((*out = bh_plugin_set_new(tenant, items, n)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    free(items);
    return rc;
}

/*
 * Adds the tenant's activated uploads (plugin_catalog.h) to its live set,
 * each isolated. An upload that no longer loads, or whose scope a
 * configured plugin now provides, is reported and left out.
 */
static int add_uploads(const bh_config *cfg, bh_tenant *t, bh_plugin_load_cache *cache,
                       struct refusal_ctx *refusals, char *err, size_t errlen)
{
    bh_active_upload *ups = NULL;
    size_t n = 0;
    int rc = bh_plugin_catalog_active(cfg->data_dir, t->id, &ups, &n, err, errlen);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char why[1024];
        cJSON *config = ups[i].config_json != NULL ? cJSON_Parse(ups[i].config_json) : NULL;
        bh_plugin_instance *in = NULL;
        bh_plugin_set *next = NULL;
        int lrc =
            bh_plugin_instance_isolated(t->id, ups[i].path, ups[i].sha256, config, ups[i].name,
                                        &cfg->isolation, cache, &in, why, sizeof why);
        cJSON_Delete(config);
        if (lrc == 0)
            lrc = set_with(t->live, t->id, NULL, in, &next, why, sizeof why);
        bh_plugin_instance_unref(in); /* the set holds its own reference */
        if (lrc == BATON_ENOMEM) {
            snprintf(err, errlen, "out of memory");
            rc = lrc;
        } else if (lrc != 0) {
            char line[1200];
            snprintf(line, sizeof line, "uploaded plugin %s refused: %s", ups[i].name, why);
            on_refusal(refusals, t->id, ups[i].path, line);
        } else {
            bh_plugin_set_unref(t->live);
            t->live = next;
        }
    }
    bh_active_uploads_free(ups, n);
    return rc;
}

int bh_registry_build(bh_config *cfg, uint64_t generation, bh_registry *previous,
                      bh_registry_report_fn report, void *ctx, bh_registry **out, char *err,
                      size_t errlen)
{
    struct refusal_ctx refusals = {report, ctx, 0};
    bh_registry *r = calloc(1, sizeof(*r));
    int rc = BATON_ENOMEM;
    char store_dir[4096];
    bh_plugin_load_cache *cache = bh_plugin_load_cache_new();
    bh_shared_plugins *shared = bh_shared_plugins_new();
    bh_state_folders folders;

    *out = NULL;
    if (r == NULL || cache == NULL || shared == NULL) {
        free(r);
        bh_plugin_load_cache_free(cache);
        bh_shared_plugins_free(shared);
        bh_config_free(cfg);
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    /* Configured plugins run from the content store (plugin_store.h), and
     * each is loaded in a worker first, so a plugin that is refused or
     * crashes while loading never runs in batond. */
    snprintf(store_dir, sizeof store_dir, "%s/plugins", cfg->data_dir);
    bh_plugin_load_opts opts = {
        .plugin_dir = cfg->plugin_dir,
        .store_dir = store_dir,
        .limits = &cfg->isolation,
        .probe = 1,
        .cache = cache,
        .shared = shared,
        .reuse = previous != NULL ? previous->shared : NULL,
        .on_refusal = on_refusal,
        .ctx = &refusals,
    };
    atomic_init(&r->refs, 1);
    r->shared = shared;
    /* Tenants without a state folder have no uploads: one listing instead
     * of a stat per tenant. */
    bh_state_folders_list(cfg->data_dir, &folders);
    bh_id_index_init(&r->ids);
    if (bh_token_table_init(&r->tokens) != 0) {
        snprintf(err, errlen, "cannot start libsodium for the token table");
        rc = BATON_ECRYPTO;
        r->config = cfg;
        goto out;
    }
    r->generation = generation;
    r->uploads_epoch = bh_uploads_epoch();
    r->config = cfg;
    if (cfg->tenant_count > 0) {
        r->tenants = calloc(cfg->tenant_count, sizeof(*r->tenants));
        if (r->tenants == NULL || bh_id_index_reserve(&r->ids, cfg->tenant_count) != 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    for (size_t i = 0; i < cfg->tenant_count; i++) {
        bh_tenant_config *tc = &cfg->tenants[i];
        bh_tenant *t = &r->tenants[i];
        unsigned char(*stored)[BH_TOKEN_HASH_BYTES] = NULL;
        size_t nstored = 0;

        t->id = tc->id;
        t->name = tc->name;
        t->kind = tc->kind;
        t->config = tc;
        atomic_init(&t->plugin_calls, 0);
        opts.source = tc->source;
        rc = bh_plugin_set_load_texts(
            tc->id, tc->plugins != NULL ? tc->plugins->entries : NULL,
            tc->plugins != NULL ? (const char *const *)tc->plugins->config_texts : NULL, &opts,
            &t->live, err, errlen);
        if (rc == 0 && bh_state_folders_may_have(&folders, t->id))
            rc = add_uploads(cfg, t, cache, &refusals, err, errlen);
        if (rc != 0) {
            bh_plugin_set_unref(t->live);
            goto out;
        }
        pthread_mutex_init(&t->live_mu, NULL);
        r->count++;
        /* config.c refused duplicate ids, so this add cannot meet one. */
        if ((rc = bh_id_index_add(&r->ids, t->id, (uint32_t)i, NULL)) != 0) {
            snprintf(err, errlen, "tenant %s: %s", t->id,
                     rc == BATON_EEXIST ? "defined twice" : "out of memory");
            goto out;
        }

        rc = add_tokens(r, (const unsigned char(*)[BH_TOKEN_HASH_BYTES])tc->token_hashes,
                        tc->token_hash_count, (uint32_t)i, "its tenant file", err, errlen);
        if (rc != 0)
            goto out;
        rc = bh_token_store_load(cfg->data_dir, tc->id, &stored, &nstored, err, errlen);
        if (rc != 0)
            goto out;
        rc = add_tokens(r, (const unsigned char(*)[BH_TOKEN_HASH_BYTES])stored, nstored,
                        (uint32_t)i, "the data directory's token file", err, errlen);
        free(stored);
        if (rc != 0)
            goto out;
    }
    r->refused = refusals.count;
    bh_shared_plugins_stats_get(shared, &r->shared_stats);
    /* The entries are in the instances now (each keeps its config as
     * text); nothing reads the parsed lists again. */
    bh_config_drop_plugin_lists(cfg);
    rc = 0;
out:
    bh_state_folders_free(&folders);
    bh_plugin_load_cache_free(cache);
    /* Give back what building freed (the config's parsed plugin entries,
     * load-check answers): with ten thousand tenants, tens of MiB. */
    malloc_trim(0);
    if (rc != 0) {
        bh_registry_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

static atomic_uint_fast64_t uploads_epoch;

uint64_t bh_uploads_epoch(void)
{
    return atomic_load_explicit(&uploads_epoch, memory_order_acquire);
}

bh_plugin_set *bh_tenant_plugins(const bh_tenant *t)
{
    bh_tenant *m = (bh_tenant *)t; /* the lock, not the tenant, changes */
    pthread_mutex_lock(&m->live_mu);
    bh_plugin_set *s = bh_plugin_set_ref(m->live);
    pthread_mutex_unlock(&m->live_mu);
    return s;
}

int bh_tenant_activate(bh_tenant *t, const bh_isolation_limits *lim, const char *name,
                       const char *path, const char *sha256, const cJSON *config, char *err,
                       size_t errlen)
{
    bh_plugin_instance *in = NULL;
    bh_plugin_set *next = NULL, *old;
    int rc;

    if (path != NULL) {
        rc = bh_plugin_instance_isolated(t->id, path, sha256, config, name, lim, NULL, &in, err,
                                         errlen);
        if (rc != 0)
            return rc;
    }
    pthread_mutex_lock(&t->live_mu);
    old = t->live;
    rc = set_with(old, t->id, name, in, &next, err, errlen);
    if (rc == 0) {
        /* Requests that took the old set finish on it; new ones get this. */
        t->live = next;
        atomic_fetch_add_explicit(&uploads_epoch, 1, memory_order_acq_rel);
    }
    pthread_mutex_unlock(&t->live_mu);
    if (rc == 0)
        bh_plugin_set_unref(old);
    bh_plugin_instance_unref(in); /* the set holds its own reference */
    return rc;
}

bh_registry *bh_registry_ref(bh_registry *r)
{
    atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    return r;
}

static bh_registry_retire_fn retire_fn;
static void *retire_ctx;

void bh_registry_set_retire(bh_registry_retire_fn fn, void *ctx)
{
    retire_fn = fn;
    retire_ctx = ctx;
}

void bh_registry_unref(bh_registry *r)
{
    if (r == NULL)
        return;
    if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (retire_fn != NULL)
        retire_fn(r, retire_ctx);
    else
        bh_registry_free(r);
}

const bh_tenant *bh_registry_find(const bh_registry *r, const char *id)
{
    uint32_t i;
    return bh_id_index_find(&r->ids, id, &i) ? &r->tenants[i] : NULL;
}

void bh_registry_slot_init(bh_registry_slot *s, bh_registry *first)
{
    pthread_mutex_init(&s->mu, NULL);
    s->current = first;
}

bh_registry *bh_registry_slot_acquire(bh_registry_slot *s)
{
    bh_registry *r;
    pthread_mutex_lock(&s->mu);
    r = s->current;
    if (r != NULL)
        bh_registry_ref(r);
    pthread_mutex_unlock(&s->mu);
    return r;
}

void bh_registry_slot_swap(bh_registry_slot *s, bh_registry *next)
{
    bh_registry *old;
    pthread_mutex_lock(&s->mu);
    old = s->current;
    s->current = next;
    pthread_mutex_unlock(&s->mu);
    bh_registry_unref(old);
}

void bh_registry_slot_clear(bh_registry_slot *s)
{
    bh_registry_slot_swap(s, NULL);
    pthread_mutex_destroy(&s->mu);
}

bh_tenant_state *bh_registry_state(const bh_registry *r, const char *id)
{
    char why[300];
    bh_tenant_state *st = NULL;
    if (bh_registry_find(r, id) == NULL ||
        bh_tenant_state_get(r->config->data_dir, id, &st, why, sizeof why) != 0)
        return NULL;
    return st;
}
