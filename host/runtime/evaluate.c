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
#include "json_index.h"
#include "json_index_parse.h"
#include "json_text.h"
#include "result.h"
#include "worker_proto.h"

/* src copied into dst[size], cut to fit and NUL-terminated. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* v written in decimal at out (room for 11 bytes), NUL-terminated; its
 * length. */
static size_t uint_text(char *out, unsigned v)
{
    char tmp[10];
    size_t n = 0, len;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (len = 0; n > 0; len++)
        out[len] = tmp[--n];
    out[len] = '\0';
    return len;
}

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

/* {"name",...,"mode"} of one plugin the evaluation ran, with one room
 * check: its texts are escaped as any text (the SDK version and the mode
 * are the host's own digits and names). */
static void write_plugin_info(bh_jw *w, const bh_plugin_instance *in)
{
    char sdk[24];
    size_t sdk_len = uint_text(sdk, in->info.sdk_major);
    sdk[sdk_len++] = '.';
    sdk_len += uint_text(sdk + sdk_len, in->info.sdk_minor);
    const char *mode = bh_plugin_mode_name(in->mode);
    /* NULL written as "", as bh_jw_string does */
    const char *name_s = in->info.name != NULL ? in->info.name : "";
    const char *version_s = in->info.version != NULL ? in->info.version : "";
    const char *scope_s = in->info.scope != NULL ? in->info.scope : "";
    size_t name = strlen(name_s), version = strlen(version_s);
    size_t scope = strlen(scope_s), sha = strlen(in->sha256), mode_len = strlen(mode);
    char *out =
        bh_jw_room(w, sizeof "{'name':,'version':,'scope':,'sdk':'','sha256':,'mode':''}" +
                          BH_JW_STRING_MAX(name + version + scope + sha) + sdk_len + mode_len);
    if (out == NULL)
        return;
    out = bh_jw_put_lit(out, "{\"name\":");
    out = bh_jw_put_string(out, name_s, name);
    out = bh_jw_put_lit(out, ",\"version\":");
    out = bh_jw_put_string(out, version_s, version);
    out = bh_jw_put_lit(out, ",\"scope\":");
    out = bh_jw_put_string(out, scope_s, scope);
    out = bh_jw_put_lit(out, ",\"sdk\":");
    out = bh_jw_put_plain(out, sdk, sdk_len);
    out = bh_jw_put_lit(out, ",\"sha256\":");
    out = bh_jw_put_string(out, in->sha256, sha);
    out = bh_jw_put_lit(out, ",\"mode\":");
    out = bh_jw_put_plain(out, mode, mode_len);
    *out++ = '}';
    bh_jw_done(w, out);
}

/* A plugin's {"name",...,"mode"} as every answer has it (plugin_set.h
 * answer_text): what write_plugin_info writes for the instance. */
struct bh_plugin_answer_text {
    size_t len;
    char text[];
};

/* in's member of the answers' "plugins" list, written once per instance
 * (its name, version, scope, SDK, file hash and mode never change) and
 * kept with it; evaluations on several loops may race to write it first,
 * one copy is kept. NULL when out of memory. */
static const struct bh_plugin_answer_text *plugin_answer_text(bh_plugin_instance *in)
{
    struct bh_plugin_answer_text *t = atomic_load_explicit(&in->answer_text, memory_order_acquire);
    if (t != NULL)
        return t;
    bh_jw w;
    if (bh_jw_init(&w, 256) != 0)
        return NULL;
    write_plugin_info(&w, in);
    if (!w.failed && (t = malloc(sizeof *t + w.n)) != NULL) {
        t->len = w.n;
        memcpy(t->text, w.b, w.n);
        struct bh_plugin_answer_text *first = NULL;
        if (!atomic_compare_exchange_strong_explicit(&in->answer_text, &first, t,
                                                     memory_order_acq_rel, memory_order_acquire)) {
            free(t);
            t = first;
        }
    }
    bh_jw_free(&w);
    return t;
}

/* One evaluation in progress: the jurisdiction plugin, then each agency
 * plugin with a fee schedule, each a step that may finish later. */
