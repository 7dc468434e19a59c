/*
 * interest.c - interest a creditor may claim in England & Wales, and the
 * fixed compensation for late payment between businesses.
 *
 * Owns: which interest applies to a case, its rate, its period and its
 * amount up to the evaluation date. Does not own: the Bank Rate history
 * (params.c, overridable per tenant in plugin.c) or how the amounts are
 * reported (charges.c).
 *
 * Rules, in order of precedence:
 *
 * 1. A contractual rate (claim.interest.contractual_rate_bp) is used when
 *    the case has one. Between businesses it displaces statutory interest
 *    when it is a substantial remedy (Late Payment of Commercial Debts
 *    (Interest) Act 1998, ss.8-9); the plugin assumes it is.
 * 2. Business to business (creditor a business, debtor not a consumer):
 *    statutory interest under the 1998 Act at 8 % over the official dealing
 *    rate (Bank Rate) in force on the 31 December (interest starting to run
 *    from 1 January to 30 June) or 30 June (from 1 July to 31 December)
 *    immediately before the day statutory interest starts to run (Late
 *    Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002,
 *    S.I. 2002/1675); the rate then stays fixed for the debt. Plus the
 *    fixed sum of s.5A.
 * 3. Otherwise: simple interest at 8 % a year, the rate the county court
 *    awards under s.69 County Courts Act 1984 (the Judgments Act 1838 rate,
 *    Judgment Debts (Rate of Interest) Order 1993).
 *
 * Interest runs from the day after the due date (s.4(2) of the 1998 Act;
 * for s.69, from the day the cause of action arose) to the evaluation date
 * inclusive, simple, on a 365-day year (leap years included: a day is
 * always 1/365 of the annual rate). Rounding: the exact total is truncated
 * to the penny once (baton_muldiv_floor) and never per day or per period.
 */
#include <string.h>

#include "gb_ew.h"

#define S69_RATE_BP            800
#define LATE_PAYMENT_MARGIN_BP 800

int64_t gbew_simple_interest(int64_t principal_minor, int32_t rate_bp, int64_t days)
{
    if (days <= 0 || rate_bp <= 0 || principal_minor <= 0)
        return 0;
    /* principal * rate_bp * days / (10000 * 365), all in one 128-bit step. */
    return baton_muldiv_floor(principal_minor, (int64_t)rate_bp * days, 10000 * 365);
}

baton_date gbew_reference_date(baton_date start)
{
    baton_date r;
    if (start.month <= 6) {
        r.year = start.year - 1;
        r.month = 12;
        r.day = 31;
    } else {
        r.year = start.year;
        r.month = 6;
        r.day = 30;
    }
    return r;
}

int gbew_base_rate_on(const bpc_dated_table *rates, baton_date d, int32_t *bp)
{
    const bpc_dated_value *v;
    int rc = bpc_dated_lookup(rates, d, &v);
    if (rc >= 0)
        *bp = (int32_t)v->value;
    return rc;
}

int64_t gbew_fixed_compensation(int64_t debt_minor)
{
    /* s.5A(2) Late Payment of Commercial Debts (Interest) Act 1998. */
    if (debt_minor < 100000)
        return 4000;
    if (debt_minor < 1000000)
        return 7000;
    return 10000;
}

int gbew_interest_for(const gbew_state *st, const baton_view *v, const gbew_case *c,
                      gbew_interest *out)
{
    const baton_host_api *api = st->api;
    int64_t rate = -1, from_day;
    int statutory = 1;
    int rc;

    memset(out, 0, sizeof *out);
    out->kind = GBEW_INTEREST_NONE;
    /* The day after the due date, kept as a day number too: the days
     * count from it without converting it back. */
    from_day = baton_date_to_days(c->due) + 1;
    out->from = baton_days_to_date(from_day);
    if (api->view_type(v, "claim.interest.from_date") == BATON_VIEW_STRING) {
        rc = api->view_date(v, "claim.interest.from_date", &out->from);
        if (rc != 0)
            return rc;
        from_day = baton_date_to_days(out->from);
    }
    out->days = baton_date_to_days(c->as_of) - from_day + 1;
    if (out->days < 0)
        out->days = 0;

    if (api->view_type(v, "claim.interest.contractual_rate_bp") == BATON_VIEW_INT) {
        rc = api->view_int(v, "claim.interest.contractual_rate_bp", &rate);
        if (rc != 0 || rate < 0 || rate > 100000)
            return BATON_EINVAL;
    }
    if (api->view_type(v, "claim.interest.statutory") == BATON_VIEW_BOOL)
        api->view_bool(v, "claim.interest.statutory", &statutory);

    if (rate >= 0) {
        out->kind = GBEW_INTEREST_CONTRACTUAL;
        out->rate_bp = (int32_t)rate;
        out->basis = "contractual rate (claim.interest.contractual_rate_bp)";
    } else if (!statutory) {
        return 0;
    } else if (c->b2b) {
        out->reference = gbew_reference_date(out->from);
        rc = gbew_base_rate_on(st->bank_rate, out->reference, &out->base_bp);
        if (rc < 0)
            return rc;
        out->rate_beyond_horizon = rc == BPC_BEYOND_HORIZON;
        out->kind = GBEW_INTEREST_LATE_PAYMENT;
        out->rate_bp = out->base_bp + LATE_PAYMENT_MARGIN_BP;
        out->basis = "Late Payment of Commercial Debts (Interest) Act 1998 ss.1, 4, 6; "
                     "S.I. 2002/1675 (reference rate + 8%)";
        /* s.5A(1): the fixed sum is due once statutory interest begins to
         * run, not before. */
        if (out->days > 0)
            out->compensation_minor = gbew_fixed_compensation(c->principal.minor);
    } else {
        out->kind = GBEW_INTEREST_S69;
        out->rate_bp = S69_RATE_BP;
        out->basis = "County Courts Act 1984 s.69 (8% simple)";
    }
    out->amount_minor = gbew_simple_interest(c->principal.minor, out->rate_bp, out->days);
    /* Daily accrual in hundredths of a penny, truncated: for statements only. */
    out->daily_minor_x100 = baton_muldiv_floor(c->principal.minor, out->rate_bp, 36500);
    return 0;
}
