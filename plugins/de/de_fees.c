/*
 * de_fees.c - the fee schedule for Germany: court fees (GKG), statutory
 * lawyer fees (RVG) for the proposed route, default interest (§ 288 Abs. 1
 * or 2 BGB, or a higher contractual rate, § 288 Abs. 3 BGB) to the
 * evaluation date, and the EUR 40 flat fee against a debtor who is not a
 * consumer (§ 288 Abs. 5 BGB).
 *
 * The fee steps named here (the set this plugin claims) are:
 *   Mahnverfahren: KV GKG 1100 (0.5, minimum), VV RVG 3305 (1.0),
 *                  VV RVG 3308 (0.5), VV RVG 7002;
 *   Klage:         KV GKG 1210 (3.0), VV RVG 3100 (1.3), VV RVG 3104 (1.2),
 *                  VV RVG 7002.
 * Value-added tax on lawyer fees (VV 7008) is not added: the creditor is
 * assumed to deduct it as input tax.
 */
#include <string.h>

#include "de_internal.h"
#include "text_format.h"

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc != 0)                                                                               \
            goto out;                                                                              \
    } while (0)

static baton_money eur(int64_t cents)
{
    return baton_money_make(cents, "EUR");
}

static int court_and_lawyer(const de_state *st, const de_case *c, baton_result *out)
{
    const baton_host_api *api = st->api;
    int rc = 0;
    de_route r;
    de_route_decide(c, &r);
    enum de_fee_version v = c->fees;
    const char *vn = de_fee_version_name(v);
    char basis[160], label[200], minbuf[40];

    int64_t gkg1, mahn, klage;
    TRY(de_gkg_fee(v, r.streitwert, &gkg1));
    TRY(de_court_fee_mahnverfahren(v, r.streitwert, &mahn));
    TRY(de_court_fee_klage(v, r.streitwert, &klage));
    TRY(api->result_string(out, "fees.table_version", vn));
    TRY(api->result_money(out, "fees.gkg_simple_fee", eur(gkg1)));
    TRY(api->result_money(out, "fees.mahnverfahren_court_fee", eur(mahn)));
    TRY(api->result_money(out, "fees.klage_court_fee", eur(klage)));

    if (r.mahnverfahren) {
        de_fmt_eur(de_kv1100_minimum(v), minbuf, sizeof minbuf);
        bpc_format(label, sizeof label, "Gerichtsgebühr Mahnverfahren (0,5 Gebühr, mindestens %s)",
                   minbuf);
        bpc_format(basis, sizeof basis, "KV 1100 GKG; § 34 GKG, Anlage 2 (%s)", vn);
        TRY(api->result_line_item(out, "court_fee", label, eur(mahn), basis));
    } else {
        bpc_format(basis, sizeof basis, "KV 1210 GKG; § 34 GKG, Anlage 2 (%s)", vn);
        TRY(api->result_line_item(out, "court_fee", "Gerichtsgebühr Klageverfahren (3,0 Gebühr)",
                                  eur(klage), basis));
    }

    int64_t rvg1;
    rc = de_rvg_fee(v, r.streitwert, &rvg1);
    if (rc == BATON_ERANGE) {
        rc = api->result_finding(out, "costs", "rvg_out_of_table", BATON_FINDING_WARN,
                                 "Gegenstandswert über 500.000 €: Anwaltsgebühren nach der "
                                 "Fassung 2025 nicht berechnet.",
                                 "§ 13 Abs. 1 RVG");
        goto out;
    }
    if (rc != 0)
        goto out;
    TRY(api->result_money(out, "fees.rvg_simple_fee", eur(rvg1)));

    struct {
        int tenths;
        const char *label;
        const char *vv;
    } steps_mahn[] = {{10, "Verfahrensgebühr Mahnverfahren (1,0)", "VV 3305 RVG"},
                      {5, "Verfahrensgebühr Vollstreckungsbescheid (0,5)", "VV 3308 RVG"}},
      steps_klage[] = {{13, "Verfahrensgebühr (1,3)", "VV 3100 RVG"},
                       {12, "Terminsgebühr (1,2)", "VV 3104 RVG"}};
    int64_t sum = 0;
    for (size_t i = 0; i < 2; i++) {
        int tenths = r.mahnverfahren ? steps_mahn[i].tenths : steps_klage[i].tenths;
        const char *lb = r.mahnverfahren ? steps_mahn[i].label : steps_klage[i].label;
        const char *vv = r.mahnverfahren ? steps_mahn[i].vv : steps_klage[i].vv;
        int64_t f = de_fee_rate(rvg1, tenths);
        sum += f;
        bpc_format(basis, sizeof basis, "%s; § 13 RVG, Anlage 2 (%s)", vv, vn);
        TRY(api->result_line_item(out, "lawyer_fee", lb, eur(f), basis));
    }
    TRY(api->result_line_item(out, "lawyer_fee",
                              "Pauschale für Post- und Telekommunikation (20 %, höchstens 20 €)",
                              eur(de_vv7002(sum)), "VV 7002 RVG"));
out:
    return rc;
}

