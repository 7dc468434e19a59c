/*
 * letters.c - northwind's letters: its letterhead (placed by the host at
 * the top of every letter for the tenant), a payment reminder and a final
 * demand.
 *
 * Owns: the wording of Northwind's own pre-legal letters. Does not own:
 * statutory letters (the jurisdiction plugins write those) or layout.
 * The letters state the amount outstanding (principal and charges already
 * on the account), the due date, a date to pay by, how to pay, and who to
 * talk to; the final demand also says what happens next, which for an
 * individual in England & Wales is a Letter of Claim under the Pre-Action
 * Protocol for Debt Claims rather than an immediate claim.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "case_view.h"
#include "northwind.h"

const char *const nw_letter_kinds[] = {"letterhead", "reminder", "final_demand", NULL};

typedef struct lctx {
    const nw_state *st;
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

static int letterhead(lctx *x)
{
    return blockf(x, BATON_BLOCK_LETTERHEAD, "%s\n%s\nTel %s \xc2\xb7 %s\n%s", x->st->name,
                  x->st->address, x->st->phone, x->st->email, x->st->registration);
}

static void debtor_address(lctx *x, char *buf, size_t len)
{
    size_t n = 0, used;
    snprintf(buf, len, "%s", str(x, "debtor.name", "The account holder"));
    x->api->view_count(x->v, "debtor.address.lines", &n);
    for (size_t i = 0; i < n && i < 4; i++) {
        char path[48];
        BPC_PATH_AT(path, sizeof path, "debtor.address.lines", i, "");
        used = strlen(buf);
        snprintf(buf + used, len - used, "\n%s", str(x, path, ""));
    }
    used = strlen(buf);
    snprintf(buf + used, len - used, "\n%s", str(x, "debtor.address.city", ""));
    if (str(x, "debtor.address.postcode", NULL) != NULL) {
        used = strlen(buf);
        snprintf(buf + used, len - used, "\n%s", str(x, "debtor.address.postcode", ""));
    }
}

static int how_to_pay(lctx *x, const char *creditor)
{
    const char *sort = str(x, "creditor.payment.sort_code", NULL);
    const char *acct = str(x, "creditor.payment.account_number", NULL);
    const char *iban = str(x, "creditor.payment.iban", NULL);
    const char *ref = str(x, "creditor.payment.reference", str(x, "claim.reference", NULL));
    int rc;
    if (sort != NULL && acct != NULL)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "Pay by bank transfer to %s, sort code %s, account %s%s%s.",
                    str(x, "creditor.payment.account_name", creditor), sort, acct,
                    ref ? ", reference " : "", ref ? ref : "");
    else if (iban != NULL)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH, "Pay by bank transfer to %s, IBAN %s%s%s.",
                    str(x, "creditor.payment.account_name", creditor), iban,
                    ref ? ", reference " : "", ref ? ref : "");
    else
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "Call us on %s to pay by card, quoting the reference %s.", x->st->phone,
                    ref ? ref : str(x, "case_id", ""));
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "If you cannot pay in full, or think you do not owe this amount, call us on "
                    "%s or email %s. We will listen, and we can agree an affordable plan.",
                    x->st->phone, x->st->email);
    return rc;
}

static int render_demand(lctx *x, int final)
{
    baton_date as_of, due;
    baton_money principal;
    int64_t charges = 0;
    size_t n = 0;
    char today[32], dues[32], payby[32], amount[48], addr[640];
    const char *creditor = str(x, "creditor.name", "our client");
    const char *debtor = str(x, "debtor.name", "Sir or Madam");
    const char *ref = str(x, "claim.reference", str(x, "case_id", ""));
    const char *kind = str(x, "debtor.kind", "individual");
    const char *jur = str(x, "jurisdiction", "");
    const char *what = str(x, "claim.description", NULL);
    int rc;

    if ((rc = x->api->view_date(x->v, "as_of", &as_of)) != 0 ||
        (rc = x->api->view_date(x->v, "claim.due_date", &due)) != 0 ||
        (rc = x->api->view_money(x->v, "claim.principal", &principal)) != 0)
        return rc;
    if (x->api->view_count(x->v, "claim.charges", &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char path[48];
            baton_money m;
            BPC_PATH_AT(path, sizeof path, "claim.charges", i, ".amount");
            if (x->api->view_money(x->v, path, &m) == 0 && baton_money_same_currency(m, principal))
                charges += m.minor;
        }
    }
    nw_date_text(as_of, today, sizeof today);
    nw_date_text(due, dues, sizeof dues);
    nw_date_text(baton_date_add_days(as_of, final ? 14 : 7), payby, sizeof payby);
    nw_money_text(baton_money_make(principal.minor + charges, principal.currency), amount,
                  sizeof amount);
    debtor_address(x, addr, sizeof addr);

    if ((rc = x->api->letter_set(x->l, "title", final ? "Final demand" : "Payment reminder")) !=
            0 ||
        (rc = x->api->letter_set(x->l, "language", "en-GB")) != 0)
        return rc;
    if (ref[0] != '\0' && (rc = x->api->letter_set(x->l, "reference", ref)) != 0)
        return rc;
    if ((rc = blockf(x, BATON_BLOCK_DATE, "%s", today)) != 0 ||
        (rc = blockf(x, BATON_BLOCK_ADDRESS, "%s", addr)) != 0 ||
        (rc = blockf(x, BATON_BLOCK_TITLE, "%s", final ? "Final demand" : "Payment reminder")) != 0)
        return rc;
    if (ref[0] != '\0' && (rc = blockf(x, BATON_BLOCK_ROW, "Reference\t%s", ref)) != 0)
        return rc;
    if ((rc = blockf(x, BATON_BLOCK_ROW, "Creditor\t%s", creditor)) != 0 ||
        (rc = blockf(x, BATON_BLOCK_ROW, "Amount outstanding\t%s", amount)) != 0 ||
        (rc = blockf(x, BATON_BLOCK_ROW, "Due since\t%s", dues)) != 0 ||
        (rc = blockf(x, BATON_BLOCK_ROW, "Please pay by\t%s", payby)) != 0 ||
        (rc = blockf(x, BATON_BLOCK_PARAGRAPH, "Dear %s,",
                     strcmp(kind, "business") == 0 ? "Sir or Madam" : debtor)) != 0)
        return rc;
    if (!final) {
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "%s has asked us to collect %s%s%s, which was due on %s. Our records show "
                    "it has not been paid. If you have paid in the last few days, thank you, and "
                    "please ignore this letter. Otherwise please pay by %s.",
                    creditor, amount, what ? " for " : "", what ? what : "", dues, payby);
    } else {
        rc = blockf(x, BATON_BLOCK_PARAGRAPH,
                    "Despite our earlier letters, %s owed to %s%s%s, due on %s, is still unpaid. "
                    "This is our final demand: please pay the full amount by %s.",
                    amount, creditor, what ? " for " : "", what ? what : "", dues, payby);
        if (rc == 0) {
            int pap = strcmp(jur, "gb-ew") == 0 &&
                      (strcmp(kind, "individual") == 0 || strcmp(kind, "sole_trader") == 0);
            rc = blockf(x, BATON_BLOCK_PARAGRAPH, "%s",
                        pap ? "If you do not pay or contact us by then, we will recommend that "
                              "our client sends you a Letter of Claim under the Pre-Action "
                              "Protocol for Debt Claims, the step before a court claim. A court "
                              "claim could add court fees, interest and costs to what you owe."
                            : "If you do not pay or contact us by then, we will recommend that "
                              "our client starts court proceedings against you without further "
                              "notice. Court proceedings could add court fees, interest and "
                              "costs to what you owe.");
        }
    }
    if (rc == 0)
        rc = how_to_pay(x, creditor);
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_SIGNATURE,
                    "Yours sincerely\n\nCollections team\n%s, on behalf "
                    "of %s",
                    x->st->name, creditor);
    if (rc == 0)
        rc = blockf(x, BATON_BLOCK_SMALLPRINT,
                    "Free, independent debt advice is available from StepChange, National "
                    "Debtline and Citizens Advice. %s is a debt collector acting for %s; any "
                    "information you give us will be used for that purpose.",
                    x->st->name, creditor);
    return rc;
}

int nw_render(void *state, const char *kind, const baton_view *v, baton_letter *out)
{
    const nw_state *st = state;
    lctx x = {st, st->api, v, out};
    if (kind == NULL)
        return BATON_EINVAL;
    if (strcmp(kind, "letterhead") == 0)
        return letterhead(&x);
    if (strcmp(kind, "reminder") == 0)
        return render_demand(&x, 0);
    if (strcmp(kind, "final_demand") == 0)
        return render_demand(&x, 1);
    return BATON_EUNSUPP;
}
