/*
 * de_case.c - reading a case into de_case, working out when the debtor fell
 * into default (§ 286 BGB), the interest claimed (§ 288 BGB), and the German
 * formats of amounts, dates and rates.
 */
#include <string.h>

#include "case_view.h"
#include "baton/plugin_text.h"
#include "de_internal.h"
#include "text_format.h"

/* Optional items: absent or of another type leaves the default. */
static int opt_bool(const de_state *st, const baton_view *v, const char *path, int def)
{
    int b;
    return st->api->view_bool(v, path, &b) == 0 ? (b != 0) : def;
}

static int opt_string_is(const de_state *st, const baton_view *v, const char *path,
                         const char *want)
{
    const char *s;
    return st->api->view_string(v, path, &s) == 0 && strcmp(s, want) == 0;
}

static void keep_earliest(de_case *c, enum de_verzug_basis basis, baton_date from)
{
    if (c->verzug == DE_VERZUG_NONE || baton_date_cmp(from, c->verzug_from) < 0) {
        c->verzug = basis;
        c->verzug_from = from;
    }
}

/* § 286 BGB: the earliest day of default any of its routes gives. */
static void find_verzug(const de_state *st, const baton_view *cv, de_case *c)
{
    const baton_host_api *api = st->api;
    char path[64];
    size_t n = 0;

    /* § 286 Abs. 2 Nr. 1, 2: a due date fixed by (or computable from) the
     * calendar puts the debtor in default the day after it. */
    if (opt_bool(st, cv, "ext.de.due_date_calendar", 0))
        keep_earliest(c, DE_VERZUG_CALENDAR, baton_date_add_days(c->due_date, 1));

    /* § 286 Abs. 1: a reminder sent after the due date; default from the
     * day after its assumed receipt. */
    if (api->view_count(cv, "letters_sent", &n) != 0)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        baton_date d;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".date");
        if (api->view_date(cv, path, &d) != 0 || baton_date_cmp(d, c->due_date) < 0)
            continue;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".kind");
        if (!opt_string_is(st, cv, path, "reminder") &&
            !opt_string_is(st, cv, path, "final_demand") &&
            !opt_string_is(st, cv, path, "first_demand") &&
            !opt_string_is(st, cv, path, "letter_of_claim"))
            continue;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".method");
        int delay = (opt_string_is(st, cv, path, "email") || opt_string_is(st, cv, path, "hand"))
                        ? 0
                        : st->mahnung_receipt_days;
        keep_earliest(c, DE_VERZUG_MAHNUNG, baton_date_add_days(d, delay + 1));
    }

    /* § 286 Abs. 3: 30 days after the due date and receipt of an invoice;
     * against a consumer only when the invoice said so. */
    if (!c->consumer || opt_bool(st, cv, "ext.de.invoice_notice_30_days", 0)) {
        if (api->view_count(cv, "documents", &n) != 0)
            n = 0;
        for (size_t i = 0; i < n; i++) {
            baton_date d;
            BPC_PATH_AT(path, sizeof path, "documents", i, ".kind");
            if (!opt_string_is(st, cv, path, "invoice") &&
                !opt_string_is(st, cv, path, "statement"))
                continue;
            BPC_PATH_AT(path, sizeof path, "documents", i, ".date");
            if (api->view_date(cv, path, &d) != 0)
                continue;
            baton_date received = baton_date_add_days(d, st->mahnung_receipt_days);
            baton_date start = baton_date_cmp(received, c->due_date) > 0 ? received : c->due_date;
            keep_earliest(c, DE_VERZUG_30_DAYS, baton_date_add_days(start, 31));
        }
    }
}

