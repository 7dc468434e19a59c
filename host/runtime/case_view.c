/* case_view.c - read-only path access to a cJSON tree (case_view.h). */
#include "case_view.h"

#include <stdio.h>
#include <string.h>

#include "json_input.h"
#include "money_text.h"
#include "path_memo.h"
#include "result.h"

/* The bytes that end a key: NUL, '.' and '['. */
const unsigned char bh_path_ends_key[256] = {[0] = 1, ['.'] = 1, ['['] = 1};

const cJSON *bh_view_lookup(const baton_view *v, const char *path, int *rc)
{
    const cJSON *root = v != NULL ? v->root : NULL;
    const cJSON *node = root;
    *rc = BATON_ENOENT;
    if (node == NULL || path == NULL) {
        *rc = BATON_EINVAL;
        return NULL;
    }
    bh_path t = bh_path_of(path);
    for (;;) {
        const char *k;
        size_t klen, idx;
        int step = bh_path_next(&t, &k, &klen, &idx);
        if (step == BH_PATH_END) {
            *rc = 0;
            return node;
        }
        if (step < 0) {
            *rc = BATON_EINVAL;
            return NULL;
        }
        if (step == BH_PATH_INDEX) {
            if (!cJSON_IsArray(node))
                return NULL;
            node = cJSON_GetArrayItem(node, (int)idx);
            if (node == NULL)
                return NULL;
            continue;
        }
        if (!cJSON_IsObject(node))
            return NULL;
        const cJSON *parent = node;
        const cJSON *c;
        for (c = node->child; c != NULL; c = c->next) {
            if (c->string != NULL && strncmp(c->string, k, klen) == 0 && c->string[klen] == '\0')
                break;
        }
        node = c;
        if (node == NULL && parent == root && v->as_of.valuestring != NULL && klen == 5 &&
            memcmp(k, "as_of", 5) == 0)
            node = &v->as_of;
        if (node == NULL)
            return NULL;
    }
}

/*
 * The index node at path, or NULL (with *rc = BATON_ENOENT or
 * BATON_EINVAL): bh_view_lookup over v->index, by the same steps and
 * rules, read here in one loop: a key is scanned to its end and looked up
 * by length (bh_jindex_member), a subscript is one addition, and nothing
 * of a step is kept for the next. Every case read of a plugin comes here,
 * so it is written for the instructions it takes (docs/performance.md):
 * inlined into each accessor, one place for each kind of step.
 */
static inline __attribute__((always_inline)) const bh_jnode *index_lookup(const baton_view *v,
                                                                          const char *path, int *rc)
{
    const bh_jnode *root = &v->index->nodes[0], *node = root;
    const char *p = path;
    if (p == NULL)
        goto malformed;
    if (*p == '\0')
        goto found; /* "": the root */
    for (;;) {
        if (*p != '[') {
            /* A key: up to NUL, '.' or '['. Its bytes are mostly lower
             * case letters and '_', all above '[', so most take one test. */
            const char *k = p;
            while ((unsigned char)p[0] > '[' || !bh_path_ends_key[(unsigned char)p[0]]) {
                /* Two bytes a step: p[1] is read only once p[0] is no NUL. */
                if ((unsigned char)p[1] <= '[' && bh_path_ends_key[(unsigned char)p[1]]) {
                    p++;
                    break;
                }
                p += 2;
            }
            size_t klen = (size_t)(p - k);
            if (klen == 0 || klen > BH_PATH_MAX_KEY)
                goto malformed; /* a leading '.', "..", ".[", a '.' at the end, or too long */
            const bh_jnode *parent = node;
            if (parent != root) {
                node = bh_jindex_member(v->index, parent, k, klen);
            } else {
                /* The root: from its first child whose key could match. */
                unsigned from = v->index->root_from[bh_jindex_root_slot(klen, (unsigned char)k[0])];
                node =
                    from != 0 ? bh_jindex_member_from(v->index, parent, from - 1, k, klen) : NULL;
            }
            if (node == NULL) {
                if (parent != root || v->as_of_node.v.s == NULL || klen != 5 ||
                    memcmp(k, "as_of", 5) != 0)
                    goto missing;
                node = &v->as_of_node;
            }
        }
        while (*p == '[') {
            size_t idx;
            if (bh_path_index_at(&p, &idx) != 0)
                goto malformed;
            node = bh_jindex_element(v->index, node, idx);
            if (node == NULL)
                goto missing;
        }
        if (*p == '\0')
            goto found;
        if (*p != '.' || p[1] == '[')
            goto malformed; /* after "]" only '.', '[' or the end; after '.' a key */
        p++;
    }
found:
    *rc = 0;
    return node;
missing:
    *rc = BATON_ENOENT;
    return NULL;
malformed:
    *rc = BATON_EINVAL;
    return NULL;
}

