/*
 * case_validate.h - checking a case against the documented format
 * (docs/case-format.md, docs/case.schema.json) before any plugin reads it.
 *
 * One validator for every way a case enters: evaluate, letters and
 * handoffs in batond, and the baton CLI. It checks required members,
 * types, enum values, money (decimal strings, the currency's fraction
 * digits, no sign, principal above zero, every amount at most
 * BH_MAX_AMOUNT_MINOR), dates (real calendar days from BH_CASE_DATE_MIN
 * to BH_CASE_DATE_MAX) and that every number is an integer written with
 * digits only. Unknown members are allowed and ignored. The first
 * offending member is named by its path ("claim.principal.amount",
 * "documents[2].kind") with why.
 *
 * The rules are a table of members per object (case_rules.c), walked
 * once; no allocation.
 *
 * Owns: the structural rules of the format. Does not own: what a plugin
 * makes of a well-formed case (it reports inconsistencies as findings).
 */
#ifndef BH_CASE_VALIDATE_H
#define BH_CASE_VALIDATE_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* Largest amount a case may carry, in minor units (10,000,000,000.00 in a
 * two-digit currency). Plugins multiply amounts by rates and day counts in
 * 128 bits and keep int64 results; this bound keeps every such product and
 * sum far from overflow, and inside the 2^53 that JSON numbers hold. */
#define BH_MAX_AMOUNT_MINOR INT64_C(1000000000000)

/* Dates a case may carry. Limitation periods (at most 30 years), interest
 * and fee tables then stay in years a civil date can hold (1..9999), and
 * no plugin meets a year its tables cannot place. */
#define BH_CASE_DATE_MIN "1900-01-01"
#define BH_CASE_DATE_MAX "2199-12-31"

struct bh_eval_error;

/* Returns 0 when case_json is a well-formed case; else fills *e (400
 * "invalid_case", "PATH: why") and returns BATON_EINVAL. */
int bh_case_validate(const cJSON *case_json, struct bh_eval_error *e);

#endif
