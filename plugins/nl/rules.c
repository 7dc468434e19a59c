/*
 * rules.c - filing_rules of nl: what Dutch law requires before and when
 * going to court on a money claim.
 *
 * Owns: the findings and facts of categories "readiness", "debtor",
 * "limitation", "pre_action", "route" and "params" (an interest table that
 * could not be applied). Does not own: the arithmetic (claim.c, calendar.c,
 * tables.c) or costs (fees.c).
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

static int item(const nl_state *st, baton_result *r, const char *code, int met,
                const char *met_text, const char *missing_text, const char *basis,
                int64_t counts[2])
{
    counts[met ? 0 : 1]++;
    return st->api->result_finding(r, "readiness", code,
                                   met ? BATON_FINDING_MET : BATON_FINDING_MISSING,
                                   met ? met_text : missing_text, met ? NULL : basis);
}

/* The common checklist codes of every Baton jurisdiction plugin, read the
 * way a Dutch court reads the file (art. 150 Rv: the claimant proves what
 * it asserts; art. 111 lid 3 Rv: a consumer claim states its basis). */
static int readiness(const nl_state *st, const baton_view *v, baton_result *r)
{
    const baton_host_api *a = st->api;
    int64_t counts[2] = {0, 0};
    bpc_documents docs;
    bpc_letters letters;
    const size_t *doc = docs.count;
    int attempts;

    /* documents[] and letters_sent[] read once each, for every question. */
    bpc_documents_read(a, v, &docs);
    bpc_letters_read(a, v,
                     BPC_LETTER_BIT(BPC_LETTER_REMINDER) | BPC_LETTER_BIT(BPC_LETTER_FINAL_DEMAND) |
                         BPC_LETTER_BIT(BPC_LETTER_FOURTEEN_DAY_LETTER),
                     &letters);
    attempts = doc[BPC_DOC_COLLECTION_ATTEMPT] > 0 || letters.latest[BPC_LETTER_REMINDER] >= 0 ||
               letters.latest[BPC_LETTER_FINAL_DEMAND] >= 0 ||
               letters.latest[BPC_LETTER_FOURTEEN_DAY_LETTER] >= 0;

    CHECK(item(st, r, "agreement", doc[BPC_DOC_AGREEMENT] > 0,
               "The agreement (or the accepted terms) is on file.",
               "No agreement or accepted general terms on file: the claimant must prove the "
               "contract and any agreed rate.",
               "art. 150 Rv", counts));
    CHECK(item(st, r, "invoices_statements", doc[BPC_DOC_INVOICE] + doc[BPC_DOC_STATEMENT] > 0,
               "Invoices or statements of account are on file.",
               "No invoice or statement of account on file.", "art. 150 Rv", counts));
    CHECK(item(st, r, "proof_of_delivery", doc[BPC_DOC_PROOF_OF_DELIVERY] > 0,
               "Proof of delivery or performance is on file.",
               "No delivery note, signed receipt or completion record on file.", NULL, counts));
    CHECK(item(st, r, "communication_log", doc[BPC_DOC_COMMUNICATION_LOG] > 0,
               "A timeline of contacts with the debtor is on file.",
               "No record of contacts with the debtor on file.", NULL, counts));
    CHECK(item(st, r, "identity_verified", bpc_bool(st->api, v, "debtor.identity_verified", 0),
               "The debtor's identity has been verified.",
               "The debtor's identity has not been verified: the dagvaarding must name the right "
               "person.",
               "art. 111 lid 2 Rv", counts));
    CHECK(item(st, r, "collection_attempts", attempts,
               "Collection has been attempted (reminders, demand or a recorded attempt).",
               "No reminder, demand or recorded collection attempt on file.", NULL, counts));
    CHECK(item(st, r, "disputes_answered", bpc_unanswered_disputes(st->api, v) == 0,
               "No dispute is left unanswered.",
               "A dispute of the debtor is unanswered: answer it before suing; the dagvaarding "
               "must state the known defences (art. 111 lid 3 Rv).",
               "art. 111 lid 3 Rv", counts));
    CHECK(a->result_int(r, "readiness.met", counts[0]));
    CHECK(a->result_int(r, "readiness.missing", counts[1]));
    return 0;
}

