/* test_placement_ledger.c - a placement's figures, status and flags from
 * event lines (placement_ledger.h), as docs/placements.md defines them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "placement_ledger.h"

#define MAX_EVENTS 32

/* Event lines as the events code stores them (the format of
 * docs/placements.md); hashes do not matter to reconciliation. */
typedef struct lines {
    char text[MAX_EVENTS][1024];
    const char *ptr[MAX_EVENTS];
    size_t len[MAX_EVENTS];
    size_t n;
    int firm_seq, agency_seq;
} lines;

static void ev(lines *l, const char *id, const char *date, const char *kind, const char *body)
{
    static const char *const agency_kinds[] = {"recall",           "hold", "resume", "instruction",
                                               "balance_adjusted", NULL};
    int agency = 0;
    for (size_t i = 0; agency_kinds[i] != NULL; i++)
        agency |= strcmp(kind, agency_kinds[i]) == 0;
    assert_true(l->n < MAX_EVENTS);
    int n = snprintf(l->text[l->n], sizeof l->text[0],
                     "{\"type\":\"baton-event/1\",\"event_id\":\"%s\",\"handoff_id\":\"ho_1\","
                     "\"case_id\":\"C-1\",\"sender\":\"%s\",\"role\":\"%s\",\"seq\":%d,"
                     "\"prev_sha256\":\"00\",\"tagmanifest_sha256\":\"00\",\"date\":\"%s\","
                     "\"recorded\":\"%sT12:00:00Z\",\"kind\":\"%s\",\"body\":%s}\n",
                     id, agency ? "northwind" : "harbor-law", agency ? "agency" : "firm",
                     agency ? ++l->agency_seq : ++l->firm_seq, date, date, kind, body);
    l->ptr[l->n] = l->text[l->n];
    l->len[l->n] = (size_t)n;
    l->n++;
}

static bh_placement placement(void)
{
    bh_placement p;
    memset(&p, 0, sizeof p);
    snprintf(p.handoff_id, sizeof p.handoff_id, "ho_1");
    snprintf(p.firm, sizeof p.firm, "harbor-law");
    snprintf(p.case_id, sizeof p.case_id, "C-1");
    p.placed = (baton_date){2026, 1, 5};
    p.placed_minor = 120000;
    memcpy(p.currency, "GBP", 4);
    return p;
}

/* northwind's agreement with harbor-law (config/tenants/northwind.json). */
static bh_agreement agreement(void)
{
    bh_agreement a;
    bh_agreement_defaults(&a);
    a.contingency_fee_bp = 1500;
    a.reimbursed_costs = BH_COST_COURT_FEE | BH_COST_ENFORCEMENT;
    a.has_cost_budget = 1;
    a.cost_budget_minor = 50000;
    memcpy(a.cost_budget_currency, "GBP", 4);
    return a;
}

static int compute(const lines *l, const bh_placement *p, const bh_agreement *a, baton_date as_of,
                   bh_placement_ledger *out)
{
    bh_placement_events ev;
    char err[256];
    int rc = bh_placement_events_parse(l->ptr, l->len, l->n, p->currency, &ev, err, sizeof err);
    if (rc != 0)
        fail_msg("parse: %s", err);
    rc = bh_placement_ledger_compute(p, a, &ev, as_of, out, err, sizeof err);
    bh_placement_events_free(&ev);
    return rc;
}

#define GBP(a) "{\"amount\":\"" a "\",\"currency\":\"GBP\"}"

static void how_it_is_shown(lines *l)
{
    ev(l, "h-1", "2026-01-08", "acknowledged", "{}");
    ev(l, "h-2", "2026-01-20", "suit_filed",
       "{\"court\":\"County Court Business Centre\",\"court_case_number\":\"K1QZ123\"}");
    ev(l, "h-3", "2026-01-20", "cost_incurred",
       "{\"amount\":" GBP("50.00") ",\"category\":\"court_fee\",\"recoverable\":true}");
    ev(l, "h-4", "2026-02-10", "payment_received",
       "{\"amount\":" GBP("500.00") ",\"paid_to\":\"firm\"}");
    ev(l, "h-5", "2026-02-20", "remittance",
       "{\"amount\":" GBP("400.00") ",\"covers\":[\"h-4\"],\"fees_deducted\":" GBP("75.00") "}");
}

