/*
 * api_ygc.c - the YGC interchange endpoints (docs/ygc.md):
 *
 *   GET  /v1/handoffs/:id/ygc        agency: the placement as YGC records
 *                                    01 and 02 (text/plain)
 *   POST /v1/inbox/:id/events/ygc    law firm: a YGC file of records 39, 30,
 *                                    41 and 43, each line posted as the
 *                                    firm's signed case events
 *                                    (?judgment=default|contested)
 *
 * Owns: reading what the records are written from (the handoff and the
 * case kept with it), the import's all-or-nothing check and its posting in
 * file order, and the answers. Does not own: the records (ygc_placement.c,
 * ygc_events.c), the fixed-width syntax (baton/ygc.h) or the event rules
 * (case_events.c). Runs on the thread pool: it reads the tenant's store and
 * signs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "baton/error.h"
#include "baton/receipt.h"
#include "case_events.h"
#include "router.h"
#include "store.h"
#include "tenant_state.h"
#include "ygc_events.h"
#include "ygc_placement.h"

void bh_api_handoff_ygc(bh_req *r);
void bh_api_inbox_events_ygc(bh_req *r);

typedef struct job {
    uv_work_t work;
    bh_req *req;
    const bh_registry *registry; /* held by the request */
    const bh_tenant *tenant;
    char id[64];
    /* results */
    int status;
    char code[48];
    char message[512];
    char *text; /* the records (export), the file (import) */
    size_t len;
    bh_ygc_judgment judgment; /* import */
    cJSON *answer;            /* import */
} job;

static void fail(job *j, int status, const char *code, const char *message)
{
    j->status = status;
    snprintf(j->code, sizeof j->code, "%s", code);
    snprintf(j->message, sizeof j->message, "%s", message);
}

static void run_export(uv_work_t *w)
{
    job *j = w->data;
    bh_tenant_state *self;
    char why[400];
    if (bh_tenant_state_get(j->registry->config->data_dir, j->tenant->id, &self, why, sizeof why) !=
        0) {
        fail(j, 500, "tenant_state", why);
        return;
    }
    bh_handoff h;
    int rc = bh_store_handoff_get(self->store, j->id, &h, why, sizeof why);
    if (rc != 0) {
        fail(j, rc == BATON_ENOENT ? 404 : 500, rc == BATON_ENOENT ? "unknown_handoff" : "internal",
             why);
        return;
    }
    char *case_json = NULL;
    rc = bh_store_handoff_case(self->store, j->id, &case_json, why, sizeof why);
    if (rc != 0) {
        if (rc == BATON_ENOENT)
            fail(j, 409, "ygc_case_unknown",
                 "this handoff was made before batond kept the case it placed; hand the case "
                 "off again to export it");
        else
            fail(j, 500, "internal", why);
        return;
    }
    cJSON *c = cJSON_Parse(case_json);
    free(case_json);
    if (c == NULL) {
        fail(j, 500, "internal", "the case kept with the handoff does not parse");
        return;
    }
    char file_number[24];
    snprintf(file_number, sizeof file_number, "%lld", (long long)h.sequence);
    const char *firm = strncmp(h.recipient, "external:", 9) == 0 ? h.recipient + 9 : h.recipient;
    bh_ygc_placement p = {file_number, j->tenant->id, firm, 0, 0, 0};
    if (sscanf(h.created, "%4d-%2d-%2d", &p.year, &p.month, &p.day) != 3) {
        cJSON_Delete(c);
        fail(j, 500, "internal", "the handoff's creation time does not parse");
        return;
    }
    rc = bh_ygc_placement_records(c, &p, &j->text, &j->len, why, sizeof why);
    cJSON_Delete(c);
    if (rc == BATON_ENOMEM) {
        fail(j, 503, "out_of_memory", "out of memory while writing the YGC records");
    } else if (rc != 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "the placement cannot be written as YGC records: %s", why);
        fail(j, 422, "ygc_field_too_long", msg);
    } else {
        j->status = 200;
    }
}

