/*
 * rules.c - filing_rules of us-ca: what California requires before and when
 * going to court on a money claim.
 *
 * Owns: the findings and facts of categories "readiness", "limitation",
 * "pre_action" and "route". Does not own: the arithmetic (claim.c,
 * calendar.c, tables.c) or costs (fees.c).
 */
#include <string.h>

#include "case_view.h"
#include "us_ca.h"
#include "text_format.h"

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

/* The latest date of a letter of kind in letters_sent; 0 when none. */
static int latest_letter(const usca_state *st, const baton_view *v, const char *kind,
                         baton_date *out)
{
    size_t n = 0;
    int found = 0;
    if (st->api->view_count(v, "letters_sent", &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char path[48];
        baton_date d;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".kind");
        if (strcmp(usca_str(st, v, path, ""), kind) != 0)
            continue;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".date");
        if (usca_date(st, v, path, &d) != 0)
            continue;
        if (!found || baton_date_cmp(d, *out) > 0)
            *out = d;
        found = 1;
    }
    return found;
}

static int unanswered_disputes(const usca_state *st, const baton_view *v)
{
    size_t n = 0;
    int count = 0;
    if (st->api->view_count(v, "disputes", &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char path[48];
        BPC_PATH_AT(path, sizeof path, "disputes", i, ".answered");
        if (!usca_bool(st, v, path, 0))
            count++;
    }
    return count;
}

/* One checklist item: met or missing, counted into the readiness facts. */
static int item(const usca_state *st, baton_result *r, const char *code, int met,
                const char *met_text, const char *missing_text, const char *basis,
                int64_t counts[2])
{
    counts[met ? 0 : 1]++;
    return st->api->result_finding(r, "readiness", code,
                                   met ? BATON_FINDING_MET : BATON_FINDING_MISSING,
                                   met ? met_text : missing_text, met ? NULL : basis);
}

/*
 * The field's documentation checklist, with the codes every Baton
 * jurisdiction plugin uses (agreement, invoices_statements,
 * proof_of_delivery, communication_log, identity_verified,
 * collection_attempts, disputes_answered), read the way California law
 * reads each, then California's own items.
 */
static int readiness(const usca_state *st, const baton_view *v, const usca_claim *c,
                     baton_result *r)
{
    const baton_host_api *a = st->api;
    int64_t counts[2] = {0, 0};
    size_t nd = 0;
    int open = unanswered_disputes(st, v);
    const char *agreement_missing;
    bpc_documents docs;
    bpc_letters letters;
    const size_t *doc = docs.count;

    /* documents[] and letters_sent[] read once each, for every question. */
    bpc_documents_read(a, v, &docs);
    bpc_letters_read(a, v,
                     BPC_LETTER_BIT(BPC_LETTER_REMINDER) | BPC_LETTER_BIT(BPC_LETTER_FINAL_DEMAND),
                     &letters);

    if (strcmp(c->contract_type, "oral") == 0)
        agreement_missing = "No record of the oral agreement: note who agreed what, when and "
                            "where; the claim must be proved by testimony.";
    else if (strcmp(c->contract_type, "open_account") == 0)
        agreement_missing = "No credit application or account terms on file; the account is "
                            "proved by its entries, but the terms fix any interest rate.";
    else
        agreement_missing = "The contract is said to be written but no agreement is on file; "
                            "without the instrument in writing the claim may be treated as "
                            "oral (two years).";
    CHECK(item(st, r, "agreement", doc[BPC_DOC_AGREEMENT] > 0, "The agreement is on file.",
               agreement_missing,
               strcmp(c->contract_type, "written") == 0 ? "CCP 337(a), 339(1)" : NULL, counts));
    CHECK(item(st, r, "invoices_statements", doc[BPC_DOC_INVOICE] > 0 || doc[BPC_DOC_STATEMENT] > 0,
               "Invoices or statements of account are on file.",
               "No invoice or statement of account on file; a book account is proved by its "
               "entries.",
               strcmp(c->contract_type, "open_account") == 0 ? "CCP 337(b)" : NULL, counts));
    CHECK(item(st, r, "proof_of_delivery", doc[BPC_DOC_PROOF_OF_DELIVERY] > 0,
               "Proof of delivery or performance is on file.",
               "No delivery note, signed receipt or completion record on file.", NULL, counts));
    CHECK(item(st, r, "communication_log", doc[BPC_DOC_COMMUNICATION_LOG] > 0,
               "A timeline of contacts with the debtor is on file.",
               "No timeline of contacts with the debtor on file.", NULL, counts));
    CHECK(item(st, r, "identity_verified", usca_bool(st, v, "debtor.identity_verified", 0),
               "The debtor's identity has been verified.",
               "Verify the debtor's identity: a judgment against the wrong person cannot be "
               "enforced.",
               NULL, counts));
    CHECK(item(st, r, "collection_attempts",
               doc[BPC_DOC_COLLECTION_ATTEMPT] > 0 || letters.latest[BPC_LETTER_REMINDER] >= 0 ||
                   letters.latest[BPC_LETTER_FINAL_DEMAND] >= 0,
               "Reminders, demands or other collection attempts are recorded.",
               "No reminder, demand or other collection attempt recorded.", NULL, counts));
    if (st->api->view_count(v, "disputes", &nd) != 0 || nd == 0) {
        /* No disputes[] list: compare dispute and dispute_answer documents. */
        int raised = (int)doc[BPC_DOC_DISPUTE];
        int answered = (int)doc[BPC_DOC_DISPUTE_ANSWER];
        open = raised > answered ? raised - answered : 0;
    }
    CHECK(item(st, r, "disputes_answered", open == 0, "No dispute is left unanswered.",
               "A dispute of the debtor is unanswered: answer it, with the documents asked "
               "for, before going to court.",
               c->consumer ? "15 U.S.C. 1692g(b)" : NULL, counts));

    if (c->assigned && c->consumer)
        CHECK(a->result_finding(
            r, "readiness", "debt_buyer_documents", BATON_FINDING_WARN,
            "The debt was assigned: a debt buyer suing on a consumer debt must hold the "
            "charge-off balance, the chain of title and the original creditor's details, and "
            "plead them in the complaint.",
            "Civil Code 1788.52, 1788.58"));
    CHECK(a->result_int(r, "readiness.met", counts[0]));
    CHECK(a->result_int(r, "readiness.missing", counts[1]));
    return 0;
}

/* What the agency knows about the debtor that stops or pauses a suit. */
static int debtor(const usca_state *st, const baton_view *v, baton_result *r)
{
    const baton_host_api *a = st->api;
    if (usca_bool(st, v, "debtor_profile.insolvent", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_insolvent", BATON_FINDING_BLOCK,
                                "The debtor is in bankruptcy: the automatic stay bars starting "
                                "or continuing an action to collect the debt; file a proof of "
                                "claim instead.",
                                "11 U.S.C. 362(a)"));
    if (usca_bool(st, v, "debtor_profile.deceased", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_deceased", BATON_FINDING_BLOCK,
                                "The debtor has died: present a creditor's claim in the estate "
                                "instead of suing the debtor.",
                                "Probate Code 9000 et seq."));
    if (usca_bool(st, v, "debtor_profile.vulnerable", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_vulnerable", BATON_FINDING_WARN,
                                "Signs of vulnerability are recorded: pause and review before "
                                "any further step.",
                                NULL));
    return 0;
}

static int limitation(const usca_state *st, const baton_view *v, const usca_claim *c,
                      const usca_limitation *lim, baton_result *r)
{
    const baton_host_api *a = st->api;
    char text[400], dl[11], st_date[11], un[11], moved[160] = "";

    usca_iso(lim->deadline, dl);
    usca_iso(lim->start, st_date);
    if (lim->moved.moved) {
        usca_iso(lim->moved.unmoved, un);
        bpc_format(moved, sizeof moved,
                   " (the period ends on %s, %s, a court holiday: extended to the next court day "
                   "under CCP 12, 12a)",
                   un, lim->moved.closed_day);
    }
    bpc_format(text, sizeof text, "%d years (%s) from %s: the last day to file is %s%s.",
               lim->years,
               strcmp(c->contract_type, "oral") == 0           ? "contract not in writing"
               : strcmp(c->contract_type, "open_account") == 0 ? "open book account"
                                                               : "written contract",
               st_date, dl, moved);
    CHECK(a->result_finding(r, "limitation", "limitation_period", BATON_FINDING_INFO, text,
                            lim->basis));
    if (lim->restarted)
        CHECK(a->result_finding(r, "limitation", "acknowledgment_counted", BATON_FINDING_INFO,
                                "The debtor's signed written acknowledgment starts a new period "
                                "from its date.",
                                "CCP 360"));
    if (lim->ack_ignored)
        CHECK(a->result_finding(
            r, "limitation", "acknowledgment_not_counted", BATON_FINDING_WARN,
            lim->years == 4
                ? "The acknowledgment does not extend the four-year period: it can only be "
                  "extended by a signed written waiver (CCP 360.5). The deadline ignores it."
                : "The acknowledgment was given after the period had run; whether it revives "
                  "the debt needs legal review. The deadline ignores it.",
            lim->years == 4 ? "CCP 337(d), 360.5" : "CCP 360"));
    if (st->api->view_type(v, "claim.last_payment_date") == BATON_VIEW_STRING)
        CHECK(a->result_finding(r, "limitation", "part_payment_not_counted", BATON_FINDING_INFO,
                                "A part payment does not restart the period for this kind of "
                                "claim (only payments on a promissory note do).",
                                "CCP 360"));

    if (baton_date_cmp(c->as_of, c->due) <= 0)
        CHECK(a->result_finding(r, "limitation", "not_yet_due", BATON_FINDING_BLOCK,
                                "The debt is not yet due: no cause of action until the day "
                                "after the due date.",
                                NULL));
    if (lim->time_barred) {
        bpc_format(text, sizeof text,
                   "Time-barred: the limitation period ended on %s. No action may be filed.", dl);
        CHECK(a->result_finding(r, "limitation", "time_barred", BATON_FINDING_BLOCK, text,
                                lim->basis));
    } else {
        bpc_format(text, sizeof text, "In time: %lld days left to file (last day %s).",
                   (long long)lim->days_left, dl);
        CHECK(a->result_finding(r, "limitation", "in_time", BATON_FINDING_MET, text, lim->basis));
        if (lim->days_left <= 90)
            CHECK(a->result_finding(r, "limitation", "limitation_near", BATON_FINDING_WARN,
                                    "Less than 90 days remain before the claim is time-barred.",
                                    lim->basis));
    }
    CHECK(a->result_date(r, "limitation.accrual", lim->accrual));
    CHECK(bpc_deadline_report(a, r, &usca_court_calendar, "limitation.deadline", &lim->moved));
    CHECK(a->result_int(r, "limitation.days_left", lim->days_left));
    CHECK(a->result_int(r, "limitation.period_years", lim->years));
    CHECK(a->result_string(r, "limitation.basis", lim->basis));
    return 0;
}

/* Letters that demand payment of the debt. */
static const char *const demand_letters[] = {"reminder", "final_demand", "validation_notice",
                                             "letter_of_claim", "first_demand"};

static int payment_demanded(const usca_state *st, const baton_view *v, const usca_route *rt,
                            baton_result *r)
{
    baton_date d;
    if (rt->track != USCA_SMALL_CLAIMS)
        return 0;
    for (size_t i = 0; i < sizeof demand_letters / sizeof demand_letters[0]; i++)
        if (latest_letter(st, v, demand_letters[i], &d))
            return st->api->result_finding(r, "pre_action", "payment_demanded", BATON_FINDING_MET,
                                           "Payment has been demanded in writing, as the small "
                                           "claims form asks.",
                                           "CCP 116.320(b)(3)");
    return st->api->result_finding(r, "pre_action", "payment_demanded", BATON_FINDING_MISSING,
                                   "Demand payment before filing: the small claims form asks "
                                   "the plaintiff to state that payment was demanded.",
                                   "CCP 116.320(b)(3)");
}

static int pre_action(const usca_state *st, const baton_view *v, const usca_claim *c,
                      const usca_limitation *lim, const usca_route *rt, baton_result *r)
{
    const baton_host_api *a = st->api;
    baton_date sent, receipt, end, earliest = c->as_of;
    char text[320], d1[11];
    int rc;

    CHECK(payment_demanded(st, v, rt, r));

    if (!c->consumer) {
        CHECK(a->result_date(r, "pre_action.earliest_issue_date", earliest));
        return 0;
    }

    if (lim->time_barred)
        CHECK(a->result_finding(
            r, "pre_action", "regf_time_barred_suit", BATON_FINDING_BLOCK,
            "Consumer debt past its limitation period: a debt collector must not sue or "
            "threaten to sue on it, and no letter may say or imply that it will.",
            c->assigned ? "12 CFR 1006.26(b); Civil Code 1788.56" : "12 CFR 1006.26(b)"));

    if (latest_letter(st, v, "validation_notice", &sent)) {
        rc = usca_validation_period_end(sent, &receipt, &end);
        if (rc < 0) {
            CHECK(a->result_finding(r, "pre_action", "regf_validation_period", BATON_FINDING_WARN,
                                    "The validation notice date is outside the years whose "
                                    "federal holidays the plugin knows (2021-2030).",
                                    "12 CFR 1006.34(b)(5)"));
        } else {
            usca_iso(end, d1);
            CHECK(a->result_date(r, "pre_action.validation_period_end", end));
            if (baton_date_cmp(c->as_of, end) <= 0) {
                bpc_format(text, sizeof text,
                           "The validation period runs until %s; wait for it to end before "
                           "filing, and stop collecting if the consumer disputes in writing.",
                           d1);
                CHECK(a->result_finding(r, "pre_action", "regf_validation_period",
                                        BATON_FINDING_WARN, text,
                                        "12 CFR 1006.34(b)(5), (c)(3); 15 U.S.C. 1692g(b)"));
                earliest = baton_date_add_days(end, 1);
            } else {
                bpc_format(text, sizeof text, "Validation notice sent; its period ended on %s.",
                           d1);
                CHECK(a->result_finding(r, "pre_action", "regf_validation_notice",
                                        BATON_FINDING_MET, text, "12 CFR 1006.34"));
            }
        }
    } else {
        CHECK(a->result_finding(
            r, "pre_action", "regf_validation_notice", BATON_FINDING_MISSING,
            "No validation notice has been sent: send it (letter \"validation_notice\") and "
            "let the validation period run before filing.",
            "12 CFR 1006.34(a)"));
        if (usca_validation_period_end(c->as_of, &receipt, &end) == 0)
            earliest = baton_date_add_days(end, 1);
    }

    if (unanswered_disputes(st, v) > 0)
        CHECK(a->result_finding(
            r, "pre_action", "regf_dispute_unverified", BATON_FINDING_BLOCK,
            "The consumer disputed the debt and the dispute is unanswered: collection must stop "
            "until verification of the debt has been mailed to the consumer.",
            "15 U.S.C. 1692g(b); 12 CFR 1006.34(c)(3)(i)"));
    CHECK(a->result_date(r, "pre_action.earliest_issue_date", earliest));
    return 0;
}

static int route(const usca_state *st, const usca_claim *c, const usca_route *rt, baton_result *r)
{
    const baton_host_api *a = st->api;
    char text[360], dem[32], lim[32], aic[32];
    const char *track, *court;

    usca_usd(c->demand, dem, sizeof dem);
    usca_usd(c->amount_in_controversy, aic, sizeof aic);
    usca_usd(rt->small_claims_limit, lim, sizeof lim);
    if (rt->over_limit) {
        bpc_format(text, sizeof text,
                   "The demand of %s exceeds the small-claims limit of %s for a %s plaintiff.", dem,
                   lim, c->creditor_natural ? "natural-person" : "non-natural-person");
        CHECK(a->result_finding(r, "route", "small_claims_limit", BATON_FINDING_INFO, text,
                                c->creditor_natural ? "CCP 116.221" : "CCP 116.220(a)(1)"));
    }
    if (rt->assignee)
        CHECK(a->result_finding(r, "route", "small_claims_assignee", BATON_FINDING_INFO,
                                "The claimant is an assignee and may not file in small claims "
                                "court.",
                                "CCP 116.420(a)"));
    if (rt->over_2500_barred)
        CHECK(a->result_finding(r, "route", "small_claims_two_per_year", BATON_FINDING_INFO,
                                "The claimant has already filed two small claims over $2,500 "
                                "this calendar year.",
                                "CCP 116.231(a)"));
    if (rt->track == USCA_SMALL_CLAIMS && rt->over_2500_unknown)
        CHECK(a->result_finding(
            r, "route", "small_claims_declaration", BATON_FINDING_MISSING,
            "The demand exceeds $2,500: the claimant must declare that it has not filed more "
            "than two such small claims this calendar year (give "
            "ext.us-ca.small_claims_over_2500_this_year).",
            "CCP 116.231(a), (b)"));
    if (rt->track == USCA_SMALL_CLAIMS && rt->filed_12_months > 12)
        CHECK(a->result_finding(r, "route", "frequent_filer", BATON_FINDING_INFO,
                                "The claimant filed more than 12 small claims in the previous 12 "
                                "months: the higher filing fee applies.",
                                "CCP 116.230(c)"));

    switch (rt->track) {
    case USCA_SMALL_CLAIMS:
        track = "small_claims";
        court = "Superior Court of California, small claims division";
        bpc_format(text, sizeof text, "Small claims court: demand %s within the %s limit.", dem,
                   lim);
        break;
    case USCA_LIMITED_CIVIL:
        track = "limited_civil";
        court = "Superior Court of California, limited civil case";
        bpc_format(text, sizeof text,
                   "Limited civil case: amount in controversy %s (demand %s; interest, costs and "
                   "attorney fees excluded).",
                   aic, dem);
        break;
    default:
        track = "unlimited_civil";
        court = "Superior Court of California, unlimited civil case";
        bpc_format(text, sizeof text,
                   "Unlimited civil case: amount in controversy %s (demand %s; interest, costs and "
                   "attorney fees excluded).",
                   aic, dem);
        break;
    }
    CHECK(a->result_finding(r, "route", "route", BATON_FINDING_INFO, text,
                            rt->track == USCA_SMALL_CLAIMS ? "CCP 116.220, 116.221"
                                                           : "CCP 85(a), 88"));
    CHECK(a->result_string(r, "route.track", track));
    CHECK(a->result_string(r, "route.court", court));
    CHECK(a->result_money(r, "route.demand", baton_money_make(c->demand, "USD")));
    CHECK(a->result_money(r, "route.small_claims_limit",
                          baton_money_make(rt->small_claims_limit, "USD")));
    CHECK(a->result_money(r, "route.amount_in_controversy",
                          baton_money_make(c->amount_in_controversy, "USD")));
    CHECK(a->result_money(r, "route.limited_civil_limit",
                          baton_money_make(rt->limited_limit, "USD")));
    CHECK(bpc_dated_note(
        a, r, c->creditor_natural ? st->small_claims_natural : st->small_claims_entity, c->as_of));
    CHECK(bpc_dated_note(a, r, st->limited_civil, c->as_of));
    return 0;
}

int usca_filing_rules(void *state, const baton_view *v, baton_result *out)
{
    const usca_state *st = state;
    usca_claim c;
    usca_limitation lim;
    usca_route rt;
    char why[160];

    if (usca_claim_read(st, v, &c, why, sizeof why) != 0)
        return st->api->result_finding(out, "readiness", "case_incomplete", BATON_FINDING_BLOCK,
                                       why, NULL);
    usca_limitation_compute(st, v, &c, &lim);
    usca_route_compute(st, v, &c, &rt);
    if (c.rate_unusable)
        CHECK(st->api->result_finding(out, "readiness", "interest_rate_unusable",
                                      BATON_FINDING_WARN,
                                      "The contract rate (or the interest it gives) is beyond "
                                      "what the plugin computes; no interest was added.",
                                      "Civil Code 3289(a)"));
    CHECK(readiness(st, v, &c, out));
    CHECK(debtor(st, v, out));
    CHECK(limitation(st, v, &c, &lim, out));
    CHECK(pre_action(st, v, &c, &lim, &rt, out));
    CHECK(route(st, &c, &rt, out));
    return 0;
}
