/*
 * api_handoffs.c - the handoff endpoints: an agency's outbox and a law
 * firm's inbox (the work itself is in handoff.c).
 *
 *   POST /v1/handoffs                  agency: pack a case for a counterpart
 *   GET  /v1/handoffs                  agency: its handoffs, newest first
 *   GET  /v1/handoffs/:id              agency: one handoff and its receipt
 *   GET  /v1/handoffs/:id/package      agency: the package bytes
 *   POST /v1/handoffs/:id/receipt      agency: an external firm's receipt
 *   GET  /v1/inbox                     law firm: packages received
 *   POST /v1/inbox/:id/accept          law firm: verify, import, receipt
 *   POST /v1/inbox/:id/reject          law firm: decline with a reason
 *
 * Every handler reads only the calling tenant's state (r->tenant), except
 * the delivery of a handoff or receipt to the counterpart tenant it is
 * addressed to. All work runs on the thread pool: it touches disk and
 * crypto. Errors use the one shape; codes are listed in handoff.h's
 * callers below and in the README's API section.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <uv.h>

#include "api_body.h"
#include "case_validate.h"
#include "counterparts.h"
#include "evaluate.h"
#include "handoff.h"
#include "placement_facts.h"
#include "router.h"

void bh_api_handoff_create(bh_req *r);
void bh_api_handoff_list(bh_req *r);
void bh_api_handoff_get(bh_req *r);
void bh_api_handoff_package(bh_req *r);
void bh_api_handoff_receipt(bh_req *r);
void bh_api_inbox_list(bh_req *r);
void bh_api_inbox_accept(bh_req *r);
void bh_api_inbox_reject(bh_req *r);

enum job_kind {
    JOB_CREATE,
    JOB_LIST,
    JOB_GET,
    JOB_PACKAGE,
    JOB_RECEIPT,
    JOB_INBOX,
    JOB_INBOX_GET,
    JOB_ACCEPT,
    JOB_REJECT,
};

typedef struct job {
    uv_work_t work;
    bh_req *req;
    enum job_kind kind;
    const bh_registry *registry; /* held by the request */
    const bh_tenant *tenant;
    char id[64];    /* path parameter */
    char *text;     /* case JSON or reason, owned */
    char *receipt;  /* owned */
    char *minisig;  /* owned */
    char **doc_ids; /* owned */
    size_t n_docs;
    char to[130];
    int64_t ttl;
    cJSON *case_doc;            /* JOB_CREATE: the case, while it is evaluated */
    bh_plugin_set *set;         /* JOB_CREATE: the plugins evaluating it */
    bh_placement_record placed; /* JOB_CREATE: what the handoff places */
    /* results */
    int ok_status;
    cJSON *answer;
    int fd;        /* JOB_PACKAGE: the package file, -1 when not open */
    uint64_t size; /* its size in bytes */
    bh_handoff_error e;
} job;

static void job_free(job *j)
{
    for (size_t i = 0; i < j->n_docs; i++)
        free(j->doc_ids[i]);
    free(j->doc_ids);
    free(j->text);
    free(j->receipt);
    free(j->minisig);
    cJSON_Delete(j->case_doc);
    if (j->set != NULL)
        bh_plugin_set_unref(j->set);
    if (j->fd >= 0)
        close(j->fd);
    cJSON_Delete(j->answer);
    free(j);
}

static int err(bh_handoff_error *e, int status, const char *code, const char *fmt, const char *a)
{
    e->http_status = status;
    e->code = code;
    snprintf(e->message, sizeof e->message, fmt, a ? a : "");
    return -1;
}

static int state_of(job *j, const char *tenant, bh_tenant_state **out)
{
    char why[300];
    if (bh_tenant_state_get(j->registry->config->data_dir, tenant, out, why, sizeof why) != 0)
        return err(&j->e, 500, "tenant_state", "%s", why);
    return 0;
}

