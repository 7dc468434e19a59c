/*
 * api_evaluate.c - POST /v1/cases/evaluate: a case (JSON body, format in
 * docs/case-format.md) through the calling tenant's plugins (evaluate.h).
 *
 * Answers 200 with the evaluation, or an error of the one shape:
 *   415 unsupported_media_type  Content-Type is not application/json
 *   400 invalid_json            with line, column and byte offset
 *   400 invalid_case, 422 no_jurisdiction_plugin, 502 plugin_failed, ...
 *                               as bh_evaluate reports them
 * Evaluation runs on the loop thread: it is a few microseconds of plugin
 * code over an in-memory case, cheaper than a hop to the thread pool.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "evaluate.h"
#include "router.h"

void bh_api_evaluate(bh_req *r);

/* True for "application/json" with or without parameters. */
static int is_json(const char *ct)
{
    size_t n = strlen("application/json");
    if (ct == NULL)
        return 0;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static void reply_invalid_json(bh_req *r, const char *body, size_t len, const char *at)
{
    char msg[160];
    size_t off = at != NULL && at >= body ? (size_t)(at - body) : 0;
    unsigned line = 1, col = 1;

    if (len == 0) {
        bh_reply_error(r, 400, "invalid_json", "the request body is empty; expected a JSON case");
        return;
    }
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        if (body[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(msg, sizeof(msg), "invalid JSON at line %u, column %u (byte offset %zu)", line, col,
             off);
    bh_reply_error(r, 400, "invalid_json", msg);
}

void bh_api_evaluate(bh_req *r)
{
    const bh_http_request *h = r->http;
    const char *end = NULL;
    const char *nul;
    cJSON *doc, *answer = NULL;
    bh_eval_error e;
    char today[16];

    if (!is_json(bh_http_header_get(h, "content-type"))) {
        bh_reply_error(r, 415, "unsupported_media_type",
                       "send the case with Content-Type: application/json");
        return;
    }
    if (h->body == NULL || h->body_len == 0) {
        reply_invalid_json(r, "", 0, NULL);
        return;
    }
    /* The length includes the body's terminating NUL (see http.h): cJSON's
     * trailing-whitespace check misreads a buffer without it. A NUL byte
     * inside the body is invalid JSON at that offset. */
    nul = memchr(h->body, '\0', h->body_len);
    doc = nul == NULL ? cJSON_ParseWithLengthOpts(h->body, h->body_len + 1, &end, 1) : NULL;
    if (nul != NULL)
        end = nul;
    if (doc == NULL) {
        reply_invalid_json(r, h->body, h->body_len, end);
        return;
    }
    memset(&e, 0, sizeof(e));
    bh_today_utc(today);
    if (bh_evaluate(r->tenant->plugins, doc, today, &answer, &e) != 0) {
        bh_reply_error(r, e.http_status > 0 ? e.http_status : 500,
                       e.code[0] != '\0' ? e.code : "evaluation_failed", e.message);
        cJSON_Delete(doc);
        return;
    }
    cJSON_Delete(doc);
    bh_reply_json(r, 200, answer);
    cJSON_Delete(answer);
}