int de_case_read(const de_state *st, const baton_view *cv, de_case *c, char *why, size_t whylen)
{
    const baton_host_api *api = st->api;
    memset(c, 0, sizeof *c);

    if (api->view_date(cv, "as_of", &c->as_of) != 0) {
        bpc_format(why, whylen, "as_of is missing or not a date");
        return BATON_EINVAL;
    }
    /* Bounded so that interest, fees and totals always fit int64 cents:
     * EUR 10 trillion is far beyond any claim. */
    if (api->view_money(cv, "claim.principal", &c->principal) != 0 || c->principal.minor <= 0 ||
        c->principal.minor > DE_MAX_PRINCIPAL) {
        bpc_format(why, whylen, "claim.principal is missing, not positive or above EUR 10^13");
        return BATON_EINVAL;
    }
    if (api->view_date(cv, "claim.due_date", &c->due_date) != 0) {
        bpc_format(why, whylen, "claim.due_date is missing or not a date");
        return BATON_EINVAL;
    }
    c->is_eur = strcmp(c->principal.currency, "EUR") == 0;

    /* § 13 BGB consumer: the case says so, or it follows from the kind. */
    int b;
    if (api->view_bool(cv, "debtor.consumer", &b) == 0)
        c->consumer = b != 0;
    else
        c->consumer = opt_string_is(st, cv, "debtor.kind", "individual");
    /* A sole trader (Einzelkaufmann, Freiberufler) is an Unternehmer, § 14 BGB. */
    c->creditor_biz = opt_string_is(st, cv, "creditor.kind", "business") ||
                      opt_string_is(st, cv, "creditor.kind", "sole_trader");
    c->b2b = c->creditor_biz && !c->consumer;

    int64_t bp;
    if (api->view_int(cv, "claim.interest.contractual_rate_bp", &bp) == 0 && bp >= 0 &&
        bp <= DE_MAX_CONTRACT_BP) {
        c->has_contract_rate = 1;
        c->contract_bp = (int32_t)bp;
    }
    c->statutory = opt_bool(st, cv, "claim.interest.statutory", 1);
    c->has_from_date = api->view_date(cv, "claim.interest.from_date", &c->from_date) == 0;

    size_t n = 0;
    if (api->view_count(cv, "disputes", &n) == 0) {
        char path[48];
        for (size_t i = 0; i < n; i++) {
            BPC_PATH_AT(path, sizeof path, "disputes", i, ".answered");
            c->disputes_total++;
            if (!opt_bool(st, cv, path, 0))
                c->disputes_open++;
        }
    }

    /* No claim before the day after the due date (§ 271 BGB): nothing to
     * file, no default, no fees. */
    c->not_yet_due = baton_date_cmp(c->as_of, c->due_date) <= 0;

    /* The Land whose holidays § 193 BGB applies: the court's, when the case
     * names it, else the debtor's (the general venue, §§ 12, 13 ZPO, and
     * the place of performance of a money debt, § 269 Abs. 1, § 270 Abs. 4
     * BGB). docs/plugins/de.md. */
    const char *land;
    if (api->view_string(cv, "ext.de.court_land", &land) == 0 &&
        (c->land = de_land_from(land, &c->land_code)) != 0)
        c->land_from = "ext.de.court_land";
    else if (api->view_string(cv, "debtor.address.region", &land) == 0 &&
             (c->land = de_land_from(land, &c->land_code)) != 0)
        c->land_from = "debtor.address.region";

    c->fees = de_fee_version_for(c->as_of);
    find_verzug(st, cv, c);
    return 0;
}

int de_claimed_interest_compute(const de_state *st, const de_case *c, de_claimed_interest *out)
{
    memset(out, 0, sizeof *out);
    out->margin_bp = c->b2b ? 900 : 500;
    int32_t base;
    if (de_base_rate_at(st->rates, st->nrates, c->as_of, &base) == 0) {
        out->has_now = 1;
        out->statutory_bp_now = base + out->margin_bp;
    }

    if (c->verzug == DE_VERZUG_NONE && !c->has_from_date)
        return 0;
    baton_date from = c->has_from_date ? c->from_date : c->verzug_from;
    if (baton_date_cmp(c->as_of, from) < 0)
        return 0;

    de_interest stat, contract;
    int have_stat = 0, have_contract = 0;
    if (c->statutory) {
        int rc = de_interest_compute(st->rates, st->nrates, c->principal.minor, from, c->as_of, 0,
                                     0, out->margin_bp, &stat);
        if (rc != 0)
            return rc;
        have_stat = 1;
    }
    if (c->has_contract_rate) {
        int rc = de_interest_compute(NULL, 0, c->principal.minor, from, c->as_of, 1, c->contract_bp,
                                     0, &contract);
        if (rc != 0)
            return rc;
        have_contract = 1;
    }
    if (have_contract && (!have_stat || contract.amount > stat.amount)) {
        out->any = 1;
        out->contractual = 1;
        out->calc = contract;
    } else if (have_stat) {
        out->any = 1;
        out->calc = stat;
    }
    return 0;
}

void de_route_decide(const de_case *c, de_route *r)
{
    r->mahnverfahren = c->is_eur && c->disputes_open == 0;
    r->streitwert = c->principal.minor;
    r->ag_limit = de_amtsgericht_limit(c->as_of);
    r->amtsgericht = r->streitwert <= r->ag_limit;
}

void de_fmt_eur(int64_t cents, char *buf, size_t len)
{
    baton_money_text(baton_money_make(cents, "EUR"), "de-DE", buf, len);
}

void de_fmt_date(baton_date d, char *buf)
{
    bpc_format(buf, 11, "%02u.%02u.%04u", (unsigned)d.day % 100u, (unsigned)d.month % 100u,
               (unsigned)d.year % 10000u);
}

void de_fmt_pct(int32_t bp, char *buf, size_t len)
{
    baton_bp_text(bp, "de-DE", buf, len);
}