/*
 * The index node at path as index_lookup answers it: from this thread's
 * memo when path is one it keeps (*memo then names its place, where a
 * parsed value may be kept), else by index_lookup (*memo NULL).
 */
static inline __attribute__((always_inline)) const bh_jnode *
case_node(const baton_view *v, const char *path, int *rc, bh_path_memo_place **memo)
{
    bh_path_memo_place *e =
        path != NULL && !bh_path_memo_walks(path) ? bh_path_memo_take(v->index, path) : NULL;
    *memo = e;
    if (e == NULL)
        return index_lookup(v, path, rc);
    if (e->node != NULL) /* BH_MEMO_NODE */
        return e->node;
    if (e->answer == BH_MEMO_AS_OF && v->as_of_node.v.s != NULL)
        return &v->as_of_node;
    *rc = BATON_ENOENT;
    return NULL;
}

/* A JSON number is an integer in the view's sense when its text had no
 * fraction or exponent (json_input.h marks those that had) and its value
 * is exactly representable, within +-2^53. */
static int number_is_int(const cJSON *n, int64_t *out)
{
    double d = n->valuedouble;
    if (!bh_json_integer_text(n) || d != d || d > 9007199254740992.0 || d < -9007199254740992.0)
        return 0;
    int64_t i = (int64_t)d;
    if ((double)i != d)
        return 0;
    *out = i;
    return 1;
}

enum baton_view_type bh_json_node_type(const cJSON *n)
{
    int64_t ignored;
    if (n == NULL)
        return BATON_VIEW_MISSING;
    if (cJSON_IsNull(n))
        return BATON_VIEW_NULL;
    if (cJSON_IsBool(n))
        return BATON_VIEW_BOOL;
    if (cJSON_IsNumber(n))
        return number_is_int(n, &ignored) ? BATON_VIEW_INT : BATON_VIEW_NUMBER;
    if (cJSON_IsString(n))
        return BATON_VIEW_STRING;
    if (cJSON_IsArray(n))
        return BATON_VIEW_ARRAY;
    if (cJSON_IsObject(n))
        return BATON_VIEW_OBJECT;
    return BATON_VIEW_MISSING;
}

int bh_json_node_string(const cJSON *n, const char **out)
{
    if (n == NULL)
        return BATON_ENOENT;
    if (!cJSON_IsString(n) || n->valuestring == NULL)
        return BATON_ETYPE;
    *out = n->valuestring;
    return 0;
}

int bh_json_node_int(const cJSON *n, int64_t *out)
{
    if (n == NULL)
        return BATON_ENOENT;
    if (!cJSON_IsNumber(n))
        return BATON_ETYPE;
    if (!number_is_int(n, out))
        return BATON_ERANGE;
    return 0;
}

int bh_json_node_bool(const cJSON *n, int *out)
{
    if (n == NULL)
        return BATON_ENOENT;
    if (!cJSON_IsBool(n))
        return BATON_ETYPE;
    *out = cJSON_IsTrue(n) ? 1 : 0;
    return 0;
}

int bh_json_node_count(const cJSON *n, size_t *out)
{
    if (n == NULL)
        return BATON_ENOENT;
    if (!cJSON_IsArray(n) && !cJSON_IsObject(n))
        return BATON_ETYPE;
    *out = (size_t)cJSON_GetArraySize(n);
    return 0;
}