struct eval_job {
    bh_call_env env;
    bh_plugin_set *set;     /* one reference */
    const cJSON *case_json; /* NULL when the case came as text (bh_evaluate_try_text) */
    bh_case_input cs;
    char *owned_text; /* the case serialised here, when the caller had no text */
    char as_of[16];
    char jurisdiction[48];
    /* The evaluation's own arena, holding the job itself, the case index
     * (and its strings), the result and its first records: one malloc.
     * Unused when the caller lends one (bh_evaluate_index_into). */
    bh_arena arena;
    bh_arena *mem;   /* the arena everything above is in: &arena or the caller's */
    bh_jw *out;      /* the caller's text the answer is appended to, or NULL */
    bh_jindex index; /* the case's, read by in-process plugins */
    baton_result *r;
    bh_plugin_instance **ran; /* the plugins called, in order (set->count at most) */
    size_t ran_count;
    size_t next; /* the next agency plugin to look at */
    bh_steps steps;
    bh_eval_text_fn done;
    void *ctx;
};

static void job_free(struct eval_job *j)
{
    if (j == NULL)
        return;
    bh_result_free(j->r);
    bh_plugin_set_unref(j->set);
    free(j->owned_text);
    if (j->mem == &j->arena) {
        bh_arena own = j->arena; /* the job is one of its pieces */
        bh_arena_free(&own);
    }
}

static const char *case_string(const struct eval_job *j, const char *key);

/*
 * The answer (evaluate.h), appended to w straight from the result's
 * records: {"plugins","case_id","as_of","jurisdiction","findings","costs",
 * "facts","totals"}, the order the answer has always had. 0, or the
 * error (e filled) with w failed or holding a part.
 */
static int write_answer(struct eval_job *j, bh_jw *w, bh_eval_error *err)
{
    bh_jw_lit(w, "{\"plugins\":[");
    for (size_t i = 0; i < j->ran_count; i++) {
        if (i > 0)
            bh_jw_lit(w, ",");
        const struct bh_plugin_answer_text *t = plugin_answer_text(j->ran[i]);
        if (t != NULL)
            bh_jw_raw(w, t->text, t->len);
        else
            bh_jw_fail(w);
    }
    bh_jw_lit(w, "],");
    const char *case_id = case_string(j, "case_id");
    if (case_id != NULL) {
        bh_jw_lit(w, "\"case_id\":");
        bh_jw_string(w, case_id);
        bh_jw_lit(w, ",");
    }
    bh_jw_lit(w, "\"as_of\":");
    bh_jw_string(w, j->as_of);
    bh_jw_lit(w, ",\"jurisdiction\":");
    bh_jw_string(w, j->jurisdiction);
    bh_jw_lit(w, ",");
    bh_result_write(j->r, w);
    bh_jw_lit(w, ",");
    int rc = bh_result_write_totals(j->r, w);
    bh_jw_lit(w, "}");
    if (rc == BATON_ERANGE)
        return bh_eval_fail(err, 502, "totals_out_of_range", rc,
                            "the costs of one kind sum to more than an answer states exactly "
                            "(2^53 minor units)");
    if (rc != 0 || w->failed)
        return bh_eval_out_of_memory(err, "building the answer");
    return 0;
}

static void job_end(struct eval_job *j, int rc, const bh_eval_error *e)
{
    char *answer = NULL;
    size_t len = 0;
    bh_eval_error err;
    bh_jw own;
    memset(&err, 0, sizeof err);
    if (rc != 0) {
        err = *e;
    } else if (j->out != NULL) {
        /* into the caller's text, taken back when it could not be
         * finished */
        size_t start = j->out->n;
        if (write_answer(j, j->out, &err) == 0) {
            answer = j->out->b + start;
            len = j->out->n - start;
        } else {
            bh_jw_back_to(j->out, start);
        }
    } else if (bh_jw_init(&own, 8192) != 0) {
        bh_eval_out_of_memory(&err, "building the answer");
    } else if (write_answer(j, &own, &err) == 0) {
        answer = bh_jw_take(&own, &len);
    } else {
        bh_jw_free(&own);
    }
    bh_eval_text_fn done = j->done;
    void *ctx = j->ctx;
    job_free(j);
    done(ctx, answer, len, answer != NULL ? NULL : &err);
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
        j->ran[j->ran_count++] = in;
        bh_plugin_call(&j->env, in, BH_CAP_FEE_SCHEDULE, NULL, &j->cs, j->r, NULL, bh_steps_done,
                       &j->steps);
        if (bh_steps_wait(&j->steps))
            return;
    }
}

