/*
 * dated_table.c - lookup, config overrides and answer notes of dated
 * parameter tables (see dated_table.h).
 */
#include "dated_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_format.h"

/* The owned form of a table read from config: the table first, so a
 * bpc_dated_table * handed out is also the start of the allocation. */
typedef struct owned_table {
    bpc_dated_table table;
    bpc_dated_value *values;
    char *version;
    char *source;
} owned_table;

int bpc_dated_lookup(const bpc_dated_table *t, baton_date d, const bpc_dated_value **out)
{
    const bpc_dated_value *found = NULL;
    if (t == NULL || out == NULL)
        return BATON_EINVAL;
    for (size_t i = 0; i < t->n; i++) {
        if (baton_date_cmp(t->values[i].from, d) > 0)
            break;
        found = &t->values[i];
    }
    if (found == NULL)
        return BATON_ENOENT;
    *out = found;
    return baton_date_cmp(d, t->horizon) > 0 ? BPC_BEYOND_HORIZON : 0;
}

int bpc_dated_check(const bpc_dated_table *t)
{
    if (t == NULL || t->name == NULL || t->version == NULL || t->n == 0 || t->values == NULL)
        return BATON_EINVAL;
    for (size_t i = 0; i < t->n; i++) {
        if (!baton_date_valid(t->values[i].from))
            return BATON_EINVAL;
        if (i > 0 && baton_date_cmp(t->values[i - 1].from, t->values[i].from) >= 0)
            return BATON_EINVAL;
    }
    return baton_date_valid(t->horizon) ? 0 : BATON_EINVAL;
}

void bpc_dated_table_free(bpc_dated_table *t)
{
    owned_table *o = (owned_table *)t;
    if (o == NULL)
        return;
    free(o->values);
    free(o->version);
    free(o->source);
    free(o);
}

/* Reads the array of {from, value_key} at path into o->values. */
static int read_values(const baton_host_api *api, const baton_view *config, const char *path,
                       const char *value_key, owned_table *o, char *err, size_t errlen)
{
    char item[160];
    size_t n = 0;

    if (api->view_type(config, path) != BATON_VIEW_ARRAY ||
        api->view_count(config, path, &n) != 0 || n == 0) {
        snprintf(err, errlen, "config.%s: must be a non-empty array of {\"from\", \"%s\"}", path,
                 value_key);
        return BATON_EINVAL;
    }
    if (n > BPC_DATED_MAX_VALUES) {
        snprintf(err, errlen, "config.%s: more than %d entries", path, BPC_DATED_MAX_VALUES);
        return BATON_ELIMIT;
    }
    o->values = calloc(n, sizeof *o->values);
    if (o->values == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        bpc_dated_value *v = &o->values[i];
        snprintf(item, sizeof item, "%s[%zu].from", path, i);
        if (api->view_date(config, item, &v->from) != 0) {
            snprintf(err, errlen, "config.%s: must be a date YYYY-MM-DD", item);
            return BATON_EINVAL;
        }
        snprintf(item, sizeof item, "%s[%zu].%s", path, i, value_key);
        if (api->view_int(config, item, &v->value) != 0) {
            snprintf(err, errlen, "config.%s: must be an integer", item);
            return BATON_EINVAL;
        }
        if (i > 0 && baton_date_cmp(o->values[i - 1].from, v->from) >= 0) {
            snprintf(err, errlen, "config.%s[%zu].from: dates must be strictly ascending", path, i);
            return BATON_EINVAL;
        }
    }
    o->table.values = o->values;
    o->table.n = n;
    o->table.horizon = o->values[n - 1].from;
    return 0;
}

/* Hands out o as a table when rc is 0, frees it otherwise; returns rc. */
static int finish(owned_table *o, int rc, bpc_dated_table **out)
{
    if (rc != 0) {
        bpc_dated_table_free(&o->table);
        return rc;
    }
    o->table.version = o->version;
    o->table.source = o->source;
    *out = &o->table;
    return 0;
}

static owned_table *owned_new(const bpc_dated_table *shipped)
{
    owned_table *o = calloc(1, sizeof *o);
    if (o != NULL)
        o->table.name = shipped->name;
    return o;
}