static int debtor(const nl_state *st, const baton_view *v, baton_result *r)
{
    const baton_host_api *a = st->api;
    if (bpc_bool(st->api, v, "debtor_profile.insolvent", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_insolvent", BATON_FINDING_BLOCK,
                                "The debtor is bankrupt or in debt restructuring (WSNP): claims "
                                "are filed with the curator or bewindvoerder, not sued on.",
                                "art. 26, 299 Faillissementswet"));
    if (bpc_bool(st->api, v, "debtor_profile.deceased", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_deceased", BATON_FINDING_BLOCK,
                                "The debtor has died: the claim lies against the estate and its "
                                "heirs, who have time to accept or refuse it.",
                                "art. 4:182, 4:190 BW"));
    if (bpc_bool(st->api, v, "debtor_profile.vulnerable", 0))
        CHECK(a->result_finding(r, "debtor", "debtor_vulnerable", BATON_FINDING_WARN,
                                "Signs of vulnerability are recorded: pause and review before "
                                "any further step.",
                                NULL));
    return 0;
}

static int limitation(const nl_state *st, const nl_claim *c, const nl_limitation *lim,
                      baton_result *r)
{
    const baton_host_api *a = st->api;
    char text[400], dl[11], op[11], act[11];

    bpc_iso_date(lim->deadline, dl);
    bpc_iso_date(lim->opeisbaar, op);
    bpc_format(text, sizeof text,
               "%d years (%s) from the day after the claim became due on %s: the last day before "
               "it is time-barred is %s.",
               lim->years, lim->years == 2 ? "price of a consumer sale" : "claim to performance",
               op, dl);
    CHECK(a->result_finding(r, "limitation", "limitation_period", BATON_FINDING_INFO, text,
                            lim->basis));
    if (lim->interrupted) {
        bpc_iso_date(lim->last_interruption, act);
        bpc_format(text, sizeof text,
                   "Interrupted on %s (a written demand, acknowledgment or part payment): a new "
                   "period of %d years started the next day.",
                   act, lim->years);
        CHECK(a->result_finding(r, "limitation", "limitation_interrupted", BATON_FINDING_INFO, text,
                                "art. 3:317, 3:318, 3:319 BW"));
    }
    /* Every deadline says what moved it; a limitation period is never moved. */
    CHECK(a->result_finding(r, "limitation", "deadline_not_moved", BATON_FINDING_INFO,
                            "The limitation deadline is not extended when it falls on a weekend "
                            "or holiday: the Algemene termijnenwet does not apply to periods "
                            "longer than three months.",
                            "art. 4 Algemene termijnenwet"));
    if (baton_date_cmp(c->as_of, c->due) <= 0)
        CHECK(a->result_finding(r, "limitation", "not_yet_due", BATON_FINDING_BLOCK,
                                "The debt is not yet due: it can be claimed from the day after "
                                "the due date.",
                                "art. 6:38 BW"));
    if (lim->time_barred) {
        bpc_format(text, sizeof text,
                   "Time-barred: the limitation period ended on %s. The debtor can invoke "
                   "limitation and the claim would be refused.",
                   dl);
        CHECK(a->result_finding(r, "limitation", "time_barred", BATON_FINDING_BLOCK, text,
                                lim->basis));
    } else {
        bpc_format(text, sizeof text, "In time: %lld days left (last day %s).",
                   (long long)lim->days_left, dl);
        CHECK(a->result_finding(r, "limitation", "in_time", BATON_FINDING_MET, text, lim->basis));
        if (lim->days_left <= 90)
            CHECK(a->result_finding(r, "limitation", "limitation_near", BATON_FINDING_WARN,
                                    "Less than 90 days remain: interrupt limitation with a "
                                    "written demand or sue.",
                                    "art. 3:317 BW"));
    }
    bpc_deadline deadline = {.unmoved = lim->deadline, .date = lim->deadline};
    CHECK(a->result_date(r, "limitation.accrual", lim->opeisbaar));
    CHECK(bpc_deadline_report(a, r, &st->atw, "limitation.deadline", &deadline));
    CHECK(a->result_int(r, "limitation.days_left", lim->days_left));
    CHECK(a->result_int(r, "limitation.period_years", lim->years));
    CHECK(a->result_string(r, "limitation.basis", lim->basis));
    return 0;
}

