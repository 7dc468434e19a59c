/*
 * counterparts.h - whom a tenant exchanges packages with.
 *
 * A tenant file may list its counterparts:
 *   "counterparts": [
 *     {"tenant": "harbor-law"},                       a tenant on this host
 *     {"name": "baker-legal",                         a firm or agency elsewhere
 *      "sign_pub": "RWQ...",                          its minisign public key
 *      "age_recipient": "age1..."}                    its age recipient
 *   ]
 * An agency's entry for a law firm may carry the agreement it has with
 * that firm (docs/placements.md, "Reconciliation"):
 *     "agreement": {
 *       "contingency_fee_bp": 1500,          the firm's fee on what it
 *                                            collects, basis points [0]
 *       "fee_on_direct_payments": false,     the fee also applies to what
 *                                            the debtor pays the creditor
 *                                            directly [false]
 *       "reimbursed_costs": ["court_fee"],   cost categories the agency
 *                                            reimburses [none]
 *       "cost_budget": {"amount": "500.00", "currency": "GBP"},
 *                                            costs per case [no budget]
 *       "remittance_due_days": 30,           a payment to the firm is
 *                                            remitted within [30] days
 *       "stalled_after_days": 60,            no event for longer: stalled [60]
 *       "judgment_enforcement_days": 90      a judgment not enforced for
 *                                            longer is flagged [90]
 *     }
 * Every member is optional; the bracketed defaults apply when absent.
 * An agency may hand cases only to its counterparts; a law firm accepts
 * packages only when signed by a counterpart's key (for a tenant on this
 * host, the key batond keeps for it). For an external law firm both keys
 * are required (encrypt to it, verify its receipts); for an external sender
 * sign_pub is.
 */
#ifndef BH_COUNTERPARTS_H
#define BH_COUNTERPARTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "baton/age.h"
#include "baton/minisign.h"

/* Cost categories of the case-event format (cost_incurred.category). */
enum bh_cost_category {
    BH_COST_COURT_FEE = 1,
    BH_COST_LAWYER_FEE = 2,
    BH_COST_ENFORCEMENT = 4,
    BH_COST_OTHER = 8,
};

/* The bit of a category name, 0 when it is not one. */
unsigned bh_cost_category_bit(const char *name);

/* What an agency agreed with a firm; bh_agreement_defaults gives the
 * values used when the tenant file says nothing. */
typedef struct bh_agreement {
    int32_t contingency_fee_bp;        /* 0..10000 */
    int fee_on_direct_payments;        /* 0 or 1 */
    unsigned reimbursed_costs;         /* BH_COST_* bits */
    int has_cost_budget;               /* 0: no budget */
    int64_t cost_budget_minor;         /* when has_cost_budget */
    char cost_budget_currency[4];      /* ISO 4217, when has_cost_budget */
    int32_t remittance_due_days;       /* 1..3650 */
    int32_t stalled_after_days;        /* 1..3650 */
    int32_t judgment_enforcement_days; /* 1..3650 */
} bh_agreement;

void bh_agreement_defaults(bh_agreement *a);

typedef struct bh_counterpart {
    const char *tenant; /* tenant id on this host, or NULL */
    const char *name;   /* external name, or NULL */
    int has_sign;
    baton_minisign_pubkey sign;
    int has_age;
    baton_age_recipient age;
    int has_agreement;      /* the entry carries "agreement" */
    bh_agreement agreement; /* its values, or the defaults */
} bh_counterpart;

/* Validates a "counterparts" value. On a problem returns -1 and writes the
 * field path ("counterparts[1].sign_pub",
 * "counterparts[0].agreement.cost_budget.amount") and the reason. */
int bh_counterparts_check(const cJSON *list, char *field, size_t fieldlen, char *why,
                          size_t whylen);

/* Fills out with entry i of a validated list; -1 past the end. */
int bh_counterpart_at(const cJSON *list, int i, bh_counterpart *out);

/* The counterpart called name (tenant id or external name), or -1. */
int bh_counterpart_find(const cJSON *list, const char *name, bh_counterpart *out);

#endif