int bpc_dated_table_from_array(const baton_host_api *api, const baton_view *config,
                               const char *path, const char *value_key,
                               const bpc_dated_table *shipped, bpc_dated_table **out, char *err,
                               size_t errlen)
{
    owned_table *o;
    int rc;

    *out = NULL;
    if (config == NULL || api->view_type(config, path) == BATON_VIEW_MISSING)
        return 0;
    if ((o = owned_new(shipped)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    rc = read_values(api, config, path, value_key, o, err, errlen);
    if (rc == 0 && ((o->version = strdup("tenant-config")) == NULL ||
                    (o->source = strdup("tenant plugin config")) == NULL)) {
        snprintf(err, errlen, "out of memory");
        rc = BATON_ENOMEM;
    }
    return finish(o, rc, out);
}

/* Copies the optional string at path.key into *dst, or dflt when absent. */
static int copy_string(const baton_host_api *api, const baton_view *config, const char *path,
                       const char *key, const char *dflt, char **dst, char *err, size_t errlen)
{
    char item[160];
    const char *s = dflt;
    snprintf(item, sizeof item, "%s.%s", path, key);
    if (api->view_type(config, item) != BATON_VIEW_MISSING &&
        (api->view_string(config, item, &s) != 0 || s[0] == '\0' || strlen(s) > 200)) {
        snprintf(err, errlen, "config.%s: must be a string of 1 to 200 bytes", item);
        return BATON_EINVAL;
    }
    if (s == NULL) {
        snprintf(err, errlen, "config.%s: is required", item);
        return BATON_EINVAL;
    }
    if ((*dst = strdup(s)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    return 0;
}

int bpc_dated_table_from_config(const baton_host_api *api, const baton_view *config,
                                const char *path, const char *value_key,
                                const bpc_dated_table *shipped, bpc_dated_table **out, char *err,
                                size_t errlen)
{
    char item[160];
    owned_table *o;
    int rc;

    *out = NULL;
    if (config == NULL || api->view_type(config, path) == BATON_VIEW_MISSING)
        return 0;
    if (api->view_type(config, path) != BATON_VIEW_OBJECT) {
        snprintf(err, errlen, "config.%s: must be an object {version, values[, source, horizon]}",
                 path);
        return BATON_EINVAL;
    }
    if ((o = owned_new(shipped)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    snprintf(item, sizeof item, "%s.values", path);
    rc = read_values(api, config, item, value_key, o, err, errlen);
    if (rc == 0)
        rc = copy_string(api, config, path, "version", NULL, &o->version, err, errlen);
    if (rc == 0)
        rc = copy_string(api, config, path, "source", "tenant plugin config", &o->source, err,
                         errlen);
    snprintf(item, sizeof item, "%s.horizon", path);
    if (rc == 0 && api->view_type(config, item) != BATON_VIEW_MISSING &&
        api->view_date(config, item, &o->table.horizon) != 0) {
        snprintf(err, errlen, "config.%s: must be a date YYYY-MM-DD", item);
        rc = BATON_EINVAL;
    }
    return finish(o, rc, out);
}

int bpc_dated_note(const baton_host_api *api, baton_result *out, const bpc_dated_table *t,
                   baton_date d)
{
    char key[128], text[320];
    size_t np;
    int rc;

    /* params.<name>.version, .source, .horizon: written as parts
     * (bpc_put_at), each cut short as "params.%s.version" would be. */
    np = BPC_PUT_LIT(key, sizeof key, 0, "params.");
    np = bpc_put_at(key, sizeof key, np, t->name, strlen(t->name));
    BPC_PUT_LIT(key, sizeof key, np, ".version");
    rc = api->result_string(out, key, t->version);
    if (rc == 0) {
        BPC_PUT_LIT(key, sizeof key, np, ".source");
        rc = api->result_string(out, key, t->source != NULL ? t->source : "");
    }
    if (rc != 0 && rc != BATON_EEXIST)
        return rc;
    if (baton_date_cmp(d, t->horizon) <= 0)
        return 0;
    /* Warn once per table and evaluation: the horizon fact is the marker. */
    BPC_PUT_LIT(key, sizeof key, np, ".horizon");
    rc = api->result_date(out, key, t->horizon);
    if (rc == BATON_EEXIST)
        return 0;
    if (rc != 0)
        return rc;
    bpc_format(text, sizeof text,
               "The parameter table %s (version %s) is known complete only to "
               "%04d-%02d-%02d; the evaluation needs it for %04d-%02d-%02d. A value published "
               "since may be missing: update the table or override it in the plugin config "
               "(params.%s).",
               t->name, t->version, (int)t->horizon.year, (int)t->horizon.month,
               (int)t->horizon.day, (int)d.year, (int)d.month, (int)d.day, t->name);
    return api->result_finding(out, "params", "params_beyond_horizon", BATON_FINDING_WARN, text,
                               t->source);
}