static int pre_action(const nl_state *st, const nl_claim *c, baton_result *r)
{
    const baton_host_api *a = st->api;
    const nl_term *t = &c->term;
    char text[480], cost[32], end[11], plain[11];
    baton_date earliest = baton_date_add_days(c->due, 1);

    if (baton_date_cmp(c->as_of, earliest) > 0)
        earliest = c->as_of;
    if (!c->consumer) {
        CHECK(a->result_finding(r, "pre_action", "costs_due_on_default", BATON_FINDING_INFO,
                                "The debtor is not a consumer: the collection costs are due once "
                                "the debtor is in default, without a fourteen-day letter.",
                                "art. 6:96 lid 4 BW; Besluit BIK art. 2"));
        CHECK(a->result_date(r, "pre_action.earliest_issue_date", earliest));
        return 0;
    }
    nl_eur(c->bik + c->bik_vat, cost, sizeof cost);
    if (!t->sent) {
        bpc_format(text, sizeof text,
                   "No fourteen-day letter has been sent after the due date: send one (letter "
                   "\"fourteen_day_letter\") before claiming collection costs from a consumer; "
                   "it must state that %s will be due if the debt is not paid within 14 days "
                   "from the day after receipt.%s",
                   cost,
                   t->early ? " A letter sent on or before the due date does not count: the debtor "
                              "was not yet in default."
                            : "");
        CHECK(a->result_finding(r, "pre_action", "fourteen_day_letter", BATON_FINDING_MISSING, text,
                                "art. 6:96 lid 6 BW; HR 25 November 2016, ECLI:NL:HR:2016:2704"));
        CHECK(a->result_date(r, "pre_action.earliest_issue_date", earliest));
        return 0;
    }
    bpc_iso_date(t->end.date, end);
    bpc_iso_date(t->end.unmoved, plain);
    if (t->end.moved)
        bpc_format(text, sizeof text,
                   "The fourteen days end on %s: the 14th day, %s, is a closed day (%s), so the "
                   "period runs to the next working day.",
                   end, plain, t->end.closed_day);
    else
        bpc_format(text, sizeof text,
                   "The fourteen days end on %s (not moved: the 14th day is a working day).", end);
    CHECK(a->result_finding(r, "pre_action", "fourteen_day_term", BATON_FINDING_INFO, text,
                            t->end.moved ? "art. 6:96 lid 6 BW; " NL_ATW_RULE
                                         : "art. 6:96 lid 6 BW"));
    if (c->costs_due) {
        CHECK(a->result_finding(r, "pre_action", "fourteen_day_letter", BATON_FINDING_MET,
                                "The fourteen-day letter was sent after default and its period "
                                "has run: the collection costs are due.",
                                "art. 6:96 lid 6 BW"));
    } else {
        bpc_format(text, sizeof text,
                   "The fourteen-day period is still running (to %s): collection costs are not due "
                   "before %s; suing earlier loses them.",
                   end, end);
        CHECK(a->result_finding(r, "pre_action", "fourteen_day_running", BATON_FINDING_WARN, text,
                                "art. 6:96 lid 6 BW"));
        earliest = t->costs_from;
    }
    CHECK(bpc_deadline_report(a, r, &st->atw, "pre_action.fourteen_day_term_end", &t->end));
    CHECK(a->result_date(r, "pre_action.costs_due_from", t->costs_from));
    CHECK(a->result_date(r, "pre_action.earliest_issue_date", earliest));
    return 0;
}