static void done(uv_work_t *w, int status)
{
    job *j = w->data;
    bh_req *r = j->req;
    if (status == UV_ECANCELED) {
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
    } else if (j->answer != NULL) {
        if (j->status >= 400)
            snprintf(r->error_code, sizeof r->error_code, "%s", j->code);
        bh_reply_json(r, j->status, j->answer);
    } else if (j->status == 200) {
        char disposition[128];
        const char *extra[] = {disposition, NULL};
        snprintf(disposition, sizeof disposition,
                 "Content-Disposition: attachment; filename=\"%s.ygc\"", j->id);
        bh_reply_owned(r, 200, "text/plain; charset=utf-8", j->text, j->len, extra);
        j->text = NULL;
    } else {
        bh_reply_error(r, j->status, j->code, j->message);
    }
    free(j->text);
    cJSON_Delete(j->answer);
    free(j);
}

void bh_api_handoff_ygc(bh_req *r)
{
    const char *id = bh_req_param(r, "id");
    size_t n = id ? strlen(id) : 0;
    /* Handoff ids are "ho_" and 32 hex digits; anything else cannot exist. */
    if (n == 0 || n >= 64 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        bh_reply_error(r, 404, "unknown_handoff", "no such id");
        return;
    }
    job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        bh_reply_out_of_memory(r, "reading the request");
        return;
    }
    j->req = r;
    j->registry = r->registry;
    j->tenant = r->tenant;
    j->work.data = j;
    memcpy(j->id, id, n + 1);
    if (uv_queue_work(r->loop, &j->work, run_export, done) != 0) {
        bh_reply_error(r, 503, "unavailable", "cannot schedule the work");
        free(j);
    }
}

/* --- import --- */

/* {"error":{"code","message"}} with more members from extra (taken). */
static cJSON *error_answer(const char *code, const char *message, cJSON *lines)
{
    cJSON *a = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(a, "error");
    if (e == NULL || cJSON_AddStringToObject(e, "code", code) == NULL ||
        cJSON_AddStringToObject(e, "message", message) == NULL) {
        cJSON_Delete(a);
        cJSON_Delete(lines);
        return NULL;
    }
    if (lines != NULL)
        cJSON_AddItemToObject(a, "lines", lines);
    return a;
}

/* The placement's file number (its sequence, from the firm's own receipt)
 * and currency (from the case the firm imported when the handoff does not
 * name it). */
static int placement_ids(job *j, bh_tenant_state *self, const bh_event_handoff *h,
                         char file_number[24], char currency[4])
{
    char why[300];
    char *text = NULL;
    baton_receipt rc_;
    /* the stored receipt is {"receipt": TEXT, "minisig": TEXT} */
    cJSON *blob = NULL;
    const cJSON *rt = NULL;
    if (bh_store_inbox_receipt(self->store, j->id, &text, why, sizeof why) == 0 &&
        (blob = cJSON_Parse(text)) != NULL)
        rt = cJSON_GetObjectItemCaseSensitive(blob, "receipt");
    int ok = cJSON_IsString(rt) &&
             baton_receipt_decode(rt->valuestring, strlen(rt->valuestring), &rc_, why,
                                  sizeof why) == 0 &&
             rc_.sequence != 0;
    cJSON_Delete(blob);
    free(text);
    if (!ok) {
        fail(j, 500, "internal", "the receipt of this inbox item cannot be read");
        return -1;
    }
    snprintf(file_number, 24, "%llu", (unsigned long long)rc_.sequence);
    snprintf(currency, 4, "%s", h->currency);
    if (currency[0] != '\0')
        return 0;
    char *case_json = NULL;
    cJSON *c = NULL;
    if (bh_store_inbox_case(self->store, j->id, &case_json, why, sizeof why) == 0)
        c = cJSON_Parse(case_json);
    free(case_json);
    const cJSON *cur = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "claim"), "principal"),
        "currency");
    if (cJSON_IsString(cur))
        snprintf(currency, 4, "%s", cur->valuestring);
    cJSON_Delete(c);
    if (currency[0] == '\0') {
        fail(j, 500, "internal", "the currency of the placed case cannot be read");
        return -1;
    }
    return 0;
}

