/*
 * us_ny.h - internals shared by the files of the us-ny (New York) plugin.
 *
 * Owns: the instance state (the two court calendars, built at init for the
 * years they cover), the dated tables (params.c), and the reading of a case
 * into the figures every capability needs (claim.c). Does not own: anything
 * of the host; the plugin sees the case only through the baton_host_api
 * views. Every symbol here is hidden; only baton_plugin_entry is exported.
 */
#ifndef USNY_H
#define USNY_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "case_view.h"
#include "court_calendar.h"
#include "dated_table.h"

/* Years the built calendars cover. */
#define USNY_CAL_FIRST 2021
#define USNY_CAL_LAST  2035
/* At most 15 holidays a year. */
#define USNY_CAL_MAX ((USNY_CAL_LAST - USNY_CAL_FIRST + 1) * 16)

typedef struct usny_state {
    const baton_host_api *api;
    baton_host *host;
    bpc_holiday ny_days[USNY_CAL_MAX];
    bpc_holiday us_days[USNY_CAL_MAX];
    bpc_court_calendar ny; /* General Construction Law § 24 public holidays */
    bpc_court_calendar us; /* 5 U.S.C. 6103(a) federal holidays, observed */
} usny_state;

/* Largest amount (cents) the plugin computes with: $10 trillion. */
#define USNY_MAX_AMOUNT  INT64_C(1000000000000000)
#define USNY_MAX_RATE_BP 100000

/* ---- params.c: dated tables with sources ---- */

/* The courts whose small-claims and commercial-claims parts differ. */
enum usny_court {
    USNY_NYC = 0,          /* Civil Court of the City of New York */
    USNY_CITY = 1,         /* City Courts outside New York City */
    USNY_DISTRICT = 2,     /* District Courts (Nassau, Suffolk) */
    USNY_TOWN_VILLAGE = 3, /* Town and Village Justice Courts */
};

typedef struct usny_court_limits {
    int64_t small_claims[4];      /* by enum usny_court, cents */
    int64_t commercial_claims[4]; /* cents */
    int64_t civil_court_limit;    /* NYC Civil Court, CCA 202 */
} usny_court_limits;

typedef struct usny_fee_schedule {
    int64_t small_low[4];  /* small claims fee, claim <= $1,000 */
    int64_t small_high[4]; /* claim > $1,000 */
    int64_t commercial;    /* commercial claims, plus postage */
    int64_t civil_court;   /* NYC Civil Court index fee */
    int64_t civil_court_consumer_credit;
    int64_t supreme_court; /* CPLR 8018(a) index number */
} usny_fee_schedule;

extern const bpc_dated_table usny_limits_table;           /* data: usny_court_limits */
extern const bpc_dated_table usny_fees_table;             /* data: usny_fee_schedule */
extern const bpc_dated_table usny_judgment_rate_consumer; /* CPLR 5004(a), bp */
/* First evaluation date the plugin answers for (all of the Consumer Credit
 * Fairness Act in force). */
extern const baton_date usny_first_date;

/* ---- calendar.c ---- */

/* Fills st->ny and st->us for USNY_CAL_FIRST..USNY_CAL_LAST. */
void usny_calendars_build(usny_state *st);
/* The n-th day after from that is not a Saturday, Sunday or federal
 * holiday (12 CFR 1006.34(b)(5)); BATON_ERANGE outside the calendar. */
int usny_add_federal_business_days(const usny_state *st, baton_date from, int n, baton_date *out);

/* ---- claim.c ---- */

typedef struct usny_claim {
    baton_date as_of;
    baton_date due;
    int64_t principal;
    int64_t charges;
    int consumer;        /* consumer debt: CPLR 5004(b) */
    int consumer_credit; /* consumer credit transaction: CPLR 105(f), 214-i, 3016(j) */
    int creditor_natural;
    int assigned;
    int revolving;
    /* interest to as_of (CPLR 5001, 5004) */
    int interest_claimed;
    int rate_unusable;
    int contractual;
    int64_t contract_bp;
    const char *rate_basis;
    baton_date interest_from;
    int64_t interest_days;
    int64_t interest;
    int64_t demand; /* principal + charges (the small-claims measure, exclusive of interest) */
} usny_claim;

int usny_claim_read(const usny_state *st, const baton_view *v, usny_claim *c, char *why,
                    size_t whylen);

typedef struct usny_limitation {
    int years;
    const char *basis;
    baton_date accrual;
    baton_date start;
    bpc_deadline deadline; /* moved by GCL § 25-a */
    int restarted;
    int ignored_act;  /* an acknowledgment or payment that does not count */
    int after_expiry; /* it came after the period ran (CPLR 214-i: no revival) */
    int time_barred;
    int64_t days_left;
} usny_limitation;

void usny_limitation_compute(const usny_state *st, const baton_view *v, const usny_claim *c,
                             usny_limitation *out);

enum usny_track {
    USNY_SMALL_CLAIMS = 1,
    USNY_COMMERCIAL_CLAIMS = 2,
    USNY_CIVIL_COURT = 3,
    USNY_SUPREME_COURT = 4,
    USNY_LOCAL_CIVIL = 5, /* a civil action in a court outside NYC; fee not tabulated */
};

typedef struct usny_route {
    enum usny_court court;
    int court_assumed;
    enum usny_track track;
    int64_t small_limit, commercial_limit;
    int commercial_count_unknown, commercial_count_over;
    int consumer_transaction; /* commercial claim against a consumer: CCA 1803-A(b) */
    int64_t fee;              /* -1 when not tabulated */
    const char *fee_basis;
} usny_route;

void usny_route_compute(const usny_state *st, const baton_view *v, const usny_claim *c,
                        usny_route *out);

/* text helpers (claim.c); case reads are plugins/common/case_view.h */
void usny_usd(int64_t cents, char *buf, size_t len);
void usny_long_date(baton_date d, char *buf, size_t len);

/* capabilities */
int usny_filing_rules(void *state, const baton_view *v, baton_result *out);
int usny_fees(void *state, const baton_view *v, baton_result *out);
int usny_render(void *state, const char *kind, const baton_view *v, baton_letter *out);

#endif
