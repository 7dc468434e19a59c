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

#include "api_body.h"
#include "evaluate.h"
#include "router.h"

void bh_api_evaluate(bh_req *r);

void bh_api_evaluate(bh_req *r)
{
    cJSON *doc, *answer = NULL;
    bh_eval_error e;
    char today[16];

    if (bh_req_json_value(r, &doc) != 0)
        return;
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
