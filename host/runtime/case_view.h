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

struct baton_view {
    const cJSON *root;
    cJSON as_of; /* the evaluation date when root has no "as_of" */
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
    return v;
}

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

/* Parses "YYYY-MM-DD" strictly (real date, zero-padded). */
int bh_date_parse(const char *s, baton_date *out);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void bh_date_format(baton_date d, char *buf);

#endif
