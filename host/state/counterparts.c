/* counterparts.c - a tenant's trusted counterparts (counterparts.h). */
#include "counterparts.h"

#include <stdio.h>
#include <string.h>

#include "baton/error.h"
#include "baton/package.h"
#include "json_input.h"
#include "money_text.h"

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static const struct {
    const char *name;
    unsigned bit;
} cost_categories[] = {
    {"court_fee", BH_COST_COURT_FEE},
    {"lawyer_fee", BH_COST_LAWYER_FEE},
    {"enforcement", BH_COST_ENFORCEMENT},
    {"other", BH_COST_OTHER},
};

unsigned bh_cost_category_bit(const char *name)
{
    for (size_t i = 0; i < sizeof cost_categories / sizeof cost_categories[0]; i++)
        if (strcmp(name, cost_categories[i].name) == 0)
            return cost_categories[i].bit;
    return 0;
}

void bh_agreement_defaults(bh_agreement *a)
{
    memset(a, 0, sizeof *a);
    a->remittance_due_days = 30;
    a->stalled_after_days = 60;
    a->judgment_enforcement_days = 90;
}

/* An integer member written with digits only, in [lo, hi]: 0 (also when
 * absent, *out unchanged), or -1 with the reason. */
static int agreement_int(const cJSON *o, const char *key, long long lo, long long hi, int32_t *out,
                         char *why, size_t whylen)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    if (j == NULL)
        return 0;
    if (!cJSON_IsNumber(j) || !bh_json_integer_text(j) ||
        j->valuedouble != (double)(long long)j->valuedouble) {
        snprintf(why, whylen, "expected an integer written with digits only");
        return -1;
    }
    if ((long long)j->valuedouble < lo || (long long)j->valuedouble > hi) {
        snprintf(why, whylen, "must be between %lld and %lld", lo, hi);
        return -1;
    }
    *out = (int32_t)(long long)j->valuedouble;
    return 0;
}

/* Reads (and checks) an "agreement" object into a. On a problem returns
 * -1 with the member path below "agreement" in sub and the reason. */
static int agreement_read(const cJSON *o, bh_agreement *a, char *sub, size_t sublen, char *why,
                          size_t whylen)
{
    static const char *const known[] = {
        "contingency_fee_bp",  "fee_on_direct_payments", "reimbursed_costs",          "cost_budget",
        "remittance_due_days", "stalled_after_days",     "judgment_enforcement_days", NULL};
    const cJSON *m;
    bh_agreement_defaults(a);
    sub[0] = '\0';
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "expected an object");
        return -1;
    }
    cJSON_ArrayForEach(m, o)
    {
        int ok = 0;
        for (size_t k = 0; known[k] != NULL; k++)
            ok |= strcmp(m->string, known[k]) == 0;
        if (!ok) {
            snprintf(sub, sublen, ".%s", m->string);
            snprintf(why, whylen, "unknown field");
            return -1;
        }
    }
    static const struct {
        const char *key;
        long long lo, hi;
        size_t offset;
    } ints[] = {
        {"contingency_fee_bp", 0, 10000, offsetof(bh_agreement, contingency_fee_bp)},
        {"remittance_due_days", 1, 3650, offsetof(bh_agreement, remittance_due_days)},
        {"stalled_after_days", 1, 3650, offsetof(bh_agreement, stalled_after_days)},
        {"judgment_enforcement_days", 1, 3650, offsetof(bh_agreement, judgment_enforcement_days)},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (agreement_int(o, ints[i].key, ints[i].lo, ints[i].hi,
                          (int32_t *)(void *)((char *)a + ints[i].offset), why, whylen) != 0) {
            snprintf(sub, sublen, ".%s", ints[i].key);
            return -1;
        }
    }
    const cJSON *direct = cJSON_GetObjectItemCaseSensitive(o, "fee_on_direct_payments");
    if (direct != NULL) {
        if (!cJSON_IsBool(direct)) {
            snprintf(sub, sublen, ".fee_on_direct_payments");
            snprintf(why, whylen, "expected true or false");
            return -1;
        }
        a->fee_on_direct_payments = cJSON_IsTrue(direct);
    }
    const cJSON *costs = cJSON_GetObjectItemCaseSensitive(o, "reimbursed_costs");
    if (costs != NULL) {
        int i = 0;
        if (!cJSON_IsArray(costs)) {
            snprintf(sub, sublen, ".reimbursed_costs");
            snprintf(why, whylen, "expected an array of cost categories");
            return -1;
        }
        cJSON_ArrayForEach(m, costs)
        {
            unsigned bit = cJSON_IsString(m) ? bh_cost_category_bit(m->valuestring) : 0;
            snprintf(sub, sublen, ".reimbursed_costs[%d]", i++);
            if (bit == 0) {
                snprintf(why, whylen,
                         "expected one of \"court_fee\", \"lawyer_fee\", \"enforcement\", "
                         "\"other\"");
                return -1;
            }
            if (a->reimbursed_costs & bit) {
                snprintf(why, whylen, "\"%s\" is listed twice", m->valuestring);
                return -1;
            }
            a->reimbursed_costs |= bit;
        }
        sub[0] = '\0';
    }
    const cJSON *budget = cJSON_GetObjectItemCaseSensitive(o, "cost_budget");
    if (budget != NULL) {
        const cJSON *amount = cJSON_GetObjectItemCaseSensitive(budget, "amount");
        const cJSON *currency = cJSON_GetObjectItemCaseSensitive(budget, "currency");
        baton_money money;
        char reason[200];
        if (!cJSON_IsObject(budget) || cJSON_GetArraySize(budget) != 2 || !cJSON_IsString(amount) ||
            !cJSON_IsString(currency)) {
            snprintf(sub, sublen, ".cost_budget");
            snprintf(why, whylen,
                     "expected money: exactly {\"amount\": \"500.00\", \"currency\": \"GBP\"}");
            return -1;
        }
        if (bh_currency_exponent(currency->valuestring) < 0) {
            snprintf(sub, sublen, ".cost_budget.currency");
            snprintf(why, whylen, "not an ISO 4217 currency Baton knows");
            return -1;
        }
        if (amount->valuestring[0] == '-' ||
            bh_money_parse(amount->valuestring, currency->valuestring, &money, reason,
                           sizeof reason) != 0) {
            snprintf(sub, sublen, ".cost_budget.amount");
            snprintf(why, whylen, "%s",
                     amount->valuestring[0] == '-' ? "must not be negative" : reason);
            return -1;
        }
        a->has_cost_budget = 1;
        a->cost_budget_minor = money.minor;
        memcpy(a->cost_budget_currency, money.currency, sizeof a->cost_budget_currency);
    }
    return 0;
}

int bh_counterparts_check(const cJSON *list, char *field, size_t fieldlen, char *why, size_t whylen)
{
    static const char *const known[] = {"tenant",        "name",      "sign_pub",
                                        "age_recipient", "agreement", NULL};
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
            if (ok && strcmp(m->string, "agreement") == 0) {
                bh_agreement a;
                char sub[64];
                if (agreement_read(m, &a, sub, sizeof sub, why, whylen) != 0) {
                    snprintf(field, fieldlen, "counterparts[%d].agreement%s", i, sub);
                    return -1;
                }
                continue;
            }
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
    const cJSON *agreement = cJSON_GetObjectItemCaseSensitive(e, "agreement");
    char sub[64], why[200];
    out->has_agreement = agreement != NULL && agreement_read(agreement, &out->agreement, sub,
                                                             sizeof sub, why, sizeof why) == 0;
    if (!out->has_agreement)
        bh_agreement_defaults(&out->agreement);
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
