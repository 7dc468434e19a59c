/*
 * fees.c - fee_schedule of us-ny: the filing fee of the route and interest
 * to the evaluation date (CPLR 5001, 5004).
 *
 * Owns: the cost line items and the "fees.*" and "interest.*" facts. Does
 * not own: the figures (params.c) or the arithmetic (claim.c). New York
 * fixes no statutory attorney fee for a contract debt; postage on small and
 * commercial claims is not costed.
 */
#include <string.h>

#include "us_ny.h"
#include "text_format.h"

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

int usny_fees(void *state, const baton_view *v, baton_result *out)
{
    const usny_state *st = state;
    const baton_host_api *a = st->api;
    usny_claim c;
    usny_route rt;
    char why[200], label[260], from[11];

    if (usny_claim_read(st, v, &c, why, sizeof why) != 0)
        return 0;
    usny_route_compute(st, v, &c, &rt);
    if (rt.fee >= 0) {
        bpc_format(label, sizeof label, "%s",
                   rt.track == USNY_SMALL_CLAIMS ? "Small claims filing fee"
                   : rt.track == USNY_COMMERCIAL_CLAIMS
                       ? "Commercial claims filing fee (plus postage)"
                   : rt.track == USNY_CIVIL_COURT ? "Civil Court index fee"
                                                  : "Supreme Court index number fee");
        CHECK(a->result_line_item(out, "court_fee", label, baton_money_make(rt.fee, "USD"),
                                  rt.fee_basis));
        CHECK(a->result_money(out, "fees.filing_fee", baton_money_make(rt.fee, "USD")));
        CHECK(bpc_dated_note(a, out, &usny_fees_table, c.as_of));
    } else {
        CHECK(a->result_finding(out, "route", "filing_fee_not_tabulated", BATON_FINDING_WARN,
                                "The filing fee of a civil action outside New York City is not "
                                "in the plugin's tables; no court fee was added.",
                                NULL));
    }
    if (c.interest_claimed && c.interest_days > 0) {
        bpc_iso_date(c.interest_from, from);
        bpc_format(label, sizeof label,
                   "Prejudgment interest from %s, %lld days, simple (365-day year, rounded half-up "
                   "to the cent)",
                   from, (long long)c.interest_days);
        CHECK(a->result_line_item(out, "interest", label, baton_money_make(c.interest, "USD"),
                                  c.rate_basis));
        CHECK(a->result_money(out, "interest.amount", baton_money_make(c.interest, "USD")));
        CHECK(a->result_date(out, "interest.from", c.interest_from));
        CHECK(a->result_int(out, "interest.days", c.interest_days));
        CHECK(a->result_string(out, "interest.basis", c.rate_basis));
        if (c.consumer && !c.contractual)
            CHECK(bpc_dated_note(a, out, &usny_judgment_rate_consumer, c.as_of));
    }
    return 0;
}