/* The calling tenant's counterparts list (an empty array when none). */
static const cJSON *counterparts(const job *j)
{
    static const cJSON none = {.type = cJSON_Array};
    const cJSON *list = j->tenant->config->counterparts;
    return list != NULL ? list : &none;
}

/* The law-firm tenant or external firm a handoff goes to. */
static int resolve_target(job *j, bh_handoff_target *to)
{
    bh_counterpart cp;
    memset(to, 0, sizeof *to);
    if (bh_counterpart_find(counterparts(j), j->to, &cp) != 0)
        return err(&j->e, 403, "not_a_counterpart",
                   "'%s' is not among this tenant's counterparts (see \"counterparts\" in its "
                   "tenant file)",
                   j->to);
    if (cp.tenant != NULL) {
        const bh_tenant *t = bh_registry_find(j->registry, cp.tenant);
        if (t == NULL || t->kind != BH_TENANT_LAWFIRM)
            return err(&j->e, 422, "invalid_recipient",
                       "counterpart '%s' is not a law-firm tenant on this host", cp.tenant);
        to->name = t->id;
        return state_of(j, t->id, &to->tenant);
    }
    if (!cp.has_age)
        return err(&j->e, 422, "invalid_recipient",
                   "counterpart '%s' has no age_recipient to encrypt to", cp.name);
    to->name = cp.name;
    to->age = cp.age;
    to->sign = cp.sign;
    return 0;
}

/* Sender keys a law firm trusts: its counterparts' signing keys. */
static int trusted_keys(job *j, baton_minisign_pubkey **keys, size_t *n)
{
    bh_counterpart cp;
    const cJSON *list = counterparts(j);
    size_t cap = (size_t)cJSON_GetArraySize(list);
    *n = 0;
    *keys = calloc(cap ? cap : 1, sizeof **keys);
    if (*keys == NULL)
        return err(&j->e, 503, "out_of_memory", "out of memory while preparing the handoff%s", "");
    for (int i = 0; bh_counterpart_at(list, i, &cp) == 0; i++) {
        if (cp.tenant != NULL) {
            bh_tenant_state *st;
            if (bh_registry_find(j->registry, cp.tenant) == NULL ||
                state_of(j, cp.tenant, &st) != 0)
                continue;
            (*keys)[(*n)++] = st->keys->sign_pub;
        } else if (cp.has_sign) {
            (*keys)[(*n)++] = cp.sign;
        }
    }
    return 0;
}

/* The sending tenant of an inbox item when it is on this host. */
static bh_tenant_state *sender_state(job *j, bh_tenant_state *firm)
{
    bh_inbox_item it;
    char why[256];
    bh_tenant_state *st = NULL;
    if (bh_store_inbox_get(firm->store, j->id, &it, why, sizeof why) != 0)
        return NULL;
    if (bh_registry_find(j->registry, it.sender) == NULL || state_of(j, it.sender, &st) != 0)
        return NULL;
    return st;
}

/* Opens the package file; the loop thread streams it (bh_http_respond_file),
 * so a package of any size costs a few chunks of memory. */
static int open_package(job *j, bh_tenant_state *self)
{
    char why[256];
    bh_handoff h;
    struct stat st;
    int rc = bh_store_handoff_get(self->store, j->id, &h, why, sizeof why);
    if (rc != 0)
        return rc == BATON_ENOENT ? err(&j->e, 404, "unknown_handoff", "%s", why)
                                  : err(&j->e, 500, "internal", "%s", why);
    int fd = open(h.package_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return err(&j->e, 500, "internal", "cannot read the package of %s", j->id);
    }
    j->fd = fd;
    j->size = (uint64_t)st.st_size;
    return 0;
}

