/*
 * plugin_catalog.h - the plugins a tenant uploaded (POST /v1/plugins):
 * which versions it has, which one of each name is active, and the
 * activation history a rollback returns along.
 *
 * Where things are:
 *   <data_dir>/tenants/<id>/plugins/<sha256>.so   the bytes, stored by
 *       content (plugin_store.h), read-only, in the tenant's own folder so
 *       no file is ever shared between tenants
 *   <data_dir>/tenants/<id>/store.db              the versions and the
 *       activation stacks (store.h: plugin_versions, plugin_activations)
 *
 * The records live in the tenant's SQLite store rather than a JSON file of
 * their own: the store already commits durably (WAL, synchronous=FULL),
 * serialises threads, and is where the audit log that records every deploy
 * lives; a second durable format would need its own atomic-rename and
 * fsync discipline for no gain.
 *
 * The catalog is the durable truth; the tenant's live plugin set
 * (tenant.h) is built from it at start and on SIGHUP
 * (bh_plugin_catalog_active) and changed with it on activation.
 *
 * Owns: the catalog's records and the files in the plugins folder. Does
 * not own: signature checks, load checks, scope rules (api_plugin_deploy.c)
 * or the live plugin set (tenant.h). Functions return 0 or a negative
 * BATON_E* code with one line in err; all of them block on disk.
 */
#ifndef BH_PLUGIN_CATALOG_H
#define BH_PLUGIN_CATALOG_H

#include <stddef.h>

#include "store.h"
#include "tenant_state.h"

/* An active uploaded plugin, as the registry build loads it. */
typedef struct bh_active_upload {
    char *name;        /* the plugin's name */
    char *sha256;      /* 64 hex */
    char *path;        /* <data_dir>/tenants/<id>/plugins/<sha256>.so */
    char *config_json; /* the config given at activation, or NULL */
} bh_active_upload;

/*
 * The tenant's active uploads (*n of them, *out NULL when none). A tenant
 * that never uploaded anything has no store yet: then 0 with *n = 0, and
 * nothing is created. Caller frees with bh_active_uploads_free.
 */
int bh_plugin_catalog_active(const char *data_dir, const char *tenant, bh_active_upload **out,
                             size_t *n, char *err, size_t errlen);
void bh_active_uploads_free(bh_active_upload *a, size_t n);

/*
 * The tenant's uploads for GET /v1/plugins, grouped by name:
 *   [{"name", "scope", "active": sha256 or null, "mode": "isolated",
 *     "versions": [{"sha256", "version", "scope", "sdk", "size", "signer",
 *                   "uploaded", "status": "active" | "available"}]}]
 * An empty array for a tenant that never uploaded (nothing is created).
 * Caller frees with cJSON_Delete.
 */
int bh_plugin_catalog_list(const char *data_dir, const char *tenant, cJSON **out, char *err,
                           size_t errlen);

/* <tenant dir>/plugins (the content store of the tenant's uploads). */
int bh_plugin_catalog_dir(const bh_tenant_state *st, char *buf, size_t len);

/* <tenant dir>/plugins/<sha256>.so; BATON_EINVAL when sha256 is not hex. */
int bh_plugin_catalog_path(const bh_tenant_state *st, const char *sha256, char *buf, size_t len);

/*
 * Copies the file src into the tenant's plugins folder by content
 * (bh_plugin_store_put) and records v (whose sha256 must be the file's:
 * BATON_ECRYPTO otherwise, nothing recorded). *existed is 1 when that
 * version was already recorded (the call then changes nothing). A file
 * stored but not recorded (an error after the copy) is never loaded; the
 * next upload of the same bytes reuses it.
 */
int bh_plugin_catalog_add(bh_tenant_state *st, const char *src, size_t max_bytes,
                          const bh_plugin_version *v, int *existed, char *err, size_t errlen);

/*
 * Removes the record of an inactive version (in the caller's transaction,
 * when one is open). BATON_EEXIST when it is the active one, BATON_ENOENT
 * when there is no such version. bh_plugin_catalog_drop_file removes its
 * file after the commit (best effort: a leftover file is unreachable).
 */
int bh_plugin_catalog_remove_record(bh_tenant_state *st, const char *name, const char *sha256,
                                    char *err, size_t errlen);
void bh_plugin_catalog_drop_file(bh_tenant_state *st, const char *sha256);

/* Both of the above: the record, then the file. */
int bh_plugin_catalog_remove(bh_tenant_state *st, const char *name, const char *sha256, char *err,
                             size_t errlen);

/*
 * Serialises the check-activate-record sequences of one tenant
 * (activation, rollback, removal), so two of them never interleave
 * between the live set and the catalog. Striped by tenant id.
 */
void bh_plugin_catalog_lock(const char *tenant);
void bh_plugin_catalog_unlock(const char *tenant);

#endif