static int route(const nl_state *st, const nl_claim *c, baton_result *r)
{
    const baton_host_api *a = st->api;
    char text[400], val[32], lim[32];
    int kanton = c->value <= NL_KANTON_LIMIT || c->consumer_credit || c->consumer_sale;

    nl_eur(c->value, val, sizeof val);
    nl_eur(NL_KANTON_LIMIT, lim, sizeof lim);
    if (kanton && c->value > NL_KANTON_LIMIT)
        bpc_format(text, sizeof text,
                   "Kantonrechter: a consumer %s case goes to the kantonrechter whatever its value "
                   "(claim value %s).",
                   c->consumer_credit ? "credit" : "sale", val);
    else if (kanton)
        bpc_format(text, sizeof text,
                   "Kantonrechter: claim value %s is within the %s limit; no lawyer is required.",
                   val, lim);
    else
        bpc_format(text, sizeof text,
                   "Rechtbank (civiel): claim value %s exceeds the kantonrechter's %s limit; the "
                   "claimant must be represented by an advocaat.",
                   val, lim);
    CHECK(a->result_finding(r, "route", "route", BATON_FINDING_INFO, text,
                            kanton ? "art. 93 Rv" : "art. 93 Rv; art. 79 Rv"));
    CHECK(a->result_string(r, "route.track", kanton ? "kanton" : "rechtbank"));
    CHECK(a->result_string(r, "route.court",
                           kanton ? "Rechtbank, team kanton (kantonrechter)"
                                  : "Rechtbank, team civiel (handelskamer)"));
    CHECK(a->result_money(r, "route.claim_value", baton_money_make(c->value, "EUR")));
    CHECK(a->result_money(r, "route.kanton_limit", baton_money_make(NL_KANTON_LIMIT, "EUR")));
    return 0;
}

/* What the interest tables could not give. The tables used are noted by
 * fee_schedule (params.*, and the horizon warning of plugins/common). */
static int parameters(const nl_state *st, const nl_claim *c, baton_result *r)
{
    const baton_host_api *a = st->api;
    const nl_interest *in = &c->interest;
    char text[400], f[11];

    if (in->unusable)
        CHECK(a->result_finding(r, "params", "interest_rate_unusable", BATON_FINDING_WARN,
                                "The contract rate (or the interest it gives) is beyond what the "
                                "plugin computes; no interest was added.",
                                NULL));
    if (in->missing) {
        bpc_iso_date(in->table->values[0].from, f);
        bpc_format(text, sizeof text,
                   "Interest would start before the first entry of the %s table (%s); no interest "
                   "was computed.",
                   in->table->name, f);
        CHECK(a->result_finding(r, "params", "rates_missing", BATON_FINDING_WARN, text,
                                in->table->source));
    }
    return 0;
}

int nl_filing_rules(void *state, const baton_view *v, baton_result *out)
{
    const nl_state *st = state;
    nl_claim c;
    nl_limitation lim;
    char why[160];

    if (nl_claim_read(st, v, &c, why, sizeof why) != 0)
        return st->api->result_finding(out, "readiness", "case_incomplete", BATON_FINDING_BLOCK,
                                       why, NULL);
    nl_limitation_compute(st, v, &c, &lim);
    CHECK(readiness(st, v, out));
    CHECK(debtor(st, v, out));
    CHECK(limitation(st, &c, &lim, out));
    CHECK(pre_action(st, &c, out));
    CHECK(route(st, &c, out));
    CHECK(parameters(st, &c, out));
    return 0;
}