int bh_json_node_key(const cJSON *n, size_t index, const char **out)
{
    if (n == NULL)
        return BATON_ENOENT;
    if (!cJSON_IsObject(n))
        return BATON_ETYPE;
    const cJSON *c = n->child;
    for (size_t i = 0; c != NULL && i < index; i++)
        c = c->next;
    if (c == NULL || c->string == NULL)
        return BATON_ENOENT;
    *out = c->string;
    return 0;
}

/* 1 when c is an ASCII digit. */
static inline int is_digit(unsigned char c)
{
    return (unsigned)(c - '0') <= 9;
}

int bh_date_parse(const char *s, baton_date *out)
{
    /* Byte by byte, in order: a NUL fails the test at its position, so
     * nothing past the end of a shorter text is read. */
    const unsigned char *u = (const unsigned char *)s;
    if (u == NULL || !is_digit(u[0]) || !is_digit(u[1]) || !is_digit(u[2]) || !is_digit(u[3]) ||
        u[4] != '-' || !is_digit(u[5]) || !is_digit(u[6]) || u[7] != '-' || !is_digit(u[8]) ||
        !is_digit(u[9]) || u[10] != '\0')
        return BATON_EINVAL;
    baton_date d = {(u[0] - '0') * 1000 + (u[1] - '0') * 100 + (u[2] - '0') * 10 + (u[3] - '0'),
                    (u[5] - '0') * 10 + (u[6] - '0'), (u[8] - '0') * 10 + (u[9] - '0')};
    if (!baton_date_valid(d))
        return BATON_EINVAL;
    *out = d;
    return 0;
}

void bh_date_format(baton_date d, char *buf)
{
    if (d.year >= 0 && d.year <= 9999 && d.month >= 0 && d.month <= 99 && d.day >= 0 &&
        d.day <= 99) {
        /* Every date of every answer comes through here: no printf. */
        unsigned y = (unsigned)d.year, m = (unsigned)d.month, dd = (unsigned)d.day;
        buf[0] = (char)('0' + y / 1000);
        buf[1] = (char)('0' + y / 100 % 10);
        buf[2] = (char)('0' + y / 10 % 10);
        buf[3] = (char)('0' + y % 10);
        buf[4] = '-';
        buf[5] = (char)('0' + m / 10);
        buf[6] = (char)('0' + m % 10);
        buf[7] = '-';
        buf[8] = (char)('0' + dd / 10);
        buf[9] = (char)('0' + dd % 10);
        buf[10] = '\0';
        return;
    }
    snprintf(buf, 11, "%04d-%02d-%02d", (int)d.year % 10000, (int)d.month % 100, (int)d.day % 100);
}

/*
 * Each accessor: a result's view goes to result.c; a case's index answers
 * from the memo when it can (no call, no frame: the accessor is a few
 * tests and jumps), else from index_* (the memo's slow part or the walk);
 * any other view from the tree (tree_*). The slow parts stay out of line
 * so the fast one needs no stack frame.
 */
#define INDEX_LOOKUP_OR_RETURN(v, path, n, memo)                                                   \
    int irc_;                                                                                      \
    bh_path_memo_place *memo;                                                                      \
    const bh_jnode *n = case_node(v, path, &irc_, &memo);                                          \
    if (n == NULL)                                                                                 \
        return irc_;
#define LOOKUP_OR_RETURN(v, path, n)                                                               \
    int rc_;                                                                                       \
    const cJSON *n = bh_view_lookup(v, path, &rc_);                                                \
    if (n == NULL)                                                                                 \
        return rc_;
#define SLOW static __attribute__((noinline))

SLOW enum baton_view_type index_type(const baton_view *v, const char *path)
{
    int rc;
    bh_path_memo_place *memo;
    const bh_jnode *n = case_node(v, path, &rc, &memo);
    return n != NULL ? (enum baton_view_type)n->type : BATON_VIEW_MISSING;
}

SLOW enum baton_view_type tree_type(const baton_view *v, const char *path)
{
    int rc;
    return bh_json_node_type(bh_view_lookup(v, path, &rc));
}