static void run(uv_work_t *w)
{
    job *j = w->data;
    bh_tenant_state *self;
    char why[300];
    int rc = 0;
    j->ok_status = 200;
    if (state_of(j, j->tenant->id, &self) != 0)
        return;
    switch (j->kind) {
    case JOB_CREATE: {
        bh_handoff_target to;
        if (resolve_target(j, &to) != 0)
            return;
        j->ok_status = 201;
        to.placement = &j->placed;
        bh_handoff_create(self, j->text, strlen(j->text), (const char *const *)j->doc_ids,
                          j->n_docs, &to, j->ttl, &j->answer, &j->e);
        return;
    }
    case JOB_LIST:
        rc = bh_store_handoff_list(self->store, &j->answer, why, sizeof why);
        break;
    case JOB_INBOX:
        rc = bh_store_inbox_list(self->store, &j->answer, why, sizeof why);
        break;
    case JOB_GET:
        bh_handoff_describe(self, j->id, &j->answer, &j->e);
        return;
    case JOB_INBOX_GET:
        bh_inbox_describe(self, j->id, &j->answer, &j->e);
        return;
    case JOB_PACKAGE:
        open_package(j, self);
        return;
    case JOB_RECEIPT:
        bh_handoff_add_receipt(self, j->id, j->receipt, j->minisig, &j->answer, &j->e);
        return;
    case JOB_ACCEPT: {
        baton_minisign_pubkey *keys = NULL;
        size_t n = 0;
        if (trusted_keys(j, &keys, &n) == 0) {
            j->e.http_status = 200;
            bh_inbox_accept(self, j->id, keys, n, sender_state(j, self), &j->answer, &j->e);
            j->ok_status = j->e.http_status;
        }
        free(keys);
        return;
    }
    case JOB_REJECT:
        bh_inbox_reject(self, j->id, j->text, sender_state(j, self), &j->answer, &j->e);
        return;
    }
    if (rc != 0)
        err(&j->e, 500, "internal", "%s", why);
}

static void done(uv_work_t *w, int status)
{
    job *j = w->data;
    bh_req *r = j->req;
    if (status == UV_ECANCELED)
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
    else if (j->kind == JOB_PACKAGE && j->fd >= 0) {
        char disposition[128];
        const char *extra[] = {disposition, NULL};
        snprintf(disposition, sizeof disposition,
                 "Content-Disposition: attachment; filename=\"%s.baton\"", j->id);
        r->status = 200; /* for the access log, as the reply helpers do */
        bh_http_respond_file(r->ex, 200, "application/octet-stream", j->fd, j->size, extra);
        j->fd = -1; /* the server closes it */
    } else if (j->answer != NULL) {
        if (j->ok_status == 422) {
            /* A rejected package: the answer carries the verdict and receipt. */
            cJSON *wrapped = cJSON_CreateObject();
            cJSON *error = cJSON_AddObjectToObject(wrapped, "error");
            if (error == NULL || cJSON_AddStringToObject(error, "code", j->e.code) == NULL ||
                cJSON_AddStringToObject(error, "message", j->e.message) == NULL ||
                !cJSON_AddItemReferenceToObject(wrapped, "result", j->answer)) {
                /* The decision is committed; the client learns it from the inbox. */
                bh_reply_error(r, 422, j->e.code, j->e.message);
            } else {
                snprintf(r->error_code, sizeof r->error_code, "%s", j->e.code);
                bh_reply_json(r, 422, wrapped);
            }
            cJSON_Delete(wrapped);
        } else {
            bh_reply_json(r, j->ok_status, j->answer);
        }
    } else {
        bh_reply_error(r, j->e.http_status ? j->e.http_status : 500,
                       j->e.code ? j->e.code : "internal", j->e.message);
    }
    job_free(j);
}