/* Posts the drafts of one line; on a refusal fills j and returns -1. */
static int post_line(job *j, bh_tenant_state *self, const bh_event_handoff *h,
                     bh_tenant_state *agency, cJSON *drafts, cJSON *posted, int *created,
                     int *repeated)
{
    cJSON *d;
    cJSON_ArrayForEach(d, drafts)
    {
        char *body = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(d, "body"));
        if (body == NULL) {
            fail(j, 503, "out_of_memory", "out of memory while posting the events");
            return -1;
        }
        bh_event_draft draft = {cJSON_GetObjectItemCaseSensitive(d, "event_id")->valuestring,
                                cJSON_GetObjectItemCaseSensitive(d, "kind")->valuestring,
                                cJSON_GetObjectItemCaseSensitive(d, "date")->valuestring, body,
                                strlen(body)};
        cJSON *answer = NULL;
        bh_handoff_error e;
        memset(&e, 0, sizeof e);
        int rc = bh_event_post(self, h, &draft, agency, &answer, &e);
        free(body);
        if (rc != 0 || answer == NULL) {
            cJSON_Delete(answer);
            fail(j, e.http_status ? e.http_status : 500, e.code ? e.code : "internal", e.message);
            return -1;
        }
        int repeat = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "repeat"));
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(answer, "event");
        const cJSON *seq = cJSON_GetObjectItemCaseSensitive(ev, "seq");
        cJSON *p = cJSON_CreateObject();
        if (p == NULL || cJSON_AddStringToObject(p, "event_id", draft.event_id) == NULL ||
            cJSON_AddStringToObject(p, "kind", draft.kind) == NULL ||
            cJSON_AddStringToObject(p, "date", draft.date) == NULL ||
            cJSON_AddNumberToObject(p, "seq", cJSON_IsNumber(seq) ? seq->valuedouble : 0) == NULL ||
            cJSON_AddBoolToObject(p, "repeat", repeat) == NULL) {
            cJSON_Delete(p);
            cJSON_Delete(answer);
            fail(j, 503, "out_of_memory", "out of memory while posting the events");
            return -1;
        }
        cJSON_AddItemToArray(posted, p);
        cJSON_Delete(answer);
        if (repeat)
            (*repeated)++;
        else
            (*created)++;
    }
    return 0;
}

