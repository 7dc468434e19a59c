/*
 * api_letters.c - POST /v1/letters and GET /v1/letters (see api_letters.h).
 *
 * Owns: the request body of the letters API, its errors, and moving the
 * rendering to the thread pool. Does not own: choosing plugins and
 * composing (letters.c), layout (letter_render*.c), routing and
 * authentication (router.c).
 *
 * Every letter rendered is recorded in the tenant's audit log (action
 * "letter.rendered", subject the case id, detail the kind, format, size and
 * SHA-256 of the document), written from the thread pool after rendering.
 * A letter whose audit record cannot be written is not handed out.
 *
 * Errors, as {"error":{"code","message"}}:
 *   415 unsupported_media_type, 400 invalid_json, 400 invalid_request
 *                            the body is not a JSON object (api_body.h)
 *   400 invalid_request      kind or case missing or of the wrong type
 *   400 invalid_format       format is not text, html or pdf
 *   400 invalid_case / invalid_letter_kind, 404 unknown_letter_kind,
 *   422 letter_not_for_jurisdiction, 502 plugin_failed   (letters.h)
 *   500 render_failed        the renderer failed
 *   500 audit_failed         the audit record could not be written
 *   503 unavailable          the work was cancelled (shutting down)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "api_body.h"
#include "api_letters.h"
#include "audit_log.h"
#include "baton/sha256.h"
#include "letter_render.h"
#include "letters.h"
#include "tenant_state.h"

typedef struct letter_job {
    uv_work_t work;
    bh_req *req;
    cJSON *body;          /* the request, while the letter is composed */
    bh_plugin_set *set;   /* the plugins the letter's blocks name */
    baton_letter *letter; /* owned */
    char plugins[600];    /* the Baton-Plugins header */
    enum bh_letter_format format;
    char disposition[160];
    char kind[72];
    char case_id[136];
    char *data_dir;  /* owned copy: the registry may be swapped meanwhile */
    char *tenant_id; /* owned copy */
    /* results of the work */
    int rc;
    int audit_failed;
    char *doc;
    size_t len;
    char err[256];
} letter_job;

/* bh_reply_error wants a static code string (it is kept for the log). */
static const char *static_code(const char *code)
{
    static const char *const known[] = {
        "invalid_case",        "invalid_letter_kind",
        "unknown_letter_kind", "letter_not_for_jurisdiction",
        "plugin_failed",       "plugin_crashed",
        "plugin_timeout",      "plugin_unavailable",
        "tenant_busy",         "internal",
        "out_of_memory",
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(code, known[i]) == 0)
            return known[i];
    }
    return "letter_failed";
}

/* A file name safe inside a quoted header value: [A-Za-z0-9._-] only. */
static void safe_name(char *out, size_t len, const char *a, const char *b, const char *ext)
{
    size_t n = 0;
    const char *parts[] = {a, "-", b, ".", ext};
    for (size_t p = 0; p < 5; p++) {
        for (const char *s = parts[p]; s != NULL && *s != '\0' && n + 1 < len; s++) {
            char c = *s;
            int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '_' || c == '-';
            out[n++] = ok ? c : '_';
        }
    }
    out[n] = '\0';
}

/* Appends the audit record of a rendered letter; 0 or a negative code. */
static int audit(letter_job *job)
{
    bh_tenant_state *st = NULL;
    uint8_t digest[BATON_SHA256_BYTES];
    char hex[BATON_SHA256_HEX_LEN + 1], detail[400];
    int rc = bh_tenant_state_get(job->data_dir, job->tenant_id, &st, job->err, sizeof job->err);
    if (rc != 0)
        return rc;
    rc = baton_sha256_buffer(job->doc, job->len, digest);
    if (rc != 0)
        return rc;
    baton_sha256_hex(digest, hex);
    snprintf(detail, sizeof detail,
             "{\"kind\":\"%s\",\"format\":\"%s\",\"bytes\":%zu,\"sha256\":\"%s\"}", job->kind,
             bh_letter_format_name(job->format), job->len, hex);
    return bh_audit_append(st, "letter.rendered", job->case_id, detail, job->err, sizeof job->err);
}

static void render_work(uv_work_t *w)
{
    letter_job *job = w->data;
    job->rc =
        bh_letter_render(job->letter, job->format, &job->doc, &job->len, job->err, sizeof job->err);
    if (job->rc == 0 && audit(job) != 0) {
        job->rc = BATON_EIO;
        job->audit_failed = 1;
    }
}

static void job_free(letter_job *job)
{
    if (job == NULL)
        return;
    free(job->doc);
    bh_letter_free(job->letter);
    cJSON_Delete(job->body);
    bh_plugin_set_unref(job->set);
    free(job->data_dir);
    free(job->tenant_id);
    free(job);
}

static void render_done(uv_work_t *w, int status)
{
    letter_job *job = w->data;
    bh_req *r = job->req;
    if (status == UV_ECANCELED) {
        bh_reply_error(r, 503, "unavailable", "the server is shutting down");
    } else if (job->audit_failed) {
        bh_reply_error(r, 500, "audit_failed", job->err);
    } else if (job->rc != 0) {
        bh_reply_error(r, 500, "render_failed", job->err);
    } else {
        const char *headers[] = {job->disposition, job->plugins, NULL};
        bh_reply_owned(r, 200, bh_letter_format_content_type(job->format), job->doc, job->len,
                       headers);
        job->doc = NULL;
    }
    job_free(job);
}

