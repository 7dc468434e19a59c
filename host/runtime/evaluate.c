/* evaluate.c - a case through a tenant's plugins (evaluate.h). */
#include "evaluate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_validate.h"
#include "case_view.h"
#include "money_text.h"
#include "plugin_call.h"
#include "result.h"
#include "worker_proto.h"

int bh_eval_out_of_memory(bh_eval_error *e, const char *what)
{
    return bh_eval_fail(e, 503, "out_of_memory", BATON_ENOMEM, "out of memory while %s", what);
}

int bh_eval_fail(bh_eval_error *e, int status, const char *code, int rc, const char *fmt, ...)
{
    va_list ap;
    e->http_status = status;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return rc;
}

void bh_today_utc(char *buf)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
}

const char *bh_case_as_of(const cJSON *case_json, const char *default_as_of, char *today)
{
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(case_json, "as_of");
    if (cJSON_IsString(given))
        return given->valuestring;
    if (default_as_of != NULL)
        return default_as_of;
    bh_today_utc(today);
    return today;
}

static int add_plugin_info(cJSON *list, const bh_plugin_instance *in)
{
    char sdk[16];
    cJSON *p = cJSON_CreateObject();
    if (p == NULL)
        return BATON_ENOMEM;
    cJSON_AddItemToArray(list, p);
    snprintf(sdk, sizeof sdk, "%u.%u", in->info.sdk_major, in->info.sdk_minor);
    if (!cJSON_AddStringToObject(p, "name", in->info.name) ||
        !cJSON_AddStringToObject(p, "version", in->info.version) ||
        !cJSON_AddStringToObject(p, "scope", in->info.scope) ||
        !cJSON_AddStringToObject(p, "sdk", sdk) ||
        !cJSON_AddStringToObject(p, "sha256", in->sha256) ||
        !cJSON_AddStringToObject(p, "mode", bh_plugin_mode_name(in->mode)))
        return BATON_ENOMEM;
    return 0;
}

/*
 * totals: {"GBP": {"court_fee": money, ...}} summed from the cost lines.
 * Sums are taken from the exact decimal amounts, never from the JSON
 * number, and checked for overflow.
 */
static cJSON *make_totals(const cJSON *costs)
{
    cJSON *totals = cJSON_CreateObject();
    const cJSON *c;
    char why[160];
    if (totals == NULL)
        return NULL;
    cJSON_ArrayForEach(c, costs)
    {
        const cJSON *amount = cJSON_GetObjectItemCaseSensitive(c, "amount");
        const char *kind = cJSON_GetObjectItemCaseSensitive(c, "kind")->valuestring;
        const char *cur = cJSON_GetObjectItemCaseSensitive(amount, "currency")->valuestring;
        const char *text = cJSON_GetObjectItemCaseSensitive(amount, "amount")->valuestring;
        baton_money line, prev_m;
        if (bh_money_parse(text, cur, &line, why, sizeof why) != 0)
            goto fail;
        cJSON *per = cJSON_GetObjectItemCaseSensitive(totals, cur);
        if (per == NULL && (per = cJSON_AddObjectToObject(totals, cur)) == NULL)
            goto fail;
        cJSON *prev = cJSON_GetObjectItemCaseSensitive(per, kind);
        if (prev != NULL) {
            const char *ptext = cJSON_GetObjectItemCaseSensitive(prev, "amount")->valuestring;
            if (bh_money_parse(ptext, cur, &prev_m, why, sizeof why) != 0 ||
                __builtin_add_overflow(line.minor, prev_m.minor, &line.minor))
                goto fail;
            cJSON_DeleteItemFromObjectCaseSensitive(per, kind);
        }
        cJSON *sum = bh_money_json(line);
        if (sum == NULL)
            goto fail;
        cJSON_AddItemToObject(per, kind, sum);
    }
    return totals;
fail:
    cJSON_Delete(totals);
    return NULL;
}

