/*
 * validation_notice.c - the letter "validation_notice" for New York: the
 * Regulation F validation notice (12 CFR 1006.34(c), in the order of the
 * CFPB's model form B-1) with the disclosures 23 NYCRR Part 1 requires of
 * a debt collector's first written communication:
 *
 *   1.2(a)(1)  the FDCPA prohibits abusive, deceptive and misleading
 *              collection (violence, obscene language, harassing calls)
 *   1.2(a)(2)  the notice of income exempt from collection, in the words
 *              the regulation prescribes
 *   1.2(b)     for a charged-off debt: the original creditor and an
 *              itemized accounting since charge-off
 *   1.3        for a debt whose limitation may have expired: the notice of
 *              1.3(b)(1)-(5), read with CPLR 214-i (no revival of a consumer
 *              credit debt by payment; DFS industry letter of 2022-04-07)
 *
 * Owns: those blocks and the data they are filled from. Does not own: the
 * letterhead (the agency plugin supplies it) or the layout.
 */
#include <stdio.h>
#include <string.h>

#include "us_ny.h"

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

static void address(const usny_state *st, const baton_view *v, const char *prefix, char *buf,
                    size_t len)
{
    char path[96], p1[96], p2[96], p3[96];
    size_t n = 0, used = 0;
    buf[0] = '\0';
    snprintf(path, sizeof path, "%s.lines", prefix);
    if (st->api->view_count(v, path, &n) == 0) {
        for (size_t i = 0; i < n && i < 4; i++) {
            snprintf(path, sizeof path, "%s.lines[%zu]", prefix, i);
            int w = snprintf(buf + used, len - used, "%s\n", bpc_str(st->api, v, path, ""));
            if (w < 0 || (size_t)w >= len - used)
                return;
            used += (size_t)w;
        }
    }
    snprintf(p1, sizeof p1, "%s.city", prefix);
    snprintf(p2, sizeof p2, "%s.region", prefix);
    snprintf(p3, sizeof p3, "%s.postcode", prefix);
    snprintf(buf + used, len - used, "%s, %s %s", bpc_str(st->api, v, p1, ""),
             bpc_str(st->api, v, p2, "NY"), bpc_str(st->api, v, p3, ""));
}

static int64_t money_or_zero(const usny_state *st, const baton_view *v, const char *path)
{
    baton_money m;
    if (st->api->view_money(v, path, &m) != 0 || strcmp(m.currency, "USD") != 0)
        return 0;
    return m.minor;
}

static int row(const usny_state *st, baton_letter *l, const char *label, int64_t cents)
{
    char text[160], amount[32];
    usny_usd(cents, amount, sizeof amount);
    snprintf(text, sizeof text, "%s\t%s", label, amount);
    return st->api->letter_block(l, BATON_BLOCK_ROW, text);
}

static void log_warn(const usny_state *st, const char *msg)
{
    if (st->api->log != NULL)
        st->api->log(st->host, BATON_LOG_WARN, msg);
}

/* 23 NYCRR 1.2(a)(2), the words the regulation prescribes. */
static const char exempt_income[] =
    "A creditor may sue you to collect on this debt. Even if the creditor sues you and wins, "
    "state and federal laws may prevent the following types of income from being taken to pay "
    "the debt:\n"
    "1. Supplemental security income, (SSI);\n"
    "2. Social security;\n"
    "3. Public assistance (welfare);\n"
    "4. Spousal support, maintenance (alimony) or child support;\n"
    "5. Unemployment benefits;\n"
    "6. Disability benefits;\n"
    "7. Workers' compensation benefits;\n"
    "8. Public or private pensions;\n"
    "9. Veterans' benefits;\n"
    "10. Federal student loans, federal student grants, and federal work study funds; and\n"
    "11. Ninety percent of your wages or salary earned in the last sixty days.";

