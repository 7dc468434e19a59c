/*
 * claim.c - reading a case into the figures the us-ny capabilities share:
 * interest to the evaluation date (CPLR 5001, 5004), limitation (CPLR
 * 213(2), 214-i; GCL §§ 20, 25-a) and the route (small claims, commercial
 * claims, Civil Court, Supreme Court).
 *
 * Owns: that arithmetic and the small view and formatting helpers. Does not
 * own: findings or line items (rules.c, fees.c) or figures (params.c).
 */
#include <ctype.h>
#include <string.h>

#include "case_view.h"
#include "baton/plugin_text.h"
#include "us_ny.h"
#include "text_format.h"

void usny_usd(int64_t cents, char *buf, size_t len)
{
    baton_money_text(baton_money_make(cents, "USD"), "en-US", buf, len);
}

void usny_long_date(baton_date d, char *buf, size_t len)
{
    baton_date_words(d, "en-US", buf, len);
}

/*
 * CPLR 5001(a): interest on a sum awarded for breach of contract is
 * recovered as of right from the earliest ascertainable date (the day after
 * the due date), at the CPLR 5004 rate: 9 % a year, or 2 % in an action on
 * a consumer debt against a natural person (from 2022-04-30). A rate the
 * contract fixes governs until judgment instead. Simple interest, actual
 * days / 365, rounded once half-up to the cent.
 */
static void compute_interest(const usny_state *st, const baton_view *v, usny_claim *c)
{
    int64_t bp = -1;

    c->interest_claimed = 0;
    if (st->api->view_type(v, "claim.interest.contractual_rate_bp") == BATON_VIEW_INT)
        bp = bpc_int(st->api, v, "claim.interest.contractual_rate_bp", -1);
    if (bp > USNY_MAX_RATE_BP) {
        c->rate_unusable = 1;
        return;
    }
    if (bp >= 0) {
        c->contractual = 1;
        c->contract_bp = bp;
        c->rate_basis = "contract rate (CPLR 5001(a), 5004(a) 'except where otherwise provided')";
    } else if (bpc_bool(st->api, v, "claim.interest.statutory", 1)) {
        c->rate_basis = c->consumer ? "CPLR 5001(a), 5004(a) (consumer debt: 2 % from 2022-04-30)"
                                    : "CPLR 5001(a), 5004(a) (9 %)";
    } else {
        return;
    }
    if (st->api->view_date(v, "claim.interest.from_date", &c->interest_from) != 0)
        c->interest_from = baton_date_add_days(c->due, 1);
    c->interest_claimed = 1;
    if (baton_date_cmp(c->as_of, c->interest_from) < 0)
        return;
    c->interest_days = baton_date_diff(c->interest_from, c->as_of) + 1;

    baton_i128 num = baton_i128_of(0);
    if (c->contractual) {
        num = baton_i128_mul64(baton_i128_mul(c->principal, c->contract_bp), c->interest_days);
    } else if (!c->consumer) {
        num = baton_i128_mul64(baton_i128_mul(c->principal, 900), c->interest_days);
    } else {
        /* split where the consumer rate changed */
        baton_date seg = c->interest_from;
        while (baton_date_cmp(seg, c->as_of) <= 0) {
            const bpc_dated_value *val;
            baton_date seg_end = c->as_of;
            int64_t rate = 900;
            if (bpc_dated_lookup(&usny_judgment_rate_consumer, seg, &val) >= 0)
                rate = val->value;
            for (size_t i = 0; i < usny_judgment_rate_consumer.n; i++) {
                baton_date f = usny_judgment_rate_consumer.values[i].from;
                if (baton_date_cmp(f, seg) > 0 && baton_date_cmp(f, seg_end) <= 0) {
                    seg_end = baton_date_add_days(f, -1);
                    break;
                }
            }
            num = baton_i128_add(num, baton_i128_mul64(baton_i128_mul(c->principal, rate),
                                                       baton_date_diff(seg, seg_end) + 1));
            seg = baton_date_add_days(seg_end, 1);
        }
    }
    int64_t amount;
    if (baton_i128_div_half_up(num, INT64_C(10000) * 365, &amount) != 0 ||
        amount > USNY_MAX_AMOUNT) {
        c->interest_claimed = 0;
        c->rate_unusable = 1;
        c->interest_days = 0;
        return;
    }
    c->interest = amount;
}

