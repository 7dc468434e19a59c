/*
 * claim.c - reading a case into the figures the us-ca capabilities share:
 * the demand, prejudgment interest and the limitation deadline.
 *
 * Owns: interest (Civil Code 3287(a), 3289; Cal. Const. art. XV, sec. 1)
 * and limitation (CCP 337, 339, 360) arithmetic, and the small view and
 * formatting helpers. Does not own: findings or line items (rules.c,
 * fees.c), which report what is computed here.
 */
#include <string.h>

#include "case_view.h"
#include "baton/plugin_text.h"
#include "us_ca.h"
#include "text_format.h"

const char *usca_str(const usca_state *st, const baton_view *v, const char *path, const char *dflt)
{
    const char *s = NULL;
    if (st->api->view_string(v, path, &s) != 0 || s == NULL)
        return dflt;
    return s;
}

int usca_date(const usca_state *st, const baton_view *v, const char *path, baton_date *out)
{
    return st->api->view_date(v, path, out);
}

int usca_bool(const usca_state *st, const baton_view *v, const char *path, int dflt)
{
    int b;
    if (st->api->view_bool(v, path, &b) != 0)
        return dflt;
    return b != 0;
}

int64_t usca_int(const usca_state *st, const baton_view *v, const char *path, int64_t dflt)
{
    int64_t i;
    if (st->api->view_int(v, path, &i) != 0)
        return dflt;
    return i;
}

void usca_usd(int64_t cents, char *buf, size_t len)
{
    baton_money_text(baton_money_make(cents, "USD"), "en-US", buf, len);
}

void usca_iso(baton_date d, char *buf)
{
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u;
    unsigned day = (unsigned)d.day % 100u;
    bpc_format(buf, 11, "%04u-%02u-%02u", y, m, day);
}

void usca_long_date(baton_date d, char *buf, size_t len)
{
    baton_date_words(d, "en-US", buf, len);
}

/* Civil Code 3289(b) applies to contracts entered into after this date. */
static const baton_date cc3289_cutoff = {1986, 1, 1};

static void compute_interest(const usca_state *st, const baton_view *v, usca_claim *c)
{
    int64_t bp = -1;

    c->interest_claimed = 0;
    c->interest = 0;
    c->interest_days = 0;
    c->rate_bp = 0;
    c->contractual = 0;
    c->rate_basis = NULL;

    /* Civil Code 3289(a): a rate stipulated by the contract stays chargeable
     * after breach. */
    if (st->api->view_type(v, "claim.interest.contractual_rate_bp") == BATON_VIEW_INT)
        bp = usca_int(st, v, "claim.interest.contractual_rate_bp", -1);
    if (bp > USCA_MAX_RATE_BP) {
        c->rate_unusable = 1;
        return;
    }
    if (bp >= 0) {
        c->contractual = 1;
        c->rate_bp = bp;
        c->rate_basis = "Civil Code 3289(a) (contract rate)";
    } else if (usca_bool(st, v, "claim.interest.statutory", 1)) {
        if (c->has_contract_date && baton_date_cmp(c->contract_date, cc3289_cutoff) <= 0) {
            /* Contracts of 1986-01-01 or earlier: the constitutional legal
             * rate of 7 % (Cal. Const. art. XV, sec. 1). */
            c->rate_bp = 700;
            c->rate_basis = "Cal. Const. art. XV, sec. 1 (contract made on or before "
                            "1986-01-01)";
        } else {
            /* Civil Code 3289(b): 10 % a year after a breach. */
            c->rate_bp = 1000;
            c->rate_basis = "Civil Code 3289(b)";
        }
    } else {
        return;
    }

    /* Civil Code 3287(a): interest from the day the right to the sum vested,
     * which is the day after the due date unless the case names another. */
    if (usca_date(st, v, "claim.interest.from_date", &c->interest_from) != 0)
        c->interest_from = baton_date_add_days(c->due, 1);
    c->interest_claimed = 1;
    if (baton_date_cmp(c->as_of, c->interest_from) >= 0)
        c->interest_days = baton_date_diff(c->interest_from, c->as_of) + 1;
    /*
     * Simple interest on the principal, accruing daily on a 365-day year
     * (also in leap years), rounded once at the end half-up to the cent:
     *   interest = principal * rate_bp * days / (10000 * 365)
     */
    int64_t simple, rem;
    if (baton_i128_divmod(
            baton_i128_mul64(baton_i128_mul(c->principal.minor, c->rate_bp), c->interest_days),
            INT64_C(10000) * 365, &simple, &rem) != 0 ||
        simple > USCA_MAX_AMOUNT) {
        c->interest_claimed = 0;
        c->rate_unusable = 1;
        c->interest_days = 0;
        return;
    }
    c->interest = baton_muldiv_half_up(c->principal.minor, c->rate_bp * c->interest_days,
                                       INT64_C(10000) * 365);
}

