/*
 * letters.c - the gb-ew letter_formats capability: the Letter of Claim of
 * the Pre-Action Protocol for Debt Claims.
 *
 * Owns: the content of the letter. What paragraph 3 of the Protocol asks
 * of a Letter of Claim, each written from the case (docs/plugins/gb-ew.md
 * maps each element to the case members it reads):
 *   - the amount of the debt, and whether interest or other charges are
 *     continuing
 *   - for an oral agreement: who made it, what was agreed (as far as
 *     possible the words used), when and where (ext."gb-ew".oral_agreement)
 *   - for a written agreement: its date, the parties, and that a copy can
 *     be requested
 *   - any assignment: the original debt and creditor, when it was assigned
 *     and to whom
 *   - instalments offered or being paid: why they are not acceptable and why
 *     a claim is still considered
 *   - how the debt can be paid, and how to discuss payment options
 *   - the address the completed Reply Form goes to
 *   - an up-to-date statement of account enclosed
 *   - the Information Sheet, Reply Form and Financial Statement enclosed
 *   - a reply within 30 days of the date of the letter, which is dated at
 *     the top
 * Does not own: the sender's letterhead (the agency plugin's "letterhead")
 * or layout (the host).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "case_view.h"
#include "gb_ew.h"

const char *const gbew_letter_kinds[] = {"letter_of_claim", NULL};

typedef struct lctx {
    const baton_host_api *api;
    const baton_view *v;
    baton_letter *l;
} lctx;

static int blockf(lctx *x, enum baton_block_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int blockf(lctx *x, enum baton_block_kind kind, const char *fmt, ...)
{
    char text[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return x->api->letter_block(x->l, kind, text);
}

static const char *str(lctx *x, const char *path, const char *dflt)
{
    const char *s;
    if (x->api->view_string(x->v, path, &s) == 0 && s[0] != '\0')
        return s;
    return dflt;
}

/* An address (prefix.lines[], city, postcode) as lines, after name. */
static void address_text(lctx *x, const char *prefix, const char *name, char *buf, size_t len)
{
    char path[96];
    size_t n = 0, used;
    snprintf(buf, len, "%s", name);
    snprintf(path, sizeof path, "%s.lines", prefix);
    x->api->view_count(x->v, path, &n);
    for (size_t i = 0; i < n && i < 4; i++) {
        const char *line;
        snprintf(path, sizeof path, "%s.lines[%zu]", prefix, i);
        if (x->api->view_string(x->v, path, &line) == 0) {
            used = strlen(buf);
            snprintf(buf + used, len - used, "\n%s", line);
        }
    }
    snprintf(path, sizeof path, "%s.city", prefix);
    used = strlen(buf);
    snprintf(buf + used, len - used, "\n%s", str(x, path, ""));
    snprintf(path, sizeof path, "%s.postcode", prefix);
    if (str(x, path, NULL) != NULL) {
        used = strlen(buf);
        snprintf(buf + used, len - used, "\n%s", str(x, path, ""));
    }
}

static int agreement_section(lctx *x, const char *creditor, const char *debtor)
{
    /* The parties to the agreement: for an assigned debt, the original creditor. */
    const char *party = str(x, "assignments[0].from", creditor);
    const char *ctype = str(x, "claim.contract_type", "written");
    const char *what = str(x, "claim.description", NULL);
    baton_date cd;
    char cds[32] = "";
    int have_date = x->api->view_date(x->v, "claim.contract_date", &cd) == 0;
    int rc;

    if (have_date)
        gbew_date_text(cd, cds, sizeof cds);
    if ((rc = blockf(x, BATON_BLOCK_HEADING, "The agreement")) != 0)
        return rc;
    if (strcmp(ctype, "oral") == 0) {
        const char *by = str(x, "ext.gb-ew.oral_agreement.made_by", NULL);
        const char *where = str(x, "ext.gb-ew.oral_agreement.place", NULL);
        const char *words = str(x, "ext.gb-ew.oral_agreement.words", NULL);
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "The debt arises from an oral agreement made %s%s between %s%s%s%s and "
                    "%s%s%s. What was agreed: %s.%s%s%s",
                    have_date ? "on " : "", have_date ? cds : "on a date not recorded",
                    by ? by : party, by ? ", acting for " : "", by ? party : "", by ? "," : "",
                    debtor, where ? " at " : "", where ? where : "",
                    what ? what : "the supply described in the enclosed statement of account",
                    words ? " The words used were, as far as we can recall: \"" : "",
                    words ? words : "", words ? "\"" : "");
    } else if (strcmp(ctype, "open_account") == 0) {
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "The debt is the balance of the account between %s and %s%s%s. The enclosed "
                    "statement of account shows each item. You can ask us for a copy of the "
                    "terms on which the account was opened.",
                    party, debtor, have_date ? ", opened on " : "", have_date ? cds : "");
    } else {
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "The debt arises under a written agreement%s%s between %s and %s%s%s. You "
                    "can ask us for a copy of the written agreement.",
                    have_date ? " dated " : "", have_date ? cds : "", party, debtor,
                    what ? " for " : "", what ? what : "");
    }
    return rc;
}