/* One evaluation in progress: the jurisdiction plugin, then each agency
 * plugin with a fee schedule, each a step that may finish later. */
struct eval_job {
    bh_call_env env;
    bh_plugin_set *set; /* one reference */
    const cJSON *case_json;
    bh_case_input cs;
    char *owned_text; /* the case serialised here, when the caller had no text */
    char as_of[16];
    char jurisdiction[48];
    baton_result *r;
    cJSON *answer, *plugins;
    size_t next; /* the next agency plugin to look at */
    bh_steps steps;
    bh_eval_done_fn done;
    void *ctx;
};

static void job_free(struct eval_job *j)
{
    if (j == NULL)
        return;
    bh_result_free(j->r);
    cJSON_Delete(j->answer);
    bh_plugin_set_unref(j->set);
    free(j->owned_text);
    free(j);
}

static void job_end(struct eval_job *j, int rc, const bh_eval_error *e)
{
    cJSON *answer = NULL;
    bh_eval_error err;
    memset(&err, 0, sizeof err);
    if (rc == 0) {
        rc = bh_eval_out_of_memory(&err, "building the answer");
        const cJSON *case_id = cJSON_GetObjectItemCaseSensitive(j->case_json, "case_id");
        cJSON *built = bh_result_take(j->r);
        cJSON *totals =
            built != NULL ? make_totals(cJSON_GetObjectItemCaseSensitive(built, "costs")) : NULL;
        if (totals != NULL &&
            (!cJSON_IsString(case_id) ||
             cJSON_AddStringToObject(j->answer, "case_id", case_id->valuestring)) &&
            cJSON_AddStringToObject(j->answer, "as_of", j->as_of) &&
            cJSON_AddStringToObject(j->answer, "jurisdiction", j->jurisdiction)) {
            /* Move findings, costs and facts over from the built result. */
            static const char *const parts[] = {"findings", "costs", "facts"};
            for (size_t i = 0; i < 3; i++)
                cJSON_AddItemToObject(j->answer, parts[i],
                                      cJSON_DetachItemFromObjectCaseSensitive(built, parts[i]));
            cJSON_AddItemToObject(j->answer, "totals", totals);
            totals = NULL;
            answer = j->answer;
            j->answer = NULL;
            rc = 0;
        }
        cJSON_Delete(totals);
        cJSON_Delete(built);
    } else {
        err = *e;
    }
    bh_eval_done_fn done = j->done;
    void *ctx = j->ctx;
    job_free(j);
    done(ctx, answer, rc == 0 ? NULL : &err);
}

/* Runs steps until one is in flight or all are done (plugin_call.h). */
static void eval_run(void *job)
{
    struct eval_job *j = job;
    bh_steps_enter(&j->steps);
    for (;;) {
        if (bh_steps_finished(&j->steps) && j->steps.rc != 0) {
            job_end(j, j->steps.rc, &j->steps.err);
            return;
        }
        bh_plugin_instance *in = NULL;
        while (j->next < j->set->count && in == NULL) {
            bh_plugin_instance *c = j->set->items[j->next++];
            if (bh_plugin_scope_kind(c) == 2 && (c->info.caps & BH_CAP_FEE_SCHEDULE))
                in = c;
        }
        if (in == NULL) {
            job_end(j, 0, NULL);
            return;
        }
        if (add_plugin_info(j->plugins, in) != 0) {
            bh_eval_error e;
            job_end(j, bh_eval_out_of_memory(&e, "evaluating"), &e);
            return;
        }
        bh_plugin_call(&j->env, in, BH_CAP_FEE_SCHEDULE, NULL, &j->cs, j->r, NULL, bh_steps_done,
                       &j->steps);
        if (bh_steps_wait(&j->steps))
            return;
    }
}