int usca_claim_read(const usca_state *st, const baton_view *v, usca_claim *c, char *why,
                    size_t whylen)
{
    const char *kind, *ckind;
    size_t n = 0;

    memset(c, 0, sizeof *c);
    if (usca_date(st, v, "as_of", &c->as_of) != 0) {
        bpc_format(why, whylen, "the case has no evaluation date (as_of)");
        return BATON_EINVAL;
    }
    if (st->api->view_money(v, "claim.principal", &c->principal) != 0) {
        bpc_format(why, whylen, "claim.principal is missing or malformed");
        return BATON_EINVAL;
    }
    if (strcmp(c->principal.currency, "USD") != 0) {
        bpc_format(why, whylen, "a California claim must be stated in USD, not %s",
                   c->principal.currency);
        return BATON_EINVAL;
    }
    if (c->principal.minor < 0 || c->principal.minor > USCA_MAX_AMOUNT) {
        bpc_format(why, whylen, "claim.principal is negative or above $10 trillion");
        return BATON_EINVAL;
    }
    if (usca_date(st, v, "claim.due_date", &c->due) != 0) {
        bpc_format(why, whylen, "claim.due_date is missing or malformed");
        return BATON_EINVAL;
    }
    if (c->due.year > 9000 || c->as_of.year > 9000) {
        bpc_format(why, whylen, "dates after the year 9000 are not evaluated");
        return BATON_EINVAL;
    }
    if (baton_date_cmp(c->as_of, usca_tables_first_date()) < 0) {
        bpc_format(why, whylen, "the plugin covers evaluation dates from 2021-01-01 on");
        return BATON_EINVAL;
    }
    c->contract_type = usca_str(st, v, "claim.contract_type", "written");
    c->has_contract_date = usca_date(st, v, "claim.contract_date", &c->contract_date) == 0;
    /* A sole proprietor is a natural person for CCP 116.221 (the business
     * is not a separate legal entity). */
    ckind = usca_str(st, v, "creditor.kind", "business");
    c->creditor_natural = strcmp(ckind, "individual") == 0 || strcmp(ckind, "sole_trader") == 0;
    kind = usca_str(st, v, "debtor.kind", "individual");
    c->consumer = usca_bool(st, v, "debtor.consumer", strcmp(kind, "individual") == 0);
    c->assigned = st->api->view_count(v, "assignments", &n) == 0 && n > 0;

    if (st->api->view_count(v, "claim.charges", &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char path[64];
            baton_money m;
            BPC_PATH_AT(path, sizeof path, "claim.charges", i, ".amount");
            if (st->api->view_money(v, path, &m) != 0 || strcmp(m.currency, "USD") != 0 ||
                m.minor <= 0)
                continue;
            if (m.minor > USCA_MAX_AMOUNT - c->charges) {
                bpc_format(why, whylen, "claim.charges add up to more than $10 trillion");
                return BATON_EINVAL;
            }
            c->charges += m.minor;
        }
    }

    compute_interest(st, v, c);
    c->demand = c->principal.minor + c->charges + c->interest;
    c->amount_in_controversy = c->principal.minor + c->charges;
    return 0;
}

