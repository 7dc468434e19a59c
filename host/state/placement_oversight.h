/*
 * placement_oversight.h - per-firm figures over a set of placements: how
 * many cases each firm got, what it collected and what that cost, how fast
 * it went to suit and judgment and remitted, and what is still expected
 * from its open cases (docs/placements.md, "Oversight").
 *
 * Owns: summing placement ledgers per firm and currency, the ratios and
 * medians, and writing the rows as JSON or CSV (RFC 4180). Pure: no I/O.
 * Does not own: choosing the placements (the API picks those placed in
 * the window) or computing one placement (placement_ledger.h).
 *
 * Ratios are decimal strings with 4 fraction digits, rounded half up
 * ("0.4167"); medians of days have 1 fraction digit ("12.5"); money is
 * the currency's decimal string. A figure with no denominator or no
 * values is null in JSON and an empty field in CSV.
 */
#ifndef BH_PLACEMENT_OVERSIGHT_H
#define BH_PLACEMENT_OVERSIGHT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "placement_ledger.h"

typedef struct bh_oversight bh_oversight;

/* An empty set of rows; NULL when out of memory. */
bh_oversight *bh_oversight_new(void);
void bh_oversight_free(bh_oversight *o);

/* Counts placement p with its ledger l in the row of (p->firm,
 * p->currency). BATON_ERANGE when a sum does not fit, BATON_ENOMEM. */
int bh_oversight_add(bh_oversight *o, const bh_placement *p, const bh_placement_ledger *l,
                     char *err, size_t errlen);

/* The rows as a JSON array, one object per firm and currency, ordered by
 * firm then currency (caller frees). */
int bh_oversight_json(bh_oversight *o, cJSON **out, char *err, size_t errlen);

/* The same rows as CSV: a header line of the JSON keys, then one line per
 * row, CRLF line ends (RFC 4180). *out is NUL-terminated, caller frees. */
int bh_oversight_csv(bh_oversight *o, char **out, size_t *len, char *err, size_t errlen);

/* num / den as a decimal string with 4 fraction digits, half up (num,
 * den >= 0, den > 0). BATON_ERANGE when den is too large to divide this
 * way (above INT64_MAX / 10). */
int bh_ratio_text(int64_t num, int64_t den, char *buf, size_t len);

/* The median of n day counts (sorted here) with 1 fraction digit. */
void bh_median_days_text(int64_t *days, size_t n, char *buf, size_t len);

#endif