/* A suit the firm had filed before the case was placed with it counts as
 * day 0, not as negative days (the oversight's medians read these). */
static void a_suit_dated_before_the_placement_is_day_zero(void **state)
{
    lines l = {0};
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    (void)state;
    how_it_is_shown(&l);
    p.placed = (baton_date){2026, 2, 1}; /* after the suit of 20 January */
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 1}, &r), 0);
    assert_true(r.has_suit);
    assert_int_equal(r.days_to_suit, 0);
    bh_placement_ledger_clear(&r);
}

static void the_how_it_is_shown_sequence_reconciles(void **state)
{
    lines l = {0};
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    (void)state;
    how_it_is_shown(&l);
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 1}, &r), 0);
    assert_int_equal(r.status, BH_PLACEMENT_IN_SUIT);
    assert_int_equal(r.collected, 50000);
    assert_int_equal(r.collected_by_firm, 50000);
    assert_int_equal(r.collected_direct, 0);
    assert_int_equal(r.costs, 5000);
    assert_int_equal(r.costs_reimbursable, 5000);
    assert_int_equal(r.costs_recoverable, 5000);
    assert_int_equal(r.remitted, 40000);
    assert_int_equal(r.fees_deducted, 7500);
    assert_int_equal(r.firm_fee, 7500);
    /* 500.00 - 400.00 - 75.00 - 50.00: the agency owes the firm 25.00 */
    assert_int_equal(r.owed_by_firm, -2500);
    assert_int_equal(r.outstanding, 70000);
    assert_int_equal(r.days_since_last_event, 9);
    assert_true(r.has_suit);
    assert_int_equal(r.days_to_suit, 15);
    assert_false(r.has_judgment);
    assert_int_equal(r.n_remittance_lags, 1);
    assert_int_equal(r.remittance_lags[0], 10);
    assert_int_equal(r.flags, 0);
    assert_int_equal(r.events_counted, 5);
    bh_placement_ledger_clear(&r);

    /* As of a date between payment and remittance: only what had happened. */
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 2, 15}, &r), 0);
    assert_int_equal(r.remitted, 0);
    assert_int_equal(r.owed_by_firm, 50000 - 7500 - 5000);
    assert_int_equal(r.events_counted, 4);
    assert_int_equal(r.events_after, 1);
    assert_int_equal(r.flags, 0);
    bh_placement_ledger_clear(&r);
}

static void a_payment_not_remitted_in_time_is_overdue_and_a_skipped_one_never_remitted(void **state)
{
    lines l = {0};
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    (void)state;
    ev(&l, "p-1", "2026-02-01", "payment_received",
       "{\"amount\":" GBP("100.00") ",\"paid_to\":\"firm\"}");
    /* Due within 30 days: 2026-03-03 is day 30, not yet overdue. */
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 3}, &r), 0);
    assert_int_equal(r.flags, 0);
    bh_placement_ledger_clear(&r);
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 4}, &r), 0);
    assert_int_equal(r.flags, BH_FLAG_REMITTANCE_OVERDUE);
    bh_placement_ledger_clear(&r);
    /* A payment straight to the creditor is not the firm's to remit. */
    lines d = {0};
    ev(&d, "p-1", "2026-02-01", "payment_received",
       "{\"amount\":" GBP("100.00") ",\"paid_to\":\"creditor\"}");
    assert_int_equal(compute(&d, &p, &a, (baton_date){2026, 6, 1}, &r), 0);
    assert_int_equal(r.flags & BH_FLAG_REMITTANCE_OVERDUE, 0);
    assert_int_equal(r.owed_by_firm, 0); /* no fee on direct payments by default */
    bh_placement_ledger_clear(&r);
    /* A later remittance that leaves p-1 out. */
    ev(&l, "p-2", "2026-02-05", "payment_received",
       "{\"amount\":" GBP("20.00") ",\"paid_to\":\"firm\"}");
    ev(&l, "r-1", "2026-02-10", "remittance",
       "{\"amount\":" GBP("17.00") ",\"covers\":[\"p-2\"],\"fees_deducted\":" GBP("3.00") "}");
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 2, 12}, &r), 0);
    assert_int_equal(r.flags, BH_FLAG_PAYMENT_NEVER_REMITTED);
    assert_int_equal(r.n_remittance_lags, 1);
    assert_int_equal(r.remittance_lags[0], 5);
    bh_placement_ledger_clear(&r);
}

