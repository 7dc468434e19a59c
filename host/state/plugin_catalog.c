/* plugin_catalog.c - a tenant's uploaded plugins (plugin_catalog.h). */
#include "plugin_catalog.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/error.h"
#include "plugin_store.h"

#define LOCK_STRIPES 64

static pthread_mutex_t stripes[LOCK_STRIPES];
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

static void stripes_init(void)
{
    for (size_t i = 0; i < LOCK_STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
}

static pthread_mutex_t *stripe(const char *tenant)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    pthread_once(&stripes_once, stripes_init);
    for (const unsigned char *p = (const unsigned char *)tenant; *p != '\0'; p++)
        h = (h ^ *p) * 16777619u;
    return &stripes[h % LOCK_STRIPES];
}

void bh_plugin_catalog_lock(const char *tenant)
{
    pthread_mutex_lock(stripe(tenant));
}

void bh_plugin_catalog_unlock(const char *tenant)
{
    pthread_mutex_unlock(stripe(tenant));
}

int bh_plugin_catalog_dir(const bh_tenant_state *st, char *buf, size_t len)
{
    return bh_tenant_state_path(st, "plugins", NULL, buf, len);
}

int bh_plugin_catalog_path(const bh_tenant_state *st, const char *sha256, char *buf, size_t len)
{
    char dir[PATH_MAX];
    int rc = bh_plugin_catalog_dir(st, dir, sizeof dir);
    return rc != 0 ? rc : bh_plugin_store_path(dir, sha256, buf, len);
}

void bh_active_uploads_free(bh_active_upload *a, size_t n)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(a[i].name);
        free(a[i].sha256);
        free(a[i].path);
        free(a[i].config_json);
    }
    free(a);
}

int bh_plugin_catalog_list(const char *data_dir, const char *tenant, cJSON **out, char *err,
                           size_t errlen)
{
    bh_tenant_state *st;
    cJSON *rows = NULL, *groups = cJSON_CreateArray(), *group = NULL, *row, *next;
    const char *current = "";
    int rc = groups != NULL ? bh_tenant_state_existing(data_dir, tenant, &st, err, errlen)
                            : BATON_ENOMEM;

    *out = NULL;
    if (rc == 1) {
        *out = groups;
        return 0;
    }
    if (rc != 0 || (rc = bh_store_plugin_list(st->store, &rows, err, errlen)) != 0)
        goto out;
    /* rows come sorted by name: one group per run of a name */
    for (row = rows != NULL ? rows->child : NULL; row != NULL; row = next) {
        next = row->next;
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "name");
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(row, "sha256");
        const cJSON *scope = cJSON_GetObjectItemCaseSensitive(row, "scope");
        int active = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "active"));
        if (!cJSON_IsString(name) || !cJSON_IsString(sha) || !cJSON_IsString(scope))
            continue;
        if (group == NULL || strcmp(current, name->valuestring) != 0) {
            group = cJSON_CreateObject();
            if (group == NULL)
                goto oom;
            cJSON_AddItemToArray(groups, group);
            if (cJSON_AddStringToObject(group, "name", name->valuestring) == NULL ||
                cJSON_AddStringToObject(group, "scope", scope->valuestring) == NULL ||
                cJSON_AddNullToObject(group, "active") == NULL ||
                cJSON_AddStringToObject(group, "mode", "isolated") == NULL ||
                cJSON_AddArrayToObject(group, "versions") == NULL)
                goto oom;
            current = cJSON_GetObjectItemCaseSensitive(group, "name")->valuestring;
        }
        if (active) {
            cJSON *s = cJSON_CreateString(sha->valuestring);
            if (s == NULL)
                goto oom;
            cJSON_ReplaceItemInObjectCaseSensitive(group, "active", s);
        }
        cJSON *v = cJSON_DetachItemViaPointer(rows, row);
        cJSON_DeleteItemFromObjectCaseSensitive(v, "name");
        cJSON_DeleteItemFromObjectCaseSensitive(v, "active");
        cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(group, "versions"), v);
        if (cJSON_AddStringToObject(v, "status", active ? "active" : "available") == NULL)
            goto oom;
    }
    *out = groups;
    groups = NULL;
    rc = 0;
    goto out;
oom:
    rc = BATON_ENOMEM;
    snprintf(err, errlen, "tenant %s: out of memory", tenant);
out:
    cJSON_Delete(rows);
    cJSON_Delete(groups);
    return rc;
}

