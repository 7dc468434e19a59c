/*
 * rules.c - filing_rules of us-ny: what New York requires before and when
 * suing on a money claim, with the Consumer Credit Fairness Act (L. 2021,
 * ch. 593) for consumer credit transactions.
 *
 * Owns: the findings and facts of categories "readiness", "debtor",
 * "limitation", "pre_action", "route", "judgment". Does not own: the
 * arithmetic (claim.c), the tables (params.c) or costs (fees.c).
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

static int item(const usny_state *st, baton_result *r, const char *code, int met,
                const char *met_text, const char *missing_text, const char *basis,
                int64_t counts[2])
{
    counts[met ? 0 : 1]++;
    return st->api->result_finding(r, "readiness", code,
                                   met ? BATON_FINDING_MET : BATON_FINDING_MISSING,
                                   met ? met_text : missing_text, basis);
}

static int readiness(const usny_state *st, const baton_view *v, const usny_claim *c,
                     baton_result *r)
{
    const baton_host_api *a = st->api;
    int64_t counts[2] = {0, 0};
    bpc_documents docs;
    bpc_letters letters;
    const size_t *doc = docs.count;
    int attempts, agreement, statement;

    /* documents[] and letters_sent[] read once each, for every question. */
    bpc_documents_read(a, v, &docs);
    bpc_letters_read(a, v,
                     BPC_LETTER_BIT(BPC_LETTER_REMINDER) | BPC_LETTER_BIT(BPC_LETTER_FINAL_DEMAND) |
                         BPC_LETTER_BIT(BPC_LETTER_VALIDATION_NOTICE),
                     &letters);
    attempts = doc[BPC_DOC_COLLECTION_ATTEMPT] > 0 || letters.latest[BPC_LETTER_REMINDER] >= 0 ||
               letters.latest[BPC_LETTER_FINAL_DEMAND] >= 0 ||
               letters.latest[BPC_LETTER_VALIDATION_NOTICE] >= 0;
    agreement = doc[BPC_DOC_AGREEMENT] > 0;
    statement = doc[BPC_DOC_STATEMENT] > 0;

    CHECK(item(st, r, "agreement", agreement, "The agreement is on file.", "No agreement on file.",
               NULL, counts));
    CHECK(item(st, r, "invoices_statements", statement || doc[BPC_DOC_INVOICE] > 0,
               "Invoices or statements of account are on file.",
               "No invoice or statement of account on file.", NULL, counts));
    CHECK(item(st, r, "proof_of_delivery", doc[BPC_DOC_PROOF_OF_DELIVERY] > 0,
               "Proof of delivery or performance is on file.",
               "No delivery note, signed receipt or completion record on file.", NULL, counts));
    CHECK(item(st, r, "communication_log", doc[BPC_DOC_COMMUNICATION_LOG] > 0,
               "A timeline of contacts with the debtor is on file.",
               "No record of contacts with the debtor on file.", NULL, counts));
    CHECK(item(st, r, "identity_verified", bpc_bool(st->api, v, "debtor.identity_verified", 0),
               "The debtor's identity has been verified.",
               "The debtor's identity has not been verified.", NULL, counts));
    CHECK(item(st, r, "collection_attempts", attempts,
               "Collection has been attempted (reminders, demand or a recorded attempt).",
               "No reminder, demand or recorded collection attempt on file.", NULL, counts));
    CHECK(item(st, r, "disputes_answered", bpc_unanswered_disputes(st->api, v) == 0,
               "No dispute is left unanswered.", "A dispute of the debtor is unanswered.",
               c->consumer ? "15 U.S.C. 1692g(b)" : NULL, counts));

    if (c->consumer_credit) {
        /* CPLR 3016(j) (CCFA § 5, in force 2022-05-07): what a complaint on
         * a consumer credit transaction must attach and state. */
        int last_payment = st->api->view_type(v, "claim.last_payment_date") == BATON_VIEW_STRING ||
                           bpc_bool(st->api, v, "ext.us-ny.no_payment_made", 0);
        const char *last4 = bpc_str(st->api, v, "ext.us-ny.account_last4", NULL);
        CHECK(item(st, r, "cplr_3016j_instrument", agreement || (c->revolving && statement),
                   c->revolving && !agreement
                       ? "The charge-off statement is on file to attach to the complaint "
                         "(revolving credit)."
                       : "The contract is on file to attach to the complaint.",
                   "The complaint must attach the contract or other written instrument (for "
                   "revolving credit, the charge-off statement may be attached instead).",
                   "CPLR 3016(j)(1)", counts));
        CHECK(item(st, r, "cplr_3016j_account_last4", last4 != NULL,
                   "The last four digits of the account number are known.",
                   "The complaint must state the last four digits of the account number on the "
                   "most recent monthly statement recording a purchase, payment or balance "
                   "transfer (give ext.us-ny.account_last4).",
                   "CPLR 3016(j)(2)(ii)", counts));
        CHECK(item(st, r, "cplr_3016j_last_payment", last_payment,
                   "The date and amount of the last payment (or that none was made) are known.",
                   "The complaint must state the date and amount of the last payment, or that "
                   "none was made (give claim.last_payment_date or "
                   "ext.us-ny.no_payment_made).",
                   "CPLR 3016(j)(2)(iii)", counts));
        CHECK(item(st, r, "cplr_3016j_itemization",
                   st->api->view_type(v, "claim.itemization") == BATON_VIEW_OBJECT,
                   "An itemization of the amount sought is on file.",
                   "The complaint must itemize the amount sought (principal, finance charges, "
                   "fees, collection costs, attorney's fees, interest); give "
                   "claim.itemization.",
                   "CPLR 3016(j)(2)(iv)", counts));
        if (c->assigned)
            CHECK(item(st, r, "cplr_3016j_chain_of_title",
                       st->api->view_type(v, "assignments[0].date") == BATON_VIEW_STRING,
                       "The chain of title (each assignment with its date) is on file.",
                       "A debt buyer's complaint must name the original creditor and each "
                       "assignment with its date.",
                       "CPLR 3016(j)(2)(i), (v)", counts));
    }
    CHECK(a->result_int(r, "readiness.met", counts[0]));
    CHECK(a->result_int(r, "readiness.missing", counts[1]));
    return 0;
}