int usny_claim_read(const usny_state *st, const baton_view *v, usny_claim *c, char *why,
                    size_t whylen)
{
    baton_money m;
    size_t n = 0;
    const char *kind;

    memset(c, 0, sizeof *c);
    if (st->api->view_date(v, "as_of", &c->as_of) != 0) {
        bpc_format(why, whylen, "the case has no evaluation date (as_of)");
        return BATON_EINVAL;
    }
    if (st->api->view_money(v, "claim.principal", &m) != 0) {
        bpc_format(why, whylen, "claim.principal is missing or malformed");
        return BATON_EINVAL;
    }
    if (strcmp(m.currency, "USD") != 0) {
        bpc_format(why, whylen, "a New York claim must be stated in USD, not %s", m.currency);
        return BATON_EINVAL;
    }
    if (m.minor < 0 || m.minor > USNY_MAX_AMOUNT) {
        bpc_format(why, whylen, "claim.principal is negative or above $10 trillion");
        return BATON_EINVAL;
    }
    c->principal = m.minor;
    if (st->api->view_date(v, "claim.due_date", &c->due) != 0) {
        bpc_format(why, whylen, "claim.due_date is missing or malformed");
        return BATON_EINVAL;
    }
    if (c->due.year > 9000 || c->as_of.year > 9000) {
        bpc_format(why, whylen, "dates after the year 9000 are not evaluated");
        return BATON_EINVAL;
    }
    if (baton_date_cmp(c->as_of, usny_first_date) < 0) {
        bpc_format(why, whylen,
                   "the plugin covers evaluation dates from 2022-05-07 on (the Consumer Credit "
                   "Fairness Act in force)");
        return BATON_EINVAL;
    }
    kind = bpc_str(st->api, v, "debtor.kind", "individual");
    c->consumer = bpc_bool(st->api, v, "debtor.consumer", strcmp(kind, "individual") == 0);
    c->consumer_credit = c->consumer && bpc_bool(st->api, v, "ext.us-ny.consumer_credit", 1);
    kind = bpc_str(st->api, v, "creditor.kind", "business");
    c->creditor_natural = strcmp(kind, "individual") == 0 || strcmp(kind, "sole_trader") == 0;
    c->assigned = st->api->view_count(v, "assignments", &n) == 0 && n > 0;
    c->revolving = bpc_bool(st->api, v, "ext.us-ny.revolving", 0);

    if (st->api->view_count(v, "claim.charges", &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char path[64];
            BPC_PATH_AT(path, sizeof path, "claim.charges", i, ".amount");
            if (st->api->view_money(v, path, &m) != 0 || strcmp(m.currency, "USD") != 0 ||
                m.minor <= 0)
                continue;
            if (m.minor > USNY_MAX_AMOUNT - c->charges) {
                bpc_format(why, whylen, "claim.charges add up to more than $10 trillion");
                return BATON_EINVAL;
            }
            c->charges += m.minor;
        }
    }
    compute_interest(st, v, c);
    c->demand = c->principal + c->charges;
    return 0;
}

void usny_limitation_compute(const usny_state *st, const baton_view *v, const usny_claim *c,
                             usny_limitation *out)
{
    baton_date acts[2], unmoved;
    int nacts = 0;

    memset(out, 0, sizeof *out);
    if (c->consumer_credit) {
        out->years = 3;
        out->basis = "CPLR 214-i";
    } else {
        out->years = 6;
        out->basis = "CPLR 213(2)";
    }
    /* The claim accrues on default, the day after the due date; GCL § 20
     * excludes that day, so the last day is its anniversary. */
    out->accrual = baton_date_add_days(c->due, 1);
    out->start = out->accrual;
    unmoved = baton_date_add_years(out->accrual, out->years);

    if (st->api->view_date(v, "claim.acknowledged_date", &acts[nacts]) == 0)
        nacts++;
    if (st->api->view_date(v, "claim.last_payment_date", &acts[nacts]) == 0)
        nacts++;
    for (int i = 0; i < nacts; i++) {
        if (baton_date_cmp(acts[i], out->accrual) < 0)
            continue;
        if (baton_date_cmp(acts[i], unmoved) > 0) {
            /* CPLR 214-i: after expiry, no payment, affirmation or other
             * activity revives or extends the period. For other claims a
             * later acknowledgment is a new promise the plugin does not
             * judge. */
            out->ignored_act = 1;
            out->after_expiry = 1;
            continue;
        }
        if (c->consumer_credit) {
            /* Conservative: the plugin does not let an act inside the three
             * years extend them (see docs/plugins/us-ny.md). */
            out->ignored_act = 1;
            continue;
        }
        /* GOL § 17-101 (a signed written acknowledgment) and a part payment
         * start the six years again from their date. */
        baton_date next = baton_date_add_years(acts[i], out->years);
        if (baton_date_cmp(next, unmoved) > 0) {
            unmoved = next;
            out->start = acts[i];
            out->restarted = 1;
        }
    }
    /* GCL § 25-a: a period ending on a Saturday, Sunday or public holiday
     * runs to the next business day. */
    if (bpc_deadline_move(&st->ny, unmoved, 0, "N.Y. General Construction Law § 25-a",
                          &out->deadline) != 0) {
        out->deadline.unmoved = unmoved;
        out->deadline.date = unmoved;
    }
    out->days_left = baton_date_diff(c->as_of, out->deadline.date);
    out->time_barred = baton_date_cmp(c->as_of, out->deadline.date) > 0;
}

