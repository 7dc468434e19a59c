/*
 * us_ca.h - internals shared by the files of the us-ca plugin.
 *
 * Owns: the plugin's instance state, the dated tables (tables.c), the US
 * federal holiday calendar (calendar.c) and the reading of a case into the
 * figures every capability needs (claim.c). Does not own: anything of the
 * host; the plugin sees the case only through the baton_host_api views.
 * Every symbol here is hidden (the plugin is built with hidden visibility);
 * only baton_plugin_entry is exported.
 */
#ifndef USCA_H
#define USCA_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "court_calendar.h"
#include "dated_table.h"

typedef struct usca_state {
    const baton_host_api *api;
    baton_host *host;
    /* The limits in force: the shipped tables or the tenant's overrides. */
    const bpc_dated_table *small_claims_natural;
    const bpc_dated_table *small_claims_entity;
    const bpc_dated_table *limited_civil;
    bpc_dated_table *own[3]; /* owned overrides, NULL when none */
} usca_state;

/* The shipped tables (tables.c) and judicial holidays (court_calendar.c). */
extern const bpc_dated_table usca_small_claims_natural;
extern const bpc_dated_table usca_small_claims_entity;
extern const bpc_dated_table usca_limited_civil;
extern const bpc_dated_table usca_filing_fees;
extern const bpc_court_calendar usca_court_calendar;

#define USCA_RULE_12A "CCP 12, 12a"

/* ---- tables.c: figures with their sources and effective dates ---- */

/* Small-claims jurisdiction for a money demand filed on date (CCP 116.220(a)(1),
 * 116.221), in cents; natural is 1 for a natural-person plaintiff. */
int64_t usca_small_claims_limit(const usca_state *st, baton_date filed, int natural);
/* Upper bound of a limited civil case (CCP 85(a)), in cents. */
int64_t usca_limited_civil_limit(const usca_state *st, baton_date filed);
/* Small-claims filing fee (CCP 116.230(b), (c)) for demand cents, given the
 * number of small claims the plaintiff filed in the previous 12 months. */
int64_t usca_small_claims_fee(int64_t demand, int64_t filed_12_months, const char **basis);
/* First-paper fee of a limited civil case (GC 70613 + GC 70602.5). */
int64_t usca_limited_civil_fee(int64_t demand, const char **basis);
/* First-paper fee of an unlimited civil case (GC 70611 + 70602.5 + 70602.6). */
int64_t usca_unlimited_civil_fee(const char **basis);
/* First date the tables cover; earlier filing dates are refused. */
baton_date usca_tables_first_date(void);

/* Largest amount (cents) the plugin computes with: $10 trillion. Keeps every
 * sum and the interest product far inside int64. */
#define USCA_MAX_AMOUNT INT64_C(1000000000000000)
/* Largest contract rate accepted: 1000 % a year. */
#define USCA_MAX_RATE_BP 100000

/* Demand above which CCP 116.231 limits a plaintiff to two claims a year. */
#define USCA_116_231_THRESHOLD INT64_C(250000)

/* ---- calendar.c: legal public holidays of 5 U.S.C. 6103(a) ---- */

/* 1 when d is an observed federal holiday, 0 when not, BATON_ERANGE when d
 * lies outside the years the table covers. */
int usca_federal_holiday(baton_date d);
/* The n-th day after from that is not a Saturday, Sunday or federal holiday.
 * BATON_ERANGE when the walk leaves the table. */
int usca_add_business_days(baton_date from, int n, baton_date *out);
/* End of the Regulation F validation period for a notice sent on sent:
 * assumed receipt five business days later, plus 30 days. */
int usca_validation_period_end(baton_date sent, baton_date *receipt, baton_date *end);

/* ---- claim.c: what the case says, read once ---- */

typedef struct usca_claim {
    baton_date as_of;
    baton_date due;
    baton_money principal; /* claim currency, must be USD */
    int64_t charges;       /* sum of claim.charges[] in cents */
    const char *contract_type;
    int has_contract_date;
    baton_date contract_date;
    int creditor_natural; /* creditor.kind individual or sole_trader: a natural person */
    int consumer;         /* debtor.consumer, defaulted from debtor.kind */
    int assigned;         /* assignments[] not empty */

    /* interest (Civil Code 3287(a), 3289) */
    int interest_claimed;
    int rate_unusable; /* contract rate out of range: no interest computed */
    int contractual;   /* the rate comes from the contract */
    int64_t rate_bp;
    const char *rate_basis;
    baton_date interest_from; /* first day interest runs */
    int64_t interest_days;
    int64_t interest; /* cents, half-up to the cent */

    int64_t demand; /* principal + charges + interest, cents */
    /* CCP 85(a): the demand "exclusive of attorneys' fees, interest, and
     * costs": principal + charges, cents. */
    int64_t amount_in_controversy;
} usca_claim;

/*
 * Reads the case. Returns 0, or BATON_EINVAL with a reason in why when the
 * case lacks what every capability needs (as_of, principal in USD, due
 * date), so the caller can report it as a finding.
 */
int usca_claim_read(const usca_state *st, const baton_view *v, usca_claim *c, char *why,
                    size_t whylen);

typedef struct usca_limitation {
    int years;
    const char *basis;
    baton_date accrual;  /* day after the due date */
    baton_date start;    /* accrual, or a counted acknowledgment */
    baton_date deadline; /* last day an action may be filed (after CCP 12a) */
    bpc_deadline moved;  /* the deadline before and after CCP 12, 12a */
    int restarted;       /* a written acknowledgment was counted */
    int ack_ignored;     /* an acknowledgment exists but does not count */
    int time_barred;
    int64_t days_left; /* deadline - as_of; negative when barred */
} usca_limitation;

void usca_limitation_compute(const usca_state *st, const baton_view *v, const usca_claim *c,
                             usca_limitation *out);

enum usca_track {
    USCA_SMALL_CLAIMS = 1,
    USCA_LIMITED_CIVIL = 2,
    USCA_UNLIMITED_CIVIL = 3,
};

typedef struct usca_route {
    enum usca_track track;
    int64_t small_claims_limit; /* for this plaintiff on as_of */
    int64_t limited_limit;
    int over_limit;          /* demand above the small-claims limit */
    int assignee;            /* CCP 116.420(a): assignee may not file */
    int over_2500_barred;    /* CCP 116.231(a): two such claims this year */
    int over_2500_unknown;   /* demand > $2,500 and the count is not given */
    int64_t filed_12_months; /* -1 when not given */
} usca_route;

void usca_route_compute(const usca_state *st, const baton_view *v, const usca_claim *c,
                        usca_route *out);

/* ---- small view helpers (claim.c) ---- */

const char *usca_str(const usca_state *st, const baton_view *v, const char *path, const char *dflt);
int usca_date(const usca_state *st, const baton_view *v, const char *path, baton_date *out);
int usca_bool(const usca_state *st, const baton_view *v, const char *path, int dflt);
int64_t usca_int(const usca_state *st, const baton_view *v, const char *path, int64_t dflt);

/* "$1,234.56" into buf. */
void usca_usd(int64_t cents, char *buf, size_t len);
/* "YYYY-MM-DD" into buf (at least 11 bytes). */
void usca_iso(baton_date d, char *buf);
/* "January 2, 2026" into buf. */
void usca_long_date(baton_date d, char *buf, size_t len);

/* ---- capabilities ---- */

int usca_filing_rules(void *state, const baton_view *v, baton_result *out);
int usca_fees(void *state, const baton_view *v, baton_result *out);
int usca_render(void *state, const char *kind, const baton_view *v, baton_letter *out);

#endif
