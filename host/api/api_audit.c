/*
 * api_audit.c - the calling tenant's audit log for an operator or auditor
 * (docs/audit.md):
 *
 *   GET /v1/audit?after=SEQ&limit=N   any tenant: rows seq > SEQ, oldest
 *                                     first, with the chain fields
 *   GET /v1/audit/checkpoints         any tenant: the signed checkpoints
 *
 * A client reads the whole log by following next_after until it is null.
 * Reads run on the thread pool (they touch disk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "baton/error.h"
#include "router.h"
#include "tenant_state.h"

void bh_api_audit(bh_req *r);
void bh_api_audit_checkpoints(bh_req *r);

#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX     1000

typedef struct audit_job {
    uv_work_t work;
    bh_req *req;
    const char *data_dir; /* the request's registry holds it */
    const char *tenant;
    int checkpoints; /* the checkpoints list instead of a page */
    int64_t after;
    int limit;
    cJSON *answer;
    char err[512];
} audit_job;

/* A page of rows, the chain's head, and where the next page starts
 * (null on the last page). */
static cJSON *page(bh_tenant_state *st, int64_t after, int limit, char *err, size_t errlen)
{
    cJSON *rows = NULL;
    int64_t head, end = after;
    char hash[65];
    if (bh_store_audit_head(st->store, &head, hash, err, errlen) != 0 ||
        bh_store_audit_page(st->store, after, limit, &rows, err, errlen) != 0)
        return NULL;
    cJSON *out = cJSON_CreateObject();
    if (out == NULL || !cJSON_AddItemToObject(out, "records", rows)) {
        cJSON_Delete(rows);
        goto nomem;
    }
    int n = cJSON_GetArraySize(rows);
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rows, n - 1), "seq");
    if (cJSON_IsNumber(last))
        end = (int64_t)last->valuedouble;
    cJSON *h = cJSON_AddObjectToObject(out, "head");
    if (h == NULL || cJSON_AddNumberToObject(h, "seq", (double)head) == NULL ||
        cJSON_AddStringToObject(h, "hash", hash) == NULL)
        goto nomem;
    if ((end < head ? cJSON_AddNumberToObject(out, "next_after", (double)end)
                    : cJSON_AddNullToObject(out, "next_after")) == NULL)
        goto nomem;
    return out;
nomem:
    snprintf(err, errlen, "out of memory");
    cJSON_Delete(out);
    return NULL;
}

static cJSON *checkpoints(bh_tenant_state *st, char *err, size_t errlen)
{
    bh_audit_checkpoint *c = NULL;
    size_t n = 0;
    if (bh_store_checkpoint_all(st->store, &c, &n, err, errlen) != 0)
        return NULL;
    cJSON *out = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(out, "checkpoints");
    int ok = list != NULL && cJSON_AddStringToObject(out, "sign_pub", st->keys->sign_pub_b64);
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        ok = o != NULL && cJSON_AddItemToArray(list, o) &&
             cJSON_AddNumberToObject(o, "seq", (double)c[i].seq) != NULL &&
             cJSON_AddStringToObject(o, "hash", c[i].hash) != NULL &&
             cJSON_AddStringToObject(o, "ts", c[i].ts) != NULL &&
             cJSON_AddStringToObject(o, "statement", c[i].statement) != NULL &&
             cJSON_AddStringToObject(o, "minisig", c[i].minisig) != NULL;
    }
    bh_audit_checkpoints_free(c, n);
    if (!ok) {
        snprintf(err, errlen, "out of memory");
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

static void run(uv_work_t *w)
{
    audit_job *j = w->data;
    bh_tenant_state *st;
    if (bh_tenant_state_get(j->data_dir, j->tenant, &st, j->err, sizeof j->err) != 0)
        return;
    j->answer = j->checkpoints ? checkpoints(st, j->err, sizeof j->err)
                               : page(st, j->after, j->limit, j->err, sizeof j->err);
}

static void done(uv_work_t *w, int status)
{
    audit_job *j = w->data;
    if (status == UV_ECANCELED)
        bh_reply_error(j->req, 503, "unavailable", "batond is shutting down");
    else if (j->answer != NULL)
        bh_reply_json(j->req, 200, j->answer);
    else
        bh_reply_error(j->req, 500, "internal", j->err);
    cJSON_Delete(j->answer);
    free(j);
}

static void start(bh_req *r, int want_checkpoints)
{
    int64_t after = 0, limit = AUDIT_PAGE_DEFAULT;
    if (!want_checkpoints &&
        (bh_req_query_int(r, "after", 0, INT64_MAX, 0, &after) != 0 ||
         bh_req_query_int(r, "limit", 1, AUDIT_PAGE_MAX, AUDIT_PAGE_DEFAULT, &limit) != 0))
        return;
    audit_job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        bh_reply_out_of_memory(r, "reading the audit log");
        return;
    }
    j->req = r;
    j->data_dir = r->registry->config->data_dir;
    j->tenant = r->tenant->id;
    j->checkpoints = want_checkpoints;
    j->after = after;
    j->limit = (int)limit;
    j->work.data = j;
    if (uv_queue_work(r->loop, &j->work, run, done) != 0) {
        bh_reply_error(r, 503, "unavailable", "cannot schedule the work");
        free(j);
    }
}

void bh_api_audit(bh_req *r)
{
    start(r, 0);
}

void bh_api_audit_checkpoints(bh_req *r)
{
    start(r, 1);
}
