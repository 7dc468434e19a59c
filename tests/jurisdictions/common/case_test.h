/*
 * case_test.h - what the table-driven jurisdiction tests share: editing a
 * case at a dot path, evaluating it through the host runtime, reading the
 * answer (facts, cost lines, findings) and composing a letter as text.
 *
 * Header-only (static functions), included by one test file per plugin,
 * which defines g_set (the plugin set under test) and BATON_PLUGIN_DIR
 * before including it.
 */
#ifndef BATON_CASE_TEST_H
#define BATON_CASE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "evaluate.h"
#include "letter.h"
#include "letters.h"
#include "plugin_set.h"
#include "test_plugins.h"

static inline cJSON *ct_walk(cJSON *root, const char *path, char *last, size_t lastlen)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s", path);
    cJSON *node = root;
    char *p = buf, *dot;
    while ((dot = strchr(p, '.')) != NULL) {
        *dot = '\0';
        cJSON *next = cJSON_GetObjectItemCaseSensitive(node, p);
        if (next == NULL || !cJSON_IsObject(next)) {
            cJSON_DeleteItemFromObjectCaseSensitive(node, p);
            next = cJSON_AddObjectToObject(node, p);
        }
        node = next;
        p = dot + 1;
    }
    snprintf(last, lastlen, "%s", p);
    return node;
}

static inline void set_item(cJSON *root, const char *path, cJSON *item)
{
    char last[64];
    cJSON *parent = ct_walk(root, path, last, sizeof last);
    cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
    cJSON_AddItemToObject(parent, last, item);
}

static inline void set_str(cJSON *root, const char *path, const char *s)
{
    set_item(root, path, cJSON_CreateString(s));
}

static inline void set_int(cJSON *root, const char *path, int v)
{
    set_item(root, path, cJSON_CreateNumber(v));
}

static inline void set_bool(cJSON *root, const char *path, int b)
{
    set_item(root, path, cJSON_CreateBool(b));
}

static inline void set_json(cJSON *root, const char *path, const char *json)
{
    cJSON *item = cJSON_Parse(json);
    assert_non_null(item);
    set_item(root, path, item);
}

static inline cJSON *evaluate(const cJSON *c)
{
    cJSON *answer = NULL;
    bh_eval_error e;
    int rc = bh_evaluate(g_set, c, NULL, &answer, &e);
    if (rc != 0)
        fail_msg("evaluation failed: %s %s", e.code, e.message);
    return answer;
}

static inline const cJSON *fact(const cJSON *answer, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(answer, "facts");
    for (char *tok = strtok(buf, "."); tok != NULL && node != NULL; tok = strtok(NULL, "."))
        node = cJSON_GetObjectItemCaseSensitive(node, tok);
    return node;
}

static inline const char *fact_str(const cJSON *answer, const char *path)
{
    const cJSON *n = fact(answer, path);
    if (!cJSON_IsString(n))
        fail_msg("fact %s missing", path);
    return n->valuestring;
}

static inline int64_t fact_minor(const cJSON *answer, const char *path)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(fact(answer, path), "minor");
    if (!cJSON_IsNumber(m))
        fail_msg("money fact %s missing", path);
    return (int64_t)m->valuedouble;
}

/* The sum of the cost lines of kind, or -1 when there is none. */
static inline int64_t cost(const cJSON *answer, const char *kind)
{
    const cJSON *costs = cJSON_GetObjectItemCaseSensitive(answer, "costs");
    const cJSON *it;
    int64_t found = -1;
    cJSON_ArrayForEach(it, costs)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, "kind");
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(it, "amount"), "minor");
            found = (found < 0 ? 0 : found) + (int64_t)m->valuedouble;
        }
    }
    return found;
}

/* The status of finding code, or NULL when absent. */
static inline const char *finding(const cJSON *answer, const char *code)
{
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(answer, "findings");
    const cJSON *it;
    cJSON_ArrayForEach(it, fs)
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "code");
        if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0)
            return cJSON_GetObjectItemCaseSensitive(it, "status")->valuestring;
    }
    return NULL;
}

/* The text of finding code, or "" when absent. */
static inline const char *finding_text(const cJSON *answer, const char *code)
{
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(answer, "findings");
    const cJSON *it;
    cJSON_ArrayForEach(it, fs)
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "code");
        if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0)
            return cJSON_GetObjectItemCaseSensitive(it, "text")->valuestring;
    }
    return "";
}

/* The status of the first finding code whose text contains needle (several
 * findings may share a code, e.g. one per dated table), or NULL. */
static inline const char *finding_about(const cJSON *answer, const char *code, const char *needle)
{
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(answer, "findings");
    const cJSON *it;
    cJSON_ArrayForEach(it, fs)
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "code");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "text");
        if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0 && cJSON_IsString(t) &&
            strstr(t->valuestring, needle) != NULL)
            return cJSON_GetObjectItemCaseSensitive(it, "status")->valuestring;
    }
    return NULL;
}

/* The letter of kind for case c as text, one block a line; NULL when the
 * plugin refuses it. Caller frees. */
static inline char *letter_text(const cJSON *c, const char *kind)
{
    baton_letter *l = NULL;
    bh_eval_error e;
    if (bh_letter_compose(g_set, c, kind, NULL, &l, &e) != 0)
        return NULL;
    size_t len = 1;
    for (size_t i = 0; i < l->count; i++)
        len += strlen(l->blocks[i].text) + 1;
    char *s = malloc(len);
    assert_non_null(s);
    s[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        strcat(s, l->blocks[i].text);
        strcat(s, "\n");
    }
    bh_letter_free(l);
    return s;
}

/* Loads the plugin set under test into g_set (cmocka group setup). */
static inline int ct_setup(const char *plugins_json)
{
    char err[256];
    cJSON *plugins = cJSON_Parse(plugins_json);
    int rc =
        test_plugin_set_load("t", plugins, BATON_PLUGIN_DIR, NULL, NULL, &g_set, err, sizeof err);
    cJSON_Delete(plugins);
    if (rc != 0 || g_set == NULL || g_set->count != 1) {
        fprintf(stderr, "cannot load %s from %s: %s\n", plugins_json, BATON_PLUGIN_DIR, err);
        return -1;
    }
    return 0;
}

static inline int ct_teardown(void **state)
{
    (void)state;
    bh_plugin_set_unref(g_set);
    g_set = NULL;
    return 0;
}

static inline cJSON *load_case(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *c = cJSON_Parse(buf);
    if (c == NULL)
        fail_msg("%s is not JSON", path);
    return c;
}

#endif
