/*
 * rules.c - the gb-ew filing_rules capability: is the case ready to go to
 * the county court, is it in time, what must happen first, and where it
 * goes.
 *
 * Findings by category:
 *   readiness   the documentation checklist of the field plus England &
 *               Wales items (assignment notice, service address)
 *   debtor      insolvency, death, vulnerability
 *   limitation  Limitation Act 1980 ss.5, 29 (limitation.c)
 *   pre_action  Pre-Action Protocol for Debt Claims for individuals and
 *               sole traders; Practice Direction - Pre-Action Conduct
 *               otherwise
 *   route       court, procedure and track (route.c)
 * and the facts limitation.*, pre_action.*, route.*, readiness.*.
 */
#include <stdarg.h>
#include <string.h>

#include "case_view.h"
#include "gb_ew.h"
#include "text_format.h"

#define BASIS_PAP                                                                                  \
    "Pre-Action Protocol for Debt Claims (in force 1 October 2017), paras 3.1-3.3 and 6"
#define BASIS_PDPAC      "Practice Direction - Pre-Action Conduct and Protocols, paras 6(a)-(b)"
#define BASIS_LIMITATION "Limitation Act 1980 ss.5, 29(5), 29(7), 30"
#define BASIS_TRACK      "CPR 26.9 and 26.13 (as amended from 1 October 2023, S.I. 2023/572)"

typedef struct ctx {
    const baton_host_api *api;
    const baton_view *v;
    baton_result *out;
    gbew_case c;
    gbew_file f;
    const char *country; /* debtor.address.country, NULL when absent */
    int met, missing;
} ctx;