static int assignment_section(lctx *x, const char *creditor)
{
    size_t n = 0;
    int rc;
    if (x->api->view_count(x->v, "assignments", &n) != 0 || n == 0)
        return blockf(x, BATON_BLOCK_PARAGRAPH,
                      "The debt has not been assigned: %s is the "
                      "original creditor.",
                      creditor);
    if ((rc = blockf(x, BATON_BLOCK_HEADING, "Assignment of the debt")) != 0)
        return rc;
    {
        const char *orig = str(x, "assignments[0].from", "the original creditor");
        const char *ref = str(x, "claim.reference", NULL);
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "The debt was originally owed to %s%s%s. It has since been assigned as "
                    "follows:",
                    orig, ref ? " under account reference " : "", ref ? ref : "");
        if (rc != 0)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        char path[64], when[32];
        baton_date d;
        const char *from, *to;
        BPC_PATH_AT(path, sizeof path, "assignments", i, ".from");
        from = str(x, path, "?");
        BPC_PATH_AT(path, sizeof path, "assignments", i, ".to");
        to = str(x, path, "?");
        BPC_PATH_AT(path, sizeof path, "assignments", i, ".date");
        if (x->api->view_date(x->v, path, &d) == 0)
            gbew_date_text(d, when, sizeof when);
        else
            snprintf(when, sizeof when, "a date not recorded");
        if ((rc = blockf(x, BATON_BLOCK_BULLET, "on %s from %s to %s", when, from, to)) != 0)
            return rc;
    }
    return 0;
}

static int payment_section(lctx *x, const char *creditor, const char *reply_addr)
{
    const char *plan = str(x, "debtor_profile.payment_plan", "none");
    const char *sort = str(x, "creditor.payment.sort_code", NULL);
    const char *acct = str(x, "creditor.payment.account_number", NULL);
    const char *iban = str(x, "creditor.payment.iban", NULL);
    const char *pref = str(x, "creditor.payment.reference", str(x, "claim.reference", NULL));
    const char *url = str(x, "creditor.payment.url", NULL);
    const char *phone = str(x, "collector.contact.phone", str(x, "creditor.contact.phone", NULL));
    const char *email = str(x, "collector.contact.email", str(x, "creditor.contact.email", NULL));
    int rc;

    if (strcmp(plan, "offered") == 0 || strcmp(plan, "active") == 0) {
        const char *why = str(x, "ext.gb-ew.instalments_reason",
                              "the instalments would not clear the debt within a reasonable "
                              "time, and no up-to-date financial statement supports them");
        rc = blockf(x, BATON_BLOCK_HEADING, "Your instalment %s",
                    strcmp(plan, "active") == 0 ? "payments" : "offer");
        if (rc == 0)
            rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                        "You %s by instalments. We cannot accept this as settling the matter "
                        "because %s. We are therefore still considering a court claim. If your "
                        "circumstances have changed, complete the enclosed Financial Statement "
                        "and Reply Form and we will look at your offer again.",
                        strcmp(plan, "active") == 0 ? "are paying" : "have offered to pay", why);
        if (rc != 0)
            return rc;
    }
    if ((rc = blockf(x, BATON_BLOCK_HEADING, "How to pay")) != 0)
        return rc;
    if (sort != NULL && acct != NULL)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "Pay by bank transfer to %s, sort code %s, account number %s%s%s.",
                    str(x, "creditor.payment.account_name", creditor), sort, acct,
                    pref ? ", quoting the reference " : "", pref ? pref : "");
    else if (iban != NULL)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH, "Pay by bank transfer to %s, IBAN %s%s%s%s%s.",
                    str(x, "creditor.payment.account_name", creditor), iban,
                    str(x, "creditor.payment.bic", NULL) ? ", BIC " : "",
                    str(x, "creditor.payment.bic", ""), pref ? ", quoting the reference " : "",
                    pref ? pref : "");
    else
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "Pay by cheque payable to %s sent to the address below%s%s.", creditor,
                    pref ? ", writing the reference on the back: " : "", pref ? pref : "");
    if (rc == 0 && url != NULL)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH, "You can also pay online at %s.", url);
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "If you cannot pay the full amount now, or want to discuss how to pay, "
                    "contact us%s%s%s%s or write to us at the address below. We will consider a "
                    "reasonable offer of payment by instalments.",
                    phone ? " on " : "", phone ? phone : "", email ? " or by email to " : "",
                    email ? email : "");
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_ADDRESS, "%s", reply_addr);
    return rc;
}