static void run_import(uv_work_t *w)
{
    job *j = w->data;
    bh_tenant_state *self = bh_registry_state(j->registry, j->tenant->id);
    if (self == NULL) {
        fail(j, 500, "tenant_state", "the state of this tenant cannot be opened");
        return;
    }
    bh_inbox_item it;
    char why[300];
    bh_tenant_state *agency = NULL;
    if (bh_store_inbox_get(self->store, j->id, &it, why, sizeof why) == 0)
        agency = bh_registry_state(j->registry, it.sender);
    bh_event_handoff h;
    bh_handoff_error e;
    memset(&e, 0, sizeof e);
    if (bh_event_handoff_firm(self, j->id, agency, &h, &e) != 0) {
        fail(j, e.http_status ? e.http_status : 500, e.code ? e.code : "internal", e.message);
        return;
    }
    char file_number[24], currency[4];
    if (placement_ids(j, self, &h, file_number, currency) != 0)
        return;
    bh_ygc_placement_ids ids = {h.case_id, file_number, h.agency, h.firm, currency};
    cJSON *mapped = NULL;
    int rc = bh_ygc_events_from_file(j->text, j->len, &ids, j->judgment, &mapped, why, sizeof why);
    if (rc == BATON_ENOMEM) {
        fail(j, 503, "out_of_memory", "out of memory while reading the YGC file");
        return;
    }
    if (rc != 0) {
        fail(j, 413, "ygc_too_large", why);
        return;
    }
    cJSON *lines = cJSON_DetachItemFromObjectCaseSensitive(mapped, "lines");
    int problems = cJSON_GetObjectItemCaseSensitive(mapped, "problems")->valueint;
    int n_lines = cJSON_GetArraySize(lines);
    cJSON_Delete(mapped);
    if (n_lines == 0) {
        cJSON_Delete(lines);
        fail(j, 422, "ygc_invalid", "the file has no records");
        return;
    }
    if (problems > 0) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "%d of %d lines cannot be read as events; nothing was posted (each line's "
                 "errors are listed)",
                 problems, n_lines);
        fail(j, 422, "ygc_invalid", msg);
        j->answer = error_answer(j->code, j->message, lines);
        return;
    }
    /* every line maps: post in file order, stopping at the first refusal */
    int created = 0, repeated = 0, stopped = 0;
    cJSON *line;
    cJSON_ArrayForEach(line, lines)
    {
        cJSON *drafts = cJSON_DetachItemFromObjectCaseSensitive(line, "events");
        if (stopped) {
            cJSON_Delete(drafts);
            cJSON_AddBoolToObject(line, "posted", 0);
            continue;
        }
        cJSON *posted = cJSON_AddArrayToObject(line, "events");
        if (posted == NULL ||
            post_line(j, self, &h, agency, drafts, posted, &created, &repeated) != 0) {
            if (posted == NULL)
                fail(j, 503, "out_of_memory", "out of memory while posting the events");
            cJSON *err = cJSON_AddObjectToObject(line, "error");
            if (err != NULL) {
                cJSON_AddNumberToObject(err, "status", j->status);
                cJSON_AddStringToObject(err, "code", j->code);
                cJSON_AddStringToObject(err, "message", j->message);
            }
            stopped = 1;
        }
        cJSON_Delete(drafts);
    }
    if (stopped) {
        char msg[600];
        snprintf(msg, sizeof msg,
                 "posting stopped at a line the event rules refused (%s: %s); the lines before "
                 "it are posted, those after it are not",
                 j->code, j->message);
        snprintf(j->message, sizeof j->message, "%s", msg);
        j->answer = error_answer(j->code, j->message, lines);
        return;
    }
    j->answer = cJSON_CreateObject();
    if (j->answer == NULL || cJSON_AddStringToObject(j->answer, "inbox_id", j->id) == NULL ||
        cJSON_AddStringToObject(j->answer, "handoff_id", h.handoff_id) == NULL ||
        cJSON_AddNumberToObject(j->answer, "events_created", created) == NULL ||
        cJSON_AddNumberToObject(j->answer, "events_repeated", repeated) == NULL) {
        cJSON_Delete(lines);
        cJSON_Delete(j->answer);
        j->answer = NULL;
        fail(j, 503, "out_of_memory", "out of memory while answering");
        return;
    }
    cJSON_AddItemToObject(j->answer, "lines", lines);
    j->status = created > 0 ? 201 : 200;
}

void bh_api_inbox_events_ygc(bh_req *r)
{
    const char *id = bh_req_param(r, "id");
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n >= 64 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        bh_reply_error(r, 404, "unknown_inbox_item", "no such id");
        return;
    }
    bh_ygc_judgment judgment = BH_YGC_JUDGMENT_UNSAID;
    char value[16];
    if (bh_http_query_value(r->http, "judgment", value, sizeof value) == 0) {
        if (strcmp(value, "default") == 0)
            judgment = BH_YGC_JUDGMENT_DEFAULT;
        else if (strcmp(value, "contested") == 0)
            judgment = BH_YGC_JUDGMENT_CONTESTED;
        else {
            bh_reply_error(r, 400, "invalid_request",
                           "judgment: expected default or contested (how the judgments of "
                           "the file's records 41 were obtained)");
            return;
        }
    }
    if (r->http->body == NULL || r->http->body_len == 0) {
        bh_reply_error(r, 400, "invalid_request",
                       "the body is the YGC file (records 30, 39, 41, 43, one per line)");
        return;
    }
    job *j = calloc(1, sizeof *j);
    if (j == NULL || (j->text = malloc(r->http->body_len)) == NULL) {
        free(j);
        bh_reply_out_of_memory(r, "reading the request");
        return;
    }
    memcpy(j->text, r->http->body, r->http->body_len);
    j->len = r->http->body_len;
    j->judgment = judgment;
    j->req = r;
    j->registry = r->registry;
    j->tenant = r->tenant;
    j->work.data = j;
    memcpy(j->id, id, n + 1);
    if (uv_queue_work(r->loop, &j->work, run_import, done) != 0) {
        bh_reply_error(r, 503, "unavailable", "cannot schedule the work");
        free(j->text);
        free(j);
    }
}
