/*
 * tenant.c - the tenant registry and its atomic swap (see tenant.h).
 */
#include "tenant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "plugin_catalog.h"

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

static void registry_free(bh_registry *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->count; i++) {
        bh_plugin_set_unref(r->tenants[i].live);
        pthread_mutex_destroy(&r->tenants[i].live_mu);
    }
    free(r->tenants);
    free(r->tokens.entries);
    bh_config_free(r->config);
    free(r);
}

static int add_tokens(bh_token_table *t, size_t *cap, const unsigned char (*h)[BH_TOKEN_HASH_BYTES],
                      size_t n, uint32_t tenant)
{
    if (t->count + n > *cap) {
        size_t ncap = (*cap == 0 ? 8 : *cap);
        bh_token_entry *ne;
        while (ncap < t->count + n)
            ncap *= 2;
        ne = realloc(t->entries, ncap * sizeof(*ne));
        if (ne == NULL)
            return BATON_ENOMEM;
        t->entries = ne;
        *cap = ncap;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(t->entries[t->count].hash, h[i], BH_TOKEN_HASH_BYTES);
        t->entries[t->count].tenant = tenant;
        t->count++;
    }
    return 0;
}

/*
 * Adds the tenant's activated uploads (plugin_catalog.h) to its live set,
 * each isolated. An upload that no longer loads, or whose scope a
 * configured plugin now provides, is reported and left out.
 */
