/*
 * northwind.h - internals of the example agency plugin "northwind".
 *
 * Northwind Credit Management is a fictional collection agency. Its plugin
 * shows what an agency adds on top of a jurisdiction plugin:
 *   plugin.c     descriptor, init/fini, per-tenant config (commission
 *                table, thresholds, letterhead)
 *   commission.c the commission rate by stage and age of debt
 *   recovery.c   the recovery-likelihood estimate from the case file
 *   recommend.c  fee_schedule: commission, expected net recovery and the
 *                recommendation, weighing the jurisdiction's findings
 *   letters.c    letterhead, reminder, final demand
 *   text.c       money and date wording
 * Nothing here is exported from the .so but baton_plugin_entry.
 */
#ifndef NORTHWIND_H
#define NORTHWIND_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"

/* One row of the commission table: debts up to max_age_days old (the last
 * row has max_age_days < 0: any age). Rates in basis points of amounts
 * recovered. */
typedef struct nw_commission_row {
    int64_t max_age_days;
    int32_t pre_legal_bp;
    int32_t legal_bp;
} nw_commission_row;

#define NW_MAX_COMMISSION_ROWS 16
#define NW_TEXT                160

typedef struct nw_state {
    const baton_host_api *api;
    baton_host *host;
    nw_commission_row commission[NW_MAX_COMMISSION_ROWS];
    size_t n_commission;
    int64_t min_net_legal_minor;     /* below: not worth suing */
    int64_t min_net_pre_legal_minor; /* below: not worth collecting at all */
    int64_t legal_fee_minor;         /* the panel solicitor's fee per claim issued */
    int32_t pre_legal_factor_bp;     /* pre-legal recovery relative to legal */
    char name[NW_TEXT];
    char address[4 * NW_TEXT];
    char phone[64];
    char email[NW_TEXT];
    char registration[NW_TEXT];
} nw_state;

enum nw_stage { NW_PRE_LEGAL = 1, NW_LEGAL = 2 };

/* The commission rate for stage on a debt age_days old; age < 0 counts as 0. */
int32_t nw_commission_bp(const nw_state *st, enum nw_stage stage, int64_t age_days);

/* What the recovery estimate looks at, read from the case and the
 * jurisdiction's findings. */
typedef struct nw_recovery_input {
    int engaged;         /* debtor_profile.engaged */
    int promises_broken; /* debtor_profile.promises_broken */
    int plan_broken;     /* debtor_profile.payment_plan == "broken" */
    int assets;          /* 2 known, 1 unknown, 0 none */
    int docs_met;        /* readiness findings met */
    int docs_total;      /* readiness findings met + missing */
    int64_t age_days;    /* as_of - due date */
    int insolvent;
} nw_recovery_input;

typedef struct nw_recovery {
    int32_t likelihood_bp; /* 0..10000 */
    int32_t engagement_bp, documentation_bp, assets_bp, age_bp;
} nw_recovery;

/*
 * Northwind's recovery-likelihood score (docs/plugins/northwind.md): the sum
 * of four parts, engagement (up to 20 %), documentation strength (up to
 * 30 %), known assets (up to 30 %) and age of debt (up to 20 %); capped at
 * 5 % for an insolvent debtor.
 */
void nw_recovery_estimate(const nw_recovery_input *in, nw_recovery *out);

/* Capabilities. */
int nw_fees(void *state, const baton_view *case_view, baton_result *out);
int nw_render(void *state, const char *kind, const baton_view *case_view, baton_letter *out);
extern const char *const nw_letter_kinds[];

/* Text. */
void nw_money_text(baton_money m, char *buf, size_t len);
void nw_date_text(baton_date d, char *buf, size_t len);

#endif
