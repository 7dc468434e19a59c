/*
 * de_calc.h - date and interest arithmetic of German law as pure functions:
 * default interest under § 288 BGB over a table of Basiszinssätze (§ 247
 * BGB), the regular limitation period (§§ 195, 199, 212 BGB) with the end
 * of a period moved off weekends and nationwide public holidays (§ 193 BGB).
 *
 * Does not own: where the base rates come from (the plugin's config, read
 * in de_plugin.c) or how results are reported (de_fees.c, de_filing.c).
 * Nothing here calls the host.
 */
#ifndef DE_CALC_H
#define DE_CALC_H

#include <stddef.h>
#include <stdint.h>

#include "baton/date.h"

/* One Basiszinssatz, valid from from (inclusive) until the next entry. */
typedef struct de_base_rate {
    baton_date from;
    int32_t bp; /* basis points; may be negative (-88 = -0.88 %) */
} de_base_rate;

/*
 * Checks a base-rate table: at least one entry, strictly ascending dates,
 * each on 1 January or 1 July (§ 247 Abs. 1 S. 2 BGB). Returns 0 or
 * BATON_EINVAL.
 */
int de_base_rates_check(const de_base_rate *t, size_t n);

/* The rate in force on d; BATON_ENOENT when d is before the first entry. */
int de_base_rate_at(const de_base_rate *t, size_t n, baton_date d, int32_t *bp);

/* The interest owed on one stretch of days at one annual rate. */
typedef struct de_interest_segment {
    baton_date from, to; /* both inclusive */
    int64_t days;
    int32_t rate_bp; /* annual rate applied */
} de_interest_segment;

/* Up to this many segments are reported (a period longer than ~30 years is
 * still computed, the later segments are just not listed). */
#define DE_MAX_SEGMENTS 64

typedef struct de_interest {
    int64_t amount; /* cents, rounded once: half-up to the cent */
    int64_t days;   /* days in the whole period */
    size_t nseg;
    de_interest_segment seg[DE_MAX_SEGMENTS];
} de_interest;

/*
 * Simple interest on principal (cents) for every day from `from` to `to`
 * (both inclusive). When use_fixed is non-zero the rate is fixed_bp
 * throughout (a contractual rate); otherwise it is the base
 * rate of each day plus margin_bp (§ 288 Abs. 1 S. 2: 500, Abs. 2: 900),
 * split where the base rate changes.
 *
 * Day count: actual days / 365 (every year counts as 365 days, leap years
 * included). Rounding: the exact sum over all segments
 * (principal * rate_bp * days / (10000 * 365)) is rounded once, half-up to
 * the cent.
 *
 * Returns 0; BATON_EINVAL when to < from or principal < 0; BATON_ENOENT
 * when the period starts before the first base rate; BATON_ERANGE when the
 * interest does not fit int64 cents.
 */
int de_interest_compute(const de_base_rate *t, size_t n, int64_t principal, baton_date from,
                        baton_date to, int use_fixed, int32_t fixed_bp, int32_t margin_bp,
                        de_interest *out);

/* Easter Sunday of year y (Gregorian computus). */
baton_date de_easter(int32_t y);

/* 1 when d is a Saturday, Sunday or a public holiday in every German Land
 * (Neujahr, Karfreitag, Ostermontag, 1. Mai, Christi Himmelfahrt,
 * Pfingstmontag, 3. Oktober, 25./26. Dezember). */
int de_is_non_working_day(baton_date d);

/* § 193 BGB: the last day of a period moved to the next working day. */
baton_date de_period_end(baton_date d);

/*
 * The limitation deadline (last day on which proceedings stop the period)
 * of a claim that became due on due_date: § 199 Abs. 1 BGB starts the
 * three-year period of § 195 at the end of the year in which the claim
 * arose, so it ends on 31 December three years later. Each act in restarts
 * (acknowledgment or part payment, § 212 Abs. 1 Nr. 1 BGB; zero dates are
 * ignored) that falls on or before the deadline then in force starts a new
 * three-year period from the act (§§ 187 Abs. 1, 188 Abs. 2 BGB); the later
 * end wins. Finally § 193 BGB moves the end off a non-working day.
 *
 * *basis_end gets the unmoved end of the governing period (for the text).
 */
baton_date de_limitation_deadline(baton_date due_date, const baton_date *restarts, size_t nrestarts,
                                  baton_date *basis_end);

#endif
