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
    int claim_currency_read;    /* claim_currency looked up (claim_currency_of) */
    const char *claim_currency; /* claim.principal.currency, when a string */
};

static const char *string_of(const bh_jnode *n)
{
    return n->type == BATON_VIEW_STRING ? n->v.s : NULL;
}

static int date_ok(const bh_jnode *n)
{
    return n->type == BATON_VIEW_STRING && bh_case_date_ok(n->v.s);
}

/* claim.principal.currency when it is a string, else NULL: looked up
 * the first time a member in the claim currency asks (a case without
 * charges never does), wherever the claim lies in the text. */
static const char *claim_currency_of(struct walk *w)
{
    if (!w->claim_currency_read) {
        const bh_jindex *x = w->x;
        const bh_jnode *claim = bh_jindex_member(x, &x->nodes[0], "claim", 5);
        const bh_jnode *principal =
            claim != NULL ? bh_jindex_member(x, claim, "principal", 9) : NULL;
        const bh_jnode *ccy =
            principal != NULL ? bh_jindex_member(x, principal, "currency", 8) : NULL;
        w->claim_currency = ccy != NULL ? string_of(ccy) : NULL;
        w->claim_currency_read = 1;
    }
    return w->claim_currency;
}

/* check_money of case_validate.c. */
static int money_ok(struct walk *w, const struct bh_case_member *m, const bh_jnode *n)
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
    const char *claim_ccy = m->kind == BH_CK_CLAIM_CCY ? claim_currency_of(w) : NULL;
    if (claim_ccy != NULL && strcmp(ccy, claim_ccy) != 0)
        return 0;
    const char *a = amount != NULL ? string_of(amount) : NULL;
    if (a == NULL || !bh_case_amount_spelled(a) || bh_money_parse(a, ccy, &v, why, sizeof why) != 0)
        return 0;
    if (v.minor > BH_MAX_AMOUNT_MINOR)
        return 0;
    return m->kind != BH_CK_PRINCIPAL || v.minor != 0;
}

static int object_ok(struct walk *w, const struct bh_case_shape *s, const bh_jnode *obj);
static int array_ok(struct walk *w, const struct bh_case_member *m, const bh_jnode *n);

/* check_value of case_validate.c: the leaves here, inline in the walk
 * over an object's or an array's members; objects and arrays recurse. */
static inline __attribute__((always_inline)) int
value_ok(struct walk *w, const struct bh_case_member *m, const bh_jnode *n)
{
    switch ((enum bh_case_kind)m->kind) {
    case BH_CK_STRING:
        return n->type == BATON_VIEW_STRING;
    case BH_CK_TEXT:
        return n->type == BATON_VIEW_STRING && n->v.s[0] != '\0';
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
        /* An INT node is a number written with digits only and exact
         * within +-2^53, so this is the tree's test of the same value. */
        return n->type == BATON_VIEW_INT && n->v.i >= 0 && n->v.i <= INT64_C(1000000000000000);
    case BH_CK_RATE_NULL:
        return n->type == BATON_VIEW_NULL ||
               (n->type == BATON_VIEW_INT && n->v.i >= 0 && n->v.i <= 100000);
    case BH_CK_OBJECT:
        return n->type == BATON_VIEW_OBJECT && object_ok(w, m->arg, n);
    case BH_CK_ARRAY:
        return array_ok(w, m, n);
    }
    return 0;
}

static int array_ok(struct walk *w, const struct bh_case_member *m, const bh_jnode *n)
{
    const struct bh_case_member *elem = m->arg;
    if (n->type != BATON_VIEW_ARRAY || n->count < m->min || (m->max != 0 && n->count > m->max))
        return 0;
    const bh_jnode *c = &w->x->nodes[n->first], *end = c + n->count;
    for (; c < end; c++)
        if (!value_ok(w, elem, c))
            return 0;
    return 1;
}

/* m is the member c's key names: the length, then the first byte, then
 * the bytes. */
static inline int named(const struct bh_case_member *m, const bh_jnode *c)
{
    return m->name_len == c->key_len && m->name[0] == c->key[0] &&
           bh_jindex_key_equal(m->name, c->key, c->key_len);
}

/* check_object of case_validate.c: each known member once and as its kind
 * says, every required one present. */
static int object_ok(struct walk *w, const struct bh_case_shape *s, const bh_jnode *obj)
{
    uint32_t seen = 0;
    size_t i = 0; /* the member after the last one matched */
    const bh_jnode *c = &w->x->nodes[obj->first], *end = c + obj->count;
    if (s->count == 0)
        return 1; /* any members (ext) */
    for (; c < end; c++) {
        /* From the member after the last one matched, round the table:
         * cases mostly list members in the table's order, so most
         * lookups hit at once. Names in a shape are distinct, so where
         * the scan starts does not change what it finds. An empty key
         * (key_len 0) matches no name, so c->key[0] is read only when
         * the lengths agree. */
        size_t left = s->count;
        while (!named(&s->members[i], c)) {
            if (++i == s->count)
                i = 0;
            if (--left == 0)
                goto unknown;
        }
        if (seen & (UINT32_C(1) << i))
            return 0;
        seen |= UINT32_C(1) << i;
        if (!value_ok(w, &s->members[i], c))
            return 0;
        if (++i == s->count)
            i = 0;
    unknown:;
    }
    return (seen & *s->required) == *s->required;
}

int bh_case_valid_index(const bh_jindex *x)
{
    struct walk w = {x, 0, NULL};
    bh_case_rules_ready();
    if (x->count == 0 || x->nodes[0].type != BATON_VIEW_OBJECT)
        return 0;
    return object_ok(&w, &bh_case_shape_root, &x->nodes[0]);
}