void usca_limitation_compute(const usca_state *st, const baton_view *v, const usca_claim *c,
                             usca_limitation *out)
{
    baton_date ack;

    memset(out, 0, sizeof *out);
    if (strcmp(c->contract_type, "oral") == 0) {
        /* CCP 339(1): contract not founded upon an instrument of writing. */
        out->years = 2;
        out->basis = "CCP 339(1)";
    } else if (strcmp(c->contract_type, "open_account") == 0) {
        /* CCP 337(b): book account, account stated, open current account. */
        out->years = 4;
        out->basis = "CCP 337(b)";
    } else {
        /* CCP 337(a): contract founded upon an instrument in writing. */
        out->years = 4;
        out->basis = "CCP 337(a)";
    }

    /* The cause of action for non-payment accrues the day after the due
     * date; the period is counted from there excluding the first day and
     * including the last (CCP 12), so the last day to file is the
     * anniversary of the accrual date, moved to the next court day when it
     * is a holiday (CCP 12a, below). */
    out->accrual = baton_date_add_days(c->due, 1);
    out->start = out->accrual;
    out->deadline = baton_date_add_years(out->accrual, out->years);

    if (usca_date(st, v, "claim.acknowledged_date", &ack) == 0 &&
        baton_date_cmp(ack, out->accrual) >= 0) {
        if (out->years == 4) {
            /* CCP 337(d) (AB 1526, Stats. 2018, ch. 247): the four-year
             * period may only be extended under CCP 360.5 (a signed written
             * waiver), so an acknowledgment is not counted. */
            out->ack_ignored = 1;
        } else if (baton_date_cmp(ack, out->deadline) <= 0) {
            /* CCP 360: a written acknowledgment signed by the debtor, given
             * while the claim was alive, starts a new period from its date. */
            out->start = ack;
            out->deadline = baton_date_add_years(ack, out->years);
            out->restarted = 1;
        } else {
            /* Given after the bar: whether it revives the debt is a legal
             * question the plugin does not decide. */
            out->ack_ignored = 1;
        }
    }
    /* CCP 12, 12a: a last day that is a judicial holiday or a Saturday or
     * Sunday extends the period to the next court day. A walk that fails
     * (a broken table) leaves the deadline unmoved, never later. */
    if (bpc_deadline_move(&usca_court_calendar, out->deadline, 0, USCA_RULE_12A, &out->moved) !=
        0) {
        memset(&out->moved, 0, sizeof out->moved);
        out->moved.unmoved = out->moved.date = out->deadline;
    }
    out->deadline = out->moved.date;
    out->days_left = baton_date_diff(c->as_of, out->deadline);
    out->time_barred = baton_date_cmp(c->as_of, out->deadline) > 0;
}

void usca_route_compute(const usca_state *st, const baton_view *v, const usca_claim *c,
                        usca_route *out)
{
    int64_t over_2500;

    memset(out, 0, sizeof *out);
    out->small_claims_limit = usca_small_claims_limit(st, c->as_of, c->creditor_natural);
    out->limited_limit = usca_limited_civil_limit(st, c->as_of);
    out->filed_12_months = usca_int(st, v, "creditor.small_claims_filed_12_months", -1);
    out->over_limit = c->demand > out->small_claims_limit;
    out->assignee = c->assigned;
    if (c->demand > USCA_116_231_THRESHOLD) {
        over_2500 = usca_int(st, v, "ext.us-ca.small_claims_over_2500_this_year", -1);
        if (over_2500 < 0)
            out->over_2500_unknown = 1;
        else if (over_2500 >= 2)
            out->over_2500_barred = 1;
    }
    if (!out->over_limit && !out->assignee && !out->over_2500_barred)
        out->track = USCA_SMALL_CLAIMS;
    else if (c->amount_in_controversy <= out->limited_limit)
        out->track = USCA_LIMITED_CIVIL;
    else
        out->track = USCA_UNLIMITED_CIVIL;
}
