/*
 * validation_notice.c - the letter "validation_notice": the Regulation F
 * validation notice (12 CFR 1006.34(c)) laid out as the CFPB's model form
 * B-1 (12 CFR part 1006, appendix B), with the California notices that go
 * with a first written communication to a consumer.
 *
 * Owns: the notice's blocks and the data they are filled from. Does not
 * own: the letterhead (the tenant's agency plugin supplies it) or layout.
 *
 * Field map (1006.34(c); the B-1 wording is used as the model form gives it,
 * which is what the form's safe harbor, 1006.34(d)(2), rests on):
 *   (c)(1)       debt collector communication disclosure
 *   (c)(2)(i)    collector name and mailing address   collector.*, else creditor.*
 *   (c)(2)(ii)   consumer name and mailing address    debtor.name, debtor.address
 *   (c)(2)(iii)  creditor on the itemization date     ext.us-ca.creditor_on_itemization_date,
 *                                                     else from assignments[] by date
 *   (c)(2)(iv)   account number                       ext.us-ca.account_number,
 *                                                     else claim.reference
 *   (c)(2)(v)    current creditor                     creditor.name
 *   (c)(2)(vi)   itemization date                     claim.itemization.date
 *   (c)(2)(vii)  amount on the itemization date       claim.itemization.amount
 *   (c)(2)(viii) interest, fees, payments, credits    claim.itemization.*_since
 *   (c)(2)(ix)   current amount                       computed from the above
 *   (c)(3)(i)-(iii) end of the validation period      calendar.c from the send date
 *   (c)(3)(iv)   CFPB website reference
 *   (c)(3)(v)    electronic dispute address           collector.contact.email/website
 *   (c)(3)(vi)   Spanish-language offer (optional)    ext.us-ca.spanish_option
 *   (c)(4)       consumer-response section with the dispute prompts
 */
#include <stdio.h>
#include <string.h>

#include "case_view.h"
#include "us_ca.h"

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

typedef struct notice {
    const char *collector;
    const char *collector_prefix; /* "collector" or "creditor" */
    char collector_addr[512];
    const char *consumer;
    char consumer_addr[512];
    const char *creditor_then;
    const char *creditor_now;
    const char *account;
    const char *reference;
    const char *description;
    const char *edispute;
    const char *license; /* collector.registration, e.g. a California license */
    baton_date sent, item_date, receipt, end;
    int64_t item_amount, interest, fees, payments, credits, current;
    int spanish;
    int time_barred;
    int obsolete; /* past the credit-reporting period */
} notice;

/* "lines\ncity, region postcode" of the address at prefix into buf. */
static void address(const usca_state *st, const baton_view *v, const char *prefix, char *buf,
                    size_t len)
{
    char path[96];
    size_t n = 0, used = 0;
    buf[0] = '\0';
    snprintf(path, sizeof path, "%s.lines", prefix);
    if (st->api->view_count(v, path, &n) == 0) {
        for (size_t i = 0; i < n && i < 4; i++) {
            snprintf(path, sizeof path, "%s.lines[%zu]", prefix, i);
            int w = snprintf(buf + used, len - used, "%s\n", usca_str(st, v, path, ""));
            if (w < 0 || (size_t)w >= len - used)
                return;
            used += (size_t)w;
        }
    }
    char p1[96], p2[96], p3[96];
    snprintf(p1, sizeof p1, "%s.city", prefix);
    snprintf(p2, sizeof p2, "%s.region", prefix);
    snprintf(p3, sizeof p3, "%s.postcode", prefix);
    const char *region = usca_str(st, v, p2, "");
    snprintf(buf + used, len - used, "%s%s%s %s", usca_str(st, v, p1, ""), region[0] ? ", " : "",
             region, usca_str(st, v, p3, ""));
}

static int64_t money_or_zero(const usca_state *st, const baton_view *v, const char *path)
{
    baton_money m;
    if (st->api->view_money(v, path, &m) != 0 || strcmp(m.currency, "USD") != 0)
        return 0;
    return m.minor;
}

/* The creditor that held the debt on date d: the assignee of the latest
 * assignment on or before d, else the first assignor, else creditor.name. */