static void status_follows_the_timeline_of_both_chains(void **state)
{
    lines l = {0};
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    (void)state;
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 1, 6}, &r), 0);
    assert_int_equal(r.status, BH_PLACEMENT_PLACED);
    assert_int_equal(r.days_since_last_event, 1); /* from the placement */
    bh_placement_ledger_clear(&r);
    ev(&l, "s-1", "2026-01-07", "acknowledged", "{}");
    ev(&l, "s-2", "2026-01-10", "suit_filed", "{\"court\":\"CCBC\",\"court_case_number\":\"1\"}");
    ev(&l, "a-1", "2026-01-12", "hold", "{\"reason\":\"debtor in hospital\"}");
    ev(&l, "a-2", "2026-01-20", "resume", "{}");
    ev(&l, "s-3", "2026-02-01", "judgment",
       "{\"amount\":" GBP("1200.00") ",\"outcome\":\"default\"}");
    ev(&l, "s-4", "2026-02-10", "enforcement_started", "{\"method\":\"writ of control\"}");
    ev(&l, "s-5", "2026-02-20", "payment_plan_agreed",
       "{\"instalments\":[{\"due\":\"2026-03-01\",\"amount\":" GBP("100.00") "}]}");
    ev(&l, "a-3", "2026-03-05", "recall", "{\"reason\":\"sold\"}");
    ev(&l, "s-6", "2026-03-06", "closed", "{\"outcome\":\"returned\"}");
    static const struct {
        baton_date as_of;
        enum bh_placement_status want;
    } steps[] = {
        {{2026, 1, 7}, BH_PLACEMENT_ACKNOWLEDGED},  {{2026, 1, 10}, BH_PLACEMENT_IN_SUIT},
        {{2026, 1, 15}, BH_PLACEMENT_ON_HOLD},      {{2026, 1, 20}, BH_PLACEMENT_IN_SUIT},
        {{2026, 2, 1}, BH_PLACEMENT_JUDGMENT},      {{2026, 2, 10}, BH_PLACEMENT_ENFORCEMENT},
        {{2026, 2, 20}, BH_PLACEMENT_PAYMENT_PLAN}, {{2026, 3, 5}, BH_PLACEMENT_RECALLED},
        {{2026, 3, 6}, BH_PLACEMENT_CLOSED},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_int_equal(compute(&l, &p, &a, steps[i].as_of, &r), 0);
        if (r.status != steps[i].want)
            fail_msg("as of step %zu: %s, wanted %s", i, bh_placement_status_name(r.status),
                     bh_placement_status_name(steps[i].want));
        bh_placement_ledger_clear(&r);
    }
    assert_string_equal(bh_placement_status_name(BH_PLACEMENT_PAYMENT_PLAN), "payment_plan");
    /* An event dated before the placement: days count from the placement. */
    lines early = {0};
    ev(&early, "e-1", "2025-12-20", "payment_received",
       "{\"amount\":" GBP("10.00") ",\"paid_to\":\"creditor\"}");
    assert_int_equal(compute(&early, &p, &a, (baton_date){2026, 1, 15}, &r), 0);
    assert_int_equal(r.days_since_last_event, 10);
    assert_int_equal(r.collected, 1000);
    bh_placement_ledger_clear(&r);
    /* A late acknowledgement does not move a case back from suit. */
    lines late = {0};
    ev(&late, "x-1", "2026-01-10", "suit_filed",
       "{\"court\":\"CCBC\",\"court_case_number\":\"1\"}");
    ev(&late, "x-2", "2026-01-11", "acknowledged", "{}");
    assert_int_equal(compute(&late, &p, &a, (baton_date){2026, 1, 12}, &r), 0);
    assert_int_equal(r.status, BH_PLACEMENT_IN_SUIT);
    bh_placement_ledger_clear(&r);
}

