/*
 * gb_ew.h - internals of the England & Wales jurisdiction plugin (gb-ew).
 *
 * The plugin is split by rule family, one file each:
 *   plugin.c    descriptor, init/fini, per-tenant config (Bank Rate override)
 *   params.c    the dated parameters shipped: Bank Rate, fee 1.1, track limits
 *   calendar.c  court office closed days (bank holidays), Pritam Kaur, CPR 2.8
 *   fees.c      county court issue fee, CPFO 2008 Sch. 1 fee 1.1, versioned
 *   fee_config.c  a tenant's own fee 1.1 table from the plugin config
 *   interest.c  statutory / contractual interest and fixed compensation
 *   limitation.c  Limitation Act 1980 ss.5, 29 deadline
 *   route.c     allocation track (CPR 26) and procedure
 *   rules.c     filing_rules: checklist, limitation, pre-action, route
 *   charges.c   fee_schedule: principal, interest, compensation, court fee
 *   letters.c   letter_formats: Letter of Claim (Pre-Action Protocol)
 *   text.c      money and date wording for findings and letters
 *
 * Everything here is pure computation over integers and civil dates so the
 * table-driven tests can call it directly; only rules.c, charges.c and
 * letters.c talk to the host API. Nothing in this header is exported from
 * the .so (the build hides every symbol but baton_plugin_entry).
 */
#ifndef GB_EW_H
#define GB_EW_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "case_view.h"
#include "court_calendar.h"
#include "dated_table.h"

/* Per-tenant state, built from the plugin config at init. */
typedef struct gbew_state {
    const baton_host_api *api;
    baton_host *host;
    const bpc_dated_table *bank_rate; /* the shipped table or own_bank_rate */
    bpc_dated_table *own_bank_rate;   /* the tenant's override; owned, may be NULL */
    const bpc_dated_table *issue_fee; /* the shipped fee 1.1 table or own_issue_fee */
    bpc_dated_table *own_issue_fee;   /* the tenant's override (fee_config.c), may be NULL */
} gbew_state;

/* ---------------------------------------------------------------- params */

enum gbew_band_kind { GBEW_BAND_FIXED = 1, GBEW_BAND_PERCENT_FLOOR = 2 };

typedef struct gbew_fee_band {
    int64_t upper_minor; /* "does not exceed"; INT64_MAX for "exceeds ... or not limited" */
    enum gbew_band_kind kind;
    int64_t value; /* pence for GBEW_BAND_FIXED, basis points for GBEW_BAND_PERCENT_FLOOR */
} gbew_fee_band;

/* One version of fee 1.1 (the .data of an issue_fee table value). */
typedef struct gbew_fee_table {
    const char *basis;
    const gbew_fee_band *bands;
    size_t n_bands;
} gbew_fee_table;

/* Upper limits of the tracks, pence (the .data of a track_limits value);
 * intermediate 0 when that track did not exist. */
typedef struct gbew_track_limits {
    int64_t small, fast, intermediate;
} gbew_track_limits;

/* The shipped tables (params.c) and court calendar (calendar.c). */
extern const bpc_dated_table gbew_bank_rate;
extern const bpc_dated_table gbew_issue_fee_table;
extern const bpc_dated_table gbew_track_table;
extern const bpc_court_calendar gbew_court_calendar;

#define GBEW_RULE_PRITAM_KAUR "Pritam Kaur v S Russell & Sons Ltd [1973] QB 336"

/* ------------------------------------------------------------------ fees */

/*
 * The county court issue fee for a money claim of claim_minor pence (claim
 * value including interest) filed on filing_date, from the fee 1.1 table in
 * force that day. Sets *fee_minor and *basis (static text naming the
 * instrument). Returns 0, BATON_ERANGE for a date before the oldest table
 * Baton carries, BATON_EINVAL for a claim value <= 0.
 */