enum baton_view_type bh_view_type(const baton_view *v, const char *path)
{
    if (v != NULL && v->result != NULL)
        return bh_result_view_type(v->result, path);
    if (v != NULL && v->index != NULL) {
        const bh_path_memo_place *p = bh_view_memo_hit(v, path);
        if (p != NULL)
            return p->node != NULL ? (enum baton_view_type)p->node->type : BATON_VIEW_MISSING;
        return index_type(v, path);
    }
    return tree_type(v, path);
}

SLOW int index_string(const baton_view *v, const char *path, const char **out)
{
    INDEX_LOOKUP_OR_RETURN(v, path, n, memo);
    (void)memo;
    return bh_jnode_string(n, out);
}

SLOW int tree_string(const baton_view *v, const char *path, const char **out)
{
    LOOKUP_OR_RETURN(v, path, n);
    return bh_json_node_string(n, out);
}

int bh_view_string(const baton_view *v, const char *path, const char **out)
{
    if (v != NULL && v->result != NULL)
        return bh_result_view_string(v->result, path, out);
    if (v != NULL && v->index != NULL) {
        const bh_path_memo_place *p = bh_view_memo_hit(v, path);
        if (p != NULL)
            return p->node != NULL ? bh_jnode_string(p->node, out) : BATON_ENOENT;
        return index_string(v, path, out);
    }
    return tree_string(v, path, out);
}

SLOW int index_int(const baton_view *v, const char *path, int64_t *out)
{
    INDEX_LOOKUP_OR_RETURN(v, path, n, memo);
    (void)memo;
    return bh_jnode_int(n, out);
}

SLOW int tree_int(const baton_view *v, const char *path, int64_t *out)
{
    LOOKUP_OR_RETURN(v, path, n);
    return bh_json_node_int(n, out);
}

int bh_view_int(const baton_view *v, const char *path, int64_t *out)
{
    if (v != NULL && v->result != NULL)
        return bh_result_view_int(v->result, path, out);
    if (v != NULL && v->index != NULL) {
        const bh_path_memo_place *p = bh_view_memo_hit(v, path);
        if (p != NULL)
            return p->node != NULL ? bh_jnode_int(p->node, out) : BATON_ENOENT;
        return index_int(v, path, out);
    }
    return tree_int(v, path, out);
}

SLOW int index_bool(const baton_view *v, const char *path, int *out)
{
    INDEX_LOOKUP_OR_RETURN(v, path, n, memo);
    (void)memo;
    return bh_jnode_bool(n, out);
}

SLOW int tree_bool(const baton_view *v, const char *path, int *out)
{
    LOOKUP_OR_RETURN(v, path, n);
    return bh_json_node_bool(n, out);
}

int bh_view_bool(const baton_view *v, const char *path, int *out)
{
    if (v != NULL && v->result != NULL)
        return bh_result_view_bool(v->result, path, out);
    if (v != NULL && v->index != NULL) {
        const bh_path_memo_place *p = bh_view_memo_hit(v, path);
        if (p != NULL)
            return p->node != NULL ? bh_jnode_bool(p->node, out) : BATON_ENOENT;
        return index_bool(v, path, out);
    }
    return tree_bool(v, path, out);
}

SLOW int index_date(const baton_view *v, const char *path, baton_date *out)
{
    const char *s;
    int rc;
    INDEX_LOOKUP_OR_RETURN(v, path, n, memo); /* no second call for the string */
    if ((rc = bh_jnode_string(n, &s)) != 0 || (rc = bh_date_parse(s, out)) != 0)
        return rc;
    if (memo != NULL && memo->answer == BH_MEMO_NODE) {
        /* Parsed once per case and path. (Not the view's own as_of:
         * another view may give another.) */
        memo->value.date = *out;
        memo->value_kind = BH_MEMO_VALUE_DATE;
    }
    return 0;
}

SLOW int tree_date(const baton_view *v, const char *path, baton_date *out)
{
    const char *s;
    int rc = bh_view_string(v, path, &s);
    if (rc != 0)
        return rc;
    return bh_date_parse(s, out);
}