/* A job for set, answering done: in arena when the caller lends one,
 * else in an arena of its own whose first chunk has arena_size bytes for
 * the case index besides the job and its result. */
static struct eval_job *job_new(const bh_call_env *env, bh_plugin_set *set, size_t arena_size,
                                bh_arena *arena, bh_eval_text_fn done, void *ctx)
{
    struct eval_job *j;
    if (arena != NULL) {
        if ((j = bh_arena_alloc(arena, sizeof *j)) == NULL)
            return NULL;
        memset(j, 0, sizeof *j);
        j->mem = arena;
    } else {
        bh_arena own;
        size_t frame = sizeof *j + sizeof(baton_result) + BH_ARENA_CHUNK_HEADER + BH_RESULT_FIRST +
                       (set->count + 1) * sizeof *j->ran + 4 * BH_ARENA_ALIGN;
        if (bh_arena_init(&own, arena_size + frame, 0) != 0)
            return NULL;
        if ((j = bh_arena_alloc(&own, sizeof *j)) == NULL) {
            bh_arena_free(&own);
            return NULL;
        }
        memset(j, 0, sizeof *j);
        j->arena = own;
        j->mem = &j->arena;
    }
    j->set = bh_plugin_set_ref(set);
    j->done = done;
    j->ctx = ctx;
    if (env != NULL)
        j->env = *env;
    return j;
}

/* The string member key of the case's root, from the index when there is
 * one, else from the tree; NULL when absent or not a string. */
