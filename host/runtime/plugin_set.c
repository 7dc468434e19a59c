/* plugin_set.c - a tenant's plugin instances (plugin_set.h). */
#include "plugin_set.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/sha256.h"
#include "plugin_load_cache.h"
#include "plugin_store.h"

#define MAX_PLUGINS_PER_TENANT 64

const char *bh_plugin_mode_name(enum bh_plugin_mode m)
{
    return m == BH_MODE_ISOLATED ? "isolated" : "in_process";
}

/* ---- instances ---- */

bh_plugin_instance *bh_plugin_instance_ref(bh_plugin_instance *in)
{
    atomic_fetch_add_explicit(&in->refs, 1, memory_order_relaxed);
    return in;
}

void bh_plugin_instance_unref(bh_plugin_instance *in)
{
    if (in == NULL || atomic_fetch_sub_explicit(&in->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (in->shared != NULL) {
        bh_shared_plugin_unref(in->shared); /* info, path and config were its */
    } else {
        bh_plugin_info_clear(&in->info);
        free(in->path);
        free(in->config_json);
    }
    free(in->tenant);
    free(in->upload);
    free(in->worker_path);
    free(atomic_load(&in->answer_text));
    free(in);
}

/* The plugin config as the JSON text instances keep ("{}" when NULL);
 * NULL when out of memory. */
static char *config_text(const cJSON *config)
{
    return config != NULL ? cJSON_PrintUnformatted(config) : strdup("{}");
}

/* A new instance with its counters at zero, for tenant; NULL on ENOMEM. */
static bh_plugin_instance *instance_new(const char *tenant, enum bh_plugin_mode mode)
{
    bh_plugin_instance *in = calloc(1, sizeof *in);
    if (in == NULL)
        return NULL;
    atomic_init(&in->refs, 1);
    atomic_init(&in->pool_refs, 0);
    atomic_init(&in->calls, 0);
    atomic_init(&in->failures, 0);
    atomic_init(&in->crashes, 0);
    atomic_init(&in->timeouts, 0);
    in->mode = mode;
    if ((in->tenant = strdup(tenant)) == NULL) {
        free(in);
        return NULL;
    }
    return in;
}

/* Tenant's in-process instance of sp (taking a new reference to it). */
static bh_plugin_instance *instance_of_shared(const char *tenant, bh_shared_plugin *sp)
{
    bh_plugin_instance *in = instance_new(tenant, BH_MODE_IN_PROCESS);
    if (in == NULL)
        return NULL;
    in->shared = bh_shared_plugin_ref(sp);
    in->info = sp->info;
    memcpy(in->sha256, sp->sha256, sizeof in->sha256);
    in->path = sp->path;
    in->config_json = sp->config_json;
    in->desc = sp->desc;
    in->state = sp->state;
    return in;
}

/* bh_plugin_instance_isolated with the config's text given (NULL: printed
 * from config). */
static int isolated_load(const char *tenant, const char *path, const char *sha256,
                         const cJSON *config, const char *text, const char *upload,
                         const bh_isolation_limits *lim, bh_plugin_load_cache *cache,
                         bh_plugin_instance **out, char *err, size_t errlen)
{
    bh_plugin_instance *in = instance_new(tenant, BH_MODE_ISOLATED);
    *out = NULL;
    if (in != NULL) {
        snprintf(in->sha256, sizeof in->sha256, "%s", sha256);
        in->path = strdup(path);
        in->config_json = text != NULL ? strdup(text) : config_text(config);
        in->upload = upload != NULL ? strdup(upload) : NULL;
    }
    if (in == NULL || in->path == NULL || in->config_json == NULL ||
        (upload != NULL && in->upload == NULL)) {
        bh_plugin_instance_unref(in);
        snprintf(err, errlen, "plugin %s: out of memory", path);
        return BATON_ENOMEM;
    }
    in->limits = *lim;
    if (lim->worker_path != NULL && (in->worker_path = strdup(lim->worker_path)) == NULL) {
        bh_plugin_instance_unref(in);
        return BATON_ENOMEM;
    }
    in->limits.worker_path = in->worker_path;
    int rc = bh_plugin_load_cache_probe(cache, lim, tenant, path, sha256, in->config_json,
                                        &in->info, err, errlen);
    if (rc != 0) {
        bh_plugin_instance_unref(in);
        return rc;
    }
    *out = in;
    return 0;
}

int bh_plugin_instance_isolated(const char *tenant, const char *path, const char *sha256,
                                const cJSON *config, const char *upload,
                                const bh_isolation_limits *lim, bh_plugin_load_cache *cache,
                                bh_plugin_instance **out, char *err, size_t errlen)
{
    return isolated_load(tenant, path, sha256, config, NULL, upload, lim, cache, out, err, errlen);
}

/* ---- sets ---- */

bh_plugin_set *bh_plugin_set_new(const char *tenant, bh_plugin_instance *const *items, size_t count)
{
    bh_plugin_set *s = calloc(1, sizeof *s);
    if (s == NULL || (s->tenant = strdup(tenant)) == NULL ||
        (count > 0 && (s->items = calloc(count, sizeof *s->items)) == NULL)) {
        if (s != NULL)
            free(s->tenant);
        free(s);
        return NULL;
    }
    atomic_init(&s->refs, 1);
    for (size_t i = 0; i < count; i++)
        s->items[s->count++] = bh_plugin_instance_ref(items[i]);
    return s;
}

bh_plugin_set *bh_plugin_set_ref(bh_plugin_set *s)
{
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    return s;
}

void bh_plugin_set_unref(bh_plugin_set *s)
{
    if (s == NULL || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (size_t i = 0; i < s->count; i++)
        bh_plugin_instance_unref(s->items[i]);
    free(s->items);
    free(s->tenant);
    free(s);
}

bh_plugin_instance *bh_plugin_set_find(const bh_plugin_set *s, const char *scope)
{
    for (size_t i = 0; s != NULL && i < s->count; i++) {
        if (strcmp(s->items[i]->info.scope, scope) == 0)
            return s->items[i];
    }
    return NULL;
}

int bh_plugin_set_has_isolated(const bh_plugin_set *s)
{
    for (size_t i = 0; s != NULL && i < s->count; i++)
        if (s->items[i]->mode == BH_MODE_ISOLATED)
            return 1;
    return 0;
}

int bh_plugin_scope_kind(const bh_plugin_instance *in)
{
    if (strncmp(in->info.scope, "jurisdiction:", 13) == 0)
        return 1;
    if (strncmp(in->info.scope, "agency:", 7) == 0)
        return 2;
    return 0;
}

/*
 * Tenant's in-process instance of the stored file at path: the shared one
 * of the same file and config when this build or the previous has it;
 * else checked in a worker (when o->probe), opened, initialised and shared.
 */
static int in_process_load(const char *tenant, const char *path, const char *sha256,
                           const cJSON *config, const char *text, const bh_plugin_load_opts *o,
                           bh_plugin_instance **out, char *err, size_t errlen)
{
    unsigned sandbox = 0;
    int rc;
    /* The key of the shared instance and of the load check (printed once
     * here when the caller has no text). */
    char *cfg = text != NULL ? strdup(text) : config_text(config);
    if (cfg == NULL) {
        snprintf(err, errlen, "plugin %s: out of memory", path);
        return BATON_ENOMEM;
    }
    bh_shared_plugin *sp = bh_shared_plugins_find(o->shared, o->reuse, sha256, cfg);
    if (sp != NULL) {
        free(cfg);
        bh_shared_plugin_replay_init_log(sp, tenant);
    } else {
        if (o->probe) {
            bh_plugin_info info;
            memset(&info, 0, sizeof info);
            rc = bh_plugin_load_cache_probe(o->cache, o->limits, tenant, path, sha256, cfg, &info,
                                            err, errlen);
            sandbox = info.sandbox;
            bh_plugin_info_clear(&info);
            if (rc != 0) {
                free(cfg);
                return rc;
            }
        }
        rc = bh_shared_plugin_open(tenant, path, sha256, config, cfg, &sp, err, errlen);
        if (rc != 0)
            return rc;
        sp->info.sandbox = sandbox;           /* what its load check ran under */
        bh_shared_plugins_add(o->shared, sp); /* out of memory: not shared, still loaded */
    }
    *out = instance_of_shared(tenant, sp);
    bh_shared_plugin_unref(sp); /* the instance holds its own reference */
    if (*out == NULL) {
        snprintf(err, errlen, "plugin %s: out of memory", path);
        return BATON_ENOMEM;
    }
    return 0;
}

/* Loads one entry: stored by content, probed, then in process or isolated. */
static int entry_load(const char *tenant, const char *given, const cJSON *config, const char *text,
                      int isolated, const bh_plugin_load_opts *o, bh_plugin_instance **out,
                      char *err, size_t errlen)
{
    char stored[PATH_MAX], sha256[65], why[768];
    int rc;
    const char *path = given;

    if (o->store_dir != NULL) {
        rc = bh_plugin_load_cache_store(o->cache, o->store_dir, given, sha256, stored,
                                        sizeof stored, why, sizeof why);
        if (rc != 0) {
            snprintf(err, errlen, "plugin %s refused: %s", given, why);
            return rc;
        }
        path = stored;
    } else {
        rc = bh_plugin_load_cache_hash(o->cache, given, sha256, why, sizeof why);
        if (rc != 0) {
            snprintf(err, errlen, "plugin %s refused: %s", given, why);
            return rc;
        }
    }
    if (isolated || o->force_isolated) {
        rc = isolated_load(tenant, path, sha256, config, text, NULL, o->limits, o->cache, out, why,
                           sizeof why);
    } else {
        rc = in_process_load(tenant, path, sha256, config, text, o, out, why, sizeof why);
    }
    if (rc != 0) {
        /* Name the file the operator configured, not the stored copy. */
        char *at = path != given ? strstr(why, path) : NULL;
        if (at != NULL)
            snprintf(err, errlen, "%.*s%s%s", (int)(at - why), why, given, at + strlen(path));
        else
            snprintf(err, errlen, "%s", why);
    }
    return rc;
}

int bh_plugin_set_load(const char *tenant, const cJSON *plugins, const bh_plugin_load_opts *o,
                       bh_plugin_set **out, char *err, size_t errlen)
{
    return bh_plugin_set_load_texts(tenant, plugins, NULL, o, out, err, errlen);
}

int bh_plugin_set_load_texts(const char *tenant, const cJSON *plugins,
                             const char *const *config_texts, const bh_plugin_load_opts *o,
                             bh_plugin_set **out, char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    bh_plugin_set *s = bh_plugin_set_new(tenant, NULL, 0);
    *out = NULL;
    if (s == NULL) {
        snprintf(err, errlen, "tenant %s: out of memory loading plugins", tenant);
        goto fail;
    }
    if (plugins != NULL && !cJSON_IsArray(plugins)) {
        snprintf(err, errlen, "plugins: expected an array");
        rc = BATON_EINVAL;
        goto fail;
    }
    int n = plugins ? cJSON_GetArraySize(plugins) : 0;
    if (n > MAX_PLUGINS_PER_TENANT) {
        snprintf(err, errlen, "plugins: %d entries, at most %d allowed", n, MAX_PLUGINS_PER_TENANT);
        rc = BATON_ELIMIT;
        goto fail;
    }
    if (n > 0 && (s->items = calloc((size_t)n, sizeof *s->items)) == NULL) {
        snprintf(err, errlen, "tenant %s: out of memory loading plugins", tenant);
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        const cJSON *entry = cJSON_GetArrayItem(plugins, i);
        const cJSON *jpath = cJSON_GetObjectItemCaseSensitive(entry, "path");
        const cJSON *config = cJSON_GetObjectItemCaseSensitive(entry, "config");
        const cJSON *iso = cJSON_GetObjectItemCaseSensitive(entry, "isolated");
        if (!cJSON_IsObject(entry) || !cJSON_IsString(jpath) || jpath->valuestring[0] == '\0') {
            snprintf(err, errlen, "plugins[%d].path: expected a non-empty string", i);
            rc = BATON_EINVAL;
            goto fail;
        }
        if (config != NULL && !cJSON_IsObject(config)) {
            snprintf(err, errlen, "plugins[%d].config: expected an object", i);
            rc = BATON_EINVAL;
            goto fail;
        }
        char path[PATH_MAX];
        const char *rel = jpath->valuestring;
        int len = (rel[0] == '/' || o->plugin_dir == NULL)
                      ? snprintf(path, sizeof path, "%s", rel)
                      : snprintf(path, sizeof path, "%s/%s", o->plugin_dir, rel);
        if (len < 0 || (size_t)len >= sizeof path) {
            snprintf(err, errlen, "plugins[%d].path: too long", i);
            rc = BATON_EINVAL;
            goto fail;
        }
        char why[1024];
        bh_plugin_instance *in = NULL;
        rc = entry_load(tenant, path, config, config_texts != NULL ? config_texts[i] : NULL,
                        cJSON_IsTrue(iso), o, &in, why, sizeof why);
        if (rc == BATON_ENOMEM) {
            snprintf(err, errlen, "%s", why);
            goto fail;
        }
        if (rc == 0 && bh_plugin_set_find(s, in->info.scope) != NULL) {
            snprintf(why, sizeof why,
                     "plugin %s refused: scope %s is already provided by another plugin of "
                     "tenant %s",
                     path, in->info.scope, tenant);
            bh_plugin_instance_unref(in);
            rc = BATON_EEXIST;
        }
        if (rc != 0) {
            char line[sizeof why + PATH_MAX + 64];
            snprintf(line, sizeof line, "%s%splugins[%d].path: %s", o->source ? o->source : "",
                     o->source ? ": " : "", i, why);
            if (o->on_refusal != NULL)
                o->on_refusal(o->ctx, tenant, path, line);
            continue;
        }
        s->items[s->count++] = in;
    }
    *out = s;
    return 0;
fail:
    bh_plugin_set_unref(s);
    return rc;
}
