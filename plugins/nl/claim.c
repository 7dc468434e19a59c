/*
 * claim.c - reading a case into the figures the nl capabilities share:
 * statutory interest with yearly compounding, the fourteen-day period of
 * art. 6:96 lid 6 BW, the collection costs, the claim value and limitation.
 *
 * Owns: that arithmetic and the small view and formatting helpers. Does not
 * own: findings or line items (rules.c, fees.c), which report what is
 * computed here, or the figures themselves (tables.c).
 */
#include <string.h>

#include "case_view.h"
#include "baton/plugin_text.h"
#include "nl.h"
#include "text_format.h"

void nl_eur(int64_t cents, char *buf, size_t len)
{
    baton_money_text(baton_money_make(cents, "EUR"), "nl-NL", buf, len);
}

void nl_long_date(baton_date d, char *buf, size_t len)
{
    baton_date_words(d, "nl-NL", buf, len);
}

/*
 * Interest on base over [from, to] (both days included) at the table's
 * rates, split where the rate changes, as cent-basis-point-days (cents x
 * bp x days); the caller divides by 10000 x 365. from lies inside the
 * table (the caller checked).
 */
static baton_i128 table_interest(const bpc_dated_table *t, int64_t base, baton_date from,
                                 baton_date to)
{
    baton_i128 acc = baton_i128_of(0);
    baton_date seg = from;
    while (baton_date_cmp(seg, to) <= 0) {
        const bpc_dated_value *v;
        baton_date seg_end = to;
        if (bpc_dated_lookup(t, seg, &v) < 0)
            return acc;
        if (v + 1 < t->values + t->n) {
            baton_date next = baton_date_add_days(v[1].from, -1);
            if (baton_date_cmp(next, seg_end) < 0)
                seg_end = next;
        }
        acc = baton_i128_add(acc, baton_i128_mul64(baton_i128_mul(base, v->value),
                                                   baton_date_diff(seg, seg_end) + 1));
        seg = baton_date_add_days(seg_end, 1);
    }
    return acc;
}

static void compute_interest(const nl_state *st, const baton_view *v, nl_claim *c)
{
    nl_interest *in = &c->interest;
    int64_t bp = -1;

    memset(in, 0, sizeof *in);
    in->commercial = !c->consumer && !c->creditor_natural;
    in->table = in->commercial ? st->commercial : st->statutory;
    if (st->api->view_type(v, "claim.interest.contractual_rate_bp") == BATON_VIEW_INT &&
        st->api->view_int(v, "claim.interest.contractual_rate_bp", &bp) == 0) {
        if (bp < 0 || bp > NL_MAX_RATE_BP) {
            in->unusable = 1;
            return;
        }
        in->contractual = 1;
        in->contract_bp = bp;
        in->basis = "contractual rate (art. 6:119 lid 3 BW leaves an agreed rate in place)";
    } else if (bpc_bool(st->api, v, "claim.interest.statutory", 1)) {
        in->basis = in->commercial ? "art. 6:119a BW (handelsrente)" : "art. 6:119 BW";
    } else {
        return;
    }
    /* Interest runs from the first day of verzuim: the day after the agreed
     * payment term (a fatal term, art. 6:83 sub a BW), unless the case
     * names another start. */
    if (st->api->view_date(v, "claim.interest.from_date", &in->from) != 0)
        in->from = baton_date_add_days(c->due, 1);
    in->claimed = 1;
    if (baton_date_cmp(c->as_of, in->from) < 0)
        return;
    in->days = baton_date_diff(in->from, c->as_of) + 1;

    if (in->contractual) {
        /* An agreed rate is simple interest unless the contract says more. */
        int64_t simple, rem;
        if (baton_i128_divmod(
                baton_i128_mul64(baton_i128_mul(c->principal, in->contract_bp), in->days),
                INT64_C(10000) * 365, &simple, &rem) != 0 ||
            simple > NL_MAX_AMOUNT) {
            in->unusable = 1;
            in->claimed = 0;
            return;
        }
        in->amount =
            baton_muldiv_half_up(c->principal, in->contract_bp * in->days, INT64_C(10000) * 365);
        return;
    }
    const bpc_dated_value *first;
    if (bpc_dated_lookup(in->table, in->from, &first) < 0) {
        in->missing = 1;
        in->claimed = 0;
        return;
    }
    in->beyond_horizon = bpc_dated_lookup(in->table, c->as_of, &first) == BPC_BEYOND_HORIZON;

    /*
     * Art. 6:119 lid 2 / 6:119a lid 3 BW: at the end of every year the
     * interest of that year is added to the sum it is computed on. Each
     * year's interest is rounded half-up to the cent when it is added.
     */
    int64_t base = c->principal;
    baton_date year_start = in->from;
    while (baton_date_cmp(year_start, c->as_of) <= 0) {
        baton_date year_end = baton_date_add_days(baton_date_add_years(year_start, 1), -1);
        int full = baton_date_cmp(year_end, c->as_of) <= 0;
        if (!full)
            year_end = c->as_of;
        baton_i128 num = table_interest(in->table, base, year_start, year_end);
        int64_t year;
        if (baton_i128_div_half_up(num, INT64_C(10000) * 365, &year) != 0 || year > NL_MAX_AMOUNT ||
            in->amount > NL_MAX_AMOUNT - (int64_t)year || base > NL_MAX_AMOUNT - (int64_t)year) {
            in->unusable = 1;
            in->claimed = 0;
            in->amount = 0;
            return;
        }
        in->amount += (int64_t)year;
        if (full) {
            base += (int64_t)year;
            in->capitalised += (int64_t)year;
            in->years_compounded++;
        }
        year_start = baton_date_add_days(year_end, 1);
    }
}