static int findf(ctx *x, const char *cat, const char *code, enum baton_finding_status st,
                 const char *basis, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The readiness category: every readiness finding below names it by this
 * constant, and the tally knows it by its address. */
static const char READINESS[] = "readiness";

/* The readiness checklist's tally: met and missing findings counted. */
static inline void tally(ctx *x, const char *cat, enum baton_finding_status st)
{
    if (cat == READINESS) {
        if (st == BATON_FINDING_MET)
            x->met++;
        else if (st == BATON_FINDING_MISSING)
            x->missing++;
    }
}

/* A finding whose text is a constant: handed to the host as it is, not
 * copied through the formatter. */
static int find(ctx *x, const char *cat, const char *code, enum baton_finding_status st,
                const char *basis, const char *text)
{
    tally(x, cat, st);
    return x->api->result_finding(x->out, cat, code, st, text, basis);
}

static int findf(ctx *x, const char *cat, const char *code, enum baton_finding_status st,
                 const char *basis, const char *fmt, ...)
{
    char text[768];
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = bpc_vformat(text, sizeof text, fmt, ap);
    va_end(ap);
    if (rc != 0)
        return rc;
    tally(x, cat, st);
    return x->api->result_finding(x->out, cat, code, st, text, basis);
}

/* The count of the array (or object) at path; 0 when absent, asked for by
 * type first (optional lists are often absent, and a refused view_count
 * costs the host a reason text). */
static size_t count_of(ctx *x, const char *path)
{
    enum baton_view_type t = x->api->view_type(x->v, path);
    size_t n = 0;
    if ((t != BATON_VIEW_ARRAY && t != BATON_VIEW_OBJECT) ||
        x->api->view_count(x->v, path, &n) != 0)
        return 0;
    return n;
}

static int flag(ctx *x, const char *path)
{
    int b = 0;
    if (x->api->view_type(x->v, path) == BATON_VIEW_BOOL)
        x->api->view_bool(x->v, path, &b);
    return b;
}

static int check_readiness(ctx *x)
{
    const char *ref, *ctype = "written";
    const size_t *docs = x->f.docs.count;
    size_t n, inv, st, att, rem, fin, loc;
    int rc;

    x->api->view_string(x->v, "claim.contract_type", &ctype);

    /* 1. The agreement. */
    n = docs[BPC_DOC_AGREEMENT];
    ref = x->f.agreement_ref;
    if (n > 0)
        rc = ref ? findf(x, READINESS, "agreement", BATON_FINDING_MET, NULL,
                         "Agreement on file: %s", ref)
                 : find(x, READINESS, "agreement", BATON_FINDING_MET, NULL, "Agreement on file");
    else if (strcmp(ctype, "oral") == 0)
        rc = find(x, READINESS, "agreement", BATON_FINDING_MISSING, BASIS_PAP,
                  "No written record of the oral agreement: record who made it, what was agreed "
                  "and when and where; the Letter of Claim must state it");
    else
        rc = find(x, READINESS, "agreement", BATON_FINDING_MISSING, BASIS_PAP,
                  "No signed agreement, accepted terms or order confirmation on file; the "
                  "debtor may ask for a copy and the claim must be proved");
    if (rc != 0)
        return rc;

    /* 2. Invoices or statements. */
    inv = docs[BPC_DOC_INVOICE];
    st = docs[BPC_DOC_STATEMENT];
    if (inv + st > 0)
        rc = findf(x, READINESS, "invoices_statements", BATON_FINDING_MET, NULL,
                   "%zu invoice(s) and %zu statement(s) of account on file", inv, st);
    else
        rc = find(x, READINESS, "invoices_statements", BATON_FINDING_MISSING, BASIS_PAP,
                  "No invoice or statement of account on file; the Letter of Claim must enclose "
                  "an up-to-date statement of account");
    if (rc != 0)
        return rc;

    /* 3. Proof of delivery or performance. */
    n = docs[BPC_DOC_PROOF_OF_DELIVERY];
    ref = x->f.delivery_ref;
    rc = n > 0 ? findf(x, READINESS, "proof_of_delivery", BATON_FINDING_MET, NULL,
                       "Proof of delivery or performance on file%s%s", ref ? ": " : "",
                       ref ? ref : "")
               : find(x, READINESS, "proof_of_delivery", BATON_FINDING_MISSING, NULL,
                      "No delivery note, signed receipt or completion record on file");
    if (rc != 0)
        return rc;

    /* 4. Communication timeline. */
    n = docs[BPC_DOC_COMMUNICATION_LOG];
    rc = n > 0 ? find(x, READINESS, "communication_log", BATON_FINDING_MET, NULL,
                      "Communication timeline on file")
               : find(x, READINESS, "communication_log", BATON_FINDING_MISSING, NULL,
                      "No timeline of contacts with the debtor on file");
    if (rc != 0)
        return rc;

    /* 5. Identity verified. */
    loc = docs[BPC_DOC_IDENTITY_CHECK];
    if (flag(x, "debtor.identity_verified"))
        rc = find(x, READINESS, "identity_verified", BATON_FINDING_MET, NULL,
                  loc > 0 ? "Debtor identity verified (record on file)"
                          : "Debtor identity verified (no record of the check on file)");
    else
        rc = find(x, READINESS, "identity_verified", BATON_FINDING_MISSING, NULL,
                  "Debtor identity not verified: a claim against the wrong person or an "
                  "unverified name risks a judgment that cannot be enforced");
    if (rc != 0)
        return rc;

    /* 6. Prior collection attempts. */
    att = docs[BPC_DOC_COLLECTION_ATTEMPT];
    rem = x->f.letters.count[BPC_LETTER_REMINDER];
    fin = x->f.letters.count[BPC_LETTER_FINAL_DEMAND];
    if (att + rem + fin > 0)
        rc = findf(x, READINESS, "collection_attempts", BATON_FINDING_MET, NULL,
                   "%zu reminder(s), %zu final demand(s), %zu other recorded attempt(s)", rem, fin,
                   att);
    else
        rc = find(x, READINESS, "collection_attempts", BATON_FINDING_MISSING, NULL,
                  "No reminder, demand or other collection attempt recorded");
    if (rc != 0)
        return rc;

    /* 7. Disputes answered. */
    {
        size_t nd = 0, open = 0;
        baton_date first = {0, 0, 0};
        char when[32];
        nd = count_of(x, "disputes");
        for (size_t i = 0; i < nd; i++) {
            char path[48];
            int answered = 0;
            baton_date d;
            BPC_PATH_AT(path, sizeof path, "disputes", i, ".answered");
            x->api->view_bool(x->v, path, &answered);
            if (answered)
                continue;
            BPC_PATH_AT(path, sizeof path, "disputes", i, ".date");
            if (x->api->view_date(x->v, path, &d) == 0 &&
                (open == 0 || baton_date_cmp(d, first) < 0))
                first = d;
            open++;
        }
        if (nd == 0) {
            size_t dd = docs[BPC_DOC_DISPUTE], da = docs[BPC_DOC_DISPUTE_ANSWER];
            if (dd > da) {
                open = dd - da;
                nd = dd;
            }
        }
        if (open > 0) {
            gbew_date_text(first, when, sizeof when);
            rc = findf(x, READINESS, "disputes_answered", BATON_FINDING_MISSING, BASIS_PAP,
                       "%zu of %zu dispute(s) not answered%s%s; answer them and provide the "
                       "documents asked for before starting proceedings",
                       open, nd, baton_date_valid(first) ? ", the first raised on " : "",
                       baton_date_valid(first) ? when : "");
        } else {
            rc = nd == 0 ? find(x, READINESS, "disputes_answered", BATON_FINDING_MET, NULL,
                                "No dispute recorded")
                         : findf(x, READINESS, "disputes_answered", BATON_FINDING_MET, NULL,
                                 "All %zu dispute(s) answered", nd);
        }
        if (rc != 0)
            return rc;
    }

    /* 8. England & Wales: notice of any assignment. */
    {
        size_t na = count_of(x, "assignments");
        if (na > 0) {
            char path[48];
            baton_date d;
            BPC_PATH_AT(path, sizeof path, "assignments", na - 1, ".notice_date");
            if (x->api->view_date(x->v, path, &d) == 0)
                rc = find(x, READINESS, "assignment_notice", BATON_FINDING_MET,
                          "Law of Property Act 1925 s.136",
                          "Written notice of the assignment given to the debtor");
            else
                rc = find(x, READINESS, "assignment_notice", BATON_FINDING_MISSING,
                          "Law of Property Act 1925 s.136",
                          "No record that the debtor was given written notice of the latest "
                          "assignment: without it the assignee must join the assignor as a "
                          "party");
            if (rc != 0)
                return rc;
        }
    }

    /* 9. Service address in England & Wales. */
    {
        const char *country = x->country;
        if (country != NULL && strcmp(country, "GB") != 0) {
            rc = findf(x, READINESS, "service_address", BATON_FINDING_WARN, "CPR 6.30-6.47",
                       "The debtor's address is outside the United Kingdom (%s): service out "
                       "of the jurisdiction rules apply and Money Claim Online cannot be used",
                       country);
            if (rc != 0)
                return rc;
        }
    }

    rc = x->api->result_int(x->out, "readiness.met", x->met);
    if (rc == 0)
        rc = x->api->result_int(x->out, "readiness.missing", x->missing);
    return rc;
}

static int check_debtor(ctx *x)
{
    int rc = 0;
    if (flag(x, "debtor_profile.insolvent"))
        rc = find(x, "debtor", "debtor_insolvent", BATON_FINDING_BLOCK,
                  "Insolvency Act 1986 ss.130(2), 285; Sch. B1 para 43",
                  "The debtor is subject to an insolvency procedure: proceedings are stayed or "
                  "need the court's permission; prove the debt in the insolvency instead");
    if (rc == 0 && flag(x, "debtor_profile.deceased"))
        rc = find(x, "debtor", "debtor_deceased", BATON_FINDING_BLOCK, "CPR 19.12",
                  "The debtor has died: a claim against a dead person is a nullity; claim "
                  "against the personal representatives of the estate");
    if (rc == 0 && flag(x, "debtor_profile.vulnerable"))
        rc = find(x, "debtor", "debtor_vulnerable", BATON_FINDING_WARN, BASIS_PAP,
                  "Signs of vulnerability are recorded: review the account and consider "
                  "forbearance before any legal step");
    return rc;
}

static int check_limitation(ctx *x)
{
    baton_date ev[66];
    int kinds[66];
    size_t n = 0, np = 0;
    gbew_limitation lim;
    bpc_deadline dl;
    char dl_text[32], acc[32], moved[320];
    int64_t left;
    const char *by = "none";
    int rc;

    if (baton_date_cmp(x->c.due, x->c.as_of) >= 0) {
        gbew_date_text(x->c.due, dl_text, sizeof dl_text);
        rc = findf(x, "limitation", "not_yet_due", BATON_FINDING_BLOCK, NULL,
                   "The debt falls due on %s: there is no cause of action before the day after",
                   dl_text);
        if (rc != 0)
            return rc;
    }
    /* Each optional item is asked for by type first: absent is the usual
     * answer, and a refused read costs the host a reason text. */
    if (x->api->view_type(x->v, "claim.last_payment_date") == BATON_VIEW_STRING &&
        x->api->view_date(x->v, "claim.last_payment_date", &ev[n]) == 0)
        kinds[n++] = 1;
    if (x->api->view_type(x->v, "claim.acknowledged_date") == BATON_VIEW_STRING &&
        x->api->view_date(x->v, "claim.acknowledged_date", &ev[n]) == 0)
        kinds[n++] = 2;
    if (x->api->view_type(x->v, "claim.payments") == BATON_VIEW_ARRAY &&
        x->api->view_count(x->v, "claim.payments", &np) == 0) {
        for (size_t i = 0; i < np && n < 66; i++) {
            char path[48];
            BPC_PATH_AT(path, sizeof path, "claim.payments", i, ".date");
            if (x->api->view_date(x->v, path, &ev[n]) == 0)
                kinds[n++] = 1;
        }
    }
    gbew_limitation_compute(x->c.due, ev, kinds, n, &lim);
    /* A last day on which the court office is closed runs on to the next
     * day it is open (Pritam Kaur). */
    if ((rc = bpc_deadline_move(&gbew_court_calendar, lim.deadline, 0, GBEW_RULE_PRITAM_KAUR,
                                &dl)) != 0)
        return rc;
    left = baton_date_diff(x->c.as_of, dl.date);
    if (lim.restarted == 1)
        by = "part_payment";
    else if (lim.restarted == 2)
        by = "acknowledgment";

    gbew_date_text(dl.date, dl_text, sizeof dl_text);
    gbew_date_text(lim.accrual, acc, sizeof acc);
    moved[0] = '\0';
    if (dl.moved) {
        char un[32];
        gbew_date_text(dl.unmoved, un, sizeof un);
        rc = bpc_format(moved, sizeof moved,
                        "; the six years end on %s, a day the court office is closed (%s), so the "
                        "period runs to the next day it is open (%s)",
                        un, dl.closed_day, GBEW_RULE_PRITAM_KAUR);
        if (rc != 0)
            return rc;
    }
    if (left < 0) {
        rc = findf(x, "limitation", "time_barred", BATON_FINDING_BLOCK, BASIS_LIMITATION,
                   "Time-barred: six years from %s%s ended on %s%s. Legal action must not be "
                   "taken; a later payment or acknowledgment does not revive the claim",
                   acc, lim.restarted ? " (the last part payment or acknowledgment)" : "", dl_text,
                   moved);
    } else {
        rc = findf(x, "limitation", "in_time", BATON_FINDING_MET, BASIS_LIMITATION,
                   "In time: a claim must be issued by %s (%lld days left; six years from %s%s%s)",
                   dl_text, (long long)left, acc,
                   lim.restarted == 1   ? ", restarted by a part payment"
                   : lim.restarted == 2 ? ", restarted by a written acknowledgment"
                                        : "",
                   moved);
        if (rc == 0 && left < 90)
            rc = findf(x, "limitation", "limitation_near", BATON_FINDING_WARN, BASIS_LIMITATION,
                       "Only %lld days before the claim becomes time-barred on the day after %s",
                       (long long)left, dl_text);
    }
    if (rc != 0)
        return rc;
    if ((rc = x->api->result_date(x->out, "limitation.accrual", lim.accrual)) != 0)
        return rc;
    if ((rc = bpc_deadline_report(x->api, x->out, &gbew_court_calendar, "limitation.deadline",
                                  &dl)) != 0)
        return rc;
    if ((rc = x->api->result_int(x->out, "limitation.days_left", left)) != 0)
        return rc;
    if ((rc = x->api->result_int(x->out, "limitation.time_barred", left < 0)) != 0)
        return rc;
    return x->api->result_string(x->out, "limitation.restarted_by", by);
}

/* Which of the three Protocol enclosures letter i lacks, as text; "" if none. */
static void missing_enclosures(ctx *x, long i, char *buf, size_t len)
{
    static const char *const need[3] = {"information_sheet", "reply_form", "financial_statement"};
    static const char *const names[3] = {"Information Sheet", "Reply Form", "Financial Statement"};
    char path[64];
    size_t n = 0;
    buf[0] = '\0';
    BPC_PATH_AT(path, sizeof path, "letters_sent", (size_t)i, ".enclosures");
    if (x->api->view_type(x->v, path) != BATON_VIEW_ARRAY)
        return; /* absent: all enclosed (docs/case-format.md) */
    x->api->view_count(x->v, path, &n);
    /* Each enclosure read once; then which of the three are not among them. */
    int found[3] = {0, 0, 0};
    size_t base = strlen(path);
    for (size_t j = 0; j < n; j++) {
        const char *e;
        BPC_PATH_AT(path + base, sizeof path - base, "", j, "");
        if (x->api->view_string(x->v, path, &e) != 0)
            continue;
        for (int k = 0; k < 3; k++) {
            if (strcmp(e, need[k]) == 0)
                found[k] = 1;
        }
    }
    for (int k = 0; k < 3; k++) {
        if (!found[k])
            bpc_format_append(buf, len, "%s%s", buf[0] != '\0' ? ", " : "", names[k]);
    }
}

static int check_pre_action(ctx *x)
{
    baton_date letter = {0, 0, 0}, earliest, reply_end;
    char ld[32], ed[32], rd[32], lacks[128];
    const char *status;
    long idx;
    int rc;

    if (x->c.debtor_individual) {
        rc = x->api->result_string(x->out, "pre_action.protocol", "debt_claims");
        if (rc != 0)
            return rc;
        idx = x->f.letters.latest[BPC_LETTER_LETTER_OF_CLAIM];
        if (idx >= 0)
            letter = x->f.letters.date[BPC_LETTER_LETTER_OF_CLAIM];
        lacks[0] = '\0';
        if (idx >= 0)
            missing_enclosures(x, idx, lacks, sizeof lacks);
        if (idx < 0) {
            earliest = gbew_pap_earliest_issue(x->c.as_of);
            gbew_date_text(earliest, ed, sizeof ed);
            status = "letter_of_claim_required";
            rc =
                findf(x, "pre_action", "letter_of_claim_required", BATON_FINDING_MISSING, BASIS_PAP,
                      "The debtor is an individual or sole trader: send a Letter of Claim with "
                      "the Information Sheet, Reply Form and Financial Statement and allow 30 "
                      "days for a reply (sent today, no claim before %s)",
                      ed);
        } else if (lacks[0] != '\0') {
            earliest = gbew_pap_earliest_issue(x->c.as_of);
            gbew_date_text(letter, ld, sizeof ld);
            gbew_date_text(earliest, ed, sizeof ed);
            status = "letter_of_claim_required";
            rc = findf(x, "pre_action", "letter_of_claim_incomplete", BATON_FINDING_MISSING,
                       BASIS_PAP,
                       "The Letter of Claim of %s went without: %s. Send a complete Letter of "
                       "Claim; sent today, no claim before %s",
                       ld, lacks, ed);
        } else {
            earliest = gbew_pap_earliest_issue(letter);
            reply_end = baton_date_add_days(letter, 30);
            gbew_date_text(letter, ld, sizeof ld);
            gbew_date_text(earliest, ed, sizeof ed);
            gbew_date_text(reply_end, rd, sizeof rd);
            if (baton_date_cmp(x->c.as_of, earliest) < 0) {
                status = "waiting";
                rc = findf(x, "pre_action", "pre_action_period_running", BATON_FINDING_MISSING,
                           BASIS_PAP,
                           "Letter of Claim sent on %s: the debtor may reply until %s; no claim "
                           "before %s (%lld days from now)",
                           ld, rd, ed, (long long)baton_date_diff(x->c.as_of, earliest));
            } else {
                status = "complete";
                rc = findf(x, "pre_action", "letter_of_claim_sent", BATON_FINDING_MET, BASIS_PAP,
                           "Letter of Claim sent on %s with all enclosures; the 30-day reply "
                           "period ended on %s",
                           ld, rd);
            }
        }
        if (rc == 0 && flag(x, "debtor_profile.seeking_debt_advice"))
            rc = find(x, "pre_action", "debt_advice", BATON_FINDING_WARN, BASIS_PAP,
                      "The debtor is seeking debt advice: allow a reasonable time, and no claim "
                      "less than 30 days after receiving the completed Reply Form");
    } else {
        baton_date fd = {0, 0, 0}, lc = {0, 0, 0};
        long a, b;
        rc = x->api->result_string(x->out, "pre_action.protocol", "practice_direction");
        if (rc != 0)
            return rc;
        a = x->f.letters.latest[BPC_LETTER_FINAL_DEMAND];
        if (a >= 0)
            fd = x->f.letters.date[BPC_LETTER_FINAL_DEMAND];
        b = x->f.letters.latest[BPC_LETTER_LETTER_OF_CLAIM];
        if (b >= 0)
            lc = x->f.letters.date[BPC_LETTER_LETTER_OF_CLAIM];
        idx = a;
        letter = fd;
        if (b >= 0 && (a < 0 || baton_date_cmp(lc, fd) > 0)) {
            idx = b;
            letter = lc;
        }
        if (idx < 0) {
            earliest = baton_date_add_days(x->c.as_of, 15);
            gbew_date_text(earliest, ed, sizeof ed);
            status = "letter_before_claim_required";
            rc = findf(x, "pre_action", "letter_before_claim_required", BATON_FINDING_MISSING,
                       BASIS_PDPAC,
                       "Send a letter before claim with concise details of the claim and allow "
                       "14 days for a response (sent today, no claim before %s)",
                       ed);
        } else {
            earliest = baton_date_add_days(letter, 15);
            gbew_date_text(letter, ld, sizeof ld);
            gbew_date_text(earliest, ed, sizeof ed);
            if (baton_date_cmp(x->c.as_of, earliest) < 0) {
                status = "waiting";
                rc = findf(x, "pre_action", "response_period_running", BATON_FINDING_MISSING,
                           BASIS_PDPAC,
                           "Letter before claim sent on %s: allow 14 days for a response; no "
                           "claim before %s",
                           ld, ed);
            } else {
                status = "complete";
                rc = findf(x, "pre_action", "letter_before_claim_sent", BATON_FINDING_MET,
                           BASIS_PDPAC,
                           "Letter before claim sent on %s; the 14-day response period has "
                           "passed",
                           ld);
            }
        }
    }
    if (rc != 0)
        return rc;
    if ((rc = x->api->result_string(x->out, "pre_action.status", status)) != 0)
        return rc;
    if (idx >= 0 && (rc = x->api->result_date(x->out, "pre_action.letter_date", letter)) != 0)
        return rc;
    return x->api->result_date(x->out, "pre_action.earliest_issue_date", earliest);
}

static int check_route(ctx *x, const gbew_state *st)
{
    int64_t alloc = x->c.principal.minor + x->c.charges_minor;
    gbew_interest in;
    int64_t value;
    enum gbew_track t = gbew_track_for(alloc, x->c.as_of);
    const char *procedure;
    const char *country = x->country != NULL ? x->country : "GB";
    char av[48], cv[48];
    int rc;

    if (gbew_interest_for(st, x->v, &x->c, &in) != 0)
        memset(&in, 0, sizeof in);
    value = alloc + in.amount_minor + in.compensation_minor;
    /* Money Claim Online: a fixed amount under £100,000, in pounds, against
     * a defendant with an address for service in England and Wales. */
    if (strcmp(x->c.principal.currency, "GBP") == 0 && value < (int64_t)100000 * 100 &&
        strcmp(country, "GB") == 0)
        procedure = "money_claim_online";
    else
        procedure = "claim_form_n1";
    gbew_money_text(baton_money_make(alloc, x->c.principal.currency), av, sizeof av);
    gbew_money_text(baton_money_make(value, x->c.principal.currency), cv, sizeof cv);
    rc = findf(x, "route", "route", BATON_FINDING_INFO, BASIS_TRACK,
               "County Court money claim (%s), normally allocated to the %s track: value for "
               "allocation %s (interest and costs disregarded), claim value with interest %s",
               strcmp(procedure, "money_claim_online") == 0 ? "Money Claim Online"
                                                            : "claim form N1, CPR Part 7",
               t == GBEW_TRACK_SMALL ? "small claims" : gbew_track_name(t), av, cv);
    if (rc == 0)
        rc = bpc_dated_note(x->api, x->out, &gbew_track_table, x->c.as_of);
    if (rc == 0)
        rc = x->api->result_string(x->out, "route.court", "County Court");
    if (rc == 0)
        rc = x->api->result_string(x->out, "route.procedure", procedure);
    if (rc == 0)
        rc = x->api->result_string(x->out, "route.track", gbew_track_name(t));
    if (rc == 0)
        rc = x->api->result_money(x->out, "route.allocation_value",
                                  baton_money_make(alloc, x->c.principal.currency));
    return rc;
}

int gbew_filing_rules(void *state, const baton_view *v, baton_result *out)
{
    const gbew_state *st = state;
    ctx x;
    int rc;

    /* x.c and x.f are filled (and zeroed first) by their readers. */
    x.api = st->api;
    x.v = v;
    x.out = out;
    x.met = x.missing = 0;
    if ((rc = gbew_case_read(st->api, v, &x.c)) != 0)
        return rc;
    gbew_file_read(st->api, v, &x.f);
    if (st->api->view_string(v, "debtor.address.country", &x.country) != 0)
        x.country = NULL;
    if ((rc = check_readiness(&x)) != 0)
        return rc;
    if ((rc = check_debtor(&x)) != 0)
        return rc;
    if ((rc = check_limitation(&x)) != 0)
        return rc;
    if ((rc = check_pre_action(&x)) != 0)
        return rc;
    return check_route(&x, st);
}