static job *job_new(bh_req *r, enum job_kind kind)
{
    job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        bh_reply_out_of_memory(r, "reading the request");
        return NULL;
    }
    j->req = r;
    j->kind = kind;
    j->fd = -1;
    j->registry = r->registry;
    j->tenant = r->tenant;
    j->work.data = j;
    const char *id = bh_req_param(r, "id");
    if (id != NULL) {
        /* Ids are "<prefix>_<32 hex>"; anything else cannot exist. */
        size_t n = strlen(id);
        if (n >= sizeof j->id || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
            bh_reply_error(r, 404,
                           kind == JOB_ACCEPT || kind == JOB_REJECT || kind == JOB_INBOX_GET
                               ? "unknown_inbox_item"
                               : "unknown_handoff",
                           "no such id");
            free(j);
            return NULL;
        }
        memcpy(j->id, id, n + 1);
    }
    return j;
}

static void queue(job *j)
{
    if (uv_queue_work(j->req->loop, &j->work, run, done) != 0) {
        bh_reply_error(j->req, 503, "unavailable", "cannot schedule the work");
        job_free(j);
    }
}

static void simple(bh_req *r, enum job_kind kind)
{
    job *j = job_new(r, kind);
    if (j != NULL)
        queue(j);
}

void bh_api_handoff_list(bh_req *r)
{
    simple(r, JOB_LIST);
}

void bh_api_handoff_get(bh_req *r)
{
    simple(r, JOB_GET);
}

void bh_api_handoff_package(bh_req *r)
{
    simple(r, JOB_PACKAGE);
}

void bh_api_inbox_list(bh_req *r)
{
    simple(r, JOB_INBOX);
}

void bh_api_inbox_get(bh_req *r)
{
    simple(r, JOB_INBOX_GET);
}

void bh_api_inbox_accept(bh_req *r)
{
    simple(r, JOB_ACCEPT);
}

/* The evaluation at placement is in: its expected recovery is the
 * placement's forecast (unknown when the plugins state none or the
 * evaluation failed: a handoff never waits on a forecast). */
static void on_placement_evaluated(void *ctx, cJSON *answer, const bh_eval_error *e)
{
    job *j = ctx;
    (void)e;
    j->placed.forecast_known =
        bh_placement_forecast(answer, j->placed.currency, &j->placed.forecast_minor);
    cJSON_Delete(answer);
    cJSON_Delete(j->case_doc);
    j->case_doc = NULL;
    bh_plugin_set_unref(j->set);
    j->set = NULL;
    queue(j);
}

/* body: {"to": "harbor-law", "case": {...}, "documents": ["doc_..."],
 *        "expires_in_days": 30} */