static int debtor(const usny_state *st, const baton_view *v, baton_result *r)
{
    const baton_host_api *a = st->api;
    if (bpc_bool(st->api, v, "debtor_profile.insolvent", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_insolvent", BATON_FINDING_BLOCK,
                                "The debtor is in bankruptcy: the automatic stay bars starting "
                                "or continuing an action to collect the debt.",
                                "11 U.S.C. 362(a)"));
    if (bpc_bool(st->api, v, "debtor_profile.deceased", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_deceased", BATON_FINDING_BLOCK,
                                "The debtor has died: present the claim to the estate.",
                                "N.Y. SCPA 1803"));
    if (bpc_bool(st->api, v, "debtor_profile.vulnerable", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_vulnerable", BATON_FINDING_WARN,
                                "Signs of vulnerability are recorded: pause and review before "
                                "any further step.",
                                NULL));
    return 0;
}

static int limitation(const usny_state *st, const usny_claim *c, const usny_limitation *lim,
                      baton_result *r)
{
    const baton_host_api *a = st->api;
    char text[420], dl[11], from[11], unmoved[11];

    bpc_iso_date(lim->deadline.date, dl);
    bpc_iso_date(lim->start, from);
    bpc_format(text, sizeof text, "%d years (%s) from %s: the last day to sue is %s.", lim->years,
               c->consumer_credit ? "consumer credit transaction" : "contract", from, dl);
    CHECK(a->result_finding(r, "limitation", "limitation_period", BATON_FINDING_INFO, text,
                            lim->basis));
    if (lim->deadline.moved) {
        bpc_iso_date(lim->deadline.unmoved, unmoved);
        bpc_format(text, sizeof text,
                   "The period ends on %s, a %s: the action may be commenced on the next business "
                   "day, %s.",
                   unmoved, lim->deadline.closed_day, dl);
        CHECK(a->result_finding(r, "limitation", "deadline_moved", BATON_FINDING_INFO, text,
                                "N.Y. General Construction Law § 25-a"));
    }
    if (lim->restarted)
        CHECK(a->result_finding(r, "limitation", "acknowledgment_counted", BATON_FINDING_INFO,
                                "A written acknowledgment or part payment started the six years "
                                "again.",
                                "N.Y. General Obligations Law § 17-101"));
    if (lim->ignored_act)
        CHECK(a->result_finding(
            r, "limitation", lim->after_expiry ? "no_revival" : "acknowledgment_not_counted",
            BATON_FINDING_WARN,
            lim->after_expiry
                ? "A payment or acknowledgment after the period ran does not revive or extend "
                  "it."
                : "A payment or acknowledgment inside the three years is not counted: the "
                  "deadline shown ignores it.",
            c->consumer_credit ? "CPLR 214-i" : "N.Y. General Obligations Law § 17-101"));
    if (baton_date_cmp(c->as_of, c->due) <= 0)
        CHECK(a->result_finding(r, "limitation", "not_yet_due", BATON_FINDING_BLOCK,
                                "The debt is not yet due: no cause of action before default.",
                                NULL));
    if (lim->time_barred) {
        bpc_format(text, sizeof text,
                   "Time-barred: the limitation period ended on %s. No action may be commenced.",
                   dl);
        CHECK(a->result_finding(r, "limitation", "time_barred", BATON_FINDING_BLOCK, text,
                                lim->basis));
    } else {
        bpc_format(text, sizeof text, "In time: %lld days left to sue (last day %s).",
                   (long long)lim->days_left, dl);
        CHECK(a->result_finding(r, "limitation", "in_time", BATON_FINDING_MET, text, lim->basis));
        if (lim->days_left <= 90)
            CHECK(a->result_finding(r, "limitation", "limitation_near", BATON_FINDING_WARN,
                                    "Less than 90 days remain before the claim is time-barred.",
                                    lim->basis));
    }
    CHECK(a->result_date(r, "limitation.accrual", lim->accrual));
    CHECK(bpc_deadline_report(a, r, &st->ny, "limitation.deadline", &lim->deadline));
    CHECK(a->result_int(r, "limitation.days_left", lim->days_left));
    CHECK(a->result_int(r, "limitation.period_years", lim->years));
    CHECK(a->result_string(r, "limitation.basis", lim->basis));
    return 0;
}

