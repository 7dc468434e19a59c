/* plugin_shared.c - in-process plugins shared between tenants
 * (plugin_shared.h). */
#include "plugin_shared.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "bytes_hash.h"
#include "case_view.h"
#include "worker_proto.h"

bh_shared_plugin *bh_shared_plugin_ref(bh_shared_plugin *sp)
{
    atomic_fetch_add_explicit(&sp->refs, 1, memory_order_relaxed);
    return sp;
}

void bh_shared_plugin_unref(bh_shared_plugin *sp)
{
    if (sp == NULL || atomic_fetch_sub_explicit(&sp->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (sp->desc != NULL && sp->desc->fini != NULL && sp->state != NULL)
        sp->desc->fini(sp->state);
    bh_plugin_close(sp->plugin);
    bh_plugin_info_clear(&sp->info);
    for (size_t i = 0; i < sp->init_log_count; i++)
        free(sp->init_log[i].msg);
    free(sp->path);
    free(sp->config_json);
    free(sp);
}

/* Fills sp->info from the descriptor. */
static int info_from_desc(bh_shared_plugin *sp)
{
    const baton_plugin *d = sp->desc;
    size_t n = 0;
    bh_plugin_info *i = &sp->info;
    i->name = strdup(d->name);
    i->version = strdup(d->version);
    i->scope = strdup(d->scope);
    i->sdk_major = d->sdk_major;
    i->sdk_minor = d->sdk_minor;
    i->caps = (d->filing_rules != NULL ? BH_CAP_FILING_RULES : 0) |
              (d->fee_schedule != NULL ? BH_CAP_FEE_SCHEDULE : 0) |
              (d->letter_formats != NULL ? BH_CAP_LETTER : 0);
    while (d->letter_formats != NULL && d->letter_formats->kinds[n] != NULL)
        n++;
    i->letter_kinds = calloc(n + 1, sizeof *i->letter_kinds);
    if (i->name == NULL || i->version == NULL || i->scope == NULL || i->letter_kinds == NULL)
        return BATON_ENOMEM;
    for (size_t k = 0; k < n; k++)
        if ((i->letter_kinds[k] = strdup(d->letter_formats->kinds[k])) == NULL)
            return BATON_ENOMEM;
    return 0;
}

/* The log tap while init runs: keeps each line for the tenants after. */
static void record_init_line(void *ctx, enum baton_log_level level, const char *msg)
{
    bh_shared_plugin *sp = ctx;
    if (sp->unshareable)
        return;
    if (sp->init_log_count == BH_SHARED_INIT_LOG_MAX || strlen(msg) > BH_SHARED_INIT_LOG_BYTES) {
        sp->unshareable = 1;
        return;
    }
    struct bh_init_log_line *l = &sp->init_log[sp->init_log_count];
    if ((l->msg = strdup(msg)) == NULL) {
        sp->unshareable = 1; /* a line the next tenant would miss */
        return;
    }
    l->level = level;
    sp->init_log_count++;
}

int bh_shared_plugin_open(const char *tenant, const char *path, const char *sha256,
                          const cJSON *config, char *config_json, bh_shared_plugin **out, char *err,
                          size_t errlen)
{
    int rc = BATON_ENOMEM;
    bh_shared_plugin *sp = calloc(1, sizeof *sp);
    *out = NULL;
    if (sp == NULL || config_json == NULL || (sp->path = strdup(path)) == NULL) {
        free(config_json);
        if (sp != NULL)
            bh_shared_plugin_unref(sp);
        snprintf(err, errlen, "plugin %s: out of memory", path);
        return BATON_ENOMEM;
    }
    atomic_init(&sp->refs, 1);
    snprintf(sp->sha256, sizeof sp->sha256, "%s", sha256);
    sp->config_json = config_json;
    rc = bh_plugin_open(path, &sp->plugin, err, errlen);
    if (rc != 0)
        goto fail;
    sp->desc = bh_plugin_desc(sp->plugin);
    if ((rc = info_from_desc(sp)) != 0) {
        snprintf(err, errlen, "plugin %s: out of memory", path);
        goto fail;
    }
    sp->host.tenant = NULL;
    sp->host.plugin = sp->desc->name;
    if (sp->desc->init != NULL) {
        static const cJSON empty = {.type = cJSON_Object};
        baton_view cfg = bh_view_of(config != NULL ? config : &empty);
        char why[256] = "";
        const char *was = bh_host_calling_tenant(tenant);
        bh_host_log_tap(record_init_line, sp);
        rc = sp->desc->init(bh_host_api(), &sp->host, &cfg, &sp->state, why, sizeof why);
        bh_host_log_tap(NULL, NULL);
        bh_host_calling_tenant(was);
        if (rc != 0) {
            snprintf(err, errlen,
                     "plugin %s refused: init of %s %s (built against SDK %u.%u) failed: %s", path,
                     sp->desc->name, sp->desc->version, sp->desc->sdk_major, sp->desc->sdk_minor,
                     why[0] ? why : baton_strerror(rc));
            sp->state = NULL; /* nothing to fini after a failed init */
            rc = BATON_EPLUGIN;
            goto fail;
        }
    }
    *out = sp;
    return 0;
fail:
    bh_shared_plugin_unref(sp);
    return rc < 0 ? rc : BATON_EPLUGIN;
}

void bh_shared_plugin_replay_init_log(const bh_shared_plugin *sp, const char *tenant)
{
    for (size_t i = 0; i < sp->init_log_count; i++)
        bh_host_log(tenant, sp->host.plugin, sp->init_log[i].level, sp->init_log[i].msg);
}

/* ---- tables ---- */

struct entry {
    bh_shared_plugin *sp; /* one reference */
    uint32_t hash;
    struct entry *next;
};

struct bh_shared_plugins {
    pthread_mutex_t mu;
    struct entry **buckets;
    size_t nbuckets; /* a power of two */
    bh_shared_plugins_stats stats;
};

/* The key's hash: SHA-256 text and config text, hashed word-wise
 * (bytes_hash.h); a kilobyte of config is hashed for every tenant. */
static uint32_t key_hash(const char *sha256, const char *config_json)
{
    uint64_t h = bh_bytes_hash(sha256, strlen(sha256));
    h ^= bh_bytes_hash(config_json, strlen(config_json)) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h ^ (h >> 32));
}

bh_shared_plugins *bh_shared_plugins_new(void)
{
    bh_shared_plugins *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->nbuckets = 64;
    if ((t->buckets = calloc(t->nbuckets, sizeof *t->buckets)) == NULL) {
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->mu, NULL);
    return t;
}

void bh_shared_plugins_free(bh_shared_plugins *t)
{
    if (t == NULL)
        return;
    for (size_t b = 0; b < t->nbuckets; b++) {
        while (t->buckets[b] != NULL) {
            struct entry *e = t->buckets[b];
            t->buckets[b] = e->next;
            bh_shared_plugin_unref(e->sp);
            free(e);
        }
    }
    free(t->buckets);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* The entry of the key in t, or NULL; under t->mu. */
static struct entry *lookup(const bh_shared_plugins *t, uint32_t h, const char *sha256,
                            const char *config_json)
{
    for (struct entry *e = t->buckets[h & (t->nbuckets - 1)]; e != NULL; e = e->next)
        if (e->hash == h && strcmp(e->sp->sha256, sha256) == 0 &&
            strcmp(e->sp->config_json, config_json) == 0)
            return e;
    return NULL;
}

/* Doubles the buckets when the table is fuller than one entry per bucket;
 * under t->mu. Out of memory keeps the chains longer, nothing else. */
static void maybe_grow(bh_shared_plugins *t)
{
    if (t->stats.count < t->nbuckets)
        return;
    size_t n = t->nbuckets * 2;
    struct entry **nb = calloc(n, sizeof *nb);
    if (nb == NULL)
        return;
    for (size_t b = 0; b < t->nbuckets; b++) {
        while (t->buckets[b] != NULL) {
            struct entry *e = t->buckets[b];
            t->buckets[b] = e->next;
            e->next = nb[e->hash & (n - 1)];
            nb[e->hash & (n - 1)] = e;
        }
    }
    free(t->buckets);
    t->buckets = nb;
    t->nbuckets = n;
}

/* Adds sp under hash h (taking a new reference); under t->mu. */
static int insert(bh_shared_plugins *t, bh_shared_plugin *sp, uint32_t h)
{
    struct entry *e = malloc(sizeof *e);
    if (e == NULL)
        return BATON_ENOMEM;
    maybe_grow(t);
    e->sp = bh_shared_plugin_ref(sp);
    e->hash = h;
    e->next = t->buckets[h & (t->nbuckets - 1)];
    t->buckets[h & (t->nbuckets - 1)] = e;
    t->stats.count++;
    return 0;
}

bh_shared_plugin *bh_shared_plugins_find(bh_shared_plugins *t, bh_shared_plugins *previous,
                                         const char *sha256, const char *config_json)
{
    uint32_t h = key_hash(sha256, config_json);
    bh_shared_plugin *sp = NULL;
    if (t != NULL) {
        pthread_mutex_lock(&t->mu);
        struct entry *e = lookup(t, h, sha256, config_json);
        if (e != NULL) {
            sp = bh_shared_plugin_ref(e->sp);
            t->stats.hits++;
        }
        pthread_mutex_unlock(&t->mu);
        if (sp != NULL)
            return sp;
    }
    if (previous == NULL)
        return NULL;
    pthread_mutex_lock(&previous->mu);
    struct entry *e = lookup(previous, h, sha256, config_json);
    if (e != NULL)
        sp = bh_shared_plugin_ref(e->sp);
    pthread_mutex_unlock(&previous->mu);
    if (sp != NULL && t != NULL) {
        pthread_mutex_lock(&t->mu);
        if (insert(t, sp, h) == 0)
            t->stats.reused++;
        pthread_mutex_unlock(&t->mu);
    }
    return sp;
}

int bh_shared_plugins_add(bh_shared_plugins *t, bh_shared_plugin *sp)
{
    int rc = 0;
    if (t == NULL)
        return 0;
    if (sp->unshareable) {
        pthread_mutex_lock(&t->mu);
        t->stats.unshared++;
        pthread_mutex_unlock(&t->mu);
        return 0;
    }
    uint32_t h = key_hash(sp->sha256, sp->config_json);
    pthread_mutex_lock(&t->mu);
    if (lookup(t, h, sp->sha256, sp->config_json) == NULL && (rc = insert(t, sp, h)) == 0)
        t->stats.opened++;
    pthread_mutex_unlock(&t->mu);
    return rc;
}

void bh_shared_plugins_stats_get(bh_shared_plugins *t, bh_shared_plugins_stats *out)
{
    pthread_mutex_lock(&t->mu);
    *out = t->stats;
    pthread_mutex_unlock(&t->mu);
}