/*
 * Art. 6:96 lid 6 BW and HR 25 November 2016, ECLI:NL:HR:2016:2704: the
 * fourteen days start on the day after the letter reached the consumer; a
 * letter sent before the debtor was in default does not count. The period
 * is a statutory one of fewer than 90 days, so art. 1 Atw extends an end
 * on a closed day.
 */
static void compute_term(const nl_state *st, const baton_view *v, nl_claim *c)
{
    nl_term *t = &c->term;
    const char *method = "post";
    size_t n = 0;

    memset(t, 0, sizeof *t);
    if (st->api->view_count(v, "letters_sent", &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char path[48];
        baton_date d;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".kind");
        if (strcmp(bpc_str(st->api, v, path, ""), "fourteen_day_letter") != 0)
            continue;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".date");
        if (st->api->view_date(v, path, &d) != 0)
            continue;
        if (baton_date_cmp(d, c->due) <= 0) {
            t->early = 1;
            continue;
        }
        /* The earliest letter after default starts the period. */
        if (!t->sent || baton_date_cmp(d, t->letter) < 0) {
            t->letter = d;
            BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".method");
            method = bpc_str(st->api, v, path, "post");
        }
        t->sent = 1;
    }
    if (!t->sent)
        return;
    t->receipt = strcmp(method, "post") == 0 ? baton_date_add_days(t->letter, st->post_receipt_days)
                                             : t->letter;
    if (bpc_deadline_move(&st->atw, baton_date_add_days(t->receipt, 14), 0, NL_ATW_RULE, &t->end) !=
        0) {
        /* no open day within two weeks: only a broken calendar does that */
        t->end.unmoved = t->end.date = baton_date_add_days(t->receipt, 14);
        t->end.moved = 0;
    }
    t->costs_from = baton_date_add_days(t->end.date, 1);
}

int nl_claim_read(const nl_state *st, const baton_view *v, nl_claim *c, char *why, size_t whylen)
{
    baton_money m;
    size_t n = 0;
    const char *kind;

    memset(c, 0, sizeof *c);
    if (st->api->view_date(v, "as_of", &c->as_of) != 0) {
        bpc_format(why, whylen, "the case has no evaluation date (as_of)");
        return BATON_EINVAL;
    }
    if (st->api->view_money(v, "claim.principal", &m) != 0) {
        bpc_format(why, whylen, "claim.principal is missing or malformed");
        return BATON_EINVAL;
    }
    if (strcmp(m.currency, "EUR") != 0) {
        bpc_format(why, whylen, "a Dutch claim must be stated in EUR, not %s", m.currency);
        return BATON_EINVAL;
    }
    if (m.minor < 0 || m.minor > NL_MAX_AMOUNT) {
        bpc_format(why, whylen, "claim.principal is negative or above EUR 10 trillion");
        return BATON_EINVAL;
    }
    c->principal = m.minor;
    if (st->api->view_date(v, "claim.due_date", &c->due) != 0) {
        bpc_format(why, whylen, "claim.due_date is missing or malformed");
        return BATON_EINVAL;
    }
    if (c->due.year > 9000 || c->as_of.year > 9000 || c->due.year < 1000) {
        bpc_format(why, whylen, "dates before the year 1000 or after 9000 are not evaluated");
        return BATON_EINVAL;
    }
    kind = bpc_str(st->api, v, "debtor.kind", "individual");
    c->consumer = bpc_bool(st->api, v, "debtor.consumer", strcmp(kind, "individual") == 0);
    kind = bpc_str(st->api, v, "creditor.kind", "business");
    c->creditor_natural = strcmp(kind, "individual") == 0 || strcmp(kind, "sole_trader") == 0;
    c->creditor_unable_to_pay = bpc_bool(st->api, v, "ext.nl.creditor_unable_to_pay", 0);
    c->consumer_sale = c->consumer && bpc_bool(st->api, v, "ext.nl.consumer_sale", 0);
    c->consumer_credit = c->consumer && bpc_bool(st->api, v, "ext.nl.consumer_credit", 0);
    c->vat_not_deductible = bpc_bool(st->api, v, "ext.nl.creditor_vat_deductible", 1) == 0;

    if (st->api->view_count(v, "claim.charges", &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char path[64];
            BPC_PATH_AT(path, sizeof path, "claim.charges", i, ".amount");
            if (st->api->view_money(v, path, &m) != 0 || strcmp(m.currency, "EUR") != 0 ||
                m.minor <= 0)
                continue;
            if (m.minor > NL_MAX_AMOUNT - c->charges) {
                bpc_format(why, whylen, "claim.charges add up to more than EUR 10 trillion");
                return BATON_EINVAL;
            }
            c->charges += m.minor;
        }
    }

    compute_interest(st, v, c);
    compute_term(st, v, c);

    /* Costs: for a consumer only after the fourteen days ran out (art. 6:96
     * lid 6 BW); otherwise once the debtor is in default, the day after the
     * due date (art. 6:96 lid 4 and the Besluit). */
    if (c->consumer)
        c->costs_due = c->term.sent && baton_date_cmp(c->as_of, c->term.costs_from) >= 0;
    else
        c->costs_due = baton_date_cmp(c->as_of, c->due) > 0;
    c->bik = nl_bik(c->principal, &c->bik_staffel);
    /* Art. 2 lid 3 Besluit: raised by the VAT rate when the creditor cannot
     * deduct the VAT it pays on the costs; 21 %, art. 9 lid 1 Wet OB 1968. */
    if (c->vat_not_deductible)
        c->bik_vat = baton_muldiv_half_up(c->bik, 21, 100);

    c->value = c->principal + c->charges + c->interest.amount;
    if (c->costs_due)
        c->value += c->bik + c->bik_vat;
    return 0;
}

