/*
 * api_plugins.c - GET /v1/plugins: the calling tenant's plugins, and only
 * theirs: {"tenant": id, "plugins": [{"name", "version", "scope", "sdk",
 * "capabilities": [...]}]}. "sdk" is the SDK version the plugin was built
 * against ("1.0"); capabilities name the tables it provides
 * ("filing_rules", "fee_schedule", "letter_formats") and "letters" lists
 * the letter kinds it writes.
 */
#include <stdio.h>

#include "router.h"

void bh_api_plugins(bh_req *r);

void bh_api_plugins(bh_req *r)
{
    const bh_plugin_set *set = r->tenant->plugins;
    cJSON *root = cJSON_CreateObject();
    cJSON *list = NULL;

    if (root == NULL || cJSON_AddStringToObject(root, "tenant", r->tenant->id) == NULL ||
        cJSON_AddStringToObject(root, "kind", bh_tenant_kind_name(r->tenant->kind)) == NULL ||
        (list = cJSON_AddArrayToObject(root, "plugins")) == NULL)
        goto oom;
    for (size_t i = 0; i < set->count; i++) {
        const baton_plugin *d = set->items[i]->desc;
        cJSON *p = cJSON_CreateObject();
        cJSON *caps;
        char sdk[16];

        if (p == NULL)
            goto oom;
        cJSON_AddItemToArray(list, p);
        snprintf(sdk, sizeof(sdk), "%u.%u", (unsigned)d->sdk_major, (unsigned)d->sdk_minor);
        if (cJSON_AddStringToObject(p, "name", d->name) == NULL ||
            cJSON_AddStringToObject(p, "version", d->version) == NULL ||
            cJSON_AddStringToObject(p, "scope", d->scope) == NULL ||
            cJSON_AddStringToObject(p, "sdk", sdk) == NULL ||
            (caps = cJSON_AddArrayToObject(p, "capabilities")) == NULL)
            goto oom;
        if (d->filing_rules != NULL)
            cJSON_AddItemToArray(caps, cJSON_CreateString("filing_rules"));
        if (d->fee_schedule != NULL)
            cJSON_AddItemToArray(caps, cJSON_CreateString("fee_schedule"));
        if (d->letter_formats != NULL) {
            cJSON *kinds = cJSON_AddArrayToObject(p, "letters");
            cJSON_AddItemToArray(caps, cJSON_CreateString("letter_formats"));
            for (const char *const *k = d->letter_formats->kinds;
                 kinds != NULL && k != NULL && *k != NULL; k++)
                cJSON_AddItemToArray(kinds, cJSON_CreateString(*k));
        }
    }
    bh_reply_json(r, 200, root);
    cJSON_Delete(root);
    return;
oom:
    cJSON_Delete(root);
    bh_reply_error(r, 500, "out_of_memory", "out of memory");
}