static void stalled_judgment_without_enforcement_and_missed_instalment(void **state)
{
    lines l = {0};
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    (void)state;
    ev(&l, "j-1", "2026-01-10", "judgment",
       "{\"amount\":" GBP("1200.00") ",\"outcome\":\"default\"}");
    /* 60 days after the last event is not stalled yet, 61 is; 90 days
     * after the judgment not yet unenforced, 91 is. */
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 11}, &r), 0);
    assert_int_equal(r.days_since_last_event, 60);
    assert_int_equal(r.flags, 0);
    bh_placement_ledger_clear(&r);
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 12}, &r), 0);
    assert_int_equal(r.flags, BH_FLAG_STALLED);
    bh_placement_ledger_clear(&r);
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 4, 11}, &r), 0);
    assert_int_equal(r.flags, BH_FLAG_STALLED | BH_FLAG_JUDGMENT_WITHOUT_ENFORCEMENT);
    bh_placement_ledger_clear(&r);
    /* On hold: neither. */
    lines h = l;
    h.ptr[0] = h.text[0];
    ev(&h, "a-1", "2026-01-11", "hold", "{\"reason\":\"dispute\"}");
    assert_int_equal(compute(&h, &p, &a, (baton_date){2026, 6, 1}, &r), 0);
    assert_int_equal(r.flags, 0);
    bh_placement_ledger_clear(&r);

    /* A plan: 100.00 due 03-01 and 03-15; 100.00 paid on 03-02. */
    ev(&l, "j-2", "2026-02-20", "payment_plan_agreed",
       "{\"instalments\":[{\"due\":\"2026-03-01\",\"amount\":" GBP(
           "100.00") "},{\"due\":\"2026-03-15\",\"amount\":" GBP("100.00") "}]}");
    ev(&l, "j-3", "2026-03-02", "payment_received",
       "{\"amount\":" GBP("100.00") ",\"paid_to\":\"creditor\"}");
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 15}, &r), 0);
    assert_int_equal(r.flags, 0); /* the second falls due today: not missed yet */
    bh_placement_ledger_clear(&r);
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 16}, &r), 0);
    assert_int_equal(r.flags, BH_FLAG_MISSED_INSTALMENT);
    bh_placement_ledger_clear(&r);

    /* Costs above the budget of 500.00. */
    lines c = {0};
    ev(&c, "c-1", "2026-01-10", "cost_incurred",
       "{\"amount\":" GBP("500.00") ",\"category\":\"lawyer_fee\",\"recoverable\":false}");
    assert_int_equal(compute(&c, &p, &a, (baton_date){2026, 1, 11}, &r), 0);
    assert_int_equal(r.flags, 0);
    assert_int_equal(r.costs_reimbursable, 0);
    assert_int_equal(r.costs_recoverable, 0);
    bh_placement_ledger_clear(&r);
    ev(&c, "c-2", "2026-01-10", "cost_incurred",
       "{\"amount\":" GBP("0.01") ",\"category\":\"enforcement\",\"recoverable\":true}");
    assert_int_equal(compute(&c, &p, &a, (baton_date){2026, 1, 11}, &r), 0);
    assert_int_equal(r.flags, BH_FLAG_COST_OVER_BUDGET);
    assert_int_equal(r.costs_reimbursable, 1);
    bh_placement_ledger_clear(&r);
}

static void the_fee_rounds_half_up_and_may_cover_direct_payments(void **state)
{
    lines l = {0};
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    (void)state;
    /* 15 % of 0.10 is 1.5p: 2p; of 0.03 it is 0.45p: 0p. */
    ev(&l, "f-1", "2026-01-10", "payment_received",
       "{\"amount\":" GBP("0.10") ",\"paid_to\":\"firm\"}");
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 1, 10}, &r), 0);
    assert_int_equal(r.firm_fee, 2);
    bh_placement_ledger_clear(&r);
    lines s = {0};
    ev(&s, "f-1", "2026-01-10", "payment_received",
       "{\"amount\":" GBP("0.03") ",\"paid_to\":\"firm\"}");
    assert_int_equal(compute(&s, &p, &a, (baton_date){2026, 1, 10}, &r), 0);
    assert_int_equal(r.firm_fee, 0);
    bh_placement_ledger_clear(&r);
    /* With the fee on direct payments, the agency owes the firm its fee. */
    ev(&l, "f-2", "2026-01-11", "payment_received",
       "{\"amount\":" GBP("200.00") ",\"paid_to\":\"creditor\"}");
    a.fee_on_direct_payments = 1;
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 1, 11}, &r), 0);
    assert_int_equal(r.firm_fee, 3002); /* 15 % of 200.10 = 30.015 -> 30.02 */
    assert_int_equal(r.owed_by_firm, 10 - 3002);
    assert_int_equal(r.collected, 20010);
    assert_int_equal(r.collected_direct, 20000);
    bh_placement_ledger_clear(&r);
}

