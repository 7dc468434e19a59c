/*
 * nl.h - internals shared by the files of the nl (Netherlands) plugin.
 *
 * Owns: the instance state (the two statutory interest tables, shipped or
 * replaced by the tenant's config), the dated tables (tables.c), the court
 * calendar of the Algemene termijnenwet (calendar.c) and the reading of a
 * case into the figures every capability needs (claim.c). Does not own:
 * anything of the host; the plugin sees the case only through the
 * baton_host_api views. Every symbol here is hidden; only
 * baton_plugin_entry is exported.
 */
#ifndef NL_H
#define NL_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "case_view.h"
#include "court_calendar.h"
#include "dated_table.h"

/* Years the Algemene termijnenwet calendar is built for at init. */
#define NL_CAL_FIRST 2015
#define NL_CAL_LAST  2040
#define NL_CAL_MAX   ((NL_CAL_LAST - NL_CAL_FIRST + 1) * 13)

typedef struct nl_state {
    const baton_host_api *api;
    baton_host *host;
    const bpc_dated_table *statutory;  /* art. 6:119 BW: shipped or the tenant's */
    const bpc_dated_table *commercial; /* art. 6:119a BW */
    bpc_dated_table *owned[2];         /* tables read from the tenant config */
    bpc_holiday days[NL_CAL_MAX];
    bpc_court_calendar atw; /* art. 3 Algemene termijnenwet */
    int post_receipt_days;  /* posting to assumed receipt of a letter */
} nl_state;

/* Largest amount (cents) the plugin computes with: EUR 10 trillion. */
#define NL_MAX_AMOUNT INT64_C(1000000000000000)
/* Largest contract rate accepted: 1000 % a year. */
#define NL_MAX_RATE_BP 100000

/* ---- tables.c: figures with their sources and effective dates ---- */

/* The shipped dated tables: interest rates in basis points (art. 6:119,
 * 6:119a BW) and the griffierecht fee tables (data: the bands). */
extern const bpc_dated_table nl_statutory_rate;
extern const bpc_dated_table nl_commercial_rate;
extern const bpc_dated_table nl_griffierecht;

/*
 * Buitengerechtelijke incassokosten for a hoofdsom (art. 2 Besluit
 * vergoeding voor buitengerechtelijke incassokosten): the staffel, then the
 * minimum and maximum. *staffel receives the staffel amount before the
 * minimum and maximum. Cents, rounded half-up to the cent.
 */
int64_t nl_bik(int64_t hoofdsom, int64_t *staffel);

/* Claimant categories of the Wet griffierechten burgerlijke zaken. */
enum nl_party {
    NL_PARTY_LEGAL_ENTITY = 0,   /* niet-natuurlijke persoon */
    NL_PARTY_NATURAL_PERSON = 1, /* natuurlijke persoon */
    NL_PARTY_UNABLE_TO_PAY = 2,  /* on- en minvermogende */
};

typedef struct nl_court_fee {
    int64_t fee;             /* cents */
    const char *band;        /* "meer dan EUR 500 en niet meer dan EUR 1.500" */
    const char *table;       /* "Wgbz tabel kanton 2024"; NULL before the first table */
    const char *not_shipped; /* why the year's table is not shipped, or NULL */
    int found;               /* 0: no fee (before the first table, or not_shipped) */
} nl_court_fee;

/* The court fee for a claim of value cents filed on date at the
 * kantonrechter (kanton 1) or the rechtbank, civiel (kanton 0). */
void nl_griffierecht_for(baton_date filed, int kanton, enum nl_party party, int64_t value,
                         nl_court_fee *out);

/* Art. 93 sub a Rv: the kantonrechter hears money claims up to this. */
#define NL_KANTON_LIMIT INT64_C(2500000)

/* ---- calendar.c: the Algemene termijnenwet ---- */

/* Builds st->atw, the art. 3 Atw holidays of NL_CAL_FIRST..NL_CAL_LAST. */
void nl_calendar_build(nl_state *st);
/* Easter Sunday of year (Gregorian computus). */
baton_date nl_easter(int32_t year);
/* The rule that extends a statutory period ending on a closed day. */
#define NL_ATW_RULE "art. 1 lid 1 Algemene termijnenwet"

/* ---- claim.c: what the case says, read once ---- */

typedef struct nl_interest {
    int claimed;
    int unusable; /* rate or amount out of range: not computed */
    int missing;  /* the period starts before the table */
    int contractual;
    int commercial; /* art. 6:119a BW */
    int64_t contract_bp;
    const char *basis;
    const bpc_dated_table *table;
    baton_date from;
    int64_t days;
    int64_t amount;      /* cents */
    int64_t capitalised; /* interest added to the base at year ends */
    int years_compounded;
    int beyond_horizon; /* as_of after the table's known period */
} nl_interest;

typedef struct nl_term {
    int sent;              /* a fourteen_day_letter after the due date */
    int early;             /* one exists, but sent on or before the due date */
    baton_date letter;     /* the latest qualifying letter */
    baton_date receipt;    /* assumed receipt */
    bpc_deadline end;      /* last day of the fourteen days, moved by art. 1 Atw */
    baton_date costs_from; /* first day the costs are due */
} nl_term;

typedef struct nl_claim {
    baton_date as_of;
    baton_date due;
    int64_t principal; /* hoofdsom, cents EUR */
    int64_t charges;
    int consumer; /* debtor is a natural person not acting for a business */
    int creditor_natural;
    int creditor_unable_to_pay;
    int consumer_sale;   /* art. 7:28 BW */
    int consumer_credit; /* art. 93 sub c Rv */
    int vat_not_deductible;
    nl_interest interest;
    nl_term term;
    int costs_due; /* BIK may be claimed on as_of */
    int64_t bik_staffel;
    int64_t bik; /* before VAT */
    int64_t bik_vat;
    int64_t value; /* claim value: principal + charges + BIK + interest */
} nl_claim;

int nl_claim_read(const nl_state *st, const baton_view *v, nl_claim *c, char *why, size_t whylen);

typedef struct nl_limitation {
    int years;
    const char *basis;
    baton_date opeisbaar; /* day after the due date */
    baton_date deadline;  /* last day before the claim is time-barred */
    baton_date last_interruption;
    int interrupted;
    int time_barred;
    int64_t days_left;
} nl_limitation;

void nl_limitation_compute(const nl_state *st, const baton_view *v, const nl_claim *c,
                           nl_limitation *out);

/* ---- text helpers (claim.c); case reads are plugins/common/case_view.h ---- */

/* "€ 1.234,56" into buf. */
void nl_eur(int64_t cents, char *buf, size_t len);
/* "2 januari 2026" into buf. */
void nl_long_date(baton_date d, char *buf, size_t len);

/* ---- capabilities ---- */

int nl_filing_rules(void *state, const baton_view *v, baton_result *out);
int nl_fees(void *state, const baton_view *v, baton_result *out);
int nl_render(void *state, const char *kind, const baton_view *v, baton_letter *out);

#endif
