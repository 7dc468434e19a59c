/*
 * json_diff.c - the path-by-path comparison of json_diff.h.
 */
#include <stdio.h>
#include <string.h>

#include "json_diff.h"

/* Longest value shown in a difference; longer ones end in "...". */
#define SHOWN 160

typedef struct walk {
    json_diff_fn report;
    void *ctx;
    size_t count;
    char path[1024];
} walk;

static void show(const cJSON *v, char *buf, size_t len)
{
    char *text = cJSON_PrintUnformatted(v);
    if (text == NULL) {
        snprintf(buf, len, "(out of memory)");
        return;
    }
    if (strlen(text) > SHOWN)
        snprintf(buf, len, "%.*s...", SHOWN, text);
    else
        snprintf(buf, len, "%s", text);
    cJSON_free(text);
}

static void differ(walk *w, const cJSON *expected, const cJSON *got)
{
    char e[SHOWN + 8], g[SHOWN + 8];
    show(expected, e, sizeof e);
    if (got != NULL)
        show(got, g, sizeof g);
    w->count++;
    w->report(w->ctx, w->path, e, got != NULL ? g : NULL);
}

static int same_kind(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsBool(a) && cJSON_IsBool(b))
        return 1;
    return (a->type & 0xFF) == (b->type & 0xFF);
}

static void compare(walk *w, const cJSON *expected, const cJSON *got)
{
    size_t mark = strlen(w->path);
    if (got == NULL || !same_kind(expected, got)) {
        differ(w, expected, got);
        return;
    }
    if (cJSON_IsObject(expected)) {
        const cJSON *m;
        cJSON_ArrayForEach(m, expected)
        {
            snprintf(w->path + mark, sizeof w->path - mark, "%s%s", mark > 0 ? "." : "", m->string);
            compare(w, m, cJSON_GetObjectItemCaseSensitive(got, m->string));
            w->path[mark] = '\0';
        }
    } else if (cJSON_IsArray(expected)) {
        int n = cJSON_GetArraySize(expected), k = cJSON_GetArraySize(got);
        if (n != k) {
            char note[64];
            snprintf(note, sizeof note, "%d element%s", n, n == 1 ? "" : "s");
            char gotnote[64];
            snprintf(gotnote, sizeof gotnote, "%d element%s", k, k == 1 ? "" : "s");
            w->count++;
            w->report(w->ctx, w->path, note, gotnote);
        }
        for (int i = 0; i < n && i < k; i++) {
            snprintf(w->path + mark, sizeof w->path - mark, "[%d]", i);
            compare(w, cJSON_GetArrayItem(expected, i), cJSON_GetArrayItem(got, i));
            w->path[mark] = '\0';
        }
        /* The elements one side has and the other lacks, by index. */
        for (int i = k; i < n; i++) {
            snprintf(w->path + mark, sizeof w->path - mark, "[%d]", i);
            differ(w, cJSON_GetArrayItem(expected, i), NULL);
            w->path[mark] = '\0';
        }
        for (int i = n; i < k; i++) {
            snprintf(w->path + mark, sizeof w->path - mark, "[%d]", i);
            char g[SHOWN + 8];
            show(cJSON_GetArrayItem(got, i), g, sizeof g);
            w->count++;
            w->report(w->ctx, w->path, NULL, g);
            w->path[mark] = '\0';
        }
    } else if (cJSON_IsString(expected)) {
        if (strcmp(expected->valuestring, got->valuestring) != 0)
            differ(w, expected, got);
    } else if (cJSON_IsNumber(expected)) {
        if (expected->valuedouble != got->valuedouble)
            differ(w, expected, got);
    } else if (cJSON_IsBool(expected)) {
        if (cJSON_IsTrue(expected) != cJSON_IsTrue(got))
            differ(w, expected, got);
    }
}

size_t json_diff(const cJSON *expected, const cJSON *got, json_diff_fn report, void *ctx)
{
    walk w;
    w.report = report;
    w.ctx = ctx;
    w.count = 0;
    w.path[0] = '\0';
    compare(&w, expected, got);
    return w.count;
}
