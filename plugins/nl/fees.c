/*
 * fees.c - fee_schedule of nl: the griffierecht of the route, the
 * buitengerechtelijke incassokosten once they are due, and statutory
 * interest to the evaluation date.
 *
 * Owns: the cost line items and the "fees.*" and "interest.*" facts,
 * including the table figures before minimum and maximum (as de reports
 * its 1.0 fee). Does not own: the figures (tables.c) or the arithmetic
 * (claim.c). Dutch law gives no fixed lawyer fee before judgment: the
 * court's liquidatietarief is awarded in the judgment and not added here.
 */
#include <string.h>

#include "nl.h"
#include "text_format.h"

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

static const char *const party_names[] = {"niet-natuurlijke persoon", "natuurlijke persoon",
                                          "on- of minvermogende"};

static int court_fee(const nl_state *st, const nl_claim *c, baton_result *out)
{
    const baton_host_api *a = st->api;
    enum nl_party party = c->creditor_unable_to_pay ? NL_PARTY_UNABLE_TO_PAY
                          : c->creditor_natural     ? NL_PARTY_NATURAL_PERSON
                                                    : NL_PARTY_LEGAL_ENTITY;
    int kanton = c->value <= NL_KANTON_LIMIT || c->consumer_credit || c->consumer_sale;
    nl_court_fee g;
    char label[300], basis[200];

    nl_griffierecht_for(c->as_of, kanton, party, c->value, &g);
    if (!g.found) {
        char why[300], day[11];
        bpc_iso_date(c->as_of, day);
        if (g.not_shipped != NULL)
            bpc_format(why, sizeof why,
                       "No griffierecht for the filing date %s: %s; no court fee was added.", day,
                       g.not_shipped);
        else
            bpc_format(why, sizeof why,
                       "No griffierecht table of the plugin covers the filing date %s (tables "
                       "start on 2024-01-01); no court fee was added.",
                       day);
        CHECK(a->result_finding(out, "params", "griffierecht_table_missing", BATON_FINDING_WARN,
                                why, "Wet griffierechten burgerlijke zaken, bijlage"));
        return 0;
    }
    bpc_format(label, sizeof label, "Griffierecht %s, eiser %s, vordering %s",
               kanton ? "kantonrechter" : "rechtbank", party_names[party], g.band);
    bpc_format(basis, sizeof basis,
               "Wet griffierechten burgerlijke zaken, art. 3, 4 en bijlage (%s)", g.table);
    CHECK(a->result_line_item(out, "court_fee", label, baton_money_make(g.fee, "EUR"), basis));
    CHECK(a->result_money(out, "fees.griffierecht", baton_money_make(g.fee, "EUR")));
    CHECK(a->result_string(out, "fees.griffierecht_table", g.table));
    CHECK(a->result_string(out, "fees.griffierecht_party", party_names[party]));
    /* params.nl_griffierecht.*, and params_beyond_horizon after the last
     * table's year: the fees are indexed every 1 January (art. 2 Wgbz). */
    CHECK(bpc_dated_note(a, out, &nl_griffierecht, c->as_of));
    return 0;
}

static int collection_costs(const nl_state *st, const nl_claim *c, baton_result *out)
{
    const baton_host_api *a = st->api;
    char label[300], base[32];

    /* The staffel figure is reported whether or not the costs are due yet:
     * the fourteen-day letter must state it. */
    CHECK(a->result_money(out, "fees.bik_staffel", baton_money_make(c->bik_staffel, "EUR")));
    CHECK(a->result_money(out, "fees.bik", baton_money_make(c->bik + c->bik_vat, "EUR")));
    if (!c->costs_due)
        return 0;
    nl_eur(c->principal, base, sizeof base);
    bpc_format(label, sizeof label,
               "Buitengerechtelijke incassokosten over hoofdsom %s (staffel; minimum EUR 40, "
               "maximum EUR 6.775)",
               base);
    CHECK(a->result_line_item(out, "compensation", label, baton_money_make(c->bik, "EUR"),
                              "art. 6:96 lid 2 sub c, lid 5 BW; Besluit vergoeding voor "
                              "buitengerechtelijke incassokosten, art. 2"));
    if (c->bik_vat > 0)
        CHECK(a->result_line_item(out, "compensation",
                                  "Btw over de incassokosten (21 %; de schuldeiser kan de btw "
                                  "niet verrekenen)",
                                  baton_money_make(c->bik_vat, "EUR"),
                                  "Besluit BIK art. 2 lid 3; art. 9 lid 1 Wet OB 1968"));
    return 0;
}

static int interest(const nl_state *st, const nl_claim *c, baton_result *out)
{
    const baton_host_api *a = st->api;
    const nl_interest *in = &c->interest;
    char label[320], from[11];

    if (!in->claimed || in->days <= 0)
        return 0;
    bpc_iso_date(in->from, from);
    if (in->contractual)
        bpc_format(label, sizeof label,
                   "Contractual interest %lld.%02lld %% a year simple from %s, %lld days (365-day "
                   "year, rounded half-up to the cent)",
                   (long long)(in->contract_bp / 100), (long long)(in->contract_bp % 100), from,
                   (long long)in->days);
    else
        bpc_format(label, sizeof label,
                   "%s from %s, %lld days at the half-yearly rates, compounded yearly (%d year "
                   "end(s)); 365-day year, each year rounded half-up to the cent",
                   in->commercial ? "Wettelijke handelsrente" : "Wettelijke rente", from,
                   (long long)in->days, in->years_compounded);
    CHECK(a->result_line_item(out, "interest", label, baton_money_make(in->amount, "EUR"),
                              in->contractual ? in->basis
                              : in->commercial
                                  ? "art. 6:119a BW, art. 6:120 lid 2 BW (ECB rate + 8 points)"
                                  : "art. 6:119 BW, art. 6:120 lid 1 BW"));
    CHECK(a->result_money(out, "interest.amount", baton_money_make(in->amount, "EUR")));
    CHECK(a->result_date(out, "interest.from", in->from));
    CHECK(a->result_int(out, "interest.days", in->days));
    CHECK(a->result_string(out, "interest.basis", in->basis));
    CHECK(a->result_string(out, "interest.day_count", "actual/365"));
    CHECK(a->result_string(out, "interest.compounding",
                           in->contractual ? "none (contract rate)" : "yearly"));
    CHECK(a->result_money(out, "interest.capitalised", baton_money_make(in->capitalised, "EUR")));
    if (!in->contractual)
        CHECK(bpc_dated_note(a, out, in->table, c->as_of));
    return 0;
}

int nl_fees(void *state, const baton_view *v, baton_result *out)
{
    const nl_state *st = state;
    nl_claim c;
    char why[160];

    /* filing_rules already reported an incomplete case. */
    if (nl_claim_read(st, v, &c, why, sizeof why) != 0)
        return 0;
    CHECK(court_fee(st, &c, out));
    CHECK(collection_costs(st, &c, out));
    CHECK(interest(st, &c, out));
    return 0;
}