int bh_plugin_catalog_active(const char *data_dir, const char *tenant, bh_active_upload **out,
                             size_t *n, char *err, size_t errlen)
{
    char path[PATH_MAX];
    bh_tenant_state *st;
    cJSON *rows = NULL;
    bh_active_upload *list = NULL;
    size_t count = 0;
    int rc;

    *out = NULL;
    *n = 0;
    rc = bh_tenant_state_existing(data_dir, tenant, &st, err, errlen);
    if (rc == 1)
        return 0;
    if (rc != 0 || (rc = bh_store_plugin_active(st->store, &rows, err, errlen)) != 0)
        return rc;
    int total = cJSON_GetArraySize(rows);
    if (total > 0 && (list = calloc((size_t)total, sizeof *list)) == NULL) {
        rc = BATON_ENOMEM;
        snprintf(err, errlen, "tenant %s: out of memory", tenant);
        goto out;
    }
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "name");
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(row, "sha256");
        const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(row, "config");
        bh_active_upload *a = &list[count];
        if (!cJSON_IsString(name) || !cJSON_IsString(sha))
            continue;
        if (bh_plugin_catalog_path(st, sha->valuestring, path, sizeof path) != 0) {
            snprintf(err, errlen, "tenant %s: plugin %s: bad sha256 in the catalog", tenant,
                     name->valuestring);
            rc = BATON_EINVAL;
            goto out;
        }
        count++;
        a->name = strdup(name->valuestring);
        a->sha256 = strdup(sha->valuestring);
        a->path = strdup(path);
        a->config_json = cJSON_IsString(cfg) ? strdup(cfg->valuestring) : NULL;
        if (a->name == NULL || a->sha256 == NULL || a->path == NULL ||
            (cJSON_IsString(cfg) && a->config_json == NULL)) {
            rc = BATON_ENOMEM;
            snprintf(err, errlen, "tenant %s: out of memory", tenant);
            goto out;
        }
    }
    *out = list;
    *n = count;
    list = NULL;
    rc = 0;
out:
    bh_active_uploads_free(list, count);
    cJSON_Delete(rows);
    return rc;
}

int bh_plugin_catalog_add(bh_tenant_state *st, const char *src, size_t max_bytes,
                          const bh_plugin_version *v, int *existed, char *err, size_t errlen)
{
    char dir[PATH_MAX], stored[PATH_MAX], sha[65];
    bh_plugin_version old;
    int rc;

    *existed = 0;
    if (bh_store_plugin_get(st->store, v->name, v->sha256, &old, err, errlen) == 0) {
        *existed = 1;
        return 0;
    }
    if ((rc = bh_plugin_catalog_dir(st, dir, sizeof dir)) != 0) {
        snprintf(err, errlen, "tenant %s: plugins folder path too long", st->id);
        return rc;
    }
    if ((rc = bh_plugin_store_put(dir, src, max_bytes, sha, stored, sizeof stored, err, errlen)) !=
        0)
        return rc;
    if (strcmp(sha, v->sha256) != 0) {
        /* What was hashed on arrival is not what was stored: record
         * nothing. The stored file stays: other versions may share it. */
        snprintf(err, errlen, "plugin %s: stored bytes hash to %s, not %s", v->name, sha,
                 v->sha256);
        return BATON_ECRYPTO;
    }
    /* On a failure the stored file stays too: unrecorded, it is never
     * loaded, and a retry of the same bytes reuses it. */
    rc = bh_store_plugin_add(st->store, v, err, errlen);
    if (rc == BATON_EEXIST) {
        *existed = 1; /* a concurrent upload of the same bytes won */
        return 0;
    }
    return rc;
}

int bh_plugin_catalog_remove_record(bh_tenant_state *st, const char *name, const char *sha256,
                                    char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (bh_plugin_catalog_path(st, sha256, path, sizeof path) != 0) {
        snprintf(err, errlen, "plugin %s has no version %s", name, sha256);
        return BATON_ENOENT;
    }
    return bh_store_plugin_remove(st->store, name, sha256, err, errlen);
}

void bh_plugin_catalog_drop_file(bh_tenant_state *st, const char *sha256)
{
    char path[PATH_MAX];
    /* One sha256 has one name (the name is inside the file), so no other
     * record refers to this file. Its removal is best effort: a leftover
     * file is unreachable and harmless, and a new upload of the same bytes
     * reuses it. */
    if (bh_plugin_catalog_path(st, sha256, path, sizeof path) == 0 && unlink(path) == 0)
        bh_tenant_state_sync_dir(st, "plugins");
}

int bh_plugin_catalog_remove(bh_tenant_state *st, const char *name, const char *sha256, char *err,
                             size_t errlen)
{
    int rc = bh_plugin_catalog_remove_record(st, name, sha256, err, errlen);
    if (rc == 0)
        bh_plugin_catalog_drop_file(st, sha256);
    return rc;
}
