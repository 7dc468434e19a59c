/*
 * placement_facts.h - what a placement starts from, read when the handoff
 * is made: the balance handed to the firm (from the case) and the
 * expected recovery (from the tenant's evaluation of the case at that
 * moment). docs/placements.md, "Reconciliation", defines both.
 *
 * Owns: those two readings (pure) and the day a placement is made or a
 * ledger is computed for by default (the clock, or $BATON_NOW as the CLI
 * and the case events honour it). Does not own: running the evaluation
 * (api_handoffs.c does, through evaluate.h) or storing the result
 * (store.h, "placements").
 */
#ifndef BH_PLACEMENT_FACTS_H
#define BH_PLACEMENT_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* The evaluation fact that is the expected recovery of a placed case. */
#define BH_PLACEMENT_FORECAST_FACT "recovery.legal.gross"

/*
 * The amount placed: claim.principal plus every claim.charges amount, in
 * the principal's currency (interest is not included). case_json passed
 * the case format's checks (case_validate.h). BATON_EINVAL when a member
 * is missing, BATON_ERANGE when the sum does not fit; err says which.
 */
int bh_placement_amount(const cJSON *case_json, int64_t *minor, char currency[4], char *err,
                        size_t errlen);

/*
 * The expected recovery the evaluation states (facts."recovery"."legal".
 * "gross", a money value) in currency: 1 with *minor set, or 0 when the
 * evaluation is NULL, lacks the fact, or states it in another currency or
 * as a negative or malformed amount (then the forecast is unknown).
 */
int bh_placement_forecast(const cJSON *evaluation, const char *currency, int64_t *minor);

/* Today in UTC as YYYY-MM-DD, or the day of $BATON_NOW when it is set
 * and a UTC time like 2026-11-24T09:00:00Z (ignored otherwise). */
void bh_placement_today(char buf[11]);

#endif