static int add_uploads(const bh_config *cfg, bh_tenant *t, bh_plugin_probe_cache *cache,
                       struct refusal_ctx *refusals, char *err, size_t errlen)
{
    bh_active_upload *ups = NULL;
    size_t n = 0;
    int rc = bh_plugin_catalog_active(cfg->data_dir, t->id, &ups, &n, err, errlen);
    if (rc != 0 || n == 0)
        return rc;
    bh_plugin_set *cur = t->live;
    size_t base = cur->count; /* items past base hold their own reference */
    bh_plugin_instance **items = calloc(cur->count + n, sizeof *items);
    size_t count = 0;
    rc = BATON_ENOMEM;
    if (items == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < cur->count; i++)
        items[count++] = cur->items[i];
    for (size_t i = 0; i < n; i++) {
        char why[1024];
        cJSON *config = ups[i].config_json != NULL ? cJSON_Parse(ups[i].config_json) : NULL;
        bh_plugin_instance *in = NULL;
        int lrc =
            bh_plugin_instance_isolated(t->id, ups[i].path, ups[i].sha256, config, ups[i].name,
                                        &cfg->isolation, cache, &in, why, sizeof why);
        cJSON_Delete(config);
        if (lrc == BATON_ENOMEM) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        for (size_t k = 0; lrc == 0 && k < count; k++) {
            if (strcmp(items[k]->info.scope, in->info.scope) == 0) {
                snprintf(why, sizeof why,
                         "uploaded plugin %s refused: scope %s is already provided by %s %s",
                         ups[i].name, in->info.scope, items[k]->info.name, items[k]->info.version);
                bh_plugin_instance_unref(in);
                lrc = BATON_EEXIST;
            }
        }
        if (lrc != 0) {
            on_refusal(refusals, t->id, ups[i].path, why);
            continue;
        }
        items[count++] = in; /* the new set takes its own reference below */
    }
    bh_plugin_set *next = bh_plugin_set_new(t->id, items, count);
    if (next == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    bh_plugin_set_unref(cur);
    t->live = next;
    rc = 0;
out:
    /* The uploads' own references (a new set took its own). */
    for (size_t i = base; items != NULL && i < count; i++)
        bh_plugin_instance_unref(items[i]);
    free(items);
    bh_active_uploads_free(ups, n);
    return rc;
}

int bh_registry_build(bh_config *cfg, uint64_t generation, bh_registry_report_fn report, void *ctx,
                      bh_registry **out, char *err, size_t errlen)
{
    struct refusal_ctx refusals = {report, ctx, 0};
    bh_registry *r = calloc(1, sizeof(*r));
    size_t token_cap = 0;
    int rc = BATON_ENOMEM;
    char store_dir[4096];
    bh_plugin_probe_cache *cache = bh_plugin_probe_cache_new();

    *out = NULL;
    if (r == NULL || cache == NULL) {
        free(r);
        bh_plugin_probe_cache_free(cache);
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
        .on_refusal = on_refusal,
        .ctx = &refusals,
    };
    atomic_init(&r->refs, 1);
    r->generation = generation;
    r->uploads_epoch = bh_uploads_epoch();
    r->config = cfg;
    if (cfg->tenant_count > 0) {
        r->tenants = calloc(cfg->tenant_count, sizeof(*r->tenants));
        if (r->tenants == NULL) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    for (size_t i = 0; i < cfg->tenant_count; i++) {
        const bh_tenant_config *tc = &cfg->tenants[i];
        bh_tenant *t = &r->tenants[i];
        unsigned char(*stored)[BH_TOKEN_HASH_BYTES] = NULL;
        size_t nstored = 0;

        t->id = tc->id;
        t->name = tc->name;
        t->kind = tc->kind;
        t->config = tc;
        atomic_init(&t->plugin_calls, 0);
        rc = bh_plugin_set_load(tc->id, tc->plugins, &opts, &t->live, err, errlen);
        if (rc == 0)
            rc = add_uploads(cfg, t, cache, &refusals, err, errlen);
        if (rc != 0) {
            bh_plugin_set_unref(t->live);
            goto out;
        }
        pthread_mutex_init(&t->live_mu, NULL);
        r->count++;

        rc = add_tokens(&r->tokens, &token_cap,
                        (const unsigned char(*)[BH_TOKEN_HASH_BYTES])tc->token_hashes,
                        tc->token_hash_count, (uint32_t)i);
        if (rc != 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        rc = bh_token_store_load(cfg->data_dir, tc->id, &stored, &nstored, err, errlen);
        if (rc != 0)
            goto out;
        rc = add_tokens(&r->tokens, &token_cap, (const unsigned char(*)[BH_TOKEN_HASH_BYTES])stored,
                        nstored, (uint32_t)i);
        free(stored);
        if (rc != 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    r->refused = refusals.count;
    rc = 0;
out:
    bh_plugin_probe_cache_free(cache);
    if (rc != 0) {
        registry_free(r);
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
    bh_plugin_instance **items = NULL;
    size_t n = 0;
    int rc;

    if (path != NULL) {
        rc = bh_plugin_instance_isolated(t->id, path, sha256, config, name, lim, NULL, &in, err,
                                         errlen);
        if (rc != 0)
            return rc;
    }
    pthread_mutex_lock(&t->live_mu);
    old = t->live;
    items = calloc(old->count + 1, sizeof *items);
    rc = BATON_ENOMEM;
    if (items == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < old->count; i++) {
        bh_plugin_instance *it = old->items[i];
        if (it->upload != NULL && strcmp(it->upload, name) == 0)
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
    if ((next = bh_plugin_set_new(t->id, items, n)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    /* Requests that took the old set finish on it; new ones get this. */
    t->live = next;
    atomic_fetch_add_explicit(&uploads_epoch, 1, memory_order_acq_rel);
    rc = 0;
out:
    pthread_mutex_unlock(&t->live_mu);
    if (rc == 0)
        bh_plugin_set_unref(old);
    bh_plugin_instance_unref(in); /* the set holds its own reference */
    free(items);
    return rc;
}

bh_registry *bh_registry_ref(bh_registry *r)
{
    atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    return r;
}

void bh_registry_unref(bh_registry *r)
{
    if (r == NULL)
        return;
    if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) == 1)
        registry_free(r);
}

const bh_tenant *bh_registry_find(const bh_registry *r, const char *id)
{
    for (size_t i = 0; i < r->count; i++) {
        if (strcmp(r->tenants[i].id, id) == 0)
            return &r->tenants[i];
    }
    return NULL;
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