static int pre_action(const usny_state *st, const baton_view *v, const usny_claim *c,
                      const usny_limitation *lim, const usny_route *rt, baton_result *r)
{
    const baton_host_api *a = st->api;
    baton_date sent, receipt, end, earliest = c->as_of;
    char text[360], d1[11];

    if (rt->track == USNY_COMMERCIAL_CLAIMS && rt->consumer_transaction) {
        /* CCA/UCCA 1803-A(b): a demand letter at least 10 and at most 180
         * days before a commercial claim on a consumer transaction. */
        baton_date d;
        int ok = bpc_latest_letter(st->api, v, "final_demand", &d, NULL) &&
                 baton_date_diff(d, c->as_of) >= 10 && baton_date_diff(d, c->as_of) <= 180;
        CHECK(a->result_finding(r, "pre_action", "commercial_demand_letter",
                                ok ? BATON_FINDING_MET : BATON_FINDING_MISSING,
                                ok ? "The demand letter went out 10 to 180 days before filing."
                                   : "A commercial claim on a consumer transaction needs a demand "
                                     "letter (final_demand) sent at least 10 and at most 180 "
                                     "days before filing, certified with the claim.",
                                "CCA/UCCA 1803-A(b)"));
        if (!ok && bpc_latest_letter(st->api, v, "final_demand", &d, NULL) &&
            baton_date_diff(d, c->as_of) < 10)
            earliest = baton_date_add_days(d, 10);
    }
    if (!c->consumer) {
        CHECK(a->result_date(r, "pre_action.earliest_issue_date", earliest));
        return 0;
    }
    if (lim->time_barred)
        CHECK(a->result_finding(
            r, "pre_action", "regf_time_barred_suit", BATON_FINDING_BLOCK,
            "Consumer debt past its limitation period: a debt collector must not sue or threaten "
            "to sue on it; before accepting a payment the 23 NYCRR 1.3 notice must be given.",
            "12 CFR 1006.26(b); 23 NYCRR 1.3"));
    if (bpc_latest_letter(st->api, v, "validation_notice", &sent, NULL)) {
        if (usny_add_federal_business_days(st, sent, 5, &receipt) == 0) {
            end = baton_date_add_days(receipt, 30);
            bpc_iso_date(end, d1);
            CHECK(a->result_date(r, "pre_action.validation_period_end", end));
            if (baton_date_cmp(c->as_of, end) <= 0) {
                bpc_format(text, sizeof text,
                           "The validation period runs until %s; wait for it to end before suing.",
                           d1);
                CHECK(a->result_finding(r, "pre_action", "regf_validation_period",
                                        BATON_FINDING_WARN, text, "12 CFR 1006.34(b)(5)"));
                earliest = baton_date_add_days(end, 1);
            } else {
                CHECK(a->result_finding(r, "pre_action", "regf_validation_notice",
                                        BATON_FINDING_MET,
                                        "Validation notice (with the 23 NYCRR 1.2 disclosures) "
                                        "sent and its period has ended.",
                                        "12 CFR 1006.34; 23 NYCRR 1.2"));
            }
        }
    } else {
        CHECK(a->result_finding(r, "pre_action", "regf_validation_notice", BATON_FINDING_MISSING,
                                "No validation notice has been sent: send it (letter "
                                "\"validation_notice\", with the 23 NYCRR 1.2 disclosures) and "
                                "let the validation period run before suing.",
                                "12 CFR 1006.34(a); 23 NYCRR 1.2(a)"));
        if (usny_add_federal_business_days(st, c->as_of, 5, &receipt) == 0)
            earliest = baton_date_add_days(baton_date_add_days(receipt, 30), 1);
    }
    if (bpc_unanswered_disputes(st->api, v) > 0)
        CHECK(a->result_finding(r, "pre_action", "regf_dispute_unverified", BATON_FINDING_BLOCK,
                                "The consumer disputed the debt and it is unanswered: collection "
                                "stops until verification is mailed.",
                                "15 U.S.C. 1692g(b)"));
    CHECK(a->result_date(r, "pre_action.earliest_issue_date", earliest));
    return 0;
}

