/*
 * de_filing.c - filing rules for Germany: limitation (§§ 195, 199, 212,
 * 193 BGB) with a hard block once time-barred, default (§ 286 BGB) as the
 * readiness item that makes the costs of suit recoverable, the § 13a RDG
 * first demand for consumers, the debtor's address for service, and the
 * route (gerichtliches Mahnverfahren or Klage; Amtsgericht or Landgericht
 * by § 23 Nr. 1 GVG on the filing date).
 *
 * Does not own: amounts (de_fees.c), letter text (de_letter.c).
 */
#include <string.h>

#include "case_view.h"
#include "de_internal.h"
#include "text_format.h"

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc != 0)                                                                               \
            goto out;                                                                              \
    } while (0)

static int has_letter(const baton_host_api *api, const baton_view *cv, const char *kind)
{
    size_t n = 0;
    char path[48];
    if (api->view_count(cv, "letters_sent", &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *k;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".kind");
        if (api->view_string(cv, path, &k) == 0 && strcmp(k, kind) == 0)
            return 1;
    }
    return 0;
}

static int limitation(const de_state *st, const baton_view *cv, const de_case *c, baton_result *out)
{
    const baton_host_api *api = st->api;
    int rc = 0;
    baton_date acts[2] = {{0, 0, 0}, {0, 0, 0}};
    size_t nacts = 0;
    if (api->view_date(cv, "claim.acknowledged_date", &acts[nacts]) == 0)
        nacts++;
    if (api->view_date(cv, "claim.last_payment_date", &acts[nacts]) == 0)
        nacts++;

    baton_date unmoved;
    bpc_deadline dl;
    de_limitation_deadline(c->due_date, acts, nacts, &unmoved);
    if (!baton_date_valid(unmoved) || unmoved.year > 9000)
        return api->result_finding(
            out, "limitation", "limitation_out_of_calendar", BATON_FINDING_WARN,
            "Verjährungsende liegt nach dem Jahr 9000: nicht berechnet.", "§§ 195, 199 BGB");
    /* § 193 BGB: a last day on a Saturday, Sunday or a public holiday of
     * the court's Land moves to the next working day. */
    TRY(bpc_deadline_move(&de_court_calendar, unmoved, c->land, DE_RULE_193, &dl));
    baton_date deadline = dl.date;
    int64_t left = baton_date_diff(c->as_of, deadline);
    char d1[11], d2[11], text[512];
    de_fmt_date(deadline, d1);
    de_fmt_date(unmoved, d2);

    int restarted =
        !(unmoved.month == 12 && unmoved.day == 31 && unmoved.year == c->due_date.year + 3);
    bpc_format(text, sizeof text,
               "Regelmäßige Verjährung drei Jahre (§ 195 BGB), %s; Ablauf am %s%s%s%s%s%s.",
               restarted ? "Neubeginn durch Anerkenntnis oder Abschlagszahlung (§ 212 Abs. 1 "
                           "Nr. 1 BGB)"
                         : "Beginn mit dem Schluss des Jahres der Fälligkeit (§ 199 Abs. 1 BGB)",
               d1, dl.moved ? ", verschoben vom " : "", dl.moved ? d2 : "", dl.moved ? " (" : "",
               dl.moved ? dl.closed_day : "",
               dl.moved ? (c->land_code != NULL ? ", § 193 BGB)" : ", § 193 BGB, bundesweit)")
                        : "");

    if (left < 0) {
        char t2[640];
        bpc_format(t2, sizeof t2,
                   "Verjährt: %s Der Schuldner kann die Leistung verweigern (§ 214 Abs. 1 "
                   "BGB); keine gerichtlichen Schritte.",
                   text);
        TRY(api->result_finding(out, "limitation", "limitation_time_barred", BATON_FINDING_BLOCK,
                                t2, "§§ 195, 199 Abs. 1, 212, 214 BGB"));
    } else {
        enum baton_finding_status s = left <= 90 ? BATON_FINDING_WARN : BATON_FINDING_MET;
        TRY(api->result_finding(out, "limitation", "limitation_regular", s, text,
                                "§§ 195, 199 Abs. 1, 212, 193 BGB"));
    }
    TRY(bpc_deadline_report(api, out, &de_court_calendar, "limitation.deadline", &dl));
    TRY(api->result_string(out, "limitation.holiday_land",
                           c->land_code != NULL ? c->land_code : "none"));
    if (c->land == 0)
        TRY(api->result_finding(out, "limitation", "holiday_land_unknown", BATON_FINDING_INFO,
                                "Bundesland des Gerichts unbekannt (ext.de.court_land oder "
                                "debtor.address.region): für § 193 BGB nur bundesweite "
                                "Feiertage berücksichtigt.",
                                "§ 193 BGB"));
    TRY(api->result_int(out, "limitation.days_left", left));
    TRY(api->result_int(out, "limitation.time_barred", left < 0));
    TRY(api->result_string(out, "limitation.basis", "§§ 195, 199 Abs. 1, 212, 193 BGB"));
out:
    return rc;
}