static const char *case_string(const struct eval_job *j, const char *key)
{
    if (j->cs.index != NULL) {
        const bh_jnode *n = bh_jindex_member(j->cs.index, &j->cs.index->nodes[0], key, strlen(key));
        return n != NULL && n->type == BATON_VIEW_STRING ? n->v.s : NULL;
    }
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(j->case_json, key);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

/*
 * Starts a job whose case is validated and read through j->cs.index (or,
 * past the index's limits, j->case_json): the evaluation date, the
 * jurisdiction's plugin, then the plugins in turn. done runs exactly once.
 */
static void job_start(struct eval_job *j, const char *case_text, size_t case_len,
                      const char *default_as_of)
{
    bh_eval_error e;
    char today[11];
    int rc;
    const bh_jindex *index = j->cs.index;

    memset(&e, 0, sizeof e);
    const char *as_of = case_string(j, "as_of");
    if (as_of == NULL)
        as_of = default_as_of;
    if (as_of == NULL) {
        bh_today_utc(today);
        as_of = today;
    }
    copy_text(j->as_of, sizeof j->as_of, as_of);
    baton_date as_of_date;
    if (bh_date_parse(j->as_of, &as_of_date) != 0) {
        rc = bh_eval_fail(&e, 400, "invalid_case", BATON_EINVAL,
                          "as_of: expected a date written YYYY-MM-DD");
        goto fail;
    }
    const char *jurisdiction = case_string(j, "jurisdiction");
    copy_text(j->jurisdiction, sizeof j->jurisdiction, jurisdiction);
    char scope[96] = "jurisdiction:";
    copy_text(scope + 13, sizeof scope - 13, jurisdiction);
    bh_plugin_instance *jur = bh_plugin_set_find(j->set, scope);
    if (jur == NULL) {
        rc = bh_eval_fail(&e, 422, "no_jurisdiction_plugin", BATON_ENOENT,
                          "this tenant has no plugin for jurisdiction '%.40s'", jurisdiction);
        goto fail;
    }
    if (bh_case_input_init(&j->cs, j->set, j->case_json, j->as_of, case_text, case_len,
                           &j->owned_text) != 0) {
        rc = bh_eval_out_of_memory(&e, "evaluating");
        goto fail;
    }
    j->cs.index = index;
    j->r = bh_result_new_in(j->mem, BH_RESULT_FIRST);
    j->ran = bh_arena_alloc(j->mem, (j->set->count + 1) * sizeof *j->ran);
    if (j->r == NULL || j->ran == NULL) {
        rc = bh_eval_out_of_memory(&e, "evaluating");
        goto fail;
    }
    j->ran[j->ran_count++] = jur;
    /* The jurisdiction plugin first; eval_run goes on from there. */
    bh_steps_init(&j->steps, eval_run, j);
    bh_steps_enter(&j->steps);
    bh_plugin_call(&j->env, jur, BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE, NULL, &j->cs, j->r,
                   NULL, bh_steps_done, &j->steps);
    if (!bh_steps_wait(&j->steps))
        eval_run(j);
    return;
fail:
    job_end(j, rc, &e);
}

void bh_evaluate_start_text(const bh_call_env *env, bh_plugin_set *set, const cJSON *case_json,
                            const char *case_text, size_t case_len, const char *default_as_of,
                            bh_eval_text_fn done, void *ctx)
{
    bh_eval_error e;
    struct eval_job *j = NULL;

    memset(&e, 0, sizeof e);
    if (bh_case_validate(case_json, &e) != 0)
        goto fail;
    bh_eval_out_of_memory(&e, "evaluating");
    if ((j = job_new(env, set, 16384, NULL, done, ctx)) == NULL)
        goto fail;
    j->case_json = case_json;
    /* The index the in-process plugins' views read (json_index.h); a
     * case over the index's limits is read through the tree instead. */
    int irc = bh_jindex_build(case_json, j->mem, &j->index);
    if (irc == BATON_ENOMEM)
        goto fail;
    if (irc == 0)
        j->cs.index = &j->index;
    job_start(j, case_text, case_len, default_as_of);
    return;
fail:
    job_free(j);
    done(ctx, NULL, 0, &e);
}

int bh_case_index_parse(const char *text, size_t len, bh_arena *arena, bh_jindex *out)
{
    return bh_jindex_parse_case(text, len, arena, out);
}

void bh_evaluate_index_into(const bh_call_env *env, bh_plugin_set *set, const bh_jindex *index,
                            bh_arena *arena, const char *case_text, size_t case_len,
                            const char *default_as_of, bh_jw *out, bh_eval_text_fn done, void *ctx)
{
    bh_eval_error e;
    struct eval_job *j = job_new(env, set, 0, arena, done, ctx);
    if (j == NULL) {
        bh_eval_out_of_memory(&e, "evaluating");
        done(ctx, NULL, 0, &e);
        return;
    }
    j->out = out;
    j->cs.index = index;
    job_start(j, case_text, case_len, default_as_of);
}

int bh_evaluate_try_text(const bh_call_env *env, bh_plugin_set *set, const char *case_text,
                         size_t case_len, const char *default_as_of, bh_eval_text_fn done,
                         void *ctx)
{
    if (case_text == NULL || case_len == 0)
        return BATON_EINVAL;
    /* The index goes into the job's own arena, sized for the text. */
    struct eval_job *j = job_new(env, set, bh_jindex_parse_arena_size(case_len), NULL, done, ctx);
    if (j == NULL)
        return BATON_ENOMEM;
    int rc = bh_case_index_parse(case_text, case_len, j->mem, &j->index);
    if (rc != 0) {
        job_free(j);
        return rc;
    }
    j->cs.index = &j->index;
    job_start(j, case_text, case_len, default_as_of);
    return 0;
}

/* bh_evaluate_start's caller, behind the text form. */
struct tree_done {
    bh_eval_done_fn done;
    void *ctx;
};

static void on_text_for_tree(void *ctx, char *answer, size_t len, const bh_eval_error *e)
{
    struct tree_done t = *(struct tree_done *)ctx;
    bh_eval_error err;
    free(ctx);
    if (answer == NULL) {
        t.done(t.ctx, NULL, e);
        return;
    }
    cJSON *tree = cJSON_ParseWithLength(answer, len);
    free(answer);
    if (tree == NULL) {
        bh_eval_out_of_memory(&err, "building the answer");
        t.done(t.ctx, NULL, &err);
        return;
    }
    t.done(t.ctx, tree, NULL);
}

void bh_evaluate_start(const bh_call_env *env, bh_plugin_set *set, const cJSON *case_json,
                       const char *case_text, size_t case_len, const char *default_as_of,
                       bh_eval_done_fn done, void *ctx)
{
    struct tree_done *t = malloc(sizeof *t);
    if (t == NULL) {
        bh_eval_error e;
        bh_eval_out_of_memory(&e, "evaluating");
        done(ctx, NULL, &e);
        return;
    }
    t->done = done;
    t->ctx = ctx;
    bh_evaluate_start_text(env, set, case_json, case_text, case_len, default_as_of,
                           on_text_for_tree, t);
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