int usny_render(void *state, const char *kind, const baton_view *v, baton_letter *l)
{
    const usny_state *st = state;
    const baton_host_api *a = st->api;
    usny_claim c;
    usny_limitation lim;
    baton_date sent, item_date, receipt, end;
    char why[200], text[900], addr[600], d_item[40], d_end[40], d_sent[40];
    const char *collector, *creditor, *original, *account, *description;
    int64_t item_amount, interest, fees, paid, current;
    int charged_off;

    if (strcmp(kind, "validation_notice") != 0)
        return BATON_ENOENT;
    if (usny_claim_read(st, v, &c, why, sizeof why) != 0) {
        log_warn(st, "us-ny: validation_notice refused: the case is incomplete");
        return BATON_EINVAL;
    }
    if (st->api->view_date(v, "claim.itemization.date", &item_date) != 0 ||
        st->api->view_type(v, "claim.itemization.amount") != BATON_VIEW_OBJECT) {
        /* 12 CFR 1006.34(c)(2)(vi), (vii): required, never guessed. */
        log_warn(st, "us-ny: validation_notice refused: claim.itemization.date and .amount are "
                     "required (12 CFR 1006.34(c)(2)(vi), (vii))");
        return BATON_EINVAL;
    }
    if (st->api->view_date(v, "ext.us-ny.notice_date", &sent) != 0)
        sent = c.as_of;
    if (usny_add_federal_business_days(st, sent, 5, &receipt) != 0) {
        log_warn(st, "us-ny: validation_notice refused: the send date is outside the federal "
                     "holiday calendar");
        return BATON_ERANGE;
    }
    end = baton_date_add_days(receipt, 30);
    usny_limitation_compute(st, v, &c, &lim);

    collector = bpc_str(st->api, v, "collector.name", bpc_str(st->api, v, "creditor.name", ""));
    creditor = bpc_str(st->api, v, "creditor.name", "");
    original = bpc_str(st->api, v, "assignments[0].from", creditor);
    account =
        bpc_str(st->api, v, "ext.us-ny.account_number", bpc_str(st->api, v, "claim.reference", ""));
    description = bpc_str(st->api, v, "claim.description", "an account");
    item_amount = money_or_zero(st, v, "claim.itemization.amount");
    interest = money_or_zero(st, v, "claim.itemization.interest_since");
    fees = money_or_zero(st, v, "claim.itemization.fees_since");
    paid = money_or_zero(st, v, "claim.itemization.payments_since") +
           money_or_zero(st, v, "claim.itemization.credits_since");
    current = item_amount + interest + fees - paid;
    charged_off = strcmp(bpc_str(st->api, v, "claim.itemization.date_kind", ""), "charge_off") == 0;
    usny_long_date(item_date, d_item, sizeof d_item);
    usny_long_date(end, d_end, sizeof d_end);
    usny_long_date(sent, d_sent, sizeof d_sent);

    CHECK(a->letter_set(l, "title", "Notice about your debt"));
    CHECK(a->letter_set(l, "language", "en"));
    if (account[0] != '\0')
        CHECK(a->letter_set(l, "reference", account));
    /* (c)(2)(i) collector; (c)(2)(ii) consumer */
    address(st, v,
            st->api->view_type(v, "collector.address") == BATON_VIEW_OBJECT ? "collector.address"
                                                                            : "creditor.address",
            addr, sizeof addr);
    snprintf(text, sizeof text, "%s\n%s", collector, addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, text));
    if (st->api->view_type(v, "collector.registration") == BATON_VIEW_STRING) {
        snprintf(text, sizeof text, "License\t%s",
                 bpc_str(st->api, v, "collector.registration", ""));
        CHECK(a->letter_block(l, BATON_BLOCK_ROW, text));
    }
    CHECK(a->letter_block(l, BATON_BLOCK_DATE, d_sent));
    address(st, v, "debtor.address", addr, sizeof addr);
    snprintf(text, sizeof text, "%s\n%s", bpc_str(st->api, v, "debtor.name", ""), addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, text));
    CHECK(a->letter_block(l, BATON_BLOCK_TITLE, "Notice about your debt"));

    /* (c)(1) */
    snprintf(text, sizeof text,
             "%s is a debt collector. We are trying to collect a debt that you owe to %s. We will "
             "use any information you give us to help collect the debt.",
             collector, creditor);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    /* (c)(2)(iii)-(ix) */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "Our information shows:"));
    snprintf(text, sizeof text, "You had %s from %s with account number %s.", description, original,
             account);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    snprintf(text, sizeof text, "As of %s, you owed:", d_item);
    CHECK(row(st, l, text, item_amount));
    snprintf(text, sizeof text, "Between %s and today:", d_item);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    CHECK(row(st, l, "You were charged this amount in interest: +", interest));
    CHECK(row(st, l, "You were charged this amount in fees: +", fees));
    CHECK(row(st, l, "You paid or were credited this amount toward the debt: -", paid));
    CHECK(row(st, l, "Total amount of the debt now:", current));

    /* (c)(3) */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "How can you dispute the debt?"));
    snprintf(text, sizeof text,
             "Call or write to us by %s, to dispute all or part of the debt. If you do not, we "
             "will assume that our information is correct.",
             d_end);
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, text));
    snprintf(text, sizeof text,
             "If you write to us by %s, we must stop collection on any amount you dispute until "
             "we send you information that shows you owe the debt. You may use the form below "
             "or write to us without the form. You may also include supporting documents.",
             d_end);
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, text));
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "What else can you do?"));
    snprintf(text, sizeof text,
             "Write to ask for the name and address of the original creditor, if different from "
             "the current creditor. If you write by %s, we must stop collection until we send "
             "you that information.",
             d_end);
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, text));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET,
                          "Go to www.cfpb.gov/debt-collection to learn more about your rights "
                          "under federal law."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "Contact us about your payment options."));

    /* 23 NYCRR Part 1 */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "New York State notices (23 NYCRR Part 1)"));
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH,
                          "Debt collectors, in accordance with the Fair Debt Collection Practices "
                          "Act, 15 U.S.C. section 1692 et seq., are prohibited from engaging in "
                          "abusive, deceptive, and misleading debt collection efforts, including "
                          "but not limited to: (i) the use or threat of violence; (ii) the use of "
                          "obscene or profane language; and (iii) repeated phone calls made with "
                          "the intent to annoy, abuse, or harass."));
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, exempt_income));
    if (charged_off) {
        /* 1.2(b): original creditor and accounting since charge-off */
        snprintf(text, sizeof text, "Name of the original creditor: %s", original);
        CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
        CHECK(row(st, l, "Total amount of the debt due as of charge-off", item_amount));
        CHECK(row(st, l, "Total interest accrued since charge-off", interest));
        CHECK(row(st, l, "Total non-interest charges or fees accrued since charge-off", fees));
        CHECK(row(st, l, "Total payments made on the debt since charge-off", paid));
    }
    if (lim.time_barred) {
        /* 1.3(b)(1)-(5), read with CPLR 214-i */
        CHECK(a->letter_block(
            l, BATON_BLOCK_PARAGRAPH,
            "We are required by regulation of the New York State Department of Financial "
            "Services to notify you of the following information. This information is NOT legal "
            "advice: We believe that the legal time limit (statute of limitations) for suing you "
            "to collect this debt may have expired. It is a violation of the Fair Debt "
            "Collection Practices Act, 15 U.S.C. section 1692 et seq., to sue to collect on a "
            "debt for which the statute of limitations has expired. If a creditor sues you to "
            "collect on this debt, you may be able to prevent the creditor from obtaining a "
            "judgment against you. To do so, you must tell the court that the statute of "
            "limitations has expired. You are not required to admit, affirm or acknowledge the "
            "debt, to promise to pay it, or to waive the statute of limitations."));
        CHECK(a->letter_block(
            l, BATON_BLOCK_PARAGRAPH,
            c.consumer_credit
                ? "For certain kinds of debts, making a payment, admitting the debt or promising "
                  "to pay may start the time period again. For this debt, New York law (CPLR "
                  "214-i) does not allow that: whether or not you pay, acknowledge or promise to "
                  "pay, we will NOT sue you to collect this debt."
                : "If you make a payment on this debt, admit to owing it, or promise to pay it, "
                  "the time period in which the debt is enforceable in court may start again."));
    }
    /* (c)(4): the consumer-response section */
    CHECK(a->letter_block(l, BATON_BLOCK_HEADING, "How do you want to respond?"));
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, "Check all that apply:"));
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, "I want to dispute the debt because I think:"));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "This is not my debt."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "The amount is wrong."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET,
                          "Other (please describe on reverse or attach "
                          "additional information)."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET,
                          "I want you to send me the name and address of the original creditor."));
    CHECK(a->letter_block(l, BATON_BLOCK_BULLET, "I enclosed this amount: $"));
    address(st, v,
            st->api->view_type(v, "collector.address") == BATON_VIEW_OBJECT ? "collector.address"
                                                                            : "creditor.address",
            addr, sizeof addr);
    snprintf(text, sizeof text, "Mail this form to:\n%s\n%s", collector, addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, text));
    if (account[0] != '\0') {
        snprintf(text, sizeof text, "Reference\t%s", account);
        CHECK(a->letter_block(l, BATON_BLOCK_ROW, text));
    }
    CHECK(a->letter_block(l, BATON_BLOCK_SMALLPRINT,
                          "This notice follows 12 CFR 1006.34 (model form B-1) and 23 NYCRR 1.2 "
                          "and 1.3. The end of the dispute period assumes receipt five days "
                          "after sending, not counting weekends and federal holidays "
                          "(12 CFR 1006.34(b)(5))."));
    return 0;
}
