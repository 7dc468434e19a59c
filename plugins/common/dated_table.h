/*
 * dated_table.h - legal parameters that change on a date, as data.
 *
 * A dated table is one named parameter (a base rate, a fee table, a
 * small-claims limit) as a list of values, each in force from a date until
 * the next one, plus what an answer must say about it: a version, the
 * source it was copied from, and a horizon, the last day the table is known
 * to be complete (after it a new value may have been published that the
 * table lacks). The idea is OpenFisca's (parameter values keyed by the date
 * they take effect); the code is Baton's own.
 *
 * Owns: looking a value up by date, reading a tenant's override from the
 * plugin config, and recording in an answer which table (and version) it
 * used, with a warning naming the table when the date lies beyond its
 * horizon. Does not own: the figures themselves (each plugin ships its own
 * tables, with their sources, in its params file).
 *
 * This is not SDK ABI: plugins/common is compiled into each in-tree plugin
 * (a static library, hidden symbols), so nothing here crosses the plugin
 * boundary and changing it changes no plugin's descriptor.
 *
 * How a plugin uses it:
 *
 *   1. Ship the table as static data (its params.c):
 *
 *        static const bpc_dated_value bank_rate_values[] = {
 *            {{2025, 8, 7}, 400, NULL}, {{2025, 12, 18}, 375, NULL},
 *        };
 *        const bpc_dated_table gbew_bank_rate = {
 *            .name = "bank_rate", .version = "2026-02-05",
 *            .source = "Bank of England, Official Bank Rate history",
 *            .horizon = {2026, 2, 5},
 *            .values = bank_rate_values, .n = 2,
 *        };
 *
 *      A structured value (a fee band table) goes in .data, .value is 0.
 *
 *   2. In init(), let the tenant override scalar tables from its config:
 *
 *        bpc_dated_table *own = NULL;
 *        rc = bpc_dated_table_from_config(api, config, "params.bank_rate",
 *                                         "value", &gbew_bank_rate, &own, err, errlen);
 *        st->bank_rate = own != NULL ? own : &gbew_bank_rate;
 *
 *      and free an owned table in fini() with bpc_dated_table_free().
 *
 *   3. In a capability, look the value up and note the table in the answer:
 *
 *        const bpc_dated_value *v;
 *        rc = bpc_dated_lookup(st->bank_rate, day, &v);   // 0, 1 beyond horizon, or ENOENT
 *        if (rc >= 0)
 *            rc = bpc_dated_note(api, out, st->bank_rate, day);
 *
 *      bpc_dated_note sets params.<name>.version and params.<name>.source
 *      (once per evaluation; both capabilities may note the same table) and,
 *      when day is after the horizon, a WARN finding "params_beyond_horizon"
 *      that names the table and its horizon.
 */
#ifndef BATON_PLUGIN_COMMON_DATED_TABLE_H
#define BATON_PLUGIN_COMMON_DATED_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"

/* One value, in force from `from` (inclusive) until the next entry. */
typedef struct bpc_dated_value {
    baton_date from;
    int64_t value;    /* a scalar (basis points, minor units); 0 for structured values */
    const void *data; /* a structured value (fee bands), or NULL */
} bpc_dated_value;

typedef struct bpc_dated_table {
    const char *name;              /* fact key segment: [a-z0-9_-], e.g. "bank_rate" */
    const char *version;           /* e.g. the publication date of the newest value */
    const char *source;            /* who publishes it and where */
    baton_date horizon;            /* last day the table is known to be complete */
    const bpc_dated_value *values; /* strictly ascending by from */
    size_t n;
} bpc_dated_table;

/* Largest number of values an override from config may have. */
#define BPC_DATED_MAX_VALUES 1024

/* Result of a lookup past the horizon (the last known value is returned). */
#define BPC_BEYOND_HORIZON 1

/*
 * The value in force on d: *out points into t. Returns 0; BPC_BEYOND_HORIZON
 * when d is after t->horizon (*out is then the newest value the table has);
 * BATON_ENOENT when d is before the first value.
 */
int bpc_dated_lookup(const bpc_dated_table *t, baton_date d, const bpc_dated_value **out);

/* 0 when t has at least one value, strictly ascending valid dates, a name
 * and a version; BATON_EINVAL otherwise. */
int bpc_dated_check(const bpc_dated_table *t);

/*
 * A tenant's override of a scalar table, read from the plugin config at
 * path, shaped
 *
 *   {"version": "tenant-2026-10", "source": "...", "horizon": "2026-12-31",
 *    "values": [{"from": "2026-07-01", "<value_key>": 152}, ...]}
 *
 * version and values are required; source defaults to "tenant plugin
 * config"; horizon defaults to the newest value's date. Values must be
 * strictly ascending. When path is absent, *out is NULL and 0 is returned
 * (use the shipped table). The name is the shipped table's. On success *out
 * is a table the caller frees with bpc_dated_table_free. Errors name the
 * config path in err and return BATON_EINVAL, BATON_ELIMIT or BATON_ENOMEM.
 */
int bpc_dated_table_from_config(const baton_host_api *api, const baton_view *config,
                                const char *path, const char *value_key,
                                const bpc_dated_table *shipped, bpc_dated_table **out, char *err,
                                size_t errlen);

/*
 * The same from a bare array of {"from", "<value_key>"} at path (the older
 * config shape some plugins accept, e.g. gb-ew's "base_rates"); version is
 * "tenant-config", horizon the newest value's date.
 */
int bpc_dated_table_from_array(const baton_host_api *api, const baton_view *config,
                               const char *path, const char *value_key,
                               const bpc_dated_table *shipped, bpc_dated_table **out, char *err,
                               size_t errlen);

/* Frees a table made by bpc_dated_table_from_config/_from_array; NULL is a no-op. */
void bpc_dated_table_free(bpc_dated_table *t);

/*
 * Records in the answer that the evaluation used t for day d (see the top
 * of this header). Returns 0 or the builder's error.
 */
int bpc_dated_note(const baton_host_api *api, baton_result *out, const bpc_dated_table *t,
                   baton_date d);

#endif