void bh_evaluate_start(const bh_call_env *env, bh_plugin_set *set, const cJSON *case_json,
                       const char *case_text, size_t case_len, const char *default_as_of,
                       bh_eval_done_fn done, void *ctx)
{
    bh_eval_error e;
    char today[11];
    int rc;
    struct eval_job *j = NULL;

    memset(&e, 0, sizeof e);
    rc = bh_case_validate(case_json, &e);
    if (rc != 0)
        goto fail;
    rc = bh_eval_out_of_memory(&e, "evaluating");
    if ((j = calloc(1, sizeof *j)) == NULL)
        goto fail;
    j->set = bh_plugin_set_ref(set);
    j->done = done;
    j->ctx = ctx;
    j->case_json = case_json;
    if (env != NULL)
        j->env = *env;
    snprintf(j->as_of, sizeof j->as_of, "%s", bh_case_as_of(case_json, default_as_of, today));
    baton_date as_of_date;
    if (bh_date_parse(j->as_of, &as_of_date) != 0) {
        rc = bh_eval_fail(&e, 400, "invalid_case", BATON_EINVAL,
                          "as_of: expected a date written YYYY-MM-DD");
        goto fail;
    }
    const char *jurisdiction =
        cJSON_GetObjectItemCaseSensitive(case_json, "jurisdiction")->valuestring;
    snprintf(j->jurisdiction, sizeof j->jurisdiction, "%s", jurisdiction);
    char scope[96];
    snprintf(scope, sizeof scope, "jurisdiction:%s", jurisdiction);
    bh_plugin_instance *jur = bh_plugin_set_find(set, scope);
    if (jur == NULL) {
        rc = bh_eval_fail(&e, 422, "no_jurisdiction_plugin", BATON_ENOENT,
                          "this tenant has no plugin for jurisdiction '%.40s'", jurisdiction);
        goto fail;
    }
    rc = bh_eval_out_of_memory(&e, "evaluating");
    if (bh_case_input_init(&j->cs, set, case_json, j->as_of, case_text, case_len, &j->owned_text) !=
        0)
        goto fail;
    j->r = bh_result_new();
    j->answer = cJSON_CreateObject();
    j->plugins = j->answer ? cJSON_AddArrayToObject(j->answer, "plugins") : NULL;
    if (j->r == NULL || j->plugins == NULL || add_plugin_info(j->plugins, jur) != 0)
        goto fail;
    /* The jurisdiction plugin first; eval_run goes on from there. */
    bh_steps_init(&j->steps, eval_run, j);
    bh_steps_enter(&j->steps);
    bh_plugin_call(&j->env, jur, BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE, NULL, &j->cs, j->r,
                   NULL, bh_steps_done, &j->steps);
    if (!bh_steps_wait(&j->steps))
        eval_run(j);
    return;
fail:
    job_free(j);
    done(ctx, NULL, &e);
}

struct sync_wait {
    int finished;
    cJSON *answer;
    bh_eval_error *e;
};

static void on_sync_done(void *ctx, cJSON *answer, const bh_eval_error *e)
{
    struct sync_wait *w = ctx;
    w->finished = 1;
    w->answer = answer;
    if (e != NULL)
        *w->e = *e;
}

int bh_evaluate(bh_plugin_set *set, const cJSON *case_json, const char *default_as_of, cJSON **out,
                bh_eval_error *e)
{
    struct sync_wait w = {0, NULL, e};
    bh_sync_env s;
    int isolated = bh_plugin_set_has_isolated(set);
    *out = NULL;
    if (isolated && bh_sync_env_begin(&s) != 0)
        return bh_eval_out_of_memory(e, "evaluating");
    bh_evaluate_start(isolated ? &s.env : NULL, set, case_json, NULL, 0, default_as_of,
                      on_sync_done, &w);
    if (isolated) {
        bh_sync_env_wait(&s, &w.finished);
        bh_sync_env_end(&s);
    }
    *out = w.answer;
    return w.answer != NULL ? 0 : (e->http_status == 400 ? BATON_EINVAL : BATON_EPLUGIN);
}