static int interest(const de_state *st, const de_case *c, baton_result *out)
{
    const baton_host_api *api = st->api;
    int rc = 0;
    de_claimed_interest ci;
    char label[256], d1[11], d2[11], pct[24];

    rc = de_claimed_interest_compute(st, c, &ci);
    if (rc == BATON_ENOENT) {
        rc = api->result_finding(out, "costs", "base_rates_missing", BATON_FINDING_WARN,
                                 "Die Basiszinssatz-Tabelle reicht nicht bis zum Zinsbeginn "
                                 "zurück: Zinsen nicht berechnet.",
                                 "§ 247 BGB");
        goto out;
    }
    if (rc == BATON_ERANGE) {
        rc = api->result_finding(out, "costs", "interest_out_of_range", BATON_FINDING_WARN,
                                 "Zinsen übersteigen den darstellbaren Betrag: nicht berechnet.",
                                 "§ 288 BGB");
        goto out;
    }
    if (rc != 0)
        goto out;
    if (ci.has_now)
        TRY(api->result_int(out, "interest.statutory_rate_bp", ci.statutory_bp_now));
    if (!ci.any) {
        TRY(api->result_finding(out, "costs", "interest_none", BATON_FINDING_INFO,
                                "Keine Zinsen berechnet: kein Verzugsbeginn festgestellt oder "
                                "keine Zinsen verlangt.",
                                "§§ 286, 288 BGB"));
        goto out;
    }

    /* Names the table and warns past its horizon (a half-year the table
     * does not reach yet). */
    if (!ci.contractual)
        TRY(bpc_dated_note(api, out, st->base_rate_table, c->as_of));

    de_fmt_date(ci.calc.seg[0].from, d1);
    de_fmt_date(c->as_of, d2);
    if (ci.contractual) {
        de_fmt_pct(c->contract_bp, pct, sizeof pct);
        bpc_format(label, sizeof label, "Vertragszinsen %s p. a. vom %s bis %s (%lld Tage)", pct,
                   d1, d2, (long long)ci.calc.days);
    } else {
        bpc_format(
            label, sizeof label,
            "Verzugszinsen %d Prozentpunkte über dem Basiszinssatz vom %s bis %s (%lld Tage)",
            (int)(ci.margin_bp / 100), d1, d2, (long long)ci.calc.days);
    }
    TRY(api->result_line_item(out, "interest", label, eur(ci.calc.amount),
                              ci.contractual ? "§ 288 Abs. 3 BGB (vertraglicher Zinssatz)"
                              : c->b2b       ? "§ 288 Abs. 2 BGB, § 247 BGB"
                                             : "§ 288 Abs. 1 BGB, § 247 BGB"));
    TRY(api->result_date(out, "interest.from", ci.calc.seg[0].from));
    TRY(api->result_date(out, "interest.to", c->as_of));
    TRY(api->result_int(out, "interest.days", ci.calc.days));
    TRY(api->result_string(out, "interest.day_count", "actual/365"));
    TRY(api->result_string(out, "interest.rounding", "half_up_once_to_cent"));
out:
    return rc;
}

static int de_fees(void *state, const baton_view *cv, baton_result *out)
{
    const de_state *st = state;
    const baton_host_api *api = st->api;
    de_case c;
    char why[160];
    int rc = de_case_read(st, cv, &c, why, sizeof why);
    if (rc != 0)
        return 0; /* filing_rules already reported what is missing */
    if (!c.is_eur)
        return 0; /* reported by filing_rules; the tables are in euro */
    if (c.not_yet_due)
        return 0; /* blocked by filing_rules: no fees for a claim not yet due */

    if (c.fees != DE_FEES_NONE) {
        if ((rc = bpc_dated_note(api, out, &de_fee_tables, c.as_of)) != 0)
            goto out;
        rc = court_and_lawyer(st, &c, out);
        if (rc != 0)
            goto out;
    }
    rc = interest(st, &c, out);
    if (rc != 0)
        goto out;

    /* § 288 Abs. 5: EUR 40 when the debtor is not a consumer and in
     * default on a payment claim; credited against the costs of legal
     * pursuit (§ 288 Abs. 5 S. 3 BGB). */
    if (!c.consumer && c.verzug != DE_VERZUG_NONE && baton_date_cmp(c.as_of, c.verzug_from) >= 0)
        rc = api->result_line_item(out, "compensation",
                                   "Verzugspauschale (auf Rechtsverfolgungskosten anzurechnen)",
                                   eur(4000), "§ 288 Abs. 5 BGB");
out:
    return rc;
}

const baton_fee_schedule de_fee_schedule = {
    sizeof(baton_fee_schedule),
    de_fees,
};
