/*
 * letters.c - composing a letter from a tenant's plugins (see letters.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "letters.h"
#include "plugin_call.h"
#include "worker_proto.h"

int bh_plugin_offers_letter(const bh_plugin_instance *inst, const char *kind)
{
    if (!(inst->info.caps & BH_CAP_LETTER))
        return 0;
    for (char **k = inst->info.letter_kinds; k != NULL && *k != NULL; k++) {
        if (strcmp(*k, kind) == 0)
            return 1;
    }
    return 0;
}

/* The jurisdiction a jurisdiction plugin serves ("gb-ew"), or NULL. */
static const char *scope_jurisdiction(const bh_plugin_instance *inst)
{
    static const char prefix[] = "jurisdiction:";
    const char *scope = inst->info.scope;
    if (scope == NULL || strncmp(scope, prefix, sizeof prefix - 1) != 0)
        return NULL;
    return scope + sizeof prefix - 1;
}

/* Kind names are short machine names: [a-z0-9_]{1,64}. */
static int kind_ok(const char *kind)
{
    size_t n = kind != NULL ? strlen(kind) : 0;
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = kind[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

/* Appends src's blocks to dst, keeping each block's attribution. */
static int append_blocks(baton_letter *dst, const baton_letter *src)
{
    for (size_t i = 0; i < src->count; i++) {
        bh_letter_set_plugin(dst, src->blocks[i].plugin);
        int rc = bh_letter_block_add(dst, src->blocks[i].kind, src->blocks[i].text);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int copy_prop(baton_letter *dst, const char *key, const char *value)
{
    return value != NULL ? bh_letter_set(dst, key, value) : 0;
}

/* A letter being composed: the letterhead (optional), then the body. */
struct compose_job {
    bh_call_env env;
    bh_plugin_set *set; /* one reference */
    bh_plugin_instance *writer, *headed;
    char kind[72];
    char as_of[16];
    bh_case_input cs;
    char *owned_text;
    baton_letter *head, *body;
    int stage; /* 0 letterhead, 1 body */
    bh_steps steps;
    bh_letter_done_fn done;
    void *ctx;
};

static void job_free(struct compose_job *j)
{
    if (j == NULL)
        return;
    bh_letter_free(j->head);
    bh_letter_free(j->body);
    bh_plugin_set_unref(j->set);
    free(j->owned_text);
    free(j);
}

static void compose_end(struct compose_job *j, int rc, const bh_eval_error *e)
{
    baton_letter *letter = NULL;
    bh_eval_error err;
    memset(&err, 0, sizeof err);
    if (rc == 0) {
        letter = bh_letter_new();
        if (letter == NULL)
            rc = BATON_ENOMEM;
        if (rc == 0 && j->head != NULL)
            rc = append_blocks(letter, j->head);
        if (rc == 0)
            rc = append_blocks(letter, j->body);
        if (rc == 0)
            rc = copy_prop(letter, "title", j->body->title);
        if (rc == 0)
            rc = copy_prop(letter, "language", j->body->language);
        if (rc == 0)
            rc = copy_prop(letter, "reference", j->body->reference);
        if (rc == BATON_ENOMEM)
            bh_eval_out_of_memory(&err, "composing the letter");
        else if (rc != 0)
            bh_eval_fail(&err, 500, "internal", 0, "composing the letter failed: %s",
                         baton_strerror(rc));
        else
            bh_letter_set_plugin(letter, j->writer->info.name);
        if (rc != 0) {
            bh_letter_free(letter);
            letter = NULL;
        }
    } else {
        err = *e;
    }
    bh_letter_done_fn done = j->done;
    void *ctx = j->ctx;
    /* The blocks' plugin names point into the set's instances; the caller
     * holds the set for as long as it keeps the letter. */
    job_free(j);
    done(ctx, letter, rc == 0 ? NULL : &err);
}

/* Runs the letterhead and the body (plugin_call.h, steps). */
static void compose_run(void *job)
{
    struct compose_job *j = job;
    bh_steps_enter(&j->steps);
    for (;;) {
        if (bh_steps_finished(&j->steps)) {
            bh_plugin_instance *in = j->stage == 0 ? j->headed : j->writer;
            baton_letter *l = j->stage == 0 ? j->head : j->body;
            if (j->steps.rc == 0 && l->count == 0) {
                atomic_fetch_add(&in->failures, 1);
                bh_eval_fail(&j->steps.err, 502, "plugin_failed", 0,
                             "plugin %s wrote no content for the letter '%s'", in->info.name,
                             j->stage == 0 ? "letterhead" : j->kind);
                j->steps.rc = BATON_EPLUGIN;
            }
            if (j->steps.rc != 0) {
                compose_end(j, j->steps.rc, &j->steps.err);
                return;
            }
            j->stage++;
        }
        if (j->stage == 0 && j->headed == NULL)
            j->stage = 1;
        if (j->stage > 1) {
            compose_end(j, 0, NULL);
            return;
        }
        bh_plugin_instance *in = j->stage == 0 ? j->headed : j->writer;
        baton_letter *l = j->stage == 0 ? j->head : j->body;
        bh_plugin_call(&j->env, in, BH_CAP_LETTER, j->stage == 0 ? "letterhead" : j->kind, &j->cs,
                       NULL, l, bh_steps_done, &j->steps);
        if (bh_steps_wait(&j->steps))
            return;
    }
}

void bh_letter_compose_start(const bh_call_env *env, bh_plugin_set *set, const cJSON *case_json,
                             const char *case_text, size_t case_len, const char *kind,
                             const char *default_as_of, bh_letter_done_fn done, void *ctx)
{
    bh_eval_error e;
    bh_plugin_instance *writer = NULL, *headed = NULL;
    struct compose_job *j = NULL;
    char today[16];

    memset(&e, 0, sizeof e);
    if (!kind_ok(kind)) {
        bh_eval_fail(&e, 400, "invalid_letter_kind", 0,
                     "kind must be a letter kind name of 1 to 64 characters a-z, 0-9 and _");
        goto fail;
    }
    if (strcmp(kind, "letterhead") == 0) {
        bh_eval_fail(&e, 400, "invalid_letter_kind", 0,
                     "'letterhead' is placed on every letter; ask for a letter kind instead");
        goto fail;
    }
    if (case_json == NULL || !cJSON_IsObject(case_json)) {
        bh_eval_fail(&e, 400, "invalid_case", 0, "the case must be a JSON object");
        goto fail;
    }
    if (bh_case_validate(case_json, &e) != 0)
        goto fail;

    const char *as_of = bh_case_as_of(case_json, default_as_of, today);
    const cJSON *jur = cJSON_GetObjectItemCaseSensitive(case_json, "jurisdiction");
    const char *jurisdiction = cJSON_IsString(jur) ? jur->valuestring : "";

    /* 1. the case's jurisdiction plugin; 2. the tenant's agency plugins. */
    const char *elsewhere = NULL;
    for (size_t i = 0; i < set->count && writer == NULL; i++) {
        bh_plugin_instance *in = set->items[i];
        const char *js = scope_jurisdiction(in);
        if (js == NULL || !bh_plugin_offers_letter(in, kind))
            continue;
        if (strcmp(js, jurisdiction) == 0)
            writer = in;
        else if (elsewhere == NULL)
            elsewhere = js;
    }
    for (size_t i = 0; i < set->count && writer == NULL; i++) {
        bh_plugin_instance *in = set->items[i];
        if (bh_plugin_scope_kind(in) == 2 && bh_plugin_offers_letter(in, kind))
            writer = in;
    }
    if (writer == NULL) {
        if (elsewhere != NULL)
            bh_eval_fail(&e, 422, "letter_not_for_jurisdiction", 0,
                         "the letter '%s' is written for %s cases; this case's jurisdiction is %s",
                         kind, elsewhere, jurisdiction);
        else
            bh_eval_fail(&e, 404, "unknown_letter_kind", 0,
                         "no plugin of this tenant writes the letter '%s' for a %s case", kind,
                         jurisdiction);
        goto fail;
    }

    /* The letterhead: the writer's own when it is an agency offering one. */
    if (bh_plugin_scope_kind(writer) == 2 && bh_plugin_offers_letter(writer, "letterhead"))
        headed = writer;
    for (size_t i = 0; i < set->count && headed == NULL; i++) {
        bh_plugin_instance *in = set->items[i];
        if (bh_plugin_scope_kind(in) == 2 && bh_plugin_offers_letter(in, "letterhead"))
            headed = in;
    }

    bh_eval_out_of_memory(&e, "composing the letter");
    if ((j = calloc(1, sizeof *j)) == NULL)
        goto fail;
    j->set = bh_plugin_set_ref(set);
    j->writer = writer;
    j->headed = headed;
    j->done = done;
    j->ctx = ctx;
    if (env != NULL)
        j->env = *env;
    snprintf(j->kind, sizeof j->kind, "%s", kind);
    snprintf(j->as_of, sizeof j->as_of, "%s", as_of);
    if (bh_case_input_init(&j->cs, set, case_json, j->as_of, case_text, case_len, &j->owned_text) !=
        0)
        goto fail;
    j->body = bh_letter_new();
    if (j->body == NULL || (headed != NULL && (j->head = bh_letter_new()) == NULL))
        goto fail;
    bh_steps_init(&j->steps, compose_run, j);
    compose_run(j);
    return;
fail:
    job_free(j);
    done(ctx, NULL, &e);
}

struct sync_wait {
    int finished;
    baton_letter *letter;
    bh_eval_error *e;
};

static void on_sync_done(void *ctx, baton_letter *letter, const bh_eval_error *e)
{
    struct sync_wait *w = ctx;
    w->finished = 1;
    w->letter = letter;
    if (e != NULL)
        *w->e = *e;
}

int bh_letter_compose(bh_plugin_set *set, const cJSON *case_json, const char *kind,
                      const char *default_as_of, baton_letter **out, bh_eval_error *e)
{
    struct sync_wait w = {0, NULL, e};
    bh_sync_env s;
    int isolated = bh_plugin_set_has_isolated(set);
    memset(e, 0, sizeof *e);
    *out = NULL;
    if (isolated && bh_sync_env_begin(&s) != 0) {
        bh_eval_out_of_memory(e, "composing the letter");
        return BATON_ENOMEM;
    }
    bh_letter_compose_start(isolated ? &s.env : NULL, set, case_json, NULL, 0, kind, default_as_of,
                            on_sync_done, &w);
    if (isolated) {
        bh_sync_env_wait(&s, &w.finished);
        bh_sync_env_end(&s);
    }
    *out = w.letter;
    if (w.letter != NULL)
        return 0;
    switch (e->http_status) {
    case 400:
    case 422:
        return BATON_EINVAL;
    case 404:
        return BATON_ENOENT;
    case 500:
        return BATON_ENOMEM;
    default:
        return BATON_EPLUGIN;
    }
}

cJSON *bh_letter_kinds(const bh_plugin_set *set, const char *jurisdiction)
{
    cJSON *arr = cJSON_CreateArray();
    if (arr == NULL)
        return NULL;
    for (size_t i = 0; i < set->count; i++) {
        const bh_plugin_instance *in = set->items[i];
        const char *j = scope_jurisdiction(in);
        if (!(in->info.caps & BH_CAP_LETTER))
            continue;
        if (jurisdiction != NULL && j != NULL && strcmp(j, jurisdiction) != 0)
            continue;
        for (char **k = in->info.letter_kinds; k != NULL && *k != NULL; k++) {
            if (strcmp(*k, "letterhead") == 0)
                continue;
            cJSON *o = cJSON_CreateObject();
            if (o == NULL || !cJSON_AddItemToArray(arr, o) ||
                cJSON_AddStringToObject(o, "kind", *k) == NULL ||
                cJSON_AddStringToObject(o, "plugin", in->info.name) == NULL ||
                cJSON_AddStringToObject(o, "scope", in->info.scope) == NULL) {
                cJSON_Delete(arr);
                return NULL;
            }
        }
    }
    return arr;
}
