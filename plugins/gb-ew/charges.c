/*
 * charges.c - the gb-ew fee_schedule capability: what the claim is worth
 * and what issuing it costs.
 *
 * Adds cost lines for the principal, charges already on the account,
 * interest to the evaluation date, the Late Payment Act fixed sum and the
 * county court issue fee (on the claim value including interest, as the
 * note to fee 1.1 says), plus the facts behind them. The rules themselves
 * live in interest.c and fees.c.
 */
#include <string.h>

#include "case_view.h"
#include "gb_ew.h"
#include "text_format.h"

static const char *interest_kind_name(enum gbew_interest_kind k)
{
    switch (k) {
    case GBEW_INTEREST_CONTRACTUAL:
        return "contractual";
    case GBEW_INTEREST_LATE_PAYMENT:
        return "late_payment";
    case GBEW_INTEREST_S69:
        return "s69";
    case GBEW_INTEREST_NONE:
        break;
    }
    return "none";
}

static int add_interest(const gbew_state *st, baton_result *out, const gbew_case *c,
                        const gbew_interest *in)
{
    const baton_host_api *api = st->api;
    char label[256], from[32], to[32], rate[32], ref[32];
    int rc;

    if ((rc = api->result_string(out, "interest.kind", interest_kind_name(in->kind))) != 0)
        return rc;
    if (in->kind == GBEW_INTEREST_NONE)
        return 0;
    if (in->kind == GBEW_INTEREST_LATE_PAYMENT &&
        (rc = bpc_dated_note(api, out, st->bank_rate, in->reference)) != 0)
        return rc;
    if (in->days <= 0) {
        /* Not running yet (as_of before its first day): no interest line and,
         * for Late Payment, no fixed sum (s.5A(1)); only when it starts. */
        rc = api->result_date(out, "interest.from", in->from);
        if (rc == 0)
            rc = api->result_int(out, "interest.days", 0);
        return rc;
    }
    gbew_date_text(in->from, from, sizeof from);
    gbew_date_text(c->as_of, to, sizeof to);
    bpc_format(rate, sizeof rate, "%d.%02d%%", (int)(in->rate_bp / 100), (int)(in->rate_bp % 100));
    if (in->kind == GBEW_INTEREST_LATE_PAYMENT) {
        gbew_date_text(in->reference, ref, sizeof ref);
        bpc_format(label, sizeof label,
                   "Statutory interest at %s a year (Bank Rate %d.%02d%% on %s + 8%%) from %s to "
                   "%s, %lld days",
                   rate, (int)(in->base_bp / 100), (int)(in->base_bp % 100), ref, from, to,
                   (long long)in->days);
    } else {
        bpc_format(label, sizeof label, "Interest at %s a year from %s to %s, %lld days", rate,
                   from, to, (long long)in->days);
    }
    rc =
        api->result_line_item(out, "interest", label,
                              baton_money_make(in->amount_minor, c->principal.currency), in->basis);
    if (rc == 0)
        rc = api->result_int(out, "interest.rate_bp", in->rate_bp);
    if (rc == 0)
        rc = api->result_int(out, "interest.days", in->days);
    if (rc == 0)
        rc = api->result_date(out, "interest.from", in->from);
    if (rc == 0)
        rc = api->result_int(out, "interest.daily_minor_x100", in->daily_minor_x100);
    if (rc == 0)
        rc = api->result_string(out, "interest.rounding", "total truncated to the penny");
    if (rc == 0 && in->kind == GBEW_INTEREST_LATE_PAYMENT && in->compensation_minor > 0) {
        rc = api->result_date(out, "interest.reference_date", in->reference);
        if (rc == 0)
            rc = api->result_int(out, "interest.base_rate_bp", in->base_bp);
        if (rc == 0)
            rc = api->result_line_item(
                out, "compensation", "Fixed sum for the cost of recovering a late payment",
                baton_money_make(in->compensation_minor, c->principal.currency),
                "Late Payment of Commercial Debts (Interest) Act 1998 s.5A");
    }
    return rc;
}