static const char *creditor_on(const usca_state *st, const baton_view *v, baton_date d)
{
    size_t n = 0;
    const char *who = NULL;
    baton_date best = {0, 0, 0};
    if (st->api->view_count(v, "assignments", &n) != 0 || n == 0)
        return usca_str(st, v, "creditor.name", "");
    for (size_t i = 0; i < n; i++) {
        char path[48];
        baton_date ad;
        BPC_PATH_AT(path, sizeof path, "assignments", i, ".date");
        if (usca_date(st, v, path, &ad) != 0 || baton_date_cmp(ad, d) > 0)
            continue;
        if (who == NULL || baton_date_cmp(ad, best) >= 0) {
            BPC_PATH_AT(path, sizeof path, "assignments", i, ".to");
            who = usca_str(st, v, path, NULL);
            best = ad;
        }
    }
    if (who == NULL)
        who = usca_str(st, v, "assignments[0].from", usca_str(st, v, "creditor.name", ""));
    return who;
}

static void log_warn(const usca_state *st, const char *msg)
{
    if (st->api->log != NULL)
        st->api->log(st->host, BATON_LOG_WARN, msg);
}

static int gather(const usca_state *st, const baton_view *v, notice *n)
{
    baton_date as_of;
    const char *cprefix;
    usca_claim c;
    usca_limitation lim;
    char why[160];

    memset(n, 0, sizeof *n);
    if (usca_claim_read(st, v, &c, why, sizeof why) != 0) {
        log_warn(st, "validation_notice: the case lacks as_of, a USD principal or a due date");
        return BATON_EINVAL;
    }
    as_of = c.as_of;
    cprefix =
        st->api->view_type(v, "collector.name") == BATON_VIEW_STRING ? "collector" : "creditor";
    n->collector_prefix = cprefix;
    n->collector =
        usca_str(st, v, strcmp(cprefix, "collector") == 0 ? "collector.name" : "creditor.name", "");
    address(st, v, strcmp(cprefix, "collector") == 0 ? "collector.address" : "creditor.address",
            n->collector_addr, sizeof n->collector_addr);
    n->consumer = usca_str(st, v, "debtor.name", "");
    address(st, v, "debtor.address", n->consumer_addr, sizeof n->consumer_addr);

    if (usca_date(st, v, "claim.itemization.date", &n->item_date) != 0 ||
        st->api->view_type(v, "claim.itemization.amount") != BATON_VIEW_OBJECT) {
        log_warn(st, "validation_notice: claim.itemization.date and .amount are required "
                     "(12 CFR 1006.34(c)(2)(vi), (vii))");
        return BATON_EINVAL;
    }
    n->item_amount = money_or_zero(st, v, "claim.itemization.amount");
    n->interest = money_or_zero(st, v, "claim.itemization.interest_since");
    n->fees = money_or_zero(st, v, "claim.itemization.fees_since");
    n->payments = money_or_zero(st, v, "claim.itemization.payments_since");
    n->credits = money_or_zero(st, v, "claim.itemization.credits_since");
    n->current = n->item_amount + n->interest + n->fees - n->payments - n->credits;

    n->creditor_now = usca_str(st, v, "creditor.name", "");
    n->creditor_then =
        usca_str(st, v, "ext.us-ca.creditor_on_itemization_date", creditor_on(st, v, n->item_date));
    n->reference = usca_str(st, v, "claim.reference", "");
    n->account = usca_str(st, v, "ext.us-ca.account_number", n->reference);
    n->description = usca_str(st, v, "claim.description", NULL);
    n->spanish = usca_bool(st, v, "ext.us-ca.spanish_option", 0);
    n->license =
        strcmp(cprefix, "collector") == 0 ? usca_str(st, v, "collector.registration", NULL) : NULL;
    n->edispute = usca_str(st, v,
                           strcmp(cprefix, "collector") == 0 ? "collector.contact.email"
                                                             : "creditor.contact.email",
                           NULL);

    if (usca_date(st, v, "ext.us-ca.notice_date", &n->sent) != 0)
        n->sent = as_of;
    if (usca_validation_period_end(n->sent, &n->receipt, &n->end) != 0) {
        log_warn(st, "validation_notice: send date outside the federal holiday table "
                     "(2021-2030)");
        return BATON_ERANGE;
    }

    usca_limitation_compute(st, v, &c, &lim);
    n->time_barred = baton_date_cmp(n->sent, lim.deadline) > 0;
    /* FCRA 605(a)(4), (c): an account may be reported for 7 years from 180
     * days after the delinquency began. */
    n->obsolete =
        baton_date_cmp(n->sent, baton_date_add_years(baton_date_add_days(lim.accrual, 180), 7)) > 0;
    return 0;
}

