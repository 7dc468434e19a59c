/*
 * case_view.h - baton_view, the read-only tree a plugin reads, over cJSON.
 *
 * A view borrows the cJSON tree it wraps; it never copies or changes it.
 * The accessors here implement the view_* members of baton_host_api (see
 * baton/plugin.h for the path syntax and return codes).
 */
#ifndef BH_CASE_VIEW_H
#define BH_CASE_VIEW_H

#include <string.h>

#include <cjson/cJSON.h>

#include "baton/plugin.h"
#include "json_index.h"
#include "path_memo.h"

struct baton_view {
    const cJSON *root;
    cJSON as_of; /* the evaluation date when root has no "as_of" */
    /* A result's view (result_view): the accessors read result's records
     * (result.h); root is unused. NULL for every other view. */
    baton_result *result;
    /* root's index (json_index.h), when one was made: lookups go through
     * it instead of the tree. as_of_node stands for as_of there. */
    const bh_jindex *index;
    bh_jnode as_of_node;
};

/* A view over root (borrowed). No allocation: views live on the stack. */
static inline baton_view bh_view_of(const cJSON *root)
{
    baton_view v;
    memset(&v, 0, sizeof v);
    v.root = root;
    return v;
}

/*
 * A case view: root, plus "as_of" reading as_of ("YYYY-MM-DD", borrowed)
 * when the case gives none. Saves copying the case to add the date.
 */
static inline baton_view bh_case_view_of(const cJSON *root, const char *as_of)
{
    baton_view v = bh_view_of(root);
    v.as_of.type = cJSON_String;
    v.as_of.valuestring = (char *)as_of;
    v.as_of_node.type = BATON_VIEW_STRING;
    v.as_of_node.v.s = as_of;
    return v;
}

/* The same over root's index (built from root, which it borrows from). */
static inline baton_view bh_case_view_indexed(const cJSON *root, const bh_jindex *index,
                                              const char *as_of)
{
    baton_view v = bh_case_view_of(root, as_of);
    v.index = index;
    return v;
}

/*
 * The path syntax of baton/plugin.h, one step at a time: "a.b[2].c" gives
 * KEY a, KEY b, INDEX 2, KEY c, END. A malformed part gives BATON_EINVAL
 * when it is reached, so a lookup that fails on an earlier step still
 * answers BATON_ENOENT, as it always has. Every view walks paths by these
 * rules: the tree's and a result's with bh_path_next, the case index's
 * with its own loop over the same two helpers (case_view.c), which the
 * unit tests hold to the same answers on every path form.
 */
#define BH_PATH_MAX_KEY 127 /* bytes of one key */
enum { BH_PATH_END = 0, BH_PATH_KEY = 1, BH_PATH_INDEX = 2 };
typedef struct bh_path {
    const char *p;
    int started;
} bh_path;
static inline bh_path bh_path_of(const char *path)
{
    bh_path t = {path, 0};
    return t;
}

/* 1 for the bytes that end a key (NUL, '.' and '['), 0 for the rest. */
extern const unsigned char bh_path_ends_key[256];

/* Reads the subscript "[N]" at *p (which points at its '['): 0, *out and
 * *p just past the ']', or BATON_EINVAL (no digit, a leading zero, past
 * 10^9, or no closing ']'). */
static inline int bh_path_index_at(const char **p, size_t *out)
{
    const unsigned char *s = (const unsigned char *)*p + 1; /* after '[' */
    size_t n;
    if ((unsigned)(*s - '0') > 9)
        return BATON_EINVAL;
    if (*s == '0' && s[1] != ']')
        return BATON_EINVAL; /* no leading zeros */
    n = (size_t)(*s++ - '0');
    while ((unsigned)(*s - '0') <= 9) {
        if (n > 100000000)
            return BATON_EINVAL;
        n = n * 10 + (size_t)(*s - '0');
        s++;
    }
    if (*s != ']')
        return BATON_EINVAL;
    *p = (const char *)s + 1;
    *out = n;
    return 0;
}

/* The next step: BH_PATH_KEY with the key in key[0..*klen) (not
 * NUL-terminated: it points into the path), BH_PATH_INDEX with *index,
 * BH_PATH_END, or BATON_EINVAL. Inline: a result's view takes a step per
 * path part, and a call per step cost more than the step. */