static const char *const court_names[] = {"Civil Court of the City of New York", "City Court",
                                          "District Court", "Town or Village Justice Court"};

static int route(const usny_state *st, const usny_claim *c, const usny_route *rt, baton_result *r)
{
    const baton_host_api *a = st->api;
    char text[420], dem[32], lim[32];
    const char *track, *court = court_names[rt->court];

    usny_usd(c->demand, dem, sizeof dem);
    if (rt->court_assumed)
        CHECK(a->result_finding(r, "route", "court_assumed", BATON_FINDING_INFO,
                                "The court was chosen from the debtor's city; give "
                                "ext.us-ny.court (nyc, city, district, town_village) to choose "
                                "it.",
                                NULL));
    switch (rt->track) {
    case USNY_SMALL_CLAIMS:
        track = "small_claims";
        usny_usd(rt->small_limit, lim, sizeof lim);
        bpc_format(text, sizeof text, "Small claims part of the %s: %s is within the %s limit.",
                   court, dem, lim);
        break;
    case USNY_COMMERCIAL_CLAIMS:
        track = "commercial_claims";
        usny_usd(rt->commercial_limit, lim, sizeof lim);
        bpc_format(text, sizeof text,
                   "Commercial claims part of the %s: %s is within the %s limit%s.", court, dem,
                   lim, rt->consumer_transaction ? " (a consumer transaction)" : "");
        break;
    case USNY_CIVIL_COURT:
        track = "civil_court";
        court = "Civil Court of the City of New York";
        bpc_format(text, sizeof text, "Civil action in the Civil Court of the City of New York.");
        break;
    case USNY_SUPREME_COURT:
        track = "supreme_court";
        court = "Supreme Court of the State of New York";
        bpc_format(text, sizeof text,
                   "Civil action in the Supreme Court (above the Civil Court's $50,000).");
        break;
    default:
        track = "civil_action";
        bpc_format(text, sizeof text,
                   "Civil action in the %s, or the County or Supreme Court above its limit; the "
                   "filing fee is not tabulated by the plugin.",
                   court);
        break;
    }
    CHECK(a->result_finding(r, "route", "route", BATON_FINDING_INFO, text,
                            rt->track == USNY_SMALL_CLAIMS        ? "CCA/UCCA/UJCA 1801"
                            : rt->track == USNY_COMMERCIAL_CLAIMS ? "CCA/UCCA 1801-A, 1803-A"
                                                                  : "CCA 202; CPLR 8018"));
    if (rt->track == USNY_COMMERCIAL_CLAIMS && rt->commercial_count_unknown)
        CHECK(a->result_finding(r, "route", "commercial_claims_certification",
                                BATON_FINDING_MISSING,
                                "The claimant must certify that no more than five commercial "
                                "claims were filed this calendar month (give "
                                "ext.us-ny.commercial_claims_this_month).",
                                "CCA/UCCA 1803-A(a)"));
    if (rt->commercial_count_over)
        CHECK(a->result_finding(r, "route", "commercial_claims_monthly_limit", BATON_FINDING_INFO,
                                "Five commercial claims were already filed this month.",
                                "CCA/UCCA 1803-A(a)"));
    CHECK(a->result_string(r, "route.track", track));
    CHECK(a->result_string(r, "route.court", court));
    CHECK(a->result_money(r, "route.demand", baton_money_make(c->demand, "USD")));
    CHECK(a->result_money(r, "route.small_claims_limit", baton_money_make(rt->small_limit, "USD")));
    CHECK(a->result_money(r, "route.commercial_claims_limit",
                          baton_money_make(rt->commercial_limit, "USD")));
    CHECK(bpc_dated_note(a, r, &usny_limits_table, c->as_of));
    return 0;
}

