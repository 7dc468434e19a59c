/*
 * fees.c - fee_schedule of us-ca: the court filing fee of the route and
 * prejudgment interest to the evaluation date.
 *
 * Owns: the cost line items and the "interest.*" and "fees.*" facts. Does not
 * own: the figures (tables.c) or the interest arithmetic (claim.c).
 * California fixes no statutory lawyer fees for a contract debt claim, so
 * none are added; contractual attorney fees (Civil Code 1717) depend on the
 * contract and the court.
 */
#include <string.h>

#include "baton/plugin_text.h"
#include "us_ca.h"
#include "text_format.h"

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

int usca_fees(void *state, const baton_view *v, baton_result *out)
{
    const usca_state *st = state;
    const baton_host_api *a = st->api;
    usca_claim c;
    usca_route rt;
    char why[160], label[200], pct[48], from[11];
    const char *basis = NULL;
    int64_t fee;

    /* filing_rules already reported an incomplete case. */
    if (usca_claim_read(st, v, &c, why, sizeof why) != 0)
        return 0;
    usca_route_compute(st, v, &c, &rt);

    switch (rt.track) {
    case USCA_SMALL_CLAIMS:
        fee = usca_small_claims_fee(c.demand, rt.filed_12_months, &basis);
        CHECK(a->result_line_item(out, "court_fee", "Small claims filing fee",
                                  baton_money_make(fee, "USD"), basis));
        break;
    case USCA_LIMITED_CIVIL:
        fee = usca_limited_civil_fee(c.demand, &basis);
        CHECK(a->result_line_item(out, "court_fee", "Limited civil case first-paper filing fee",
                                  baton_money_make(fee, "USD"), basis));
        break;
    default:
        fee = usca_unlimited_civil_fee(&basis);
        CHECK(a->result_line_item(out, "court_fee", "Unlimited civil case first-paper filing fee",
                                  baton_money_make(fee, "USD"), basis));
        break;
    }
    CHECK(a->result_money(out, "fees.filing_fee", baton_money_make(fee, "USD")));
    CHECK(bpc_dated_note(a, out, &usca_filing_fees, c.as_of));

    if (c.interest_claimed) {
        baton_bp_text(c.rate_bp, "en-US", pct, sizeof pct);
        usca_iso(c.interest_from, from);
        bpc_format(label, sizeof label,
                   "Prejudgment interest %s a year simple on the principal from %s, %lld days "
                   "(365-day year, rounded half-up to the cent)",
                   pct, from, (long long)c.interest_days);
        CHECK(a->result_line_item(out, "interest", label, baton_money_make(c.interest, "USD"),
                                  c.rate_basis));
        CHECK(a->result_int(out, "interest.rate_bp", c.rate_bp));
        CHECK(a->result_int(out, "interest.days", c.interest_days));
        CHECK(a->result_date(out, "interest.from", c.interest_from));
        CHECK(a->result_string(out, "interest.basis", c.rate_basis));
        CHECK(a->result_money(out, "interest.amount", baton_money_make(c.interest, "USD")));
    }
    return 0;
}
