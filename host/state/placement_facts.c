/* placement_facts.c - the amount placed and the expected recovery
 * (placement_facts.h). */
#include "placement_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baton/error.h"
#include "baton/package.h"
#include "money_text.h"

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int money_value(const cJSON *m, const char *currency, int64_t *minor)
{
    const cJSON *amount = member(m, "amount"), *cur = member(m, "currency");
    baton_money v;
    if (!cJSON_IsString(amount) || !cJSON_IsString(cur) ||
        strcmp(cur->valuestring, currency) != 0 || amount->valuestring[0] == '-' ||
        bh_money_parse(amount->valuestring, cur->valuestring, &v, NULL, 0) != 0)
        return -1;
    *minor = v.minor;
    return 0;
}

int bh_placement_amount(const cJSON *case_json, int64_t *minor, char currency[4], char *err,
                        size_t errlen)
{
    const cJSON *claim = member(case_json, "claim");
    const cJSON *principal = member(claim, "principal");
    const cJSON *cur = member(principal, "currency");
    const cJSON *charge;
    int i = 0;
    if (!cJSON_IsString(cur) || strlen(cur->valuestring) != 3 ||
        money_value(principal, cur->valuestring, minor) != 0) {
        snprintf(err, errlen, "case.claim.principal: expected money");
        return BATON_EINVAL;
    }
    memcpy(currency, cur->valuestring, 4);
    cJSON_ArrayForEach(charge, member(claim, "charges"))
    {
        int64_t v;
        if (money_value(member(charge, "amount"), currency, &v) != 0) {
            snprintf(err, errlen, "case.claim.charges[%d].amount: expected money in %s", i,
                     currency);
            return BATON_EINVAL;
        }
        if (__builtin_add_overflow(*minor, v, minor)) {
            snprintf(err, errlen,
                     "case.claim: principal and charges do not fit 64-bit minor units");
            return BATON_ERANGE;
        }
        i++;
    }
    return 0;
}

int bh_placement_forecast(const cJSON *evaluation, const char *currency, int64_t *minor)
{
    const cJSON *m =
        member(member(member(member(evaluation, "facts"), "recovery"), "legal"), "gross");
    return m != NULL && money_value(m, currency, minor) == 0;
}

void bh_placement_today(char buf[11])
{
    const char *s = getenv("BATON_NOW");
    int64_t t;
    char stamp[21];
    if (s == NULL || baton_pkg_time_parse(s, strlen(s), &t) != 0)
        t = (int64_t)time(NULL);
    baton_pkg_time_format(t, stamp);
    memcpy(buf, stamp, 10);
    buf[10] = '\0';
}
