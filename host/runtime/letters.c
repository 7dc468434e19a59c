/*
 * letters.c - composing a letter from a tenant's plugins (see letters.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "case_view.h"
#include "letters.h"

static void fail(bh_eval_error *e, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    e->http_status = status;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

int bh_plugin_offers_letter(const bh_plugin_instance *inst, const char *kind)
{
    const baton_letter_formats *lf = inst->desc->letter_formats;
    if (lf == NULL || lf->kinds == NULL || lf->render == NULL)
        return 0;
    for (const char *const *k = lf->kinds; *k != NULL; k++) {
        if (strcmp(*k, kind) == 0)
            return 1;
    }
    return 0;
}

/* The jurisdiction a jurisdiction plugin serves ("gb-ew"), or NULL. */
static const char *scope_jurisdiction(const bh_plugin_instance *inst)
{
    static const char prefix[] = "jurisdiction:";
    const char *scope = inst->desc->scope;
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

/* Runs one plugin's render for kind into l, counting the call. */
static int render_into(bh_plugin_instance *inst, const char *kind, const baton_view *view,
                       baton_letter *l, bh_eval_error *e)
{
    size_t before = l->count;
    bh_letter_set_plugin(l, inst->desc->name);
    atomic_fetch_add(&inst->calls, 1);
    int rc = inst->desc->letter_formats->render(inst->state, kind, view, l);
    if (rc != 0) {
        atomic_fetch_add(&inst->failures, 1);
        fail(e, 502, "plugin_failed", "plugin %s failed to write the letter '%s': %s",
             inst->desc->name, kind, baton_strerror(rc));
        return rc < 0 ? rc : BATON_EPLUGIN;
    }
    if (l->count == before) {
        atomic_fetch_add(&inst->failures, 1);
        fail(e, 502, "plugin_failed", "plugin %s wrote no content for the letter '%s'",
             inst->desc->name, kind);
        return BATON_EPLUGIN;
    }
    return 0;
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

int bh_letter_compose(const bh_plugin_set *set, const cJSON *case_json, const char *kind,
                      const char *default_as_of, baton_letter **out, bh_eval_error *e)
{
    int rc = BATON_ENOMEM;
    baton_letter *head = NULL, *body = NULL, *letter = NULL;
    bh_plugin_instance *writer = NULL, *headed = NULL;
    char today[16];

    *out = NULL;
    memset(e, 0, sizeof *e);
    if (!kind_ok(kind)) {
        fail(e, 400, "invalid_letter_kind",
             "kind must be a letter kind name of 1 to 64 characters a-z, 0-9 and _");
        return BATON_EINVAL;
    }
    if (strcmp(kind, "letterhead") == 0) {
        fail(e, 400, "invalid_letter_kind",
             "'letterhead' is placed on every letter; ask for a letter kind instead");
        return BATON_EINVAL;
    }
    if (case_json == NULL || !cJSON_IsObject(case_json)) {
        fail(e, 400, "invalid_case", "the case must be a JSON object");
        return BATON_EINVAL;
    }
    rc = bh_case_validate(case_json, e);
    if (rc != 0)
        return rc;
    rc = BATON_ENOMEM;

    const char *as_of = bh_case_as_of(case_json, default_as_of, today);
    const cJSON *jur = cJSON_GetObjectItemCaseSensitive(case_json, "jurisdiction");
    const char *jurisdiction = cJSON_IsString(jur) ? jur->valuestring : "";

    /* 1. the case's jurisdiction plugin; 2. the tenant's agency plugins. */
    const char *elsewhere = NULL;
    for (size_t i = 0; i < set->count && writer == NULL; i++) {
        bh_plugin_instance *in = set->items[i];
        const char *j = scope_jurisdiction(in);
        if (j == NULL || !bh_plugin_offers_letter(in, kind))
            continue;
        if (strcmp(j, jurisdiction) == 0)
            writer = in;
        else if (elsewhere == NULL)
            elsewhere = j;
    }
    for (size_t i = 0; i < set->count && writer == NULL; i++) {
        bh_plugin_instance *in = set->items[i];
        if (bh_plugin_scope_kind(in) == 2 && bh_plugin_offers_letter(in, kind))
            writer = in;
    }
    if (writer == NULL) {
        if (elsewhere != NULL) {
            fail(e, 422, "letter_not_for_jurisdiction",
                 "the letter '%s' is written for %s cases; this case's jurisdiction is %s", kind,
                 elsewhere, jurisdiction);
            rc = BATON_EINVAL;
        } else {
            fail(e, 404, "unknown_letter_kind",
                 "no plugin of this tenant writes the letter '%s' for a %s case", kind,
                 jurisdiction);
            rc = BATON_ENOENT;
        }
        goto out;
    }

    /* The letterhead: the writer's own when it is an agency offering one. */
    if (bh_plugin_scope_kind(writer) == 2 && bh_plugin_offers_letter(writer, "letterhead"))
        headed = writer;
    for (size_t i = 0; i < set->count && headed == NULL; i++) {
        bh_plugin_instance *in = set->items[i];
        if (bh_plugin_scope_kind(in) == 2 && bh_plugin_offers_letter(in, "letterhead"))
            headed = in;
    }

    baton_view view = bh_case_view_of(case_json, as_of);
    if (headed != NULL) {
        head = bh_letter_new();
        if (head == NULL)
            goto nomem;
        rc = render_into(headed, "letterhead", &view, head, e);
        if (rc != 0)
            goto out;
    }
    body = bh_letter_new();
    letter = bh_letter_new();
    if (body == NULL || letter == NULL)
        goto nomem;
    rc = render_into(writer, kind, &view, body, e);
    if (rc != 0)
        goto out;

    if ((head != NULL && (rc = append_blocks(letter, head)) != 0) ||
        (rc = append_blocks(letter, body)) != 0 ||
        (rc = copy_prop(letter, "title", body->title)) != 0 ||
        (rc = copy_prop(letter, "language", body->language)) != 0 ||
        (rc = copy_prop(letter, "reference", body->reference)) != 0) {
        if (rc == BATON_ENOMEM)
            goto nomem;
        fail(e, 500, "internal", "composing the letter failed: %s", baton_strerror(rc));
        goto out;
    }
    bh_letter_set_plugin(letter, writer->desc->name);
    *out = letter;
    letter = NULL;
    rc = 0;
    goto out;
nomem:
    rc = BATON_ENOMEM;
    fail(e, 500, "internal", "out of memory composing the letter");
out:
    bh_letter_free(head);
    bh_letter_free(body);
    bh_letter_free(letter);
    return rc;
}

cJSON *bh_letter_kinds(const bh_plugin_set *set, const char *jurisdiction)
{
    cJSON *arr = cJSON_CreateArray();
    if (arr == NULL)
        return NULL;
    for (size_t i = 0; i < set->count; i++) {
        const bh_plugin_instance *in = set->items[i];
        const baton_letter_formats *lf = in->desc->letter_formats;
        const char *j = scope_jurisdiction(in);
        if (lf == NULL || lf->kinds == NULL)
            continue;
        if (jurisdiction != NULL && j != NULL && strcmp(j, jurisdiction) != 0)
            continue;
        for (const char *const *k = lf->kinds; *k != NULL; k++) {
            if (strcmp(*k, "letterhead") == 0)
                continue;
            cJSON *o = cJSON_CreateObject();
            if (o == NULL || !cJSON_AddItemToArray(arr, o) ||
                cJSON_AddStringToObject(o, "kind", *k) == NULL ||
                cJSON_AddStringToObject(o, "plugin", in->desc->name) == NULL ||
                cJSON_AddStringToObject(o, "scope", in->desc->scope) == NULL) {
                cJSON_Delete(arr);
                return NULL;
            }
        }
    }
    return arr;
}