static int readiness(const de_state *st, const baton_view *cv, const de_case *c, baton_result *out)
{
    const baton_host_api *api = st->api;
    int rc = 0;
    char text[512], d[11];

    /* Default: without it the costs of the proceedings may fall on the
     * creditor (§ 93 ZPO) and no default interest runs. */
    if (c->verzug != DE_VERZUG_NONE) {
        de_fmt_date(c->verzug_from, d);
        const char *how = c->verzug == DE_VERZUG_CALENDAR
                              ? "kalendermäßig bestimmte Leistungszeit (§ 286 Abs. 2 Nr. 1, 2 BGB)"
                          : c->verzug == DE_VERZUG_MAHNUNG
                              ? "Mahnung nach Fälligkeit (§ 286 Abs. 1 BGB)"
                              : "30 Tage nach Fälligkeit und Zugang der Rechnung (§ 286 Abs. 3 "
                                "BGB)";
        bpc_format(text, sizeof text, "Schuldnerverzug seit %s durch %s.", d, how);
        TRY(api->result_finding(out, "readiness", "verzug", BATON_FINDING_MET, text, "§ 286 BGB"));
        TRY(api->result_date(out, "pre_action.earliest_filing_date", c->verzug_from));
        TRY(api->result_date(out, "interest.default_from", c->verzug_from));
    } else {
        TRY(api->result_finding(
            out, "readiness", "verzug", BATON_FINDING_MISSING,
            c->consumer ? "Kein Verzug nachweisbar: Mahnung nach Fälligkeit senden (§ 286 Abs. 1 "
                          "BGB); gegenüber Verbrauchern tritt Verzug nach 30 Tagen nur ein, wenn "
                          "die Rechnung darauf hinweist (§ 286 Abs. 3 S. 1 Hs. 2 BGB)."
                        : "Kein Verzug nachweisbar: Mahnung nach Fälligkeit senden (§ 286 Abs. 1 "
                          "BGB) oder Rechnung mit Datum erfassen (§ 286 Abs. 3 BGB).",
            "§ 286 BGB, § 93 ZPO"));
    }

    /* The Mahnbescheid and the Klage name the parties with an address for
     * service. */
    const char *pc, *city;
    if (api->view_string(cv, "debtor.address.postcode", &pc) == 0 && pc[0] != '\0' &&
        api->view_string(cv, "debtor.address.city", &city) == 0 && city[0] != '\0')
        TRY(api->result_finding(out, "readiness", "debtor_address", BATON_FINDING_MET,
                                "Zustellfähige Anschrift des Schuldners mit Postleitzahl.",
                                "§ 690 Abs. 1 Nr. 1, § 253 Abs. 2 Nr. 1 ZPO"));
    else
        TRY(api->result_finding(out, "readiness", "debtor_address", BATON_FINDING_MISSING,
                                "Anschrift des Schuldners unvollständig (Postleitzahl und Ort "
                                "fehlen): Zustellung nicht möglich.",
                                "§ 690 Abs. 1 Nr. 1, § 253 Abs. 2 Nr. 1 ZPO"));

    /* A collection agency's first demand to a consumer must carry the
     * § 13a RDG disclosures (for lawyers: § 43d BRAO). */
    if (c->consumer && api->view_type(cv, "collector") == BATON_VIEW_OBJECT) {
        if (has_letter(api, cv, "first_demand"))
            TRY(api->result_finding(out, "readiness", "first_demand_13a", BATON_FINDING_MET,
                                    "Erste Geltendmachung mit den Informationen nach § 13a "
                                    "Abs. 1 RDG versandt.",
                                    "§ 13a Abs. 1 RDG, § 43d BRAO"));
        else
            TRY(api->result_finding(out, "readiness", "first_demand_13a", BATON_FINDING_MISSING,
                                    "Die erste Geltendmachung gegenüber der Privatperson mit den "
                                    "Informationen nach § 13a Abs. 1 RDG fehlt (Brief "
                                    "\"first_demand\").",
                                    "§ 13a Abs. 1 RDG, § 43d BRAO"));
    }

    if (!c->is_eur)
        TRY(api->result_finding(out, "readiness", "currency", BATON_FINDING_WARN,
                                "Forderung nicht in Euro: kein Mahnverfahren (§ 688 Abs. 1 ZPO), "
                                "Gebühren nicht berechnet.",
                                "§ 688 Abs. 1 ZPO"));
    if (c->disputes_open > 0)
        TRY(api->result_finding(out, "readiness", "disputes_open", BATON_FINDING_WARN,
                                "Unbeantwortete Einwendungen des Schuldners: Widerspruch gegen "
                                "einen Mahnbescheid zu erwarten, Klage empfohlen.",
                                "§ 694 ZPO"));
    if (c->fees == DE_FEES_NONE)
        TRY(api->result_finding(out, "readiness", "fee_tables", BATON_FINDING_WARN,
                                "Einreichung vor dem 01.01.2021: keine Gebührentabelle dieser "
                                "Fassung hinterlegt.",
                                NULL));
out:
    return rc;
}