int bh_view_date(const baton_view *v, const char *path, baton_date *out)
{
    if (v != NULL && v->result == NULL && v->index != NULL) {
        const bh_path_memo_place *p = bh_view_memo_hit(v, path);
        if (p != NULL && p->value_kind == BH_MEMO_VALUE_DATE) {
            *out = p->value.date;
            return 0;
        }
        return index_date(v, path, out);
    }
    return tree_date(v, path, out); /* a result's, through bh_view_string */
}

SLOW int index_money(const baton_view *v, const char *path, baton_money *out)
{
    const char *amount, *currency;
    char err[160];
    INDEX_LOOKUP_OR_RETURN(v, path, n, memo);
    if (n->type != BATON_VIEW_OBJECT)
        return BATON_ETYPE;
    const bh_jnode *a = bh_jindex_member(v->index, n, "amount", 6);
    const bh_jnode *c = bh_jindex_member(v->index, n, "currency", 8);
    if (a == NULL || c == NULL || bh_jnode_string(a, &amount) != 0 ||
        bh_jnode_string(c, &currency) != 0)
        return BATON_ETYPE;
    int rc = bh_money_parse(amount, currency, out, err, sizeof err);
    if (rc == 0 && memo != NULL && memo->answer == BH_MEMO_NODE) {
        memo->value.money = *out; /* parsed once per case and path */
        memo->value_kind = BH_MEMO_VALUE_MONEY;
    }
    return rc;
}

SLOW int tree_money(const baton_view *v, const char *path, baton_money *out)
{
    LOOKUP_OR_RETURN(v, path, n);
    if (!cJSON_IsObject(n))
        return BATON_ETYPE;
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(n, "amount");
    const cJSON *currency = cJSON_GetObjectItemCaseSensitive(n, "currency");
    if (!cJSON_IsString(amount) || !cJSON_IsString(currency))
        return BATON_ETYPE;
    char err[160];
    return bh_money_parse(amount->valuestring, currency->valuestring, out, err, sizeof err);
}

int bh_view_money(const baton_view *v, const char *path, baton_money *out)
{
    if (v != NULL && v->result != NULL)
        return bh_result_view_money(v->result, path, out);
    if (v != NULL && v->index != NULL) {
        const bh_path_memo_place *p = bh_view_memo_hit(v, path);
        if (p != NULL && p->value_kind == BH_MEMO_VALUE_MONEY) {
            *out = p->value.money;
            return 0;
        }
        return index_money(v, path, out);
    }
    return tree_money(v, path, out);
}

SLOW int index_count(const baton_view *v, const char *path, size_t *out)
{
    INDEX_LOOKUP_OR_RETURN(v, path, n, memo);
    (void)memo;
    return bh_jnode_count(n, out);
}

SLOW int tree_count(const baton_view *v, const char *path, size_t *out)
{
    LOOKUP_OR_RETURN(v, path, n);
    return bh_json_node_count(n, out);
}

int bh_view_count(const baton_view *v, const char *path, size_t *out)
{
    if (v != NULL && v->result != NULL)
        return bh_result_view_count(v->result, path, out);
    if (v != NULL && v->index != NULL) {
        const bh_path_memo_place *p = bh_view_memo_hit(v, path);
        if (p != NULL)
            return p->node != NULL ? bh_jnode_count(p->node, out) : BATON_ENOENT;
        return index_count(v, path, out);
    }
    return tree_count(v, path, out);
}

int bh_view_key(const baton_view *v, const char *path, size_t index, const char **out)
{
    if (v != NULL && v->result != NULL)
        return bh_result_view_key(v->result, path, index, out);
    if (v != NULL && v->index != NULL) {
        INDEX_LOOKUP_OR_RETURN(v, path, n, memo);
        (void)memo;
        if (n->type != BATON_VIEW_OBJECT)
            return BATON_ETYPE;
        if (index >= n->count || v->index->nodes[n->first + index].key == NULL)
            return BATON_ENOENT;
        *out = v->index->nodes[n->first + index].key;
        return 0;
    }
    LOOKUP_OR_RETURN(v, path, n);
    return bh_json_node_key(n, index, out);
}
