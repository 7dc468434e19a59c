/*
 * api_plugins.c - GET /v1/plugins: the calling tenant's plugins, and only
 * theirs:
 *   {"tenant": id, "kind": ...,
 *    "plugins": [{"name", "version", "scope", "sdk", "capabilities": [...],
 *                 "letters": [...], "mode", "sha256", "source"}],
 *    "uploads": [{"name", "scope", "active", "mode", "versions": [...]}]}
 * "plugins" is the set requests use right now: "sdk" is the SDK version the
 * plugin was built against ("1.0"); capabilities name the tables it
 * provides ("filing_rules", "fee_schedule", "letter_formats") and
 * "letters" lists the letter kinds it writes; "mode" is "in_process" or
 * "isolated"; "sha256" is the hash of the code that runs; "source" is
 * "config" (the operator's tenant file) or "upload" (POST /v1/plugins).
 * "uploads" lists every version the tenant uploaded, active or available
 * (plugin_catalog.h), read on the thread pool.
 */
#include <stdio.h>
#include <stdlib.h>

#include <uv.h>

#include "plugin_catalog.h"
#include "router.h"
#include "worker_proto.h"

void bh_api_plugins(bh_req *r);

typedef struct list_job {
    uv_work_t work;
    bh_req *req;
    cJSON *root; /* owned: the answer being built */
    cJSON *uploads;
    char err[300];
    int rc;
} list_job;

/* The live set as "plugins". */
static int add_live(cJSON *list, const bh_plugin_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        const bh_plugin_instance *in = set->items[i];
        const bh_plugin_info *d = &in->info;
        cJSON *p = cJSON_CreateObject();
        cJSON *caps;
        char sdk[16];

        if (p == NULL)
            return -1;
        cJSON_AddItemToArray(list, p);
        snprintf(sdk, sizeof(sdk), "%u.%u", d->sdk_major, d->sdk_minor);
        if (cJSON_AddStringToObject(p, "name", d->name) == NULL ||
            cJSON_AddStringToObject(p, "version", d->version) == NULL ||
            cJSON_AddStringToObject(p, "scope", d->scope) == NULL ||
            cJSON_AddStringToObject(p, "sdk", sdk) == NULL ||
            (caps = cJSON_AddArrayToObject(p, "capabilities")) == NULL)
            return -1;
        if (d->caps & BH_CAP_FILING_RULES)
            cJSON_AddItemToArray(caps, cJSON_CreateString("filing_rules"));
        if (d->caps & BH_CAP_FEE_SCHEDULE)
            cJSON_AddItemToArray(caps, cJSON_CreateString("fee_schedule"));
        if (d->caps & BH_CAP_LETTER) {
            cJSON *kinds = cJSON_AddArrayToObject(p, "letters");
            cJSON_AddItemToArray(caps, cJSON_CreateString("letter_formats"));
            for (char **k = d->letter_kinds; kinds != NULL && k != NULL && *k != NULL; k++)
                cJSON_AddItemToArray(kinds, cJSON_CreateString(*k));
        }
        if (cJSON_AddStringToObject(p, "mode", bh_plugin_mode_name(in->mode)) == NULL ||
            cJSON_AddStringToObject(p, "sha256", in->sha256) == NULL ||
            cJSON_AddStringToObject(p, "source", in->upload != NULL ? "upload" : "config") == NULL)
            return -1;
    }
    return 0;
}

static void list_work(uv_work_t *w)
{
    list_job *j = w->data;
    const bh_req *r = j->req;
    j->rc = bh_plugin_catalog_list(r->registry->config->data_dir, r->tenant->id, &j->uploads,
                                   j->err, sizeof j->err);
}

static void list_done(uv_work_t *w, int status)
{
    list_job *j = w->data;
    bh_req *r = j->req;
    if (status == UV_ECANCELED)
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
    else if (j->rc != 0)
        bh_reply_error(r, 500, "internal", j->err);
    else {
        cJSON_AddItemToObject(j->root, "uploads", j->uploads);
        j->uploads = NULL;
        bh_reply_json(r, 200, j->root);
    }
    cJSON_Delete(j->uploads);
    cJSON_Delete(j->root);
    free(j);
}

void bh_api_plugins(bh_req *r)
{
    bh_plugin_set *set = bh_tenant_plugins(r->tenant);
    list_job *j = calloc(1, sizeof *j);
    cJSON *list = NULL;

    if (j == NULL || (j->root = cJSON_CreateObject()) == NULL ||
        cJSON_AddStringToObject(j->root, "tenant", r->tenant->id) == NULL ||
        cJSON_AddStringToObject(j->root, "kind", bh_tenant_kind_name(r->tenant->kind)) == NULL ||
        (list = cJSON_AddArrayToObject(j->root, "plugins")) == NULL || add_live(list, set) != 0)
        goto oom;
    bh_plugin_set_unref(set);
    set = NULL;
    j->req = r;
    j->work.data = j;
    if (uv_queue_work(r->loop, &j->work, list_work, list_done) != 0) {
        bh_reply_error(r, 503, "unavailable", "cannot schedule the work");
        cJSON_Delete(j->root);
        free(j);
    }
    return;
oom:
    bh_plugin_set_unref(set);
    if (j != NULL)
        cJSON_Delete(j->root);
    free(j);
    bh_reply_out_of_memory(r, "listing plugins");
}