static int row(const usca_state *st, baton_letter *l, const char *label, const char *sign,
               int64_t cents)
{
    char amt[32], text[1300];
    usca_usd(cents, amt, sizeof amt);
    snprintf(text, sizeof text, "%s\t%s%s", label, sign, amt);
    return st->api->letter_block(l, BATON_BLOCK_ROW, text);
}

int usca_render(void *state, const char *kind, const baton_view *v, baton_letter *l)
{
    const usca_state *st = state;
    const baton_host_api *a = st->api;
    notice n;
    char text[1200], end[40], item[40], sent[40];
    int rc;

    if (kind == NULL || strcmp(kind, "validation_notice") != 0)
        return BATON_EUNSUPP;
    rc = gather(st, v, &n);
    if (rc < 0)
        return rc;
    usca_long_date(n.end, end, sizeof end);
    usca_long_date(n.item_date, item, sizeof item);
    usca_long_date(n.sent, sent, sizeof sent);

    CHECK(a->letter_set(l, "title", "Notice about your debt"));
    CHECK(a->letter_set(l, "language", "en"));
    if (n.reference[0])
        CHECK(a->letter_set(l, "reference", n.reference));

    /* (c)(2)(i): the collector's name and the address for disputes. */
    snprintf(text, sizeof text, "%s\n%s", n.collector, n.collector_addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, text));
    if (n.license != NULL) {
        snprintf(text, sizeof text, "License\t%s", n.license);
        CHECK(a->letter_block(l, BATON_BLOCK_ROW, text));
    }
    CHECK(a->letter_block(l, BATON_BLOCK_DATE, sent));
    /* (c)(2)(ii): the consumer's name and mailing address. */
    snprintf(text, sizeof text, "%s\n%s", n.consumer, n.consumer_addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, text));
    if (n.reference[0]) {
        snprintf(text, sizeof text, "Reference\t%s", n.reference);
        CHECK(a->letter_block(l, BATON_BLOCK_ROW, text));
    }
    CHECK(a->letter_block(l, BATON_BLOCK_TITLE, "Notice about your debt"));

    /* (c)(1) and (c)(2)(v). */
    snprintf(text, sizeof text,
             "%s is a debt collector. We are trying to collect a debt that you owe to %s. We "
             "will use any information you give us to help collect the debt.",
             n.collector, n.creditor_now);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));

    /* (c)(2)(iii), (iv), (vi)-(ix). */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "Our information shows:"));
    /* B-1: "You had a [product] from [creditor] with account number [n]."
     * claim.description names the product, with its article. */
    snprintf(text, sizeof text, "You had %s from %s%s%s.",
             n.description ? n.description : "an account", n.creditor_then,
             n.account[0] ? " with account number " : "", n.account);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    snprintf(text, sizeof text, "As of %s, you owed:", item);
    CHECK(row(st, l, text, "", n.item_amount));
    snprintf(text, sizeof text, "Between %s and today:", item);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    CHECK(row(st, l, "You were charged this amount in interest:", "+ ", n.interest));
    CHECK(row(st, l, "You were charged this amount in fees:", "+ ", n.fees));
    CHECK(row(st, l, "You paid or were credited this amount toward the debt:", "- ",
              n.payments + n.credits));
    CHECK(row(st, l, "Total amount of the debt now:", "", n.current));

    /* Civil Code 1788.14(d): the time-barred debt notice, in the place
     * 1006.34(d)(3)(iv)(B) gives required state disclosures. */
    if (n.time_barred) {
        if (n.obsolete)
            snprintf(text, sizeof text,
                     "The law limits how long you can be sued on a debt. Because of the age of "
                     "your debt, we will not sue you for it, and we will not report it to any "
                     "credit reporting agency.");
        else
            snprintf(text, sizeof text,
                     "The law limits how long you can be sued on a debt. Because of the age of "
                     "your debt, we will not sue you for it. If you do not pay the debt, %s may "
                     "report it to the credit reporting agencies as unpaid for as long as the "
                     "law permits this reporting.",
                     n.collector);
        CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    }

    /* (c)(3)(i)-(iii), (v). */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "How can you dispute the debt?"));
    snprintf(text, sizeof text,
             "Call or write to us by %s, to dispute all or part of the debt. If you do not, we "
             "will assume that our information is correct.",
             end);
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, text));
    snprintf(text, sizeof text,
             "If you write to us by %s, we must stop collection on any amount you dispute until "
             "we send you information that shows you owe the debt. You may use the form below "
             "or write to us without the form. You may also include supporting documents.%s%s%s",
             end, n.edispute ? " We accept disputes electronically at " : "",
             n.edispute ? n.edispute : "", n.edispute ? "." : "");
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, text));

    /* (c)(3)(ii), (iv), (vi). */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "What else can you do?"));
    snprintf(text, sizeof text,
             "Write to ask for the name and address of the original creditor, if different "
             "from the current creditor. If you write by %s, we must stop collection until we "
             "send you that information. You may use the form below or write to us without the "
             "form.",
             end);
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, text));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET,
                          "Go to www.cfpb.gov/debt-collection to learn more about your rights "
                          "under federal law. For instance, you have the right to stop or limit "
                          "how we contact you."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "Contact us about your payment options."));
    if (n.spanish)
        CHECK(a->letter_block(l, BATON_BLOCK_BULLET,
                              "Póngase en contacto con nosotros para solicitar una copia de "
                              "este formulario en español."));

    /* Civil Code 1812.700(a): the notice of rights in the first written
     * notice to a debtor in California, in the same type size as the
     * description of the debt (1812.701(b)), hence a paragraph. */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "Notice of your rights under California law"));
    CHECK(a->letter_block(
        l, BATON_BLOCK_PARAGRAPH,
        "The state Rosenthal Fair Debt Collection Practices Act and the federal Fair Debt "
        "Collection Practices Act require that, except under unusual circumstances, collectors "
        "may not contact you before 8 a.m. or after 9 p.m. They may not harass you by using "
        "threats of violence or arrest or by using obscene language. Collectors may not use "
        "false or misleading statements or call you at work if they know or have reason to know "
        "that you may not receive personal calls at work. For the most part, collectors may not "
        "tell another person, other than your attorney or spouse, about your debt. Collectors "
        "may contact another person to confirm your location or enforce a judgment. For more "
        "information about debt collection activities, you may contact the Federal Trade "
        "Commission at 1-877-FTC-HELP or www.ftc.gov."));

    /* (c)(4): the consumer-response section. */
    CHECK(a->letter_block(l, BATON_BLOCK_PAGE_BREAK, ""));
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "How do you want to respond?"));
    snprintf(text, sizeof text, "Mail this form to:\n%s\n%s", n.collector, n.collector_addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, text));
    snprintf(text, sizeof text, "%s\n%s", n.consumer, n.consumer_addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, text));
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, "Check all that apply:"));
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, "I want to dispute the debt because I think:"));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "[ ] This is not my debt."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "[ ] The amount is wrong."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET,
                          "[ ] Other (please describe on reverse or attach additional "
                          "information)."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET,
                          "[ ] I want you to send me the name and address of the original "
                          "creditor."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "[ ] I enclosed this amount: $____________"));
    snprintf(text, sizeof text, "Make your check payable to %s.%s%s%s", n.collector,
             n.reference[0] ? " Include the reference number " : "", n.reference,
             n.reference[0] ? "." : "");
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    if (n.spanish)
        CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "[ ] Quiero este formulario en español."));
    return 0;
}
