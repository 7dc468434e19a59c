/* evaluate.c - a case through a tenant's plugins (evaluate.h). */
#include "evaluate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "case_view.h"
#include "money_text.h"
#include "result.h"

static int fail(bh_eval_error *e, int status, const char *code, int rc, const char *fmt, ...)
{
    va_list ap;
    e->http_status = status;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return rc;
}

void bh_today_utc(char *buf)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
}

/* Dates every case may carry; each, when present, must be a real date. */
static const char *const date_paths[] = {
    "as_of",
    "claim.due_date",
    "claim.contract_date",
    "claim.last_payment_date",
    "claim.acknowledged_date",
};

const char *bh_case_as_of(const cJSON *case_json, const char *default_as_of, char *today)
{
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(case_json, "as_of");
    if (cJSON_IsString(given))
        return given->valuestring;
    if (default_as_of != NULL)
        return default_as_of;
    bh_today_utc(today);
    return today;
}

int bh_case_validate(const cJSON *case_json, bh_eval_error *e)
{
    baton_view v = bh_view_of(case_json);
    const char *s;
    char why[160];
    if (!cJSON_IsObject(case_json))
        return fail(e, 400, "invalid_case", BATON_EINVAL, "the case must be a JSON object");
    int rc = bh_view_string(&v, "jurisdiction", &s);
    if (rc != 0 || s[0] == '\0')
        return fail(e, 400, "invalid_case", BATON_EINVAL,
                    "jurisdiction: required, a jurisdiction code such as \"gb-ew\"");
    if (bh_view_type(&v, "case_id") != BATON_VIEW_MISSING && bh_view_string(&v, "case_id", &s) != 0)
        return fail(e, 400, "invalid_case", BATON_EINVAL, "case_id: expected a string");
    const cJSON *principal = bh_view_lookup(&v, "claim.principal", &rc);
    if (principal == NULL || !cJSON_IsObject(principal))
        return fail(e, 400, "invalid_case", BATON_EINVAL,
                    "claim.principal: required, {\"amount\": \"1250.00\", \"currency\": \"GBP\"}");
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(principal, "amount");
    const cJSON *currency = cJSON_GetObjectItemCaseSensitive(principal, "currency");
    if (!cJSON_IsString(amount))
        return fail(e, 400, "invalid_case", BATON_EINVAL,
                    "claim.principal.amount: expected a decimal string such as \"1250.00\" "
                    "(numbers are refused so no amount passes through floating point)");
    if (!cJSON_IsString(currency))
        return fail(e, 400, "invalid_case", BATON_EINVAL,
                    "claim.principal.currency: expected an ISO 4217 code such as \"GBP\"");
    baton_money m;
    if (bh_money_parse(amount->valuestring, currency->valuestring, &m, why, sizeof why) != 0)
        return fail(e, 400, "invalid_case", BATON_EINVAL, "claim.principal: %s", why);
    if (m.minor <= 0)
        return fail(e, 400, "invalid_case", BATON_EINVAL,
                    "claim.principal.amount: must be greater than zero");
    /* Plugins multiply the principal by rates and day counts in 128 bits
     * and store int64 results; this bound keeps every such product and sum
     * far from overflow (and inside the 2^53 that JSON numbers hold). */
    if (m.minor > BH_MAX_PRINCIPAL_MINOR)
        return fail(e, 400, "invalid_case", BATON_ERANGE,
                    "claim.principal.amount: above the largest claim Baton evaluates "
                    "(%lld minor units)",
                    (long long)BH_MAX_PRINCIPAL_MINOR);
    for (size_t i = 0; i < sizeof date_paths / sizeof date_paths[0]; i++) {
        baton_date d;
        enum baton_view_type t = bh_view_type(&v, date_paths[i]);
        if (t == BATON_VIEW_MISSING || t == BATON_VIEW_NULL)
            continue; /* optional dates may be absent or null */
        if (bh_view_date(&v, date_paths[i], &d) != 0)
            return fail(e, 400, "invalid_case", BATON_EINVAL,
                        "%s: expected a date written YYYY-MM-DD", date_paths[i]);
    }
    return 0;
}

/* Calls one capability function of an instance, counting it. */
static int call_plugin(bh_plugin_instance *in, const char *capability, int rc, bh_eval_error *e)
{
    atomic_fetch_add_explicit(&in->calls, 1, memory_order_relaxed);
    if (rc == 0)
        return 0;
    atomic_fetch_add_explicit(&in->failures, 1, memory_order_relaxed);
    return fail(e, 502, "plugin_failed", BATON_EPLUGIN, "plugin %s %s failed in %s: %s",
                in->desc->name, in->desc->version, capability,
                rc < 0 ? baton_strerror(rc) : "returned a positive code");
}

static int add_plugin_info(cJSON *list, const bh_plugin_instance *in)
{
    char sdk[16];
    cJSON *p = cJSON_CreateObject();
    if (p == NULL)
        return BATON_ENOMEM;
    cJSON_AddItemToArray(list, p);
    snprintf(sdk, sizeof sdk, "%u.%u", in->desc->sdk_major, in->desc->sdk_minor);
    if (!cJSON_AddStringToObject(p, "name", in->desc->name) ||
        !cJSON_AddStringToObject(p, "version", in->desc->version) ||
        !cJSON_AddStringToObject(p, "scope", in->desc->scope) ||
        !cJSON_AddStringToObject(p, "sdk", sdk))
        return BATON_ENOMEM;
    return 0;
}

/*
 * totals: {"GBP": {"court_fee": money, ...}} summed from the cost lines.
 * Sums are taken from the exact decimal amounts, never from the JSON
 * number, and checked for overflow.
 */
