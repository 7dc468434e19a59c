/*
 * de_internal.h - what the files of the de plugin share: the instance state
 * built from the tenant's config, the facts of a case every capability
 * needs (read once by de_case_read), and German number and date formats.
 *
 * Owns nothing of the host: every host object is reached through the
 * baton_host_api table stored in the state.
 */
#ifndef DE_INTERNAL_H
#define DE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "court_calendar.h"
#include "dated_table.h"
#include "de_calc.h"
#include "de_tables.h"

#define DE_PLUGIN_NAME    "de"
#define DE_PLUGIN_VERSION "1.1.0"

/* The shipped dated tables (de_params.c) and holidays (de_calendar.c). */
extern const bpc_dated_table de_basiszinssatz;
extern const bpc_dated_table de_fee_tables;
extern const bpc_dated_table de_amtsgericht_limits;
extern const bpc_court_calendar de_court_calendar;

/* The 16 Länder as court calendar regions, in the order of ISO 3166-2:DE
 * codes as listed in de_calendar.c. */
enum {
    DE_BW,
    DE_BY,
    DE_BE,
    DE_BB,
    DE_HB,
    DE_HH,
    DE_HE,
    DE_MV,
    DE_NI,
    DE_NW,
    DE_RP,
    DE_SL,
    DE_SN,
    DE_ST,
    DE_SH,
    DE_TH,
    DE_LAND_COUNT
};
#define DE_LAND_BIT(i) (UINT32_C(1) << (i))

/* The region bit of a Land given as "DE-BY", "BY" or "Bayern" (*code gets
 * the two-letter code); 0 when s names no Land. */
uint32_t de_land_from(const char *s, const char **code);

#define DE_RULE_193 "§ 193 BGB"

/* Input bounds: a principal of at most EUR 10^13 and a contractual rate of
 * at most 100 % a year keep every sum the plugin forms inside int64 cents
 * for any period the calendar allows (interest overflow is still checked). */
#define DE_MAX_PRINCIPAL   INT64_C(1000000000000000)
#define DE_MAX_CONTRACT_BP 10000

/* Instance state: one per tenant using the plugin. */
typedef struct de_state {
    const baton_host_api *api;              /* borrowed; valid while loaded */
    baton_host *host;                       /* borrowed */
    const bpc_dated_table *base_rate_table; /* de_basiszinssatz or own_base_rates */
    bpc_dated_table *own_base_rates;        /* the tenant's override; owned, may be NULL */
    de_base_rate *rates;                    /* owned; base_rate_table as de_calc reads it */
    size_t nrates;
    int collection_fee_tenths; /* VV 2300 rate claimed in a first demand, x10 */
    int mahnung_receipt_days;  /* days from posting a letter to its receipt */
    char *supervisor_name;     /* owned, may be NULL */
    char *supervisor_address;  /* owned, may be NULL */
    char *supervisor_contact;  /* owned, may be NULL */
} de_state;

/* How default (Verzug) was established, if it was. */
enum de_verzug_basis {
    DE_VERZUG_NONE = 0,
    DE_VERZUG_CALENDAR = 1, /* § 286 Abs. 2 Nr. 1, 2 BGB: due date fixed by the calendar */
    DE_VERZUG_MAHNUNG = 2,  /* § 286 Abs. 1 BGB: a reminder after the due date */
    DE_VERZUG_30_DAYS = 3,  /* § 286 Abs. 3 BGB: 30 days after due date and invoice */
};

/* The facts of one case, as far as the de rules need them. */
typedef struct de_case {
    baton_date as_of;
    baton_date due_date;
    baton_money principal; /* EUR expected */
    int is_eur;
    int consumer;     /* the debtor is a Verbraucher (§ 13 BGB) */
    int creditor_biz; /* the creditor acts as an Unternehmer */
    int b2b;          /* § 288 Abs. 2 BGB: no consumer on either side */
    int has_contract_rate;
    int32_t contract_bp;
    int statutory; /* claim statutory interest (default 1) */
    int has_from_date;
    baton_date from_date;
    enum de_verzug_basis verzug;
    baton_date verzug_from; /* first day in default, when verzug != NONE */
    int not_yet_due;        /* as_of on or before the due date: no claim yet */
    uint32_t land;          /* region bit of the court's Land; 0 unknown */
    const char *land_code;  /* "BY"..., or NULL */
    const char *land_from;  /* the case member it was read from */
    int disputes_open;      /* disputes not answered */
    int disputes_total;
    enum de_fee_version fees; /* by as_of as the filing date */
} de_case;

/*
 * Reads the case into *c. Returns 0, or BATON_EINVAL when a required item
 * (as_of, claim.principal, claim.due_date) is missing or malformed; why
 * then names it.
 */
int de_case_read(const de_state *st, const baton_view *cv, de_case *c, char *why, size_t whylen);

/* The interest this plugin claims for a case up to as_of, and the basis. */
typedef struct de_claimed_interest {
    int any;                  /* 0: no interest claimed (no default or none wanted) */
    int contractual;          /* 1: the contractual rate was higher and is used */
    int32_t margin_bp;        /* 500 or 900 when statutory */
    int has_now;              /* statutory_bp_now is known */
    int32_t statutory_bp_now; /* statutory rate in force on as_of */
    de_interest calc;
} de_claimed_interest;

/*
 * Computes the interest claimed: statutory default interest (§ 288 Abs. 1
 * or 2 BGB) from the first day of default, or the contractual rate when it
 * yields more (§ 288 Abs. 3 BGB). Returns 0, or BATON_ENOENT when the
 * base-rate table does not reach back to the start.
 */
int de_claimed_interest_compute(const de_state *st, const de_case *c, de_claimed_interest *out);

/* The procedure and court this plugin proposes for a case. */
typedef struct de_route {
    int mahnverfahren;  /* 1: gerichtliches Mahnverfahren first; 0: Klage */
    int amtsgericht;    /* court of the contested proceedings: 1 AG, 0 LG */
    int64_t streitwert; /* cents: the principal (§ 4 Abs. 1 ZPO, § 43 GKG) */
    int64_t ag_limit;   /* § 23 Nr. 1 GVG limit on the filing date */
} de_route;

/* Mahnverfahren unless the claim is not in euro or a dispute is open (then
 * an objection is to be expected and the Klage is the direct way). */
void de_route_decide(const de_case *c, de_route *r);

/* "1.250,00 €" */
void de_fmt_eur(int64_t cents, char *buf, size_t len);
/* "23.11.2026" (buf at least 11 bytes) */
void de_fmt_date(baton_date d, char *buf);
/* "6,27 %" */
void de_fmt_pct(int32_t bp, char *buf, size_t len);

/* Capability tables, defined in their own files. */
extern const baton_filing_rules de_filing_rules;
extern const baton_fee_schedule de_fee_schedule;
extern const baton_letter_formats de_letter_formats;

#endif
