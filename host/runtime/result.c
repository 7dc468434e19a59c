/* result.c - the evaluation answer builder (result.h). */
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include "builder_rules.h"
#include "money_text.h"
#include "call_reason.h"

#define MAX_FACT_KEY 128

baton_result *bh_result_new(void)
{
    baton_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->root = cJSON_CreateObject();
    if (r->root == NULL)
        goto fail;
    r->findings = cJSON_AddArrayToObject(r->root, "findings");
    r->costs = cJSON_AddArrayToObject(r->root, "costs");
    r->facts = cJSON_AddObjectToObject(r->root, "facts");
    if (r->findings == NULL || r->costs == NULL || r->facts == NULL)
        goto fail;
    r->view = bh_view_of(r->root);
    return r;
fail:
    cJSON_Delete(r->root);
    free(r);
    return NULL;
}

/* Facts (leaves) under node. */
static size_t count_facts(const cJSON *node)
{
    size_t n = 0;
    for (const cJSON *c = node->child; c != NULL; c = c->next)
        n += cJSON_IsObject(c) ? count_facts(c) : 1;
    return n;
}

baton_result *bh_result_new_from(cJSON *prior)
{
    cJSON *f = cJSON_GetObjectItemCaseSensitive(prior, "findings");
    cJSON *c = cJSON_GetObjectItemCaseSensitive(prior, "costs");
    cJSON *x = cJSON_GetObjectItemCaseSensitive(prior, "facts");
    if (!cJSON_IsObject(prior) || !cJSON_IsArray(f) || !cJSON_IsArray(c) || !cJSON_IsObject(x))
        return NULL;
    baton_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->root = prior;
    r->findings = f;
    r->costs = c;
    r->facts = x;
    r->fact_count = count_facts(x);
    r->view = bh_view_of(r->root);
    return r;
}

void bh_result_free(baton_result *r)
{
    if (r == NULL)
        return;
    cJSON_Delete(r->root);
    free(r);
}

void bh_result_set_plugin(baton_result *r, const char *plugin)
{
    r->plugin = plugin;
}

cJSON *bh_result_take(baton_result *r)
{
    cJSON *root = r->root;
    r->root = NULL;
    r->findings = r->costs = r->facts = NULL;
    r->view = bh_view_of(NULL);
    return root;
}

const char *bh_finding_status_name(enum baton_finding_status s)
{
    switch (s) {
    case BATON_FINDING_MET:
        return "met";
    case BATON_FINDING_MISSING:
        return "missing";
    case BATON_FINDING_BLOCK:
        return "block";
    case BATON_FINDING_INFO:
        return "info";
    case BATON_FINDING_WARN:
        return "warn";
    }
    return NULL;
}