static inline int bh_path_next(bh_path *t, const char **key, size_t *klen, size_t *index)
{
    const char *p = t->p;
    if (*p == '[') {
        if (bh_path_index_at(&p, index) != 0)
            return BATON_EINVAL;
        t->p = p;
        t->started = 1;
        return BH_PATH_INDEX;
    }
    if (t->started) {
        if (*p == '\0')
            return BH_PATH_END;
        if (*p != '.')
            return BATON_EINVAL;
        p++; /* a '.' is followed by a key: the length check below refuses the rest */
    } else if (*p == '\0') {
        return BH_PATH_END; /* "": the root */
    }
    const char *start = p;
    while (!bh_path_ends_key[(unsigned char)*p])
        p++;
    if (p == start || (size_t)(p - start) > BH_PATH_MAX_KEY)
        return BATON_EINVAL; /* a leading '.', a '.' not followed by a key, or a key too long */
    *key = start;
    *klen = (size_t)(p - start);
    t->p = p;
    t->started = 1;
    return BH_PATH_KEY;
}

/* The accessors on one cJSON node (n may be NULL: BATON_ENOENT), for
 * views whose nodes are partly cJSON (a result continuing a prior
 * answer). */
enum baton_view_type bh_json_node_type(const cJSON *n);
int bh_json_node_string(const cJSON *n, const char **out);
int bh_json_node_int(const cJSON *n, int64_t *out);
int bh_json_node_bool(const cJSON *n, int *out);
int bh_json_node_count(const cJSON *n, size_t *out);
int bh_json_node_key(const cJSON *n, size_t index, const char **out);

/* The node at path, or NULL (with *rc = BATON_ENOENT or BATON_EINVAL). */
const cJSON *bh_view_lookup(const baton_view *v, const char *path, int *rc);

enum baton_view_type bh_view_type(const baton_view *v, const char *path);
int bh_view_string(const baton_view *v, const char *path, const char **out);
int bh_view_int(const baton_view *v, const char *path, int64_t *out);
int bh_view_bool(const baton_view *v, const char *path, int *out);
int bh_view_date(const baton_view *v, const char *path, baton_date *out);
int bh_view_money(const baton_view *v, const char *path, baton_money *out);
int bh_view_count(const baton_view *v, const char *path, size_t *out);
int bh_view_key(const baton_view *v, const char *path, size_t index, const char **out);

/* The accessors on a case index's node, as the cJSON ones answer for the
 * node it was made from: 0, or BATON_ETYPE (BATON_ERANGE for a number
 * that is no integer), *out untouched then. */
static inline int bh_jnode_string(const bh_jnode *n, const char **out)
{
    if (n->type != BATON_VIEW_STRING || n->v.s == NULL)
        return BATON_ETYPE;
    *out = n->v.s;
    return 0;
}

static inline int bh_jnode_int(const bh_jnode *n, int64_t *out)
{
    if (n->type == BATON_VIEW_NUMBER)
        return BATON_ERANGE;
    if (n->type != BATON_VIEW_INT)
        return BATON_ETYPE;
    *out = n->v.i;
    return 0;
}

static inline int bh_jnode_bool(const bh_jnode *n, int *out)
{
    if (n->type != BATON_VIEW_BOOL)
        return BATON_ETYPE;
    *out = (int)n->v.i;
    return 0;
}

static inline int bh_jnode_count(const bh_jnode *n, size_t *out)
{
    if (n->type != BATON_VIEW_ARRAY && n->type != BATON_VIEW_OBJECT)
        return BATON_ETYPE;
    *out = n->count;
    return 0;
}

/*
 * The place of path in this thread's path memo (path_memo.h) when it is
 * looked up on v's case already: its node there, or none (BATON_ENOENT).
 * A few loads, no call: what a case read tries first. NULL for any other
 * view, any other path, and the view's own as_of (the view's to give).
 */
static inline const bh_path_memo_place *bh_view_memo_hit(const baton_view *v, const char *path)
{
    if (v == NULL || v->result != NULL || v->index == NULL)
        return NULL;
    const bh_path_memo_place *p = bh_path_memo_hit(v->index, path);
    return p != NULL && p->answer != BH_MEMO_AS_OF ? p : NULL;
}

/* Parses "YYYY-MM-DD" strictly (real date, zero-padded). */
int bh_date_parse(const char *s, baton_date *out);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void bh_date_format(baton_date d, char *buf);

#endif
