/* plugin_set.c - a tenant's plugin instances (plugin_set.h). */
#include "plugin_set.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"

#define MAX_PLUGINS_PER_TENANT 64

static void instance_free(bh_plugin_instance *in)
{
    if (in == NULL)
        return;
    if (in->desc != NULL && in->desc->fini != NULL && in->state != NULL)
        in->desc->fini(in->state);
    bh_plugin_close(in->plugin);
    free(in->tenant);
    free(in);
}

void bh_plugin_set_free(bh_plugin_set *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->count; i++)
        instance_free(s->items[i]);
    free(s->items);
    free(s->tenant);
    free(s);
}

bh_plugin_instance *bh_plugin_set_find(const bh_plugin_set *s, const char *scope)
{
    for (size_t i = 0; s != NULL && i < s->count; i++) {
        if (strcmp(s->items[i]->desc->scope, scope) == 0)
            return s->items[i];
    }
    return NULL;
}

int bh_plugin_scope_kind(const bh_plugin_instance *in)
{
    if (strncmp(in->desc->scope, "jurisdiction:", 13) == 0)
        return 1;
    if (strncmp(in->desc->scope, "agency:", 7) == 0)
        return 2;
    return 0;
}

/* Opens and initialises one plugin; on refusal fills err and returns < 0. */
static int instance_new(const char *tenant, const char *path, const cJSON *config,
                        bh_plugin_instance **out, char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    bh_plugin_instance *in = calloc(1, sizeof *in);
    if (in == NULL || (in->tenant = strdup(tenant)) == NULL) {
        snprintf(err, errlen, "plugin %s: out of memory", path);
        goto fail;
    }
    rc = bh_plugin_open(path, &in->plugin, err, errlen);
    if (rc != 0)
        goto fail;
    in->desc = bh_plugin_desc(in->plugin);
    in->host.tenant = in->tenant;
    in->host.plugin = in->desc->name;
    atomic_init(&in->calls, 0);
    atomic_init(&in->failures, 0);
    if (in->desc->init != NULL) {
        static const cJSON empty = {.type = cJSON_Object};
        baton_view cfg = bh_view_of(config != NULL ? config : &empty);
        char why[256] = "";
        rc = in->desc->init(bh_host_api(), &in->host, &cfg, &in->state, why, sizeof why);
        if (rc != 0) {
            snprintf(err, errlen,
                     "plugin %s refused: init of %s %s (built against SDK %u.%u) failed: %s", path,
                     in->desc->name, in->desc->version, in->desc->sdk_major, in->desc->sdk_minor,
                     why[0] ? why : baton_strerror(rc));
            in->state = NULL; /* nothing to fini after a failed init */
            if (rc > 0)
                rc = BATON_EPLUGIN;
            goto fail;
        }
    }
    *out = in;
    return 0;
fail:
    instance_free(in);
    return rc < 0 ? rc : BATON_EPLUGIN;
}

int bh_plugin_set_load(const char *tenant, const cJSON *plugins, const char *plugin_dir,
                       bh_refusal_fn on_refusal, void *ctx, bh_plugin_set **out, char *err,
                       size_t errlen)
{
    int rc = BATON_ENOMEM;
    bh_plugin_set *s = calloc(1, sizeof *s);
    *out = NULL;
    if (s == NULL || (s->tenant = strdup(tenant)) == NULL) {
        snprintf(err, errlen, "tenant %s: out of memory loading plugins", tenant);
        goto fail;
    }
    if (plugins != NULL && !cJSON_IsArray(plugins)) {
        snprintf(err, errlen, "plugins: expected an array");
        rc = BATON_EINVAL;
        goto fail;
    }
    int n = plugins ? cJSON_GetArraySize(plugins) : 0;
    if (n > MAX_PLUGINS_PER_TENANT) {
        snprintf(err, errlen, "plugins: %d entries, at most %d allowed", n, MAX_PLUGINS_PER_TENANT);
        rc = BATON_ELIMIT;
        goto fail;
    }
    if (n > 0 && (s->items = calloc((size_t)n, sizeof *s->items)) == NULL) {
        snprintf(err, errlen, "tenant %s: out of memory loading plugins", tenant);
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        const cJSON *entry = cJSON_GetArrayItem(plugins, i);
        const cJSON *jpath = cJSON_GetObjectItemCaseSensitive(entry, "path");
        const cJSON *config = cJSON_GetObjectItemCaseSensitive(entry, "config");
        if (!cJSON_IsObject(entry) || !cJSON_IsString(jpath) || jpath->valuestring[0] == '\0') {
            snprintf(err, errlen, "plugins[%d].path: expected a non-empty string", i);
            rc = BATON_EINVAL;
            goto fail;
        }
        if (config != NULL && !cJSON_IsObject(config)) {
            snprintf(err, errlen, "plugins[%d].config: expected an object", i);
            rc = BATON_EINVAL;
            goto fail;
        }
        char path[PATH_MAX];
        const char *rel = jpath->valuestring;
        int len = (rel[0] == '/' || plugin_dir == NULL)
                      ? snprintf(path, sizeof path, "%s", rel)
                      : snprintf(path, sizeof path, "%s/%s", plugin_dir, rel);
        if (len < 0 || (size_t)len >= sizeof path) {
            snprintf(err, errlen, "plugins[%d].path: too long", i);
            rc = BATON_EINVAL;
            goto fail;
        }
        char why[768];
        bh_plugin_instance *in = NULL;
        rc = instance_new(tenant, path, config, &in, why, sizeof why);
        if (rc == BATON_ENOMEM) {
            snprintf(err, errlen, "%s", why);
            goto fail;
        }
        if (rc == 0 && bh_plugin_set_find(s, in->desc->scope) != NULL) {
            snprintf(why, sizeof why,
                     "plugin %s refused: scope %s is already provided by another plugin of "
                     "tenant %s",
                     path, in->desc->scope, tenant);
            instance_free(in);
            rc = BATON_EEXIST;
        }
        if (rc != 0) {
            if (on_refusal != NULL)
                on_refusal(ctx, tenant, path, why);
            continue;
        }
        s->items[s->count++] = in;
    }
    *out = s;
    return 0;
fail:
    bh_plugin_set_free(s);
    return rc;
}
