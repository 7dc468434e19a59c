/* plugin_load_cache.c - stored copies and load checks of one registry build
 * (plugin_load_cache.h). */
#include "plugin_load_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "baton/sha256.h"
#include "plugin_store.h"

/* Chained buckets: the distinct files and configs of one build are few
 * (a handful of plugins, a config each or per tenant), so a fixed table
 * keeps chains short without growing. */
#define BUCKETS 4096

struct stored_entry {
    char *src;
    int hashed_only; /* from bh_plugin_load_cache_hash: stored is src */
    char sha256[65];
    char *stored;
    struct stored_entry *next;
};

struct probe_entry {
    char sha256[65];
    char *config_json;
    int rc;
    char *message;       /* the refusal, when rc != 0 */
    bh_plugin_info info; /* when rc == 0 */
    struct probe_entry *next;
};

struct bh_plugin_load_cache {
    pthread_mutex_t mu;
    struct stored_entry *stored[BUCKETS];
    struct probe_entry *probes[BUCKETS];
    bh_plugin_load_cache_stats stats;
};

/* FNV-1a over a, then b (http://www.isthe.com/chongo/tech/comp/fnv/). */
static size_t bucket(const char *a, const char *b)
{
    uint32_t h = 2166136261u;
    for (const char *s = a; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    for (const char *s = b; s != NULL && *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % BUCKETS;
}

bh_plugin_load_cache *bh_plugin_load_cache_new(void)
{
    bh_plugin_load_cache *c = calloc(1, sizeof *c);
    if (c != NULL)
        pthread_mutex_init(&c->mu, NULL);
    return c;
}

void bh_plugin_load_cache_free(bh_plugin_load_cache *c)
{
    if (c == NULL)
        return;
    for (size_t b = 0; b < BUCKETS; b++) {
        while (c->stored[b] != NULL) {
            struct stored_entry *e = c->stored[b];
            c->stored[b] = e->next;
            free(e->src);
            free(e->stored);
            free(e);
        }
        while (c->probes[b] != NULL) {
            struct probe_entry *e = c->probes[b];
            c->probes[b] = e->next;
            free(e->config_json);
            free(e->message);
            bh_plugin_info_clear(&e->info);
            free(e);
        }
    }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* The entry for src made the same way (stored or hashed only), or NULL;
 * under c->mu. */
static struct stored_entry *stored_find(bh_plugin_load_cache *c, const char *src, int hashed_only)
{
    for (struct stored_entry *e = c->stored[bucket(src, NULL)]; e != NULL; e = e->next)
        if (e->hashed_only == hashed_only && strcmp(e->src, src) == 0)
            return e;
    return NULL;
}

/* Remembers src -> (sha256, stored); out of memory only costs a cache
 * miss later. */
static void stored_add(bh_plugin_load_cache *c, const char *src, int hashed_only,
                       const char sha256[65], const char *stored)
{
    struct stored_entry *e = calloc(1, sizeof *e);
    if (e == NULL || (e->src = strdup(src)) == NULL || (e->stored = strdup(stored)) == NULL) {
        if (e != NULL)
            free(e->src);
        free(e);
        return;
    }
    e->hashed_only = hashed_only;
    memcpy(e->sha256, sha256, 65);
    size_t b = bucket(src, NULL);
    pthread_mutex_lock(&c->mu);
    c->stats.stores++;
    e->next = c->stored[b];
    c->stored[b] = e;
    pthread_mutex_unlock(&c->mu);
}

int bh_plugin_load_cache_hash(bh_plugin_load_cache *c, const char *src, char sha256[65], char *err,
                              size_t errlen)
{
    uint8_t digest[BATON_SHA256_BYTES];
    if (c != NULL) {
        pthread_mutex_lock(&c->mu);
        struct stored_entry *e = stored_find(c, src, 1);
        if (e != NULL) {
            memcpy(sha256, e->sha256, 65);
            c->stats.store_hits++;
        }
        pthread_mutex_unlock(&c->mu);
        if (e != NULL)
            return 0;
    }
    int rc = baton_sha256_file(src, digest, err, errlen);
    if (rc != 0)
        return rc;
    baton_sha256_hex(digest, sha256);
    if (c != NULL)
        stored_add(c, src, 1, sha256, src);
    return 0;
}

int bh_plugin_load_cache_store(bh_plugin_load_cache *c, const char *store_dir, const char *src,
                               char sha256[65], char *out, size_t outlen, char *err, size_t errlen)
{
    if (c != NULL) {
        pthread_mutex_lock(&c->mu);
        struct stored_entry *e = stored_find(c, src, 0);
        if (e != NULL) {
            int len = snprintf(out, outlen, "%s", e->stored);
            memcpy(sha256, e->sha256, 65);
            c->stats.store_hits++;
            pthread_mutex_unlock(&c->mu);
            if (len < 0 || (size_t)len >= outlen) {
                snprintf(err, errlen, "plugin store %s: path too long", store_dir);
                return BATON_EINVAL;
            }
            return 0;
        }
        pthread_mutex_unlock(&c->mu);
    }
    int rc = bh_plugin_store_put(store_dir, src, 0, sha256, out, outlen, err, errlen);
    if (c != NULL && rc == 0)
        stored_add(c, src, 0, sha256, out);
    return rc;
}

int bh_plugin_load_cache_probe(bh_plugin_load_cache *c, const bh_isolation_limits *lim,
                               const char *tenant, const char *path, const char *sha256,
                               const char *config_json, bh_plugin_info *info, char *err,
                               size_t errlen)
{
    size_t b = bucket(sha256, config_json);
    if (c != NULL) {
        pthread_mutex_lock(&c->mu);
        for (struct probe_entry *e = c->probes[b]; e != NULL; e = e->next) {
            if (strcmp(e->sha256, sha256) == 0 && strcmp(e->config_json, config_json) == 0) {
                int rc = e->rc;
                if (rc == 0)
                    rc = bh_plugin_info_copy(info, &e->info);
                else
                    snprintf(err, errlen, "%s", e->message);
                c->stats.probe_hits++;
                pthread_mutex_unlock(&c->mu);
                return rc;
            }
        }
        pthread_mutex_unlock(&c->mu);
    }
    int rc = bh_plugin_probe(lim, tenant, path, config_json, info, err, errlen);
    if (c == NULL || rc == BATON_ENOMEM)
        return rc;
    struct probe_entry *e = calloc(1, sizeof *e);
    if (e == NULL)
        return rc;
    memcpy(e->sha256, sha256, 65);
    e->rc = rc;
    e->config_json = strdup(config_json);
    e->message = rc != 0 ? strdup(err) : NULL;
    if (e->config_json == NULL || (rc != 0 && e->message == NULL) ||
        (rc == 0 && bh_plugin_info_copy(&e->info, info) != 0)) {
        free(e->config_json);
        free(e->message);
        bh_plugin_info_clear(&e->info);
        free(e);
        return rc;
    }
    pthread_mutex_lock(&c->mu);
    c->stats.probes++;
    e->next = c->probes[b];
    c->probes[b] = e;
    pthread_mutex_unlock(&c->mu);
    return rc;
}

void bh_plugin_load_cache_stats_get(bh_plugin_load_cache *c, bh_plugin_load_cache_stats *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->stats;
    pthread_mutex_unlock(&c->mu);
}
