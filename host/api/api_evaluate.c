/*
 * api_evaluate.c - POST /v1/cases/evaluate: a case (JSON body, format in
 * docs/case-format.md) through the calling tenant's plugins (evaluate.h).
 *
 * Answers 200 with the evaluation, or an error of the one shape:
 *   415 unsupported_media_type  Content-Type is not application/json
 *   400 invalid_json            with line, column and byte offset
 *   400 invalid_case, 422 no_jurisdiction_plugin, 502 plugin_failed, ...
 *                               as bh_evaluate reports them
 * In-process plugins run on the loop thread (a few microseconds of plugin
 * code over an in-memory case, cheaper than a hop to the thread pool);
 * isolated ones in workers, answered later on the same loop
 * (plugin_call.h: 502 plugin_crashed, 504 plugin_timeout, 429 tenant_busy).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_body.h"
#include "evaluate.h"
#include "router.h"

void bh_api_evaluate(bh_req *r);

/* An evaluation in flight: the request, its parsed case (NULL when the
 * body went straight into the case index) and its plugins. */
typedef struct eval_req {
    bh_req *r;
    cJSON *doc;
    bh_plugin_set *set;
} eval_req;

static void on_evaluated(void *ctx, char *answer, size_t len, const bh_eval_error *e)
{
    eval_req *q = ctx;
    if (answer == NULL)
        bh_reply_error(q->r, e->http_status > 0 ? e->http_status : 500,
                       e->code[0] != '\0' ? e->code : "evaluation_failed", e->message);
    else
        bh_reply_owned(q->r, 200, "application/json", answer, len, NULL);
    cJSON_Delete(q->doc);
    bh_plugin_set_unref(q->set);
    free(q);
}

void bh_api_evaluate(bh_req *r)
{
    const bh_http_request *h = r->http;
    cJSON *doc;
    char today[16];

    eval_req *q = calloc(1, sizeof *q);
    if (q == NULL) {
        bh_reply_out_of_memory(r, "starting the evaluation");
        return;
    }
    q->r = r;
    q->set = bh_tenant_plugins(r->tenant);
    bh_today_utc(today);
    bh_call_env env = bh_req_call_env(r);
    /* A valid case is parsed straight into its index, without a tree
     * (evaluate.h); any other body takes the cJSON route below, which
     * answers it as it always has. Isolated plugins read the body as
     * sent: the case is serialised once, by the client. */
    if (bh_is_json_type(bh_http_header_get(h, "content-type")) &&
        bh_evaluate_try_text(&env, q->set, h->body, h->body_len, today, on_evaluated, q) == 0)
        return;
    if (bh_req_json_value(r, &doc) != 0) {
        bh_plugin_set_unref(q->set);
        free(q);
        return;
    }
    q->doc = doc;
    bh_evaluate_start_text(&env, q->set, doc, h->body, h->body_len, today, on_evaluated, q);
}