void bh_api_handoff_create(bh_req *r)
{
    cJSON *body;
    if (bh_req_json_body(r, &body) != 0)
        return;
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(body, "to");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "case");
    const cJSON *docs = cJSON_GetObjectItemCaseSensitive(body, "documents");
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(body, "expires_in_days");
    const char *problem = NULL;
    if (!cJSON_IsString(to) || strlen(to->valuestring) > 128)
        problem = "to: required, the name of a counterpart (a law-firm tenant or external firm)";
    else if (!cJSON_IsObject(c))
        problem = "case: required, the case as a JSON object (docs/case-format.md)";
    else if (docs != NULL && !cJSON_IsArray(docs))
        problem = "documents: expected an array of document ids from PUT /v1/documents";
    else if (days != NULL &&
             (!cJSON_IsNumber(days) || days->valuedouble < 1 || days->valuedouble > 365 ||
              days->valuedouble != (double)(int)days->valuedouble))
        problem = "expires_in_days: expected a whole number of days from 1 to 365";
    if (problem != NULL) {
        bh_reply_error(r, 400, "invalid_request", problem);
        cJSON_Delete(body);
        return;
    }
    /* The same rules as evaluate and letters (case_validate.h): a firm
     * never receives a case the format refuses. */
    bh_eval_error ce;
    if (bh_case_validate(c, &ce) != 0) {
        char msg[sizeof ce.message + 8];
        snprintf(msg, sizeof msg, "case.%s", ce.message);
        bh_reply_error(r, 400, "invalid_case", msg);
        cJSON_Delete(body);
        return;
    }
    job *j = job_new(r, JOB_CREATE);
    if (j == NULL) {
        cJSON_Delete(body);
        return;
    }
    snprintf(j->to, sizeof j->to, "%s", to->valuestring);
    j->ttl = days != NULL ? (int64_t)days->valuedouble * 86400 : BH_HANDOFF_TTL_DEFAULT;
    j->text = cJSON_PrintUnformatted(c);
    size_t n = docs != NULL ? (size_t)cJSON_GetArraySize(docs) : 0;
    j->doc_ids = n > 0 ? calloc(n, sizeof *j->doc_ids) : NULL;
    int bad = j->text == NULL || (n > 0 && j->doc_ids == NULL);
    const cJSON *d;
    if (!bad && docs != NULL) {
        cJSON_ArrayForEach(d, docs)
        {
            if (!cJSON_IsString(d) || (j->doc_ids[j->n_docs] = strdup(d->valuestring)) == NULL) {
                bad = 1;
                break;
            }
            j->n_docs++;
        }
    }
    char why[200];
    if (!bad &&
        bh_placement_amount(c, &j->placed.amount_minor, j->placed.currency, why, sizeof why) != 0) {
        bh_reply_error(r, 400, "invalid_case", why);
        cJSON_Delete(body);
        job_free(j);
        return;
    }
    j->case_doc = cJSON_DetachItemFromObjectCaseSensitive(body, "case");
    cJSON_Delete(body);
    if (bad) {
        bh_reply_error(r, 400, "invalid_request", "documents: expected an array of id strings");
        job_free(j);
        return;
    }
    bh_placement_today(j->placed.placed);
    /* The evaluation at placement (docs/placements.md, "Forecast"): the
     * same plugins as POST /v1/cases/evaluate; done may run before this
     * returns (in-process plugins) or later on this loop. */
    j->set = bh_tenant_plugins(r->tenant);
    bh_call_env env = bh_req_call_env(r);
    bh_evaluate_start(&env, j->set, j->case_doc, NULL, 0, j->placed.placed, on_placement_evaluated,
                      j);
}

/* body: {"receipt": "<RECEIPT line>", "minisig": "<RECEIPT.minisig text>"} */
void bh_api_handoff_receipt(bh_req *r)
{
    cJSON *body;
    if (bh_req_json_body(r, &body) != 0)
        return;
    const cJSON *rc = cJSON_GetObjectItemCaseSensitive(body, "receipt");
    const cJSON *sig = cJSON_GetObjectItemCaseSensitive(body, "minisig");
    if (!cJSON_IsString(rc) || !cJSON_IsString(sig)) {
        bh_reply_error(r, 400, "invalid_request",
                       "receipt and minisig: required, the receipt file and its signature as "
                       "strings");
        cJSON_Delete(body);
        return;
    }
    job *j = job_new(r, JOB_RECEIPT);
    if (j != NULL) {
        j->receipt = strdup(rc->valuestring);
        j->minisig = strdup(sig->valuestring);
        if (j->receipt == NULL || j->minisig == NULL) {
            bh_reply_out_of_memory(r, "reading the request");
            job_free(j);
            j = NULL;
        }
    }
    cJSON_Delete(body);
    if (j != NULL)
        queue(j);
}

/* body: {"reason": "conflict of interest"} */
void bh_api_inbox_reject(bh_req *r)
{
    cJSON *body;
    if (bh_req_json_body(r, &body) != 0)
        return;
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(body, "reason");
    if (!cJSON_IsString(reason) || reason->valuestring[0] == '\0' ||
        strlen(reason->valuestring) > 250) {
        bh_reply_error(r, 400, "invalid_request", "reason: required, 1..250 characters");
        cJSON_Delete(body);
        return;
    }
    job *j = job_new(r, JOB_REJECT);
    if (j != NULL && (j->text = strdup(reason->valuestring)) == NULL) {
        bh_reply_out_of_memory(r, "reading the request");
        job_free(j);
        j = NULL;
    }
    cJSON_Delete(body);
    if (j != NULL)
        queue(j);
}
