/*
 * cli_plugins.c - plugin selection and file helpers of the offline commands
 * (see cli_plugins.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_plugins.h"
#include "json_input.h"

char *cli_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (n + 4096 + 1 > cap) {
            size_t ncap = cap != 0 ? cap * 2 : 16384;
            char *p = realloc(buf, ncap);
            if (p == NULL) {
                snprintf(err, errlen, "%s: out of memory", path);
                free(buf);
                buf = NULL;
                goto out;
            }
            buf = p;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
out:
    if (f != stdin)
        fclose(f);
    return buf;
}

cJSON *cli_read_json(const char *path, char *err, size_t errlen)
{
    size_t n;
    char *text = cli_read_file(path, &n, err, errlen);
    if (text == NULL)
        return NULL;
    bh_json_error e;
    cJSON *j = bh_json_parse(text, n, &e);
    if (j == NULL) {
        char where[200];
        bh_json_error_text(&e, where, sizeof where);
        snprintf(err, errlen, "%s: invalid JSON at %s", path, where);
    }
    free(text);
    return j;
}

int cli_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            snprintf(err, errlen, "writing to stdout failed");
            return BATON_EIO;
        }
        return 0;
    }
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return BATON_EINVAL;
    }
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return BATON_EIO;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return BATON_EIO;
    }
    return 0;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *cli_plugin_dir(const cli_plugins *p, char *buf, size_t len)
{
    const char *env = getenv("BATON_PLUGIN_DIR");
    if (p != NULL && p->plugin_dir != NULL) {
        snprintf(buf, len, "%s", p->plugin_dir);
        return buf;
    }
    if (env != NULL && *env != '\0') {
        snprintf(buf, len, "%s", env);
        return buf;
    }
    /* Relative to this executable: <build>/tools/baton -> <build>/plugins;
     * <prefix>/bin/baton -> <prefix>/lib/baton/plugins. */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            const char *cands[] = {"/../plugins", "/../lib/baton/plugins"};
            for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
                struct stat st;
                snprintf(buf, len, "%s%s", exe, cands[i]);
                if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                    return buf;
            }
        }
    }
    snprintf(buf, len, "plugins");
    return buf;
}

/* Resolves a plugin given by the user to a path (see cli_plugins.h). */
static void resolve(const cli_plugins *p, const char *name, char *out, size_t len)
{
    char dir[PATH_MAX];
    if (strchr(name, '/') != NULL || is_file(name)) {
        if (realpath(name, out) == NULL || strlen(out) >= len)
            snprintf(out, len, "%s", name);
        return;
    }
    size_t n = strlen(name);
    int has_so = n > 3 && strcmp(name + n - 3, ".so") == 0;
    char abs[PATH_MAX];
    const char *d = cli_plugin_dir(p, dir, sizeof dir);
    if (realpath(d, abs) != NULL)
        d = abs;
    snprintf(out, len, "%s/%s%s", d, name, has_so ? "" : ".so");
}

/* The default config next to a plugin: x.so -> x.json, or NULL. */
static cJSON *default_config(const char *so_path, char *err, size_t errlen)
{
    char path[PATH_MAX];
    size_t n = strlen(so_path);
    if (n < 3 || n >= sizeof path || strcmp(so_path + n - 3, ".so") != 0)
        return NULL;
    memcpy(path, so_path, n - 3);
    strcpy(path + n - 3, ".json");
    if (!is_file(path))
        return NULL;
    return cli_read_json(path, err, errlen);
}

static int add_entry(cJSON *list, const char *path, cJSON *config)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || !cJSON_AddItemToArray(list, o)) {
        cJSON_Delete(o);
        cJSON_Delete(config);
        return BATON_ENOMEM;
    }
    if (cJSON_AddStringToObject(o, "path", path) == NULL) {
        cJSON_Delete(config);
        return BATON_ENOMEM;
    }
    if (config == NULL)
        config = cJSON_CreateObject();
    if (config == NULL || !cJSON_AddItemToObject(o, "config", config)) {
        cJSON_Delete(config);
        return BATON_ENOMEM;
    }
    return 0;
}