int gbew_fees(void *state, const baton_view *v, baton_result *out)
{
    const gbew_state *st = state;
    const baton_host_api *api = st->api;
    gbew_case c;
    gbew_interest in;
    int64_t value, fee = 0;
    const char *fee_basis = NULL;
    char label[320], amount[48], when[32];
    int rc;

    if ((rc = gbew_case_read(api, v, &c)) != 0)
        return rc;

    rc = api->result_line_item(out, "principal", "Unpaid principal", c.principal, NULL);
    if (rc != 0)
        return rc;
    /* The charges gbew_case_read counted (and checked: same currency). */
    for (size_t i = 0; i < c.charges; i++) {
        char path[48];
        const char *what = "Charge";
        baton_money m;
        BPC_PATH_AT(path, sizeof path, "claim.charges", i, ".label");
        if (api->view_string(v, path, &what) != 0)
            what = "Charge";
        BPC_PATH_AT(path, sizeof path, "claim.charges", i, ".amount");
        if ((rc = api->view_money(v, path, &m)) != 0)
            return rc;
        if ((rc = api->result_line_item(out, "other", what, m, "charges already on the account")) !=
            0)
            return rc;
    }

    rc = gbew_interest_for(st, v, &c, &in);
    if (rc == BATON_ENOENT) {
        gbew_date_text(gbew_reference_date(baton_date_add_days(c.due, 1)), when, sizeof when);
        bpc_format(label, sizeof label,
                   "No Bank Rate for the reference date %s in the bank_rate table (version %s, "
                   "from %04d-%02d-%02d); Late Payment interest and compensation not computed",
                   when, st->bank_rate->version, (int)st->bank_rate->values[0].from.year,
                   (int)st->bank_rate->values[0].from.month,
                   (int)st->bank_rate->values[0].from.day);
        rc = api->result_finding(out, "costs", "interest_rate_unknown", BATON_FINDING_WARN, label,
                                 "Late Payment of Commercial Debts (Rate of Interest) (No. 3) "
                                 "Order 2002");
        if (rc != 0)
            return rc;
        memset(&in, 0, sizeof in);
    } else if (rc != 0) {
        return rc;
    }
    if ((rc = add_interest(st, out, &c, &in)) != 0)
        return rc;

    value = c.principal.minor + c.charges_minor + in.amount_minor + in.compensation_minor;
    rc = api->result_money(out, "claim.value", baton_money_make(value, c.principal.currency));
    if (rc != 0)
        return rc;

    if (strcmp(c.principal.currency, "GBP") != 0) {
        return api->result_finding(out, "costs", "currency_not_gbp", BATON_FINDING_WARN,
                                   "The claim is not in GBP: the county court fee bands are in "
                                   "pounds; convert the claim before issuing (CPR PD 16 para 9)",
                                   NULL);
    }
    if ((rc = bpc_dated_note(api, out, st->issue_fee, c.as_of)) != 0)
        return rc;
    rc = gbew_issue_fee_in(st->issue_fee, value, c.as_of, &fee, &fee_basis);
    if (rc == BATON_ERANGE) {
        bpc_format(label, sizeof label,
                   "No county court fee table (issue_fee, version %s) is carried for a filing "
                   "date before %04d-%02d-%02d",
                   st->issue_fee->version, (int)st->issue_fee->values[0].from.year,
                   (int)st->issue_fee->values[0].from.month,
                   (int)st->issue_fee->values[0].from.day);
        return api->result_finding(out, "costs", "fee_table_unavailable", BATON_FINDING_WARN, label,
                                   NULL);
    }
    if (rc != 0)
        return rc;
    gbew_money_text(baton_money_make(value, "GBP"), amount, sizeof amount);
    bpc_format(label, sizeof label, "County Court issue fee for a money claim of %s", amount);
    rc = api->result_line_item(out, "court_fee", label, baton_money_make(fee, "GBP"), fee_basis);
    if (rc == 0)
        rc = api->result_money(out, "court_fee.issue", baton_money_make(fee, "GBP"));
    if (rc == 0)
        rc = api->result_date(out, "court_fee.filing_date", c.as_of);
    return rc;
}