/* CPLR 5004(a): the post-judgment rate the judgment will carry. */
static int judgment(const usny_state *st, const usny_claim *c, baton_result *r)
{
    const baton_host_api *a = st->api;
    const bpc_dated_value *val;
    int64_t bp = 900;
    if (c->consumer && bpc_dated_lookup(&usny_judgment_rate_consumer, c->as_of, &val) >= 0) {
        bp = val->value;
        CHECK(bpc_dated_note(a, r, &usny_judgment_rate_consumer, c->as_of));
    }
    CHECK(a->result_finding(r, "judgment", "judgment_interest", BATON_FINDING_INFO,
                            c->consumer && bp == 200
                                ? "A judgment on this consumer debt carries interest at 2 % a "
                                  "year, not 9 %; a default judgment and every execution must say "
                                  "\"the interest rate for consumer debt pursuant to CPLR 5004 "
                                  "applies\"."
                                : "A judgment carries interest at 9 % a year.",
                            c->consumer ? "CPLR 5004(a), 3215(f), 5230(a)" : "CPLR 5004(a)"));
    CHECK(a->result_int(r, "judgment.interest_rate_bp", bp));
    return 0;
}

int usny_filing_rules(void *state, const baton_view *v, baton_result *out)
{
    const usny_state *st = state;
    usny_claim c;
    usny_limitation lim;
    usny_route rt;
    char why[200];

    if (usny_claim_read(st, v, &c, why, sizeof why) != 0)
        return st->api->result_finding(out, "readiness", "case_incomplete", BATON_FINDING_BLOCK,
                                       why, NULL);
    usny_limitation_compute(st, v, &c, &lim);
    usny_route_compute(st, v, &c, &rt);
    if (c.rate_unusable)
        CHECK(st->api->result_finding(out, "readiness", "interest_rate_unusable",
                                      BATON_FINDING_WARN,
                                      "The contract rate (or the interest it gives) is beyond "
                                      "what the plugin computes; no interest was added.",
                                      NULL));
    CHECK(readiness(st, v, &c, out));
    CHECK(debtor(st, v, out));
    CHECK(limitation(st, &c, &lim, out));
    CHECK(pre_action(st, v, &c, &lim, &rt, out));
    CHECK(route(st, &c, &rt, out));
    CHECK(judgment(st, &c, out));
    return 0;
}