static int route(const de_state *st, const de_case *c, baton_result *out)
{
    const baton_host_api *api = st->api;
    int rc = 0;
    de_route r;
    char text[512], limit[40];
    de_route_decide(c, &r);
    de_fmt_eur(r.ag_limit, limit, sizeof limit);

    const char *court = r.amtsgericht ? "Amtsgericht" : "Landgericht";
    if (r.mahnverfahren)
        bpc_format(
            text, sizeof text,
            "Gerichtliches Mahnverfahren beim zentralen Mahngericht (§§ 688, 689 Abs. 2 ZPO, "
            "Antrag maschinell, § 690 Abs. 3 ZPO); nach Widerspruch streitiges Verfahren vor "
            "dem %s (Streitwert %s %s).",
            court, r.amtsgericht ? "bis" : "über", limit);
    else
        bpc_format(text, sizeof text, "Klage vor dem %s (Streitwert %s %s)%s.", court,
                   r.amtsgericht ? "bis" : "über", limit,
                   r.amtsgericht ? "" : "; Anwaltszwang (§ 78 Abs. 1 ZPO)");
    TRY(api->result_finding(out, "route", "route", BATON_FINDING_INFO, text,
                            r.amtsgericht ? "§ 23 Nr. 1 GVG, §§ 688 ff. ZPO"
                                          : "§§ 23 Nr. 1, 71 Abs. 1 GVG, § 78 ZPO"));
    TRY(api->result_string(out, "route.procedure", r.mahnverfahren ? "mahnverfahren" : "klage"));
    TRY(api->result_string(out, "route.court", r.amtsgericht ? "amtsgericht" : "landgericht"));
    TRY(api->result_string(
        out, "route.track",
        r.mahnverfahren
            ? (r.amtsgericht ? "mahnverfahren_then_amtsgericht" : "mahnverfahren_then_landgericht")
            : (r.amtsgericht ? "klage_amtsgericht" : "klage_landgericht")));
    TRY(api->result_money(out, "route.streitwert", baton_money_make(r.streitwert, "EUR")));
    TRY(api->result_money(out, "route.amtsgericht_limit", baton_money_make(r.ag_limit, "EUR")));
    TRY(bpc_dated_note(api, out, &de_amtsgericht_limits, c->as_of));
out:
    return rc;
}

static int de_evaluate(void *state, const baton_view *cv, baton_result *out)
{
    const de_state *st = state;
    de_case c;
    char why[160];
    int rc = de_case_read(st, cv, &c, why, sizeof why);
    if (rc != 0) {
        /* Report what is missing instead of failing the evaluation. */
        return st->api->result_finding(out, "readiness", "case_incomplete", BATON_FINDING_MISSING,
                                       why, NULL);
    }
    rc = limitation(st, cv, &c, out);
    if (rc == 0 && c.not_yet_due) {
        char d[11], text[200];
        de_fmt_date(c.due_date, d);
        bpc_format(
            text, sizeof text,
            "Forderung erst am %s fällig: vorher kein Anspruch, kein Mahnverfahren und keine "
            "Klage.",
            d);
        rc = st->api->result_finding(out, "limitation", "not_yet_due", BATON_FINDING_BLOCK, text,
                                     "§ 271 BGB");
    }
    if (rc == 0)
        rc = readiness(st, cv, &c, out);
    /* Nothing is due yet: no route to propose (issue 11 item 2). */
    if (rc == 0 && !c.not_yet_due)
        rc = route(st, &c, out);
    return rc;
}

const baton_filing_rules de_filing_rules = {
    sizeof(baton_filing_rules),
    de_evaluate,
};