/* Machine names: lower-case letters, digits, '_' and '-', 1..64 bytes. */
static int valid_code(const char *s)
{
    size_t n = 0;
    if (s == NULL)
        return 0;
    for (; s[n] != '\0'; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return n >= 1 && n <= 64;
}

cJSON *bh_money_json(baton_money m)
{
    char amount[32];
    /* "minor" is a JSON number: keep it exact (|minor| <= 2^53). */
    if (m.minor > INT64_C(9007199254740992) || m.minor < -INT64_C(9007199254740992))
        return NULL;
    if (bh_currency_exponent(m.currency) < 0 || bh_money_format(m, amount, sizeof amount) != 0)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    if (cJSON_AddStringToObject(o, "amount", amount) == NULL ||
        cJSON_AddStringToObject(o, "currency", m.currency) == NULL ||
        cJSON_AddNumberToObject(o, "minor", (double)m.minor) == NULL) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int add_attribution(baton_result *r, cJSON *item)
{
    if (r->plugin == NULL)
        return 0;
    return cJSON_AddStringToObject(item, "plugin", r->plugin) ? 0 : BATON_ENOMEM;
}

int bh_result_finding(baton_result *r, const char *category, const char *code,
                      enum baton_finding_status status, const char *text, const char *basis)
{
    const char *status_name = bh_finding_status_name(status);
    if (r == NULL || r->root == NULL)
        return bh_refuse(BATON_EINVAL, "result_finding: no result to write to");
    int rc = bh_rule_finding(category, code, status, text);
    if (rc != 0)
        return rc;
    cJSON *f = cJSON_CreateObject();
    if (f == NULL)
        return BATON_ENOMEM;
    if (!cJSON_AddStringToObject(f, "category", category) ||
        !cJSON_AddStringToObject(f, "code", code) ||
        !cJSON_AddStringToObject(f, "status", status_name) ||
        !cJSON_AddStringToObject(f, "text", text) ||
        (basis != NULL && !cJSON_AddStringToObject(f, "basis", basis)) ||
        add_attribution(r, f) != 0) {
        cJSON_Delete(f);
        return BATON_ENOMEM;
    }
    cJSON_AddItemToArray(r->findings, f);
    return 0;
}

int bh_result_line_item(baton_result *r, const char *kind, const char *label, baton_money amount,
                        const char *basis)
{
    if (r == NULL || r->root == NULL)
        return bh_refuse(BATON_EINVAL, "result_line_item: no result to write to");
    int rc = bh_rule_line_item(kind, label, amount);
    if (rc != 0)
        return rc;
    cJSON *money = bh_money_json(amount);
    if (money == NULL)
        return BATON_ENOMEM;
    cJSON *c = cJSON_CreateObject();
    if (c == NULL) {
        cJSON_Delete(money);
        return BATON_ENOMEM;
    }
    cJSON_AddItemToObject(c, "amount", money);
    if (!cJSON_AddStringToObject(c, "kind", kind) || !cJSON_AddStringToObject(c, "label", label) ||
        (basis != NULL && !cJSON_AddStringToObject(c, "basis", basis)) ||
        add_attribution(r, c) != 0) {
        cJSON_Delete(c);
        return BATON_ENOMEM;
    }
    cJSON_AddItemToArray(r->costs, c);
    return 0;
}

/*
 * Places value at facts.<key>, creating the intermediate objects of a dotted
 * key. Takes ownership of value in every case.
 */
static int set_fact(baton_result *r, const char *key, cJSON *value)
{
    int rc = BATON_EINVAL;
    char buf[MAX_FACT_KEY];
    if (value == NULL) {
        rc = BATON_ENOMEM;
        goto fail;
    }
    if (r == NULL || r->root == NULL) {
        rc = bh_refuse(BATON_EINVAL, "result fact: no result to write to");
        goto fail;
    }
    if ((rc = bh_rule_fact_key(key)) != 0)
        goto fail;
    rc = BATON_EINVAL;
    if (r->fact_count >= BH_RESULT_MAX_FACTS) {
        rc = bh_refuse(BATON_ELIMIT,
                       "fact %s: the answer already holds %d facts, the most one "
                       "evaluation may set",
                       key, BH_RESULT_MAX_FACTS);
        goto fail;
    }
    memcpy(buf, key, strlen(key) + 1);
    cJSON *node = r->facts;
    char *seg = buf;
    for (;;) {
        char *dot = strchr(seg, '.');
        if (dot != NULL)
            *dot = '\0';
        if (!valid_code(seg))
            goto fail;
        cJSON *child = cJSON_GetObjectItemCaseSensitive(node, seg);
        if (dot == NULL) {
            if (child != NULL) {
                rc = bh_refuse(BATON_EEXIST, "fact %s: already set (each fact is set once)", key);
                goto fail;
            }
            cJSON_AddItemToObject(node, seg, value);
            r->fact_count++;
            return 0;
        }
        if (child == NULL) {
            child = cJSON_AddObjectToObject(node, seg);
            if (child == NULL) {
                rc = BATON_ENOMEM;
                goto fail;
            }
        } else if (!cJSON_IsObject(child)) {
            rc = bh_refuse(BATON_EEXIST, "fact %s: %s is already a fact, not a group of facts", key,
                           seg);
            goto fail;
        }
        node = child;
        seg = dot + 1;
    }
fail:
    cJSON_Delete(value);
    return rc;
}

int bh_result_string(baton_result *r, const char *key, const char *value)
{
    if (value == NULL)
        return bh_refuse(BATON_EINVAL, "fact string: value is NULL");
    return set_fact(r, key, cJSON_CreateString(value));
}

int bh_result_int(baton_result *r, const char *key, int64_t value)
{
    /* JSON numbers are doubles: refuse what a double cannot hold exactly. */
    if (value > 9007199254740992LL || value < -9007199254740992LL)
        return bh_refuse(BATON_ERANGE, "fact integer %lld: beyond +-2^53 (not exact in JSON)",
                         (long long)value);
    return set_fact(r, key, cJSON_CreateNumber((double)value));
}

int bh_result_date(baton_result *r, const char *key, baton_date value)
{
    char buf[11];
    if (!baton_date_valid(value))
        return bh_refuse(BATON_EINVAL,
                         "fact date %d-%d-%d: not a date between 0001-01-01 and "
                         "9999-12-31",
                         (int)value.year, (int)value.month, (int)value.day);
    bh_date_format(value, buf);
    return set_fact(r, key, cJSON_CreateString(buf));
}

int bh_result_money(baton_result *r, const char *key, baton_money value)
{
    int rc = bh_rule_money("fact money", value);
    if (rc != 0)
        return rc;
    return set_fact(r, key, bh_money_json(value));
}

const baton_view *bh_result_view(baton_result *r)
{
    return r != NULL ? &r->view : NULL;
}