static void credits_count_credit_notes_settlements_and_short_judgments(void **state)
{
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    (void)state;
    /* 1200.00 placed; a credit note of 100.00; judgment for 900.00 on the
     * 1100.00 still claimed: 200.00 short. */
    lines l = {0};
    ev(&l, "k-1", "2026-01-10", "balance_adjusted",
       "{\"amount\":" GBP("100.00") ",\"reason\":\"credit_note\"}");
    ev(&l, "k-2", "2026-01-11", "balance_adjusted",
       "{\"amount\":" GBP("50.00") ",\"reason\":\"direct_payment\",\"note\":\"paid to us\"}");
    ev(&l, "k-3", "2026-02-01", "judgment",
       "{\"amount\":" GBP("900.00") ",\"outcome\":\"contested\"}");
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 2, 2}, &r), 0);
    assert_int_equal(r.adjusted, 15000);
    assert_int_equal(r.credit_notes, 10000);
    assert_int_equal(r.outstanding, 120000 - 15000);
    assert_int_equal(r.credits, 10000 + (105000 - 90000));
    assert_int_equal(r.days_to_judgment, 27);
    bh_placement_ledger_clear(&r);
    /* Then 600.00 paid and settled: the 450.00 left is given up. */
    ev(&l, "k-4", "2026-03-01", "payment_received",
       "{\"amount\":" GBP("600.00") ",\"paid_to\":\"firm\"}");
    ev(&l, "k-5", "2026-03-02", "closed", "{\"outcome\":\"settled\"}");
    assert_int_equal(compute(&l, &p, &a, (baton_date){2026, 3, 2}, &r), 0);
    assert_int_equal(r.status, BH_PLACEMENT_CLOSED);
    assert_int_equal(r.outstanding, 45000);
    assert_int_equal(r.credits, 10000 + 45000);
    assert_int_equal(r.flags, 0); /* ended: not stalled, no plan, no judgment flag */
    bh_placement_ledger_clear(&r);
    /* Paid in full: nothing given up, and the outstanding stays at 0. */
    lines f = {0};
    ev(&f, "m-1", "2026-01-10", "payment_received",
       "{\"amount\":" GBP("1300.00") ",\"paid_to\":\"firm\"}");
    ev(&f, "m-2", "2026-01-11", "closed", "{\"outcome\":\"paid\"}");
    assert_int_equal(compute(&f, &p, &a, (baton_date){2026, 1, 11}, &r), 0);
    assert_int_equal(r.outstanding, 0);
    assert_int_equal(r.credits, 0);
    bh_placement_ledger_clear(&r);
}

static void orders_the_two_chains_by_date_then_recorded(void **state)
{
    lines l = {0};
    bh_placement_events ev_;
    char err[256];
    (void)state;
    ev(&l, "o-1", "2026-01-12", "acknowledged", "{}");
    ev(&l, "o-2", "2026-01-10", "hold", "{\"reason\":\"x\"}");
    ev(&l, "o-3", "2026-01-12", "resume", "{}");
    /* o-3 and o-1 share date and recorded time: agency before firm. */
    assert_int_equal(bh_placement_events_parse(l.ptr, l.len, l.n, "GBP", &ev_, err, sizeof err), 0);
    assert_string_equal(ev_.v[0].event_id, "o-2");
    assert_string_equal(ev_.v[1].event_id, "o-3");
    assert_string_equal(ev_.v[2].event_id, "o-1");
    bh_placement_events_free(&ev_);
}

