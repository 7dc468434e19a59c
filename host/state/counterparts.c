/* counterparts.c - a tenant's trusted counterparts (counterparts.h). */
#include "counterparts.h"

#include <stdio.h>
#include <string.h>

#include "baton/package.h"

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

int bh_counterparts_check(const cJSON *list, char *field, size_t fieldlen, char *why, size_t whylen)
{
    static const char *const known[] = {"tenant", "name", "sign_pub", "age_recipient", NULL};
    const cJSON *e;
    int i = 0;
    if (!cJSON_IsArray(list)) {
        snprintf(field, fieldlen, "counterparts");
        snprintf(why, whylen, "expected an array");
        return -1;
    }
    cJSON_ArrayForEach(e, list)
    {
        const cJSON *m;
        char reason[200];
        if (!cJSON_IsObject(e)) {
            snprintf(field, fieldlen, "counterparts[%d]", i);
            snprintf(why, whylen, "expected an object");
            return -1;
        }
        cJSON_ArrayForEach(m, e)
        {
            int ok = 0;
            for (size_t k = 0; known[k] != NULL; k++)
                ok |= strcmp(m->string, known[k]) == 0;
            if (!ok || !cJSON_IsString(m)) {
                snprintf(field, fieldlen, "counterparts[%d].%s", i, m->string);
                snprintf(why, whylen, ok ? "expected a string" : "unknown field");
                return -1;
            }
        }
        const char *tenant = str(e, "tenant"), *name = str(e, "name");
        const char *sign = str(e, "sign_pub"), *age = str(e, "age_recipient");
        if ((tenant == NULL) == (name == NULL)) {
            snprintf(field, fieldlen, "counterparts[%d]", i);
            snprintf(why, whylen, "give either \"tenant\" (on this host) or \"name\" (elsewhere)");
            return -1;
        }
        if (tenant != NULL && (sign != NULL || age != NULL)) {
            snprintf(field, fieldlen, "counterparts[%d]", i);
            snprintf(why, whylen, "a tenant on this host uses the keys batond keeps for it");
            return -1;
        }
        if (name != NULL && !baton_pkg_name_valid(name)) {
            snprintf(field, fieldlen, "counterparts[%d].name", i);
            snprintf(why, whylen, "1..128 characters of A-Z a-z 0-9 . _ : / @ + -");
            return -1;
        }
        if (name != NULL && sign == NULL) {
            snprintf(field, fieldlen, "counterparts[%d].sign_pub", i);
            snprintf(why, whylen, "missing (an external counterpart needs its minisign key)");
            return -1;
        }
        baton_minisign_pubkey pk;
        if (sign != NULL &&
            baton_minisign_pubkey_decode(sign, strlen(sign), &pk, reason, sizeof reason) != 0) {
            snprintf(field, fieldlen, "counterparts[%d].sign_pub", i);
            snprintf(why, whylen, "not a minisign public key: %s", reason);
            return -1;
        }
        baton_age_recipient r;
        if (age != NULL &&
            baton_age_recipient_parse(age, strlen(age), &r, reason, sizeof reason) != 0) {
            snprintf(field, fieldlen, "counterparts[%d].age_recipient", i);
            snprintf(why, whylen, "not an age recipient: %s", reason);
            return -1;
        }
        i++;
    }
    return 0;
}

int bh_counterpart_at(const cJSON *list, int i, bh_counterpart *out)
{
    const cJSON *e = cJSON_GetArrayItem(list, i);
    if (e == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    out->tenant = str(e, "tenant");
    out->name = str(e, "name");
    const char *sign = str(e, "sign_pub"), *age = str(e, "age_recipient");
    out->has_sign =
        sign != NULL && baton_minisign_pubkey_decode(sign, strlen(sign), &out->sign, NULL, 0) == 0;
    out->has_age =
        age != NULL && baton_age_recipient_parse(age, strlen(age), &out->age, NULL, 0) == 0;
    return 0;
}

int bh_counterpart_find(const cJSON *list, const char *name, bh_counterpart *out)
{
    for (int i = 0; bh_counterpart_at(list, i, out) == 0; i++) {
        const char *n = out->tenant != NULL ? out->tenant : out->name;
        if (strcmp(n, name) == 0)
            return 0;
    }
    return -1;
}