static cJSON *make_totals(const cJSON *costs)
{
    cJSON *totals = cJSON_CreateObject();
    const cJSON *c;
    char why[160];
    if (totals == NULL)
        return NULL;
    cJSON_ArrayForEach(c, costs)
    {
        const cJSON *amount = cJSON_GetObjectItemCaseSensitive(c, "amount");
        const char *kind = cJSON_GetObjectItemCaseSensitive(c, "kind")->valuestring;
        const char *cur = cJSON_GetObjectItemCaseSensitive(amount, "currency")->valuestring;
        const char *text = cJSON_GetObjectItemCaseSensitive(amount, "amount")->valuestring;
        baton_money line, prev_m;
        if (bh_money_parse(text, cur, &line, why, sizeof why) != 0)
            goto fail;
        cJSON *per = cJSON_GetObjectItemCaseSensitive(totals, cur);
        if (per == NULL && (per = cJSON_AddObjectToObject(totals, cur)) == NULL)
            goto fail;
        cJSON *prev = cJSON_GetObjectItemCaseSensitive(per, kind);
        if (prev != NULL) {
            const char *ptext = cJSON_GetObjectItemCaseSensitive(prev, "amount")->valuestring;
            if (bh_money_parse(ptext, cur, &prev_m, why, sizeof why) != 0 ||
                __builtin_add_overflow(line.minor, prev_m.minor, &line.minor))
                goto fail;
            cJSON_DeleteItemFromObjectCaseSensitive(per, kind);
        }
        cJSON *sum = bh_money_json(line);
        if (sum == NULL)
            goto fail;
        cJSON_AddItemToObject(per, kind, sum);
    }
    return totals;
fail:
    cJSON_Delete(totals);
    return NULL;
}

int bh_evaluate(const bh_plugin_set *set, const cJSON *case_json, const char *default_as_of,
                cJSON **out, bh_eval_error *e)
{
    int rc;
    cJSON *answer = NULL;
    baton_result *r = NULL;
    char today[11];

    *out = NULL;
    rc = bh_case_validate(case_json, e);
    if (rc != 0)
        return rc;
    rc = fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    const char *as_of_text = bh_case_as_of(case_json, default_as_of, today);
    baton_date as_of_date;
    if (bh_date_parse(as_of_text, &as_of_date) != 0) {
        rc =
            fail(e, 400, "invalid_case", BATON_EINVAL, "as_of: expected a date written YYYY-MM-DD");
        goto out;
    }
    baton_view view = bh_case_view_of(case_json, as_of_text);
    const char *jurisdiction;
    bh_view_string(&view, "jurisdiction", &jurisdiction);
    char scope[96];
    snprintf(scope, sizeof scope, "jurisdiction:%s", jurisdiction);
    bh_plugin_instance *jur = bh_plugin_set_find(set, scope);
    if (jur == NULL) {
        rc = fail(e, 422, "no_jurisdiction_plugin", BATON_ENOENT,
                  "this tenant has no plugin for jurisdiction '%.40s'", jurisdiction);
        goto out;
    }
    r = bh_result_new();
    answer = cJSON_CreateObject();
    cJSON *plugins = answer ? cJSON_AddArrayToObject(answer, "plugins") : NULL;
    if (r == NULL || plugins == NULL || add_plugin_info(plugins, jur) != 0)
        goto out;

    bh_result_set_plugin(r, jur->desc->name);
    if (jur->desc->filing_rules != NULL) {
        rc = call_plugin(jur, "filing_rules",
                         jur->desc->filing_rules->evaluate(jur->state, &view, r), e);
        if (rc != 0)
            goto out;
    }
    if (jur->desc->fee_schedule != NULL) {
        rc = call_plugin(jur, "fee_schedule", jur->desc->fee_schedule->fees(jur->state, &view, r),
                         e);
        if (rc != 0)
            goto out;
    }
    for (size_t i = 0; i < set->count; i++) {
        bh_plugin_instance *in = set->items[i];
        if (bh_plugin_scope_kind(in) != 2 || in->desc->fee_schedule == NULL)
            continue;
        rc = fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
        if (add_plugin_info(plugins, in) != 0)
            goto out;
        bh_result_set_plugin(r, in->desc->name);
        rc = call_plugin(in, "fee_schedule", in->desc->fee_schedule->fees(in->state, &view, r), e);
        if (rc != 0)
            goto out;
    }

    rc = fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    const cJSON *case_id = cJSON_GetObjectItemCaseSensitive(case_json, "case_id");
    cJSON *built = bh_result_take(r);
    if (built == NULL)
        goto out;
    cJSON *totals = make_totals(cJSON_GetObjectItemCaseSensitive(built, "costs"));
    if (totals == NULL) {
        cJSON_Delete(built);
        goto out;
    }
    if ((cJSON_IsString(case_id) &&
         !cJSON_AddStringToObject(answer, "case_id", case_id->valuestring)) ||
        !cJSON_AddStringToObject(answer, "as_of", as_of_text) ||
        !cJSON_AddStringToObject(answer, "jurisdiction", jurisdiction)) {
        cJSON_Delete(built);
        cJSON_Delete(totals);
        goto out;
    }
    /* Move findings, costs and facts over from the built result. */
    static const char *const parts[] = {"findings", "costs", "facts"};
    for (size_t i = 0; i < 3; i++)
        cJSON_AddItemToObject(answer, parts[i],
                              cJSON_DetachItemFromObjectCaseSensitive(built, parts[i]));
    cJSON_AddItemToObject(answer, "totals", totals);
    cJSON_Delete(built);
    *out = answer;
    answer = NULL;
    rc = 0;
out:
    bh_result_free(r);
    cJSON_Delete(answer);
    return rc;
}
