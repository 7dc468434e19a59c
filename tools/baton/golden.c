/*
 * golden.c - golden case files and the normalisation of answers before
 * they are compared (see golden.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_plugins.h"
#include "golden.h"

static int has_case(const char *dir)
{
    char path[PATH_MAX + 16];
    struct stat st;
    snprintf(path, sizeof path, "%s/case.json", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const golden_case *)a)->name, ((const golden_case *)b)->name);
}

int golden_list(const char *dir, golden_case *out, size_t max, char *err, size_t errlen)
{
    size_t n = 0;
    if (has_case(dir)) {
        const char *base = strrchr(dir, '/');
        snprintf(out[0].name, sizeof out[0].name, "%s",
                 base != NULL && base[1] != '\0' ? base + 1 : dir);
        snprintf(out[0].dir, sizeof out[0].dir, "%s", dir);
        return max > 0 ? 1 : 0;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char sub[PATH_MAX];
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) >= sizeof sub ||
            !has_case(sub))
            continue;
        if (n == max) {
            closedir(d);
            snprintf(err, errlen, "%s: more than %zu golden cases", dir, max);
            return -1;
        }
        snprintf(out[n].name, sizeof out[n].name, "%s", e->d_name);
        snprintf(out[n].dir, sizeof out[n].dir, "%s", sub);
        n++;
    }
    closedir(d);
    qsort(out, n, sizeof out[0], by_name);
    return (int)n;
}

cJSON *golden_read_case(const golden_case *g, char *err, size_t errlen)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/case.json", g->dir);
    cJSON *c = cli_read_json(path, err, errlen);
    if (c != NULL && !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "as_of"))) {
        snprintf(err, errlen,
                 "%s: no \"as_of\": a golden case fixes its evaluation date, or its answer "
                 "would change from day to day",
                 path);
        cJSON_Delete(c);
        return NULL;
    }
    return c;
}

cJSON *golden_read_expected(const golden_case *g, int *missing, char *err, size_t errlen)
{
    char path[PATH_MAX + 16];
    struct stat st;
    snprintf(path, sizeof path, "%s/expected.json", g->dir);
    *missing = stat(path, &st) != 0 && errno == ENOENT;
    if (*missing) {
        snprintf(err, errlen, "%s does not exist (--update writes it from the answer)", path);
        return NULL;
    }
    return cli_read_json(path, err, errlen);
}

/* Removes from array every object whose "plugin" names another plugin. */
static void keep_own(cJSON *array, const char *plugin)
{
    cJSON *it = array != NULL ? array->child : NULL;
    while (it != NULL) {
        cJSON *next = it->next;
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "plugin");
        if (cJSON_IsString(p) && strcmp(p->valuestring, plugin) != 0)
            cJSON_Delete(cJSON_DetachItemViaPointer(array, it));
        it = next;
    }
}

cJSON *golden_normalise(const cJSON *answer, const char *plugin)
{
    static const char *const per_build[] = {"sha256", "sdk", "mode"};
    cJSON *a = cJSON_Duplicate(answer, 1);
    cJSON *p;
    if (a == NULL)
        return NULL;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(a, "plugins"))
    {
        for (size_t i = 0; i < sizeof per_build / sizeof per_build[0]; i++)
            cJSON_DeleteItemFromObjectCaseSensitive(p, per_build[i]);
    }
    keep_own(cJSON_GetObjectItemCaseSensitive(a, "findings"), plugin);
    keep_own(cJSON_GetObjectItemCaseSensitive(a, "costs"), plugin);
    return a;
}

int golden_write_expected(const golden_case *g, const cJSON *answer, char *err, size_t errlen)
{
    char path[PATH_MAX + 16];
    char *text = cJSON_Print(answer);
    if (text == NULL) {
        snprintf(err, errlen, "%s: out of memory", g->dir);
        return -1;
    }
    size_t len = strlen(text);
    char *withnl = malloc(len + 2);
    int rc = -1;
    if (withnl == NULL) {
        snprintf(err, errlen, "%s: out of memory", g->dir);
    } else {
        memcpy(withnl, text, len);
        withnl[len] = '\n';
        withnl[len + 1] = '\0';
        snprintf(path, sizeof path, "%s/expected.json", g->dir);
        rc = cli_write_file(path, withnl, len + 1, err, errlen) == 0 ? 0 : -1;
    }
    free(withnl);
    cJSON_free(text);
    return rc;
}