/* Letters that interrupt limitation as a written aanmaning (art. 3:317 lid
 * 1 BW); an acknowledgment or part payment does so as erkenning (3:318). */
static const char *const interrupting_letters[] = {
    "reminder", "final_demand", "fourteen_day_letter", "first_demand", "letter_of_claim"};

void nl_limitation_compute(const nl_state *st, const baton_view *v, const nl_claim *c,
                           nl_limitation *out)
{
    baton_date acts[64];
    size_t nacts = 0, n = 0;
    baton_date d;

    memset(out, 0, sizeof *out);
    if (c->consumer_sale) {
        out->years = 2;
        out->basis = "art. 7:28 BW";
    } else {
        out->years = 5;
        out->basis = "art. 3:307 BW";
    }
    /*
     * The claim is opeisbaar the day after the due date; the period runs
     * from the start of the day after that and ends when the years have
     * passed (art. 3:307 lid 1 BW), so the last day on which the claim is
     * alive is the anniversary of the opeisbaar date.
     */
    out->opeisbaar = baton_date_add_days(c->due, 1);
    out->deadline = baton_date_add_years(out->opeisbaar, out->years);

    if (st->api->view_date(v, "claim.acknowledged_date", &d) == 0 && nacts < 64)
        acts[nacts++] = d;
    if (st->api->view_date(v, "claim.last_payment_date", &d) == 0 && nacts < 64)
        acts[nacts++] = d;
    if (st->api->view_count(v, "letters_sent", &n) == 0) {
        for (size_t i = 0; i < n && nacts < 64; i++) {
            char path[48];
            const char *kind;
            BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".kind");
            kind = bpc_str(st->api, v, path, "");
            for (size_t k = 0; k < sizeof interrupting_letters / sizeof interrupting_letters[0];
                 k++) {
                if (strcmp(kind, interrupting_letters[k]) != 0)
                    continue;
                BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".date");
                if (st->api->view_date(v, path, &d) == 0) {
                    /* A letter interrupts when it reaches the debtor
                     * (art. 3:37 lid 3 BW): the assumed receipt, the
                     * same day for email or hand delivery. */
                    BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".method");
                    if (strcmp(bpc_str(st->api, v, path, "post"), "post") == 0)
                        d = baton_date_add_days(d, st->post_receipt_days);
                    acts[nacts++] = d;
                }
                break;
            }
        }
    }
    /* Walk the acts in date order: each one inside the running period
     * starts a new period of the same length, at most five years (art.
     * 3:319 lid 1 BW), from the day after the act. */
    for (size_t i = 1; i < nacts; i++)
        for (size_t j = i; j > 0 && baton_date_cmp(acts[j - 1], acts[j]) > 0; j--) {
            baton_date tmp = acts[j];
            acts[j] = acts[j - 1];
            acts[j - 1] = tmp;
        }
    for (size_t i = 0; i < nacts; i++) {
        if (baton_date_cmp(acts[i], out->opeisbaar) < 0 ||
            baton_date_cmp(acts[i], out->deadline) > 0 || baton_date_cmp(acts[i], c->as_of) > 0)
            continue;
        baton_date next = baton_date_add_years(acts[i], out->years);
        if (baton_date_cmp(next, out->deadline) > 0) {
            out->deadline = next;
            out->last_interruption = acts[i];
            out->interrupted = 1;
        }
    }
    out->days_left = baton_date_diff(c->as_of, out->deadline);
    out->time_barred = baton_date_cmp(c->as_of, out->deadline) > 0;
}