static void refuses_damaged_lines_naming_line_and_field(void **state)
{
    lines l = {0};
    bh_placement_events e;
    char err[256];
    (void)state;
    ev(&l, "d-1", "2026-01-10", "acknowledged", "{}");
    ev(&l, "d-2", "2026-01-11", "payment_received",
       "{\"amount\":{\"amount\":\"5.00\",\"currency\":\"EUR\"},\"paid_to\":\"firm\"}");
    assert_int_equal(bh_placement_events_parse(l.ptr, l.len, l.n, "GBP", &e, err, sizeof err),
                     BATON_EINVAL);
    assert_string_equal(err, "event line 1: body.amount: currency EUR is not the placement's GBP");
    assert_null(e.v);
    snprintf(l.text[1], sizeof l.text[1], "{\"event_id\":\"x\"");
    l.len[1] = strlen(l.text[1]);
    assert_int_equal(bh_placement_events_parse(l.ptr, l.len, l.n, "GBP", &e, err, sizeof err),
                     BATON_EINVAL);
    assert_non_null(strstr(err, "event line 1: (line): "));
    snprintf(l.text[1], sizeof l.text[1], "{\"event_id\":\"x\",\"role\":\"firm\"}");
    l.len[1] = strlen(l.text[1]);
    assert_int_equal(bh_placement_events_parse(l.ptr, l.len, l.n, "GBP", &e, err, sizeof err),
                     BATON_EINVAL);
    assert_string_equal(err, "event line 1: kind: missing or of the wrong type");
}

static void sums_that_do_not_fit_64_bits_are_refused(void **state)
{
    lines l = {0};
    bh_placement p = placement();
    bh_agreement a = agreement();
    bh_placement_ledger r;
    char err[256];
    bh_placement_events e;
    (void)state;
    ev(&l, "b-1", "2026-01-10", "payment_received",
       "{\"amount\":" GBP("92233720368547758.07") ",\"paid_to\":\"creditor\"}");
    ev(&l, "b-2", "2026-01-10", "payment_received",
       "{\"amount\":" GBP("0.01") ",\"paid_to\":\"creditor\"}");
    assert_int_equal(bh_placement_events_parse(l.ptr, l.len, l.n, "GBP", &e, err, sizeof err), 0);
    assert_int_equal(
        bh_placement_ledger_compute(&p, &a, &e, (baton_date){2026, 2, 1}, &r, err, sizeof err),
        BATON_ERANGE);
    assert_string_equal(err, "collected does not fit 64-bit minor units");
    bh_placement_ledger_clear(&r);
    bh_placement_events_free(&e);
    /* One large payment to the firm: the fee's product overflows. */
    lines f = {0};
    ev(&f, "b-1", "2026-01-10", "payment_received",
       "{\"amount\":" GBP("92233720368547758.07") ",\"paid_to\":\"firm\"}");
    assert_int_equal(bh_placement_events_parse(f.ptr, f.len, f.n, "GBP", &e, err, sizeof err), 0);
    assert_int_equal(
        bh_placement_ledger_compute(&p, &a, &e, (baton_date){2026, 2, 1}, &r, err, sizeof err),
        BATON_ERANGE);
    assert_non_null(strstr(err, "the firm's fee on 9223372036854775807 minor units"));
    bh_placement_ledger_clear(&r);
    bh_placement_events_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_how_it_is_shown_sequence_reconciles),
        cmocka_unit_test(a_suit_dated_before_the_placement_is_day_zero),
        cmocka_unit_test(
            a_payment_not_remitted_in_time_is_overdue_and_a_skipped_one_never_remitted),
        cmocka_unit_test(status_follows_the_timeline_of_both_chains),
        cmocka_unit_test(stalled_judgment_without_enforcement_and_missed_instalment),
        cmocka_unit_test(the_fee_rounds_half_up_and_may_cover_direct_payments),
        cmocka_unit_test(credits_count_credit_notes_settlements_and_short_judgments),
        cmocka_unit_test(orders_the_two_chains_by_date_then_recorded),
        cmocka_unit_test(refuses_damaged_lines_naming_line_and_field),
        cmocka_unit_test(sums_that_do_not_fit_64_bits_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