/*
 * "Baton-Plugins: NAME/VERSION sha256=HEX mode, ...": every plugin that
 * wrote a block of the letter, so a letter can be traced to the code that
 * wrote it (evaluations carry the same in their "plugins" list).
 */
static void plugins_header(letter_job *job)
{
    size_t n = (size_t)snprintf(job->plugins, sizeof job->plugins, "Baton-Plugins:");
    const char *sep = " ";
    for (size_t i = 0; i < job->set->count; i++) {
        const bh_plugin_instance *in = job->set->items[i];
        int used = 0;
        for (size_t b = 0; b < job->letter->count && !used; b++)
            used = job->letter->blocks[b].plugin == in->info.name;
        if (!used || n >= sizeof job->plugins)
            continue;
        n += (size_t)snprintf(job->plugins + n, sizeof job->plugins - n, "%s%s/%s sha256=%s %s",
                              sep, in->info.name, in->info.version, in->sha256,
                              bh_plugin_mode_name(in->mode));
        sep = ", ";
    }
}

static void on_composed(void *ctx, baton_letter *letter, const bh_eval_error *e)
{
    letter_job *job = ctx;
    bh_req *r = job->req;
    if (letter == NULL) {
        /* Paths in the case's errors are relative to the case; in this
         * body the case is the member "case". */
        char msg[sizeof e->message + 8];
        snprintf(msg, sizeof msg, "%s%s", strcmp(e->code, "invalid_case") == 0 ? "case." : "",
                 e->message);
        bh_reply_error(r, e->http_status != 0 ? e->http_status : 500, static_code(e->code), msg);
        job_free(job);
        return;
    }
    job->letter = letter;
    plugins_header(job);
    job->work.data = job;
    int rc = uv_queue_work(r->loop, &job->work, render_work, render_done);
    if (rc != 0) {
        bh_reply_error(r, 503, "unavailable", uv_strerror(rc));
        job_free(job);
    }
}

void bh_api_letters_post(bh_req *r)
{
    cJSON *body = NULL;
    letter_job *job = NULL;
    enum bh_letter_format fmt = BH_LETTER_PDF;

    if (bh_req_json_body(r, &body) != 0)
        goto out;
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(body, "kind");
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(body, "format");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "case");
    if (!cJSON_IsString(kind)) {
        bh_reply_error(r, 400, "invalid_request", "kind: expected a string (a letter kind)");
        goto out;
    }
    if (!cJSON_IsObject(c)) {
        bh_reply_error(r, 400, "invalid_request", "case: expected the case object");
        goto out;
    }
    if (format != NULL &&
        (!cJSON_IsString(format) || bh_letter_format_parse(format->valuestring, &fmt) != 0)) {
        bh_reply_error(r, 400, "invalid_format", "format: expected \"text\", \"html\" or \"pdf\"");
        goto out;
    }
    job = calloc(1, sizeof *job);
    if (job == NULL) {
        bh_reply_out_of_memory(r, "preparing the letter");
        goto out;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "case_id");
    snprintf(job->case_id, sizeof job->case_id, "%s", cJSON_IsString(id) ? id->valuestring : "");
    snprintf(job->kind, sizeof job->kind, "%s", kind->valuestring);
    job->data_dir = strdup(r->registry->config->data_dir);
    job->tenant_id = strdup(r->tenant->id);
    if (job->data_dir == NULL || job->tenant_id == NULL) {
        bh_reply_out_of_memory(r, "preparing the letter");
        goto out;
    }
    char name[120];
    safe_name(name, sizeof name, cJSON_IsString(id) ? id->valuestring : "letter", kind->valuestring,
              fmt == BH_LETTER_TEXT ? "txt" : bh_letter_format_name(fmt));
    snprintf(job->disposition, sizeof job->disposition,
             "Content-Disposition: inline; filename=\"%s\"", name);
    job->req = r;
    job->format = fmt;
    job->body = body;
    body = NULL;
    job->set = bh_tenant_plugins(r->tenant);
    bh_call_env env = bh_req_call_env(r);
    letter_job *j = job;
    job = NULL; /* on_composed answers and frees it */
    bh_letter_compose_start(&env, j->set, c, NULL, 0, j->kind, NULL, on_composed, j);
out:
    job_free(job);
    cJSON_Delete(body);
}

/* The value of one query parameter (no percent-decoding: jurisdiction names
 * are plain). */
void bh_api_letters_list(bh_req *r)
{
    char jur[64];
    const char *j = bh_http_query_value(r->http, "jurisdiction", jur, sizeof jur) == 0 ? jur : NULL;
    bh_plugin_set *set = bh_tenant_plugins(r->tenant);
    cJSON *kinds = bh_letter_kinds(set, j);
    bh_plugin_set_unref(set);
    cJSON *answer = cJSON_CreateObject();
    if (kinds == NULL || answer == NULL) {
        cJSON_Delete(kinds);
        cJSON_Delete(answer);
        bh_reply_out_of_memory(r, "preparing the letter");
        return;
    }
    cJSON_AddItemToObject(answer, "letters", kinds);
    bh_reply_json(r, 200, answer);
    cJSON_Delete(answer);
}
