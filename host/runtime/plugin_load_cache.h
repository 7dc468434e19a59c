/*
 * plugin_load_cache.h - what one registry build learnt about plugin files,
 * so that ten thousand tenants using the same three plugins cost three
 * copies and three load checks, not thirty thousand.
 *
 *   stored copies  by the source path: the file is read, hashed and put in
 *                  the content store (plugin_store.h) once per build; every
 *                  later tenant naming the same path gets the same SHA-256
 *                  and stored path. The file is read once, so all tenants
 *                  of one build run the same bytes even if the file is
 *                  replaced while the build runs (the next build sees it).
 *   load checks    by (SHA-256, plugin config): the throwaway worker of
 *                  bh_plugin_probe runs once per distinct pair, its answer
 *                  (the plugin's info, or the refusal) reused after.
 *
 * Both are hash tables, so a lookup costs the same with one tenant or
 * ten thousand. A cache lives for one build (it never goes stale across
 * reloads: each build starts empty). Safe to share between threads.
 *
 * Owns: the cached answers. Does not own: the store's files (plugin_store.h),
 * the checks themselves (isolation.h), plugin instances (plugin_set.h).
 */
#ifndef BH_PLUGIN_LOAD_CACHE_H
#define BH_PLUGIN_LOAD_CACHE_H

#include <stddef.h>

#include "isolation.h"

typedef struct bh_plugin_load_cache bh_plugin_load_cache;

bh_plugin_load_cache *bh_plugin_load_cache_new(void);
void bh_plugin_load_cache_free(bh_plugin_load_cache *c);

/*
 * bh_plugin_store_put(store_dir, src, 0, ...) the first time src is asked
 * for in this cache (c may be NULL: always), the cached SHA-256 and stored
 * path after (one cache serves one store_dir). Failures are not cached.
 * Same returns as bh_plugin_store_put.
 */
int bh_plugin_load_cache_store(bh_plugin_load_cache *c, const char *store_dir, const char *src,
                               char sha256[65], char *out, size_t outlen, char *err, size_t errlen);

/*
 * The SHA-256 of the file at src (64 hex + NUL), read once per cache, for
 * loads that run files where they are (no content store: the CLI,
 * --check-config). Failures are not cached.
 */
int bh_plugin_load_cache_hash(bh_plugin_load_cache *c, const char *src, char sha256[65], char *err,
                              size_t errlen);

/*
 * bh_plugin_probe(lim, tenant, path, config_json, ...) unless the same
 * bytes (sha256) with the same config were checked in this cache already
 * (c may be NULL: always probe). On 0, *info is a copy the caller clears
 * with bh_plugin_info_clear; a cached refusal comes back with its code and
 * its message in err.
 */
int bh_plugin_load_cache_probe(bh_plugin_load_cache *c, const bh_isolation_limits *lim,
                               const char *tenant, const char *path, const char *sha256,
                               const char *config_json, bh_plugin_info *info, char *err,
                               size_t errlen);

/* Counters for tests and the bench: how many copies and load checks ran
 * (misses), and how many were answered from the cache (hits). */
typedef struct bh_plugin_load_cache_stats {
    size_t stores, store_hits, probes, probe_hits;
} bh_plugin_load_cache_stats;
void bh_plugin_load_cache_stats_get(bh_plugin_load_cache *c, bh_plugin_load_cache_stats *out);

#endif