int cli_plugins_add(cli_plugins *p, const char *spec, char *err, size_t errlen)
{
    char name[PATH_MAX], path[PATH_MAX];
    const char *colon = strrchr(spec, ':');
    cJSON *config = NULL;
    size_t n = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
    if (n == 0 || n >= sizeof name) {
        snprintf(err, errlen, "--plugin %s: expected PATH[:CONFIG.json]", spec);
        return BATON_EINVAL;
    }
    memcpy(name, spec, n);
    name[n] = '\0';
    resolve(p, name, path, sizeof path);
    if (colon != NULL && colon[1] != '\0') {
        config = cli_read_json(colon + 1, err, errlen);
        if (config == NULL)
            return BATON_EINVAL;
    } else {
        err[0] = '\0';
        config = default_config(path, err, errlen);
        if (config == NULL && err[0] != '\0')
            return BATON_EINVAL;
    }
    if (p->list == NULL && (p->list = cJSON_CreateArray()) == NULL) {
        cJSON_Delete(config);
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    if (add_entry(p->list, path, config) != 0) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    return 0;
}

/* The refusals of one load: how many, and the first one's message. */
typedef struct refusals {
    unsigned count;
    char first[400];
} refusals;

static void report_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    refusals *r = ctx;
    (void)tenant;
    (void)path;
    if (r->count++ == 0)
        snprintf(r->first, sizeof r->first, "%s", message);
    fprintf(stderr, "baton: %s\n", message);
}

int cli_plugins_load(const cli_plugins *p, const char *jurisdiction, bh_plugin_set **out, char *err,
                     size_t errlen)
{
    cJSON *own = NULL, *tenant = NULL;
    const cJSON *list = p->list;
    char dir[PATH_MAX];
    int rc;

    cli_plugin_dir(p, dir, sizeof dir);
    if (list == NULL && p->tenant_config != NULL) {
        tenant = cli_read_json(p->tenant_config, err, errlen);
        if (tenant == NULL)
            return BATON_EINVAL;
        list = cJSON_GetObjectItemCaseSensitive(tenant, "plugins");
        if (!cJSON_IsArray(list)) {
            snprintf(err, errlen, "%s: expected an object with a \"plugins\" array",
                     p->tenant_config);
            rc = BATON_EINVAL;
            goto out;
        }
    }
    if (list == NULL) {
        cli_plugins tmp = *p;
        tmp.list = NULL;
        if (jurisdiction == NULL) {
            snprintf(err, errlen, "no plugins given and the case names no jurisdiction");
            rc = BATON_EINVAL;
            goto out;
        }
        if ((rc = cli_plugins_add(&tmp, jurisdiction, err, errlen)) != 0 ||
            (p->agency != NULL && (rc = cli_plugins_add(&tmp, p->agency, err, errlen)) != 0)) {
            cJSON_Delete(tmp.list);
            goto out;
        }
        own = tmp.list;
        list = own;
    }
    refusals refused = {0, ""};
    bh_isolation_limits limits;
    bh_isolation_limits_default(&limits);
    bh_plugin_load_opts opts = {
        .plugin_dir = dir,
        .limits = &limits,
        .force_isolated = p->isolated,
        .on_refusal = report_refusal,
        .ctx = &refused,
    };
    rc = bh_plugin_set_load("cli", list, &opts, out, err, errlen);
    if (rc == 0 && refused.count > 0) {
        /* Offline, a plugin asked for and not loaded is an error: the
         * answer would silently differ from the tenant's. */
        if (refused.count == 1)
            snprintf(err, errlen, "%s", refused.first);
        else
            snprintf(err, errlen, "%u plugins could not be loaded; the first: %s", refused.count,
                     refused.first);
        bh_plugin_set_unref(*out);
        *out = NULL;
        rc = BATON_EPLUGIN;
    }
out:
    cJSON_Delete(own);
    cJSON_Delete(tenant);
    return rc;
}

void cli_plugins_free(cli_plugins *p)
{
    cJSON_Delete(p->list);
    p->list = NULL;
}

int cli_plugins_option(cli_plugins *p, int opt, const char *arg, char *err, size_t errlen)
{
    switch (opt) {
    case CLI_OPT_PLUGIN:
        return cli_plugins_add(p, arg, err, errlen);
    case CLI_OPT_TENANT:
        p->tenant_config = arg;
        return 0;
    case CLI_OPT_AGENCY:
        p->agency = arg;
        return 0;
    case CLI_OPT_DIR:
        p->plugin_dir = arg;
        return 0;
    case CLI_OPT_ISOLATED:
        p->isolated = 1;
        return 0;
    }
    snprintf(err, errlen, "not a plugin option");
    return BATON_EINVAL;
}