int gbew_issue_fee(int64_t claim_minor, baton_date filing_date, int64_t *fee_minor,
                   const char **basis);
/* The same from the fee table t (the shipped one or a tenant's). */
int gbew_issue_fee_in(const bpc_dated_table *t, int64_t claim_minor, baton_date filing_date,
                      int64_t *fee_minor, const char **basis);

/* A tenant's params.issue_fee (fee_config.c): 0 with *out NULL when absent,
 * 0 with a table to free with gbew_fee_config_free, or BATON_E* with err
 * naming the config path. */
int gbew_fee_config_read(const baton_host_api *api, const baton_view *cfg, bpc_dated_table **out,
                         char *err, size_t errlen);
void gbew_fee_config_free(bpc_dated_table *t);

/* -------------------------------------------------------------- interest */

enum gbew_interest_kind {
    GBEW_INTEREST_NONE = 0,
    GBEW_INTEREST_CONTRACTUAL = 1,  /* the contract's own rate */
    GBEW_INTEREST_LATE_PAYMENT = 2, /* Late Payment of Commercial Debts (Interest) Act 1998 */
    GBEW_INTEREST_S69 = 3,          /* County Courts Act 1984 s.69, 8 % */
};

/*
 * Simple interest on principal_minor at rate_bp a year for days days, on a
 * 365-day year, rounded down to the penny (the one rounding rule of this
 * plugin: truncate once, on the total). days <= 0 gives 0.
 */
int64_t gbew_simple_interest(int64_t principal_minor, int32_t rate_bp, int64_t days);

/*
 * The Late Payment Act reference date for statutory interest that starts to
 * run on start: the 31 December before, when it starts from 1 January to
 * 30 June; the 30 June before, when it starts from 1 July to 31 December
 * (Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002,
 * S.I. 2002/1675). Interest starts the day after the due date, so a debt
 * due on 30 June takes the rate of 30 June.
 */
baton_date gbew_reference_date(baton_date start);

/* The Bank Rate in force on day d from the table: 0, BPC_BEYOND_HORIZON
 * (the newest rate, which may be stale), or BATON_ENOENT if the table
 * starts after d. */
int gbew_base_rate_on(const bpc_dated_table *rates, baton_date d, int32_t *bp);

/*
 * Fixed sum for the cost of recovering a qualifying debt, s.5A of the 1998
 * Act: £40 under £1,000; £70 from £1,000 to under £10,000; £100 from
 * £10,000. Returns pence.
 */
int64_t gbew_fixed_compensation(int64_t debt_minor);

/* ------------------------------------------------------------ limitation */

typedef struct gbew_limitation {
    baton_date accrual;  /* the day the (last) cause of action accrued */
    baton_date deadline; /* last day a claim may be issued */
    int restarted;       /* 0 none, 1 part payment, 2 acknowledgment */
    baton_date restart_date;
} gbew_limitation;

/*
 * Limitation Act 1980 s.5 (six years from accrual) with s.29(5) restarts:
 * each part payment or written acknowledgment made while the period is
 * still running starts it again from that day; one made after expiry does
 * not revive it (s.29(7)). The cause of action on a debt accrues the day
 * after its due date; the period excludes the day of accrual, so the
 * deadline is the sixth anniversary of the accrual day.
 *
 * events/kinds: n restart dates and their kinds (1 payment, 2
 * acknowledgment), any order.
 */
void gbew_limitation_compute(baton_date due, const baton_date *events, const int *kinds, size_t n,
                             gbew_limitation *out);

/* ----------------------------------------------------------------- route */

enum gbew_track {
    GBEW_TRACK_SMALL = 1,
    GBEW_TRACK_FAST = 2,
    GBEW_TRACK_INTERMEDIATE = 3,
    GBEW_TRACK_MULTI = 4,
};

/* The normal track for a claim of value_minor pence issued on d (the
 * track_limits table in force that day; the value disregards interest and
 * costs, r.26.13). Before the table's first date the 2013 limits apply. */
