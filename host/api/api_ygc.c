/*
 * api_ygc.c - the YGC interchange endpoints (docs/ygc.md):
 *
 *   GET  /v1/handoffs/:id/ygc        agency: the placement as YGC records
 *                                    01 and 02 (text/plain)
 *
 * Owns: reading what the records are written from (the handoff and the
 * case kept with it) and the answers. Does not own: the records
 * (ygc_placement.c) or the fixed-width syntax (baton/ygc.h). Runs on the
 * thread pool: it reads the tenant's store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "baton/error.h"
#include "router.h"
#include "store.h"
#include "tenant_state.h"
#include "ygc_placement.h"

void bh_api_handoff_ygc(bh_req *r);

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
    char *text; /* the records */
    size_t len;
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