static int is_nyc(const char *city)
{
    static const char *const boroughs[] = {"new york",      "manhattan",    "brooklyn",
                                           "bronx",         "the bronx",    "queens",
                                           "staten island", "new york city"};
    char low[64];
    size_t i = 0;
    for (; city[i] != '\0' && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)city[i]);
    low[i] = '\0';
    for (size_t k = 0; k < sizeof boroughs / sizeof boroughs[0]; k++)
        if (strcmp(low, boroughs[k]) == 0)
            return 1;
    return 0;
}

void usny_route_compute(const usny_state *st, const baton_view *v, const usny_claim *c,
                        usny_route *out)
{
    const bpc_dated_value *lv, *fv;
    const char *court = bpc_str(st->api, v, "ext.us-ny.court", NULL);
    int64_t count;

    memset(out, 0, sizeof *out);
    out->fee = -1;
    if (court != NULL && strcmp(court, "nyc") == 0)
        out->court = USNY_NYC;
    else if (court != NULL && strcmp(court, "city") == 0)
        out->court = USNY_CITY;
    else if (court != NULL && strcmp(court, "district") == 0)
        out->court = USNY_DISTRICT;
    else if (court != NULL && strcmp(court, "town_village") == 0)
        out->court = USNY_TOWN_VILLAGE;
    else {
        /* Small and commercial claims are heard where the defendant lives
         * or works (CCA 1801, UCCA 1801). */
        out->court = is_nyc(bpc_str(st->api, v, "debtor.address.city", "")) ? USNY_NYC : USNY_CITY;
        out->court_assumed = 1;
    }
    (void)bpc_dated_lookup(&usny_limits_table, c->as_of, &lv);
    (void)bpc_dated_lookup(&usny_fees_table, c->as_of, &fv);
    const usny_court_limits *lim = lv->data;
    const usny_fee_schedule *fee = fv->data;
    out->small_limit = lim->small_claims[out->court];
    out->commercial_limit = lim->commercial_claims[out->court];

    /* Small claims: a natural person, not an assignee (CCA 1809), for a
     * demand "not in excess of" the limit "exclusive of interest and
     * costs". */
    if (c->creditor_natural && !c->assigned && c->demand <= out->small_limit) {
        out->track = USNY_SMALL_CLAIMS;
        out->fee =
            c->demand <= INT64_C(100000) ? fee->small_low[out->court] : fee->small_high[out->court];
        out->fee_basis = out->court == USNY_TOWN_VILLAGE ? "UJCA 1803" : "CCA/UCCA 1803";
        return;
    }
    /* Commercial claims: a corporation, partnership or association, or an
     * assignee, at most five a calendar month (CCA/UCCA 1803-A(a)). */
    count = bpc_int(st->api, v, "ext.us-ny.commercial_claims_this_month", -1);
    if (!c->creditor_natural || c->assigned) {
        if (c->demand <= out->commercial_limit && count < 5) {
            out->track = USNY_COMMERCIAL_CLAIMS;
            out->commercial_count_unknown = count < 0;
            out->consumer_transaction = c->consumer;
            out->fee = fee->commercial;
            out->fee_basis = "CCA/UCCA 1803-A ($25 plus postage)";
            return;
        }
        out->commercial_count_over = count >= 5 && c->demand <= out->commercial_limit;
    }
    if (out->court == USNY_NYC && c->demand + c->interest <= lim->civil_court_limit) {
        out->track = USNY_CIVIL_COURT;
        out->fee = c->consumer_credit ? fee->civil_court_consumer_credit : fee->civil_court;
        out->fee_basis = c->consumer_credit ? "CCA 1911 (consumer credit transaction)" : "CCA 1911";
        return;
    }
    if (out->court == USNY_NYC) {
        out->track = USNY_SUPREME_COURT;
        out->fee = fee->supreme_court;
        out->fee_basis = "CPLR 8018(a)";
        return;
    }
    out->track = USNY_LOCAL_CIVIL;
}
