/*
 * case_validate_index.c - the case rules (case_rules.h) checked over a
 * flat index (json_index.h) instead of a cJSON tree: yes or no, no message
 * (case_validate.h, bh_case_valid_index).
 *
 * The walk is case_validate.c's, step for step, over the same tables and
 * the same value checks: a case this accepts is one bh_case_validate
 * accepts. It says nothing about why a case is refused; the caller then
 * validates the cJSON tree, which words the error. Numbers with a fraction
 * or an exponent are not looked for: the index parser refuses them
 * (json_index_parse.h), and the tree route refuses them in a case.
 *
 * Owns: the walk over the index. Does not own: the rules (case_rules.c),
 * the wording of errors (case_validate.c).
 */
#include <stdint.h>
#include <string.h>

#include "case_rules.h"
#include "case_validate.h"
#include "case_view.h"
#include "json_index.h"
#include "money_text.h"

struct walk {
    const bh_jindex *x;
    const char *claim_currency; /* claim.principal.currency, when a string */
};

static const char *string_of(const bh_jnode *n)
{
    return n->type == BATON_VIEW_STRING ? n->v.s : NULL;
}

static int date_ok(const bh_jnode *n)
{
    baton_date d;
    const char *s = string_of(n);
    return s != NULL && bh_date_parse(s, &d) == 0 && bh_case_date_in_range(s);
}

/* check_money of case_validate.c. */
static int money_ok(const struct walk *w, const struct bh_case_member *m, const bh_jnode *n)
{
    const bh_jnode *amount = NULL, *currency = NULL;
    const bh_jnode *c = &w->x->nodes[n->first], *end = c + n->count;
    char why[160];
    baton_money v;

    if (n->type != BATON_VIEW_OBJECT)
        return 0;
    for (; c < end; c++) {
        if (c->key_len == 6 && memcmp(c->key, "amount", 6) == 0 && amount == NULL)
            amount = c;
        else if (c->key_len == 8 && memcmp(c->key, "currency", 8) == 0 && currency == NULL)
            currency = c;
        else
            return 0;
    }
    /* An unknown currency: bh_money_parse below refuses it. */
    const char *ccy = currency != NULL ? string_of(currency) : NULL;
    if (ccy == NULL || !bh_case_currency_spelled(ccy))
        return 0;
    if (m->kind == BH_CK_CLAIM_CCY && w->claim_currency != NULL &&
        strcmp(ccy, w->claim_currency) != 0)
        return 0;
    const char *a = amount != NULL ? string_of(amount) : NULL;
    if (a == NULL || !bh_case_amount_spelled(a) || bh_money_parse(a, ccy, &v, why, sizeof why) != 0)
        return 0;
    if (v.minor > BH_MAX_AMOUNT_MINOR)
        return 0;
    return m->kind != BH_CK_PRINCIPAL || v.minor != 0;
}

static int object_ok(const struct walk *w, const struct bh_case_shape *s, const bh_jnode *obj);

/* check_value of case_validate.c. */
static int value_ok(const struct walk *w, const struct bh_case_member *m, const bh_jnode *n)
{
    switch ((enum bh_case_kind)m->kind) {
    case BH_CK_STRING:
    case BH_CK_TEXT:
    case BH_CK_ENUM:
    case BH_CK_CASE_ID:
    case BH_CK_CODE:
    case BH_CK_COUNTRY:
    case BH_CK_FORMAT:
        return bh_case_string_ok(m, string_of(n));
    case BH_CK_DATE_NULL:
        return n->type == BATON_VIEW_NULL || date_ok(n);
    case BH_CK_DATE:
        return date_ok(n);
    case BH_CK_MONEY:
    case BH_CK_PRINCIPAL:
    case BH_CK_CLAIM_CCY:
        return money_ok(w, m, n);
    case BH_CK_BOOL:
        return n->type == BATON_VIEW_BOOL;
    case BH_CK_COUNT:
    case BH_CK_RATE_NULL: {
        if (m->kind == BH_CK_RATE_NULL && n->type == BATON_VIEW_NULL)
            return 1;
        /* An INT node is a number written with digits only and exact
         * within +-2^53, so this is the tree's test of the same value. */
        int64_t hi = m->kind == BH_CK_COUNT ? INT64_C(1000000000000000) : 100000;
        return n->type == BATON_VIEW_INT && n->v.i >= 0 && n->v.i <= hi;
    }
    case BH_CK_OBJECT:
        return n->type == BATON_VIEW_OBJECT && object_ok(w, m->arg, n);
    case BH_CK_ARRAY: {
        const struct bh_case_member *elem = m->arg;
        if (n->type != BATON_VIEW_ARRAY || n->count < m->min || (m->max != 0 && n->count > m->max))
            return 0;
        for (uint32_t i = 0; i < n->count; i++)
            if (!value_ok(w, elem, &w->x->nodes[n->first + i]))
                return 0;
        return 1;
    }
    }
    return 0;
}

/* check_object of case_validate.c: each known member once and as its kind
 * says, every required one present. */
static int object_ok(const struct walk *w, const struct bh_case_shape *s, const bh_jnode *obj)
{
    uint32_t seen = 0;
    size_t hint = 0; /* where the last member matched, plus one */
    const bh_jnode *c = &w->x->nodes[obj->first], *end = c + obj->count;
    for (; c < end; c++) {
        /* From the member after the last one matched, round the table:
         * cases mostly list members in the table's order, so most
         * lookups hit at once. Names in a shape are distinct, so where
         * the scan starts does not change what it finds. */
        size_t i = hint;
        for (size_t k = 0; k < s->count; k++, i = i + 1 == s->count ? 0 : i + 1) {
            const struct bh_case_member *m = &s->members[i];
            if (m->name_len != c->key_len || memcmp(m->name, c->key, c->key_len) != 0)
                continue;
            if (seen & (UINT32_C(1) << i))
                return 0;
            seen |= UINT32_C(1) << i;
            if (!value_ok(w, m, c))
                return 0;
            hint = i + 1 == s->count ? 0 : i + 1;
            break;
        }
    }
    for (size_t i = 0; i < s->count; i++)
        if (s->members[i].required && !(seen & (UINT32_C(1) << i)))
            return 0;
    return 1;
}

int bh_case_valid_index(const bh_jindex *x)
{
    struct walk w = {x, NULL};
    const bh_jnode *root = &x->nodes[0];
    if (x->count == 0 || root->type != BATON_VIEW_OBJECT)
        return 0;
    const bh_jnode *claim = bh_jindex_member(x, root, "claim", 5);
    const bh_jnode *principal = claim != NULL ? bh_jindex_member(x, claim, "principal", 9) : NULL;
    const bh_jnode *ccy = principal != NULL ? bh_jindex_member(x, principal, "currency", 8) : NULL;
    if (ccy != NULL)
        w.claim_currency = string_of(ccy);
    return object_ok(&w, &bh_case_shape_root, root);
}