enum gbew_track gbew_track_for(int64_t value_minor, baton_date d);
const char *gbew_track_name(enum gbew_track t);

/* ------------------------------------------------------------ pre-action */

/* Earliest issue date after a Letter of Claim dated d: the 30 days for the
 * debtor's reply run to d + 30; a claim may be issued from d + 31. */
baton_date gbew_pap_earliest_issue(baton_date letter_date);

/* ------------------------------------------------------------------ text */

/* "£1,234.56" (or "1,234.56 EUR" for other currencies) into buf. */
void gbew_money_text(baton_money m, char *buf, size_t len);
/* "3 November 2025" into buf. */
void gbew_date_text(baton_date d, char *buf, size_t len);
/* "2025-11-03" into buf (at least 11 bytes). */
void gbew_date_iso(baton_date d, char *buf, size_t len);

/* --------------------------------------------------------- capabilities */

int gbew_filing_rules(void *state, const baton_view *case_view, baton_result *out);
int gbew_fees(void *state, const baton_view *case_view, baton_result *out);
int gbew_render(void *state, const char *kind, const baton_view *case_view, baton_letter *out);
extern const char *const gbew_letter_kinds[];

/* ------------------------------------------------------- case helpers */

/*
 * The facts both filing_rules and fees need, read once from the case:
 * debtor kind, consumer flag, the principal, as_of and due date. Returns 0,
 * or a negative BATON_E* code when a required item is missing or malformed.
 */
typedef struct gbew_case {
    baton_date as_of;
    baton_date due;
    baton_money principal;
    size_t charges;        /* entries of claim.charges (0 when absent) */
    int64_t charges_minor; /* sum of claim.charges in the claim currency */
    int debtor_individual; /* individual or sole trader: PAP applies */
    int consumer;          /* debtor.consumer, default from kind */
    int b2b;               /* creditor business and debtor not a consumer */
} gbew_case;

int gbew_case_read(const baton_host_api *api, const baton_view *v, gbew_case *c);

/*
 * What filing_rules reads of the file, each documents[] and letters_sent[]
 * entry read once: documents per kind, the first agreement's and the
 * first proof of delivery's ref (NULL when that entry has none), letters
 * per kind and the latest final demand and Letter of Claim. The strings
 * stay valid until the plugin call returns.
 */
typedef struct gbew_file {
    bpc_documents docs;
    const char *agreement_ref, *delivery_ref;
    bpc_letters letters;
} gbew_file;

void gbew_file_read(const baton_host_api *api, const baton_view *v, gbew_file *f);

/* The interest the plugin claims up to c->as_of, and how it was found. */
typedef struct gbew_interest {
    enum gbew_interest_kind kind;
    int32_t rate_bp;            /* annual rate applied */
    int32_t base_bp;            /* Bank Rate on the reference date (Late Payment) */
    baton_date reference;       /* reference date (Late Payment) */
    baton_date from;            /* first day of accrual */
    int64_t days;               /* days accrued to as_of inclusive */
    int64_t amount_minor;       /* interest to as_of */
    int64_t daily_minor_x100;   /* daily accrual in 1/100 pence, for statements */
    int64_t compensation_minor; /* s.5A fixed sum, Late Payment only, once interest runs */
    int rate_beyond_horizon;    /* the Bank Rate table ends before the reference date */
    const char *basis;          /* statute or contract */
} gbew_interest;

/*
 * Works out interest for the case. Returns 0; BATON_ENOENT when Late
 * Payment interest applies but the Bank Rate table starts after the
 * reference date (the caller reports it; kind is then NONE). Before
 * interest starts to run (as_of before its first day) days and amount are
 * 0 and there is no fixed sum: s.5A(1) gives it only once statutory
 * interest begins to run.
 */
int gbew_interest_for(const gbew_state *st, const baton_view *v, const gbew_case *c,
                      gbew_interest *out);

#endif
