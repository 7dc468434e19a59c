/*
 * fees.c - the county court issue fee for a money claim in England & Wales.
 *
 * Owns: the versions of fee 1.1 of Schedule 1 to the Civil Proceedings Fees
 * Order 2008 (S.I. 2008/1053) and the choice between them by filing date.
 * Does not own: the claim value (the caller adds interest to the principal,
 * as the note to fee 1.1 requires) or any other fee of the Order.
 *
 * Each version is data: a list of bands, each "does not exceed" an upper
 * limit (inclusive, in pence) and charging either a fixed fee or a
 * percentage of the claim value. The Order says "5% of the value of the
 * claim" and HMCTS (gov.uk, "Make a court claim for money: court fees")
 * rounds that down to the penny, so percentage bands use
 * baton_percent_bp_floor.
 *
 * Versions carried (newest last):
 *
 * 1. From 22 April 2014: Civil Proceedings Fees (Amendment) Order 2014,
 *    S.I. 2014/874, Schedule (fees for paper claims issued at court).
 *    Bands as in the Order's Schedule and in HMCTS's April 2014 fee list,
 *    as reproduced by practitioners at the time (e.g. Ellis Jones, "Court
 *    Fee Increases 2014 - A Comparative View", 22 April 2014).
 *
 * 2. From 9 March 2015: Civil Proceedings and Family Proceedings Fees
 *    (Amendment) Order 2015, S.I. 2015/576, art. 2(3), which substituted
 *    fee 1.1: £35 / £50 / £70 / £80 / £115 / £205 / £455, then 5 % of the
 *    value of the claim up to £200,000, then £10,000 (text at
 *    https://www.legislation.gov.uk/uksi/2015/576/article/2/made).
 *
 * The fee uplifts of 1 May 2024 (S.I. 2024/476) and of 8 April 2025 (the
 * Court and Tribunal Fees (Miscellaneous Amendments) Order 2025, S.I.
 * 2025/351: +3.2 % on fees raised in 2024, +13.5 % on selected others)
 * changed selected fees (possession claims £355 -> £391 -> £404, hearing
 * fees, applications). Neither changed fee 1.1 as far as the sources
 * consulted show: the gov.uk fee page for money claims still lists the
 * 2015 figures after them. So no third version is carried; a
 * later change is one more table below with its start date.
 */
#include <stdint.h>

#include "gb_ew.h"

enum band_kind { BAND_FIXED = 1, BAND_PERCENT_FLOOR = 2 };

typedef struct fee_band {
    int64_t upper_minor; /* "does not exceed"; INT64_MAX for "exceeds ... or not limited" */
    enum band_kind kind;
    int64_t value; /* pence for BAND_FIXED, basis points for BAND_PERCENT_FLOOR */
} fee_band;

typedef struct fee_table {
    baton_date from; /* first filing day the table applies to */
    const char *basis;
    const fee_band *bands;
    size_t n_bands;
} fee_table;

#define POUNDS(p) ((int64_t)(p)*100)

/* S.I. 2014/874, Sch. 1 fee 1.1(a)-(n), in force 22 April 2014. */
static const fee_band bands_2014[] = {
    {POUNDS(300), BAND_FIXED, POUNDS(35)},      {POUNDS(500), BAND_FIXED, POUNDS(50)},
    {POUNDS(1000), BAND_FIXED, POUNDS(70)},     {POUNDS(1500), BAND_FIXED, POUNDS(80)},
    {POUNDS(3000), BAND_FIXED, POUNDS(115)},    {POUNDS(5000), BAND_FIXED, POUNDS(205)},
    {POUNDS(15000), BAND_FIXED, POUNDS(455)},   {POUNDS(50000), BAND_FIXED, POUNDS(610)},
    {POUNDS(100000), BAND_FIXED, POUNDS(910)},  {POUNDS(150000), BAND_FIXED, POUNDS(1115)},
    {POUNDS(200000), BAND_FIXED, POUNDS(1315)}, {POUNDS(250000), BAND_FIXED, POUNDS(1515)},
    {POUNDS(300000), BAND_FIXED, POUNDS(1720)}, {INT64_MAX, BAND_FIXED, POUNDS(1920)},
};

/* S.I. 2015/576 art. 2(3): CPFO 2008 Sch. 1 fee 1.1(a)-(i), in force 9 March 2015. */
static const fee_band bands_2015[] = {
    {POUNDS(300), BAND_FIXED, POUNDS(35)},    {POUNDS(500), BAND_FIXED, POUNDS(50)},
    {POUNDS(1000), BAND_FIXED, POUNDS(70)},   {POUNDS(1500), BAND_FIXED, POUNDS(80)},
    {POUNDS(3000), BAND_FIXED, POUNDS(115)},  {POUNDS(5000), BAND_FIXED, POUNDS(205)},
    {POUNDS(10000), BAND_FIXED, POUNDS(455)}, {POUNDS(200000), BAND_PERCENT_FLOOR, 500},
    {INT64_MAX, BAND_FIXED, POUNDS(10000)},
};

static const fee_table tables[] = {
    {{2014, 4, 22},
     "Civil Proceedings Fees Order 2008 Sch. 1 fee 1.1, as substituted by S.I. 2014/874 "
     "(from 22 April 2014)",
     bands_2014,
     sizeof bands_2014 / sizeof bands_2014[0]},
    {{2015, 3, 9},
     "Civil Proceedings Fees Order 2008 Sch. 1 fee 1.1, as substituted by S.I. 2015/576 "
     "(from 9 March 2015)",
     bands_2015,
     sizeof bands_2015 / sizeof bands_2015[0]},
};

int gbew_issue_fee(int64_t claim_minor, baton_date filing_date, int64_t *fee_minor,
                   const char **basis)
{
    const fee_table *t = NULL;
    size_t i;

    if (claim_minor <= 0)
        return BATON_EINVAL;
    for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        if (baton_date_cmp(tables[i].from, filing_date) <= 0)
            t = &tables[i];
    }
    if (t == NULL)
        return BATON_ERANGE;
    for (i = 0; i < t->n_bands; i++) {
        const fee_band *b = &t->bands[i];
        if (claim_minor > b->upper_minor)
            continue;
        if (b->kind == BAND_FIXED)
            *fee_minor = b->value;
        else
            *fee_minor = baton_percent_bp_floor(claim_minor, b->value);
        *basis = t->basis;
        return 0;
    }
    return BATON_ERANGE; /* unreachable: the last band is unbounded */
}
