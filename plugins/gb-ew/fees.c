/*
 * fees.c - the county court issue fee for a money claim in England & Wales.
 *
 * Owns: the versions of fee 1.1 of Schedule 1 to the Civil Proceedings Fees
 * Order 2008 (S.I. 2008/1053) and the choice between them by filing date.
 * Does not own: the claim value (the caller adds interest to the principal,
 * as the note to fee 1.1 requires) or any other fee of the Order.
 *
 * The versions are data (the issue_fee dated table of params.c): each a list of bands, each "does
 * not exceed" an upper limit (inclusive, in pence) and charging either a fixed fee or a percentage
 * of the claim value. The Order says "5% of the value of the claim" and HMCTS (gov.uk, "Make a
 * court claim for money: court fees") rounds that down to the penny, so percentage bands use
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
 * later change is one more value of the table in params.c with its start
 * date.
 */
#include <stdint.h>

#include "gb_ew.h"

int gbew_issue_fee(int64_t claim_minor, baton_date filing_date, int64_t *fee_minor,
                   const char **basis)
{
    return gbew_issue_fee_in(&gbew_issue_fee_table, claim_minor, filing_date, fee_minor, basis);
}

int gbew_issue_fee_in(const bpc_dated_table *table, int64_t claim_minor, baton_date filing_date,
                      int64_t *fee_minor, const char **basis)
{
    const bpc_dated_value *v;
    const gbew_fee_table *t;

    if (claim_minor <= 0)
        return BATON_EINVAL;
    if (bpc_dated_lookup(table, filing_date, &v) < 0)
        return BATON_ERANGE;
    t = v->data;
    for (size_t i = 0; i < t->n_bands; i++) {
        const gbew_fee_band *b = &t->bands[i];
        if (claim_minor > b->upper_minor)
            continue;
        if (b->kind == GBEW_BAND_FIXED)
            *fee_minor = b->value;
        else
            *fee_minor = baton_percent_bp_floor(claim_minor, b->value);
        *basis = t->basis;
        return 0;
    }
    return BATON_ERANGE; /* unreachable: the last band is unbounded */
}
