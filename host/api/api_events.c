/*
 * api_events.c - the case-event endpoints (docs/placements.md, "Events
 * API"); the work itself is case_events.c's:
 *
 *   POST /v1/inbox/:id/events                 law firm: a draft, signed by
 *                                             the firm and sent to the agency
 *   GET  /v1/inbox/:id/events?since=&limit=   law firm: both chains
 *   POST /v1/placements/:id/events            agency: a draft (recall, hold,
 *                                             resume, instruction,
 *                                             balance_adjusted)
 *   POST /v1/placements/:id/events/import     agency: an external firm's
 *                                             signed event {"event","minisig"}
 *   GET  /v1/placements/:id/events?since=&limit=
 *                                             agency: both chains, each entry
 *                                             with its exact line and minisig
 *
 * Each handler reads the calling tenant's state only, plus the public key
 * and the delivery to the other party of the handoff when it is a tenant on
 * this host. The work runs on the thread pool (disk, signatures).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "api_body.h"
#include "baton/error.h"
#include "case_events.h"
#include "router.h"

void bh_api_inbox_events_post(bh_req *r);
void bh_api_inbox_events_list(bh_req *r);
void bh_api_placement_events_post(bh_req *r);
void bh_api_placement_events_import(bh_req *r);
void bh_api_placement_events_list(bh_req *r);

/* A request body above this is refused before parsing (a payment plan of
 * 600 instalments is about 50 KiB). */
#define EVENT_BODY_MAX     (256 * 1024)
#define EVENT_PAGE_MAX     1000
#define EVENT_PAGE_DEFAULT 500

enum job_kind { JOB_POST, JOB_IMPORT, JOB_LIST };

typedef struct job {
    uv_work_t work;
    bh_req *req;
    enum job_kind kind;
    int firm_side; /* the inbox endpoints */
    const bh_registry *registry;
    const bh_tenant *tenant;
    char id[64];
    char *event_id, *event_kind, *date, *body; /* JOB_POST, owned */
    char *line, *minisig;                      /* JOB_IMPORT, owned */
    int64_t since, limit;
    cJSON *answer;
    bh_handoff_error e;
} job;

static void job_free(job *j)
{
    free(j->event_id);
    free(j->event_kind);
    free(j->date);
    free(j->body);
    free(j->line);
    free(j->minisig);
    cJSON_Delete(j->answer);
    free(j);
}

static void fail(bh_handoff_error *e, int status, const char *code, const char *fmt,
                 const char *arg)
{
    e->http_status = status;
    e->code = code;
    snprintf(e->message, sizeof e->message, fmt, arg);
}

/* The handoff as the caller sees it and the other party's state on this
 * host (NULL when external or no longer configured). */
static int resolve(job *j, bh_tenant_state *self, bh_event_handoff *h, bh_tenant_state **other)
{
    *other = NULL;
    if (j->firm_side) {
        bh_inbox_item it;
        char why[256];
        bh_tenant_state *agency = NULL;
        if (bh_store_inbox_get(self->store, j->id, &it, why, sizeof why) == 0)
            agency = bh_registry_state(j->registry, it.sender);
        if (bh_event_handoff_firm(self, j->id, agency, h, &j->e) != 0)
            return -1;
        *other = agency;
        return 0;
    }
    if (bh_event_handoff_agency(self, j->id, h, &j->e) != 0)
        return -1;
    if (h->counterpart[0] != '\0')
        *other = bh_registry_state(j->registry, h->counterpart);
    return 0;
}

static void run(uv_work_t *w)
{
    job *j = w->data;
    bh_event_handoff h;
    bh_tenant_state *self = bh_registry_state(j->registry, j->tenant->id), *other;
    if (self == NULL) {
        fail(&j->e, 500, "tenant_state", "the state of this tenant cannot be opened", "");
        return;
    }
    if (resolve(j, self, &h, &other) != 0)
        return;
    switch (j->kind) {
    case JOB_POST: {
        bh_event_draft d = {j->event_id, j->event_kind, j->date, j->body, strlen(j->body)};
        bh_event_post(self, &h, &d, other, &j->answer, &j->e);
        break;
    }
    case JOB_IMPORT:
        if (h.counterpart[0] != '\0') {
            fail(&j->e, 409, "import_not_external",
                 "handoff went to %s, a tenant on this host, whose events arrive by themselves",
                 h.counterpart);
            break;
        }
        bh_event_receive(self, &h, j->line, strlen(j->line), j->minisig, strlen(j->minisig),
                         "event.imported", &j->answer, &j->e);
        break;
    case JOB_LIST:
        bh_event_list(self, &h, j->since, j->limit, &j->answer, &j->e);
        break;
    }
}

static void done(uv_work_t *w, int status)
{
    job *j = w->data;
    bh_req *r = j->req;
    if (status == UV_ECANCELED) {
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
    } else if (j->answer != NULL) {
        int code = 200;
        if (j->kind != JOB_LIST &&
            !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j->answer, "repeat")))
            code = 201;
        bh_reply_json(r, code, j->answer);
    } else {
        bh_reply_error(r, j->e.http_status ? j->e.http_status : 500,
                       j->e.code ? j->e.code : "internal", j->e.message);
    }
    job_free(j);
}