static int render_letter_of_claim(const gbew_state *st, lctx *x)
{
    gbew_case c;
    gbew_interest in;
    const char *creditor = str(x, "creditor.name", "the creditor");
    const char *debtor = str(x, "debtor.name", "Sir or Madam");
    const char *ref = str(x, "claim.reference", str(x, "case_id", ""));
    const char *what = str(x, "claim.description", NULL);
    char today[32], due[32], reply[32], buf[96], addr[512], reply_addr[512];
    int64_t total;
    int rc;

    if ((rc = gbew_case_read(x->api, x->v, &c)) != 0)
        return rc;
    rc = gbew_interest_for(st, x->v, &c, &in);
    if (rc == BATON_ENOENT)
        memset(&in, 0, sizeof in); /* no Bank Rate configured: claim no interest */
    else if (rc != 0)
        return rc;
    total = c.principal.minor + c.charges_minor + in.amount_minor + in.compensation_minor;

    gbew_date_text(c.as_of, today, sizeof today);
    gbew_date_text(c.due, due, sizeof due);
    gbew_date_text(baton_date_add_days(c.as_of, 30), reply, sizeof reply);

    if ((rc = x->api->letter_set(x->l, "title", "Letter of Claim")) != 0)
        return rc;
    if ((rc = x->api->letter_set(x->l, "language", "en-GB")) != 0)
        return rc;
    if (ref[0] != '\0' && (rc = x->api->letter_set(x->l, "reference", ref)) != 0)
        return rc;

    address_text(x, "debtor.address", debtor, addr, sizeof addr);
    if (x->api->view_type(x->v, "collector.address") == BATON_VIEW_OBJECT)
        address_text(x, "collector.address", str(x, "collector.name", creditor), reply_addr,
                     sizeof reply_addr);
    else
        address_text(x, "creditor.address", creditor, reply_addr, sizeof reply_addr);

    if ((rc = blockf(x, BATON_BLOCK_DATE, "%s", today)) != 0)
        return rc;
    if ((rc = blockf(x, BATON_BLOCK_ADDRESS, "%s", addr)) != 0)
        return rc;
    if ((rc = blockf(x, BATON_BLOCK_TITLE, "Letter of Claim")) != 0)
        return rc;
    if (ref[0] != '\0' && (rc = blockf(x, BATON_BLOCK_ROW, "Our reference\t%s", ref)) != 0)
        return rc;
    if ((rc = blockf(x, BATON_BLOCK_PARAGRAPH, "Dear %s,", debtor)) != 0)
        return rc;
    gbew_money_text(baton_money_make(total, c.principal.currency), buf, sizeof buf);
    rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                "You owe %s the sum of %s%s%s. Payment fell due on %s and has not been made. "
                "We are considering starting a court claim against you to recover it. Before we "
                "do, we are giving you the chance to reply to this letter.",
                creditor, buf, what ? " for " : "", what ? what : "", due);
    if (rc != 0)
        return rc;

    /* The amount, and whether interest and charges continue. */
    if ((rc = blockf(x, BATON_BLOCK_HEADING, "The amount of the debt")) != 0)
        return rc;
    gbew_money_text(c.principal, buf, sizeof buf);
    if ((rc = blockf(x, BATON_BLOCK_ROW, "Amount unpaid\t%s", buf)) != 0)
        return rc;
    if (c.charges_minor != 0) {
        gbew_money_text(baton_money_make(c.charges_minor, c.principal.currency), buf, sizeof buf);
        if ((rc = blockf(x, BATON_BLOCK_ROW, "Charges added\t%s", buf)) != 0)
            return rc;
    }
    if (in.kind != GBEW_INTEREST_NONE) {
        gbew_money_text(baton_money_make(in.amount_minor, c.principal.currency), buf, sizeof buf);
        if ((rc = blockf(x, BATON_BLOCK_ROW, "Interest to %s\t%s", today, buf)) != 0)
            return rc;
    }
    if (in.compensation_minor != 0) {
        gbew_money_text(baton_money_make(in.compensation_minor, c.principal.currency), buf,
                        sizeof buf);
        if ((rc = blockf(x, BATON_BLOCK_ROW, "Fixed compensation\t%s", buf)) != 0)
            return rc;
    }
    gbew_money_text(baton_money_make(total, c.principal.currency), buf, sizeof buf);
    if ((rc = blockf(x, BATON_BLOCK_ROW, "Total due today\t%s", buf)) != 0)
        return rc;
    if (in.kind != GBEW_INTEREST_NONE) {
        char daily[48];
        gbew_money_text(baton_money_make(in.daily_minor_x100 / 100, c.principal.currency), daily,
                        sizeof daily);
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "Interest is continuing to be added at %d.%02d%% a year (%s a day) under %s "
                    "until payment. No other charges are being added.",
                    (int)(in.rate_bp / 100), (int)(in.rate_bp % 100), daily, in.basis);
    } else {
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "No interest or other charges are being added to the debt.");
    }
    if (rc != 0)
        return rc;

    /* The agreement and any assignment. */
    if ((rc = agreement_section(x, creditor, debtor)) != 0)
        return rc;
    if ((rc = assignment_section(x, creditor)) != 0)
        return rc;

    /* The statement of account. */
    if ((rc = blockf(x, BATON_BLOCK_HEADING, "Statement of account")) != 0)
        return rc;
    rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                "We enclose an up-to-date statement of account for the debt, showing the "
                "interest and any charges added.");
    if (rc != 0)
        return rc;

    /* Instalments, how to pay, and where the Reply Form goes. */
    if ((rc = payment_section(x, creditor, reply_addr)) != 0)
        return rc;

    /* The 30-day reply and the enclosures. */
    if ((rc = blockf(x, BATON_BLOCK_HEADING, "What you need to do now")) != 0)
        return rc;
    rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                "Please read the enclosed Information Sheet. Then complete the enclosed Reply "
                "Form and send it to us at the address above within 30 days of the date of this "
                "letter, that is by %s. If you are struggling with your finances, also complete "
                "the enclosed Financial Statement.",
                reply);
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "If you dispute the debt, or need documents or information to decide, say "
                    "so in the Reply Form. If you want to get debt advice, the Information Sheet "
                    "lists free, independent advice services; tell us in the Reply Form and we "
                    "will allow you a reasonable time to get it.");
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "If you do not reply by %s, we may start court proceedings against you "
                    "without further notice. Court proceedings can add court fees and costs to "
                    "what you owe.",
                    reply);
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_SIGNATURE, "Yours sincerely\n\n%s", creditor);
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_HEADING, "Enclosures");
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_BULLET, "Statement of account");
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_BULLET, "Information Sheet");
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_BULLET, "Reply Form");
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_BULLET, "Financial Statement");
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_SMALLPRINT,
                    "This Letter of Claim is sent under the Pre-Action Protocol for Debt Claims. "
                    "The Information Sheet and Reply Form are those annexed to the Protocol; the "
                    "Financial Statement is the Standard Financial Statement.");
    return rc;
}

int gbew_render(void *state, const char *kind, const baton_view *v, baton_letter *out)
{
    const gbew_state *st = state;
    lctx x = {st->api, v, out};
    if (kind != NULL && strcmp(kind, "letter_of_claim") == 0)
        return render_letter_of_claim(st, &x);
    return BATON_EUNSUPP;
}