static job *job_new(bh_req *r, enum job_kind kind, int firm_side)
{
    const char *id = bh_req_param(r, "id");
    size_t n = id != NULL ? strlen(id) : 0;
    /* Ids are "<prefix>_<32 hex>"; anything else cannot exist. */
    if (n == 0 || n >= 64 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        bh_reply_error(r, 404, firm_side ? "unknown_inbox_item" : "unknown_handoff", "no such id");
        return NULL;
    }
    job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        bh_reply_out_of_memory(r, "reading the request");
        return NULL;
    }
    j->req = r;
    j->kind = kind;
    j->firm_side = firm_side;
    j->registry = r->registry;
    j->tenant = r->tenant;
    j->work.data = j;
    memcpy(j->id, id, n + 1);
    return j;
}

static void queue(job *j)
{
    if (uv_queue_work(j->req->loop, &j->work, run, done) != 0) {
        bh_reply_error(j->req, 503, "unavailable", "cannot schedule the work");
        job_free(j);
    }
}

/* The body, parsed, when it is within EVENT_BODY_MAX (answered otherwise). */
static cJSON *event_body(bh_req *r)
{
    cJSON *body;
    if (r->http->body_len > EVENT_BODY_MAX) {
        bh_reply_error(r, 413, "body_too_large",
                       "an event request is at most 262144 bytes (a payment plan of 600 "
                       "instalments is about 50 KiB)");
        return NULL;
    }
    return bh_req_json_body(r, &body) == 0 ? body : NULL;
}

/* A string member of at most max bytes, strdup'ed into *out; NULL member
 * is "missing". Answers 422 and returns -1 otherwise. */
static int member_str(bh_req *r, const cJSON *body, const char *key, size_t max, char **out)
{
    char msg[160];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    if (!cJSON_IsString(v) || strlen(v->valuestring) > max) {
        snprintf(msg, sizeof msg, "%s: %s", key,
                 v == NULL ? "missing" : "expected a string of the right length");
        bh_reply_error(r, 422, "event_invalid", msg);
        return -1;
    }
    if ((*out = strdup(v->valuestring)) == NULL) {
        bh_reply_out_of_memory(r, "reading the request");
        return -1;
    }
    return 0;
}

/* body: {"event_id": "...", "kind": "...", "date": "YYYY-MM-DD", "body": {...}} */
static void post_draft(bh_req *r, int firm_side)
{
    cJSON *body = event_body(r);
    if (body == NULL)
        return;
    const cJSON *c;
    cJSON_ArrayForEach(c, body)
    {
        if (strcmp(c->string, "event_id") != 0 && strcmp(c->string, "kind") != 0 &&
            strcmp(c->string, "date") != 0 && strcmp(c->string, "body") != 0) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     "%.64s: not a member of an event draft (event_id, kind, date, body; batond "
                     "fills in the rest)",
                     c->string);
            bh_reply_error(r, 422, "event_invalid", msg);
            cJSON_Delete(body);
            return;
        }
    }
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(body, "body");
    job *j = job_new(r, JOB_POST, firm_side);
    if (j == NULL) {
        cJSON_Delete(body);
        return;
    }
    if (member_str(r, body, "event_id", BATON_EVENT_ID_MAX, &j->event_id) != 0 ||
        member_str(r, body, "kind", 32, &j->event_kind) != 0 ||
        member_str(r, body, "date", 10, &j->date) != 0) {
        cJSON_Delete(body);
        job_free(j);
        return;
    }
    if (!cJSON_IsObject(b)) {
        bh_reply_error(r, 422, "event_invalid",
                       b == NULL ? "body: missing (an object; {} for kinds without members)"
                                 : "body: expected an object");
        cJSON_Delete(body);
        job_free(j);
        return;
    }
    j->body = cJSON_PrintUnformatted(b);
    cJSON_Delete(body);
    if (j->body == NULL) {
        bh_reply_out_of_memory(r, "reading the request");
        job_free(j);
        return;
    }
    queue(j);
}

static void list(bh_req *r, int firm_side)
{
    int64_t since, limit;
    if (bh_req_query_int(r, "since", 0, INT64_MAX, 0, &since) != 0 ||
        bh_req_query_int(r, "limit", 1, EVENT_PAGE_MAX, EVENT_PAGE_DEFAULT, &limit) != 0)
        return;
    job *j = job_new(r, JOB_LIST, firm_side);
    if (j == NULL)
        return;
    j->since = since;
    j->limit = limit;
    queue(j);
}

void bh_api_inbox_events_post(bh_req *r)
{
    post_draft(r, 1);
}

void bh_api_inbox_events_list(bh_req *r)
{
    list(r, 1);
}

void bh_api_placement_events_post(bh_req *r)
{
    post_draft(r, 0);
}

void bh_api_placement_events_list(bh_req *r)
{
    list(r, 0);
}

/* body: {"event": "<EVENT line>", "minisig": "<EVENT.minisig text>"} */
void bh_api_placement_events_import(bh_req *r)
{
    cJSON *body = event_body(r);
    if (body == NULL)
        return;
    job *j = job_new(r, JOB_IMPORT, 0);
    if (j == NULL) {
        cJSON_Delete(body);
        return;
    }
    if (member_str(r, body, "event", BATON_EVENT_LINE_MAX, &j->line) != 0 ||
        member_str(r, body, "minisig", 16384, &j->minisig) != 0) {
        cJSON_Delete(body);
        job_free(j);
        return;
    }
    cJSON_Delete(body);
    queue(j);
}
