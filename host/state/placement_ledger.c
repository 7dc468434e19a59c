/*
 * placement_ledger.c - a placement's figures and flags from its events
 * (placement_ledger.h; every figure is defined in docs/placements.md,
 * "Reconciliation").
 */
#include "placement_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "case_view.h"
#include "json_input.h"
#include "money_text.h"

static const char *const status_names[] = {
    "placed",       "acknowledged", "in_suit",  "judgment", "enforcement",
    "payment_plan", "on_hold",      "recalled", "returned", "closed",
};

const char *bh_placement_status_name(enum bh_placement_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

int bh_placement_status_ended(enum bh_placement_status s)
{
    return s == BH_PLACEMENT_RECALLED || s == BH_PLACEMENT_RETURNED || s == BH_PLACEMENT_CLOSED;
}

static const char *const flag_names[BH_FLAG_COUNT] = {
    "remittance_overdue",           "payment_never_remitted", "cost_over_budget", "stalled",
    "judgment_without_enforcement", "missed_instalment",
};

const char *bh_placement_flag_name(int i)
{
    return i >= 0 && i < BH_FLAG_COUNT ? flag_names[i] : "?";
}

/* ---- parsing ---------------------------------------------------------- */

static const char *text_of(const cJSON *o, const char *key)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static int bad(char *err, size_t errlen, size_t line, const char *field, const char *why)
{
    snprintf(err, errlen, "event line %zu: %s: %s", line, field, why);
    return BATON_EINVAL;
}

/* A money member of body in currency, into *minor. */
static int money_of(const cJSON *body, const char *key, const char *currency, int64_t *minor,
                    char *why, size_t whylen)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, key);
    const char *amount = text_of(m, "amount"), *cur = text_of(m, "currency");
    baton_money v;
    if (amount == NULL || cur == NULL) {
        snprintf(why, whylen, "expected money {\"amount\", \"currency\"}");
        return -1;
    }
    if (strcmp(cur, currency) != 0) {
        snprintf(why, whylen, "currency %s is not the placement's %s", cur, currency);
        return -1;
    }
    if (amount[0] == '-' || bh_money_parse(amount, cur, &v, why, whylen) != 0) {
        if (amount[0] == '-')
            snprintf(why, whylen, "negative amount");
        return -1;
    }
    *minor = v.minor;
    return 0;
}

/* The money members each kind carries, checked once at parse time so the
 * computation cannot meet a bad amount. */
static int check_money(const bh_placement_event *e, const char *currency, size_t line, char *err,
                       size_t errlen)
{
    static const struct {
        const char *kind, *key;
    } fields[] = {
        {"payment_received", "amount"},  {"cost_incurred", "amount"},
        {"judgment", "amount"},          {"remittance", "amount"},
        {"remittance", "fees_deducted"}, {"balance_adjusted", "amount"},
    };
    char why[200], field[64];
    int64_t v;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(e->kind, fields[i].kind) != 0)
            continue;
        if (money_of(e->body, fields[i].key, currency, &v, why, sizeof why) != 0) {
            snprintf(field, sizeof field, "body.%s", fields[i].key);
            return bad(err, errlen, line, field, why);
        }
    }
    if (strcmp(e->kind, "payment_plan_agreed") == 0) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(e->body, "instalments"), *it;
        int k = 0;
        if (!cJSON_IsArray(list))
            return bad(err, errlen, line, "body.instalments", "expected an array");
        cJSON_ArrayForEach(it, list)
        {
            baton_date d;
            const char *due = text_of(it, "due");
            snprintf(field, sizeof field, "body.instalments[%d]", k++);
            if (due == NULL || bh_date_parse(due, &d) != 0)
                return bad(err, errlen, line, field, "expected a due date");
            if (money_of(it, "amount", currency, &v, why, sizeof why) != 0)
                return bad(err, errlen, line, field, why);
        }
    }
    return 0;
}

/* Days from the placement to an event; an event dated before the
 * placement (a suit the firm had already filed) counts as day 0, as it
 * counts from the placement day for days_since_last_event. */
static int64_t days_after_placement(baton_date placed, baton_date when)
{
    int64_t d = baton_date_diff(placed, when);
    return d < 0 ? 0 : d;
}

static int timeline_cmp(const void *pa, const void *pb)
{
    const bh_placement_event *a = pa, *b = pb;
    int c = baton_date_cmp(a->date, b->date);
    if (c == 0)
        c = strcmp(a->recorded, b->recorded);
    if (c == 0)
        c = strcmp(a->role, b->role);
    if (c == 0)
        c = a->seq < b->seq ? -1 : a->seq > b->seq;
    return c;
}

int bh_placement_events_parse(const char *const *lines, const size_t *lens, size_t n,
                              const char *currency, bh_placement_events *out, char *err,
                              size_t errlen)
{
    int rc = BATON_ENOMEM;
    out->n = 0;
    out->v = n > 0 ? calloc(n, sizeof *out->v) : NULL;
    if (n > 0 && out->v == NULL) {
        snprintf(err, errlen, "out of memory reading %zu events", n);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        bh_json_error je;
        size_t len = lens[i];
        if (len > 0 && lines[i][len - 1] == '\n')
            len--;
        bh_placement_event *e = &out->v[out->n];
        e->json = bh_json_parse(lines[i], len, &je);
        if (e->json == NULL) {
            rc = bad(err, errlen, i, "(line)", je.why);
            goto fail;
        }
        out->n++;
        const cJSON *seq = cJSON_GetObjectItemCaseSensitive(e->json, "seq");
        const char *date = text_of(e->json, "date");
        e->event_id = text_of(e->json, "event_id");
        e->role = text_of(e->json, "role");
        e->kind = text_of(e->json, "kind");
        e->recorded = text_of(e->json, "recorded");
        e->body = cJSON_GetObjectItemCaseSensitive(e->json, "body");
        const char *missing = e->event_id == NULL        ? "event_id"
                              : e->role == NULL          ? "role"
                              : e->kind == NULL          ? "kind"
                              : e->recorded == NULL      ? "recorded"
                              : !cJSON_IsObject(e->body) ? "body"
                              : !cJSON_IsNumber(seq)     ? "seq"
                              : date == NULL             ? "date"
                                                         : NULL;
        if (missing != NULL) {
            rc = bad(err, errlen, i, missing, "missing or of the wrong type");
            goto fail;
        }
        if (bh_date_parse(date, &e->date) != 0) {
            rc = bad(err, errlen, i, "date", "expected YYYY-MM-DD");
            goto fail;
        }
        e->seq = (int64_t)seq->valuedouble;
        if ((rc = check_money(e, currency, i, err, errlen)) != 0)
            goto fail;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, timeline_cmp);
    return 0;
fail:
    bh_placement_events_free(out);
    return rc;
}

void bh_placement_events_free(bh_placement_events *ev)
{
    for (size_t i = 0; i < ev->n; i++)
        cJSON_Delete(ev->v[i].json);
    free(ev->v);
    ev->v = NULL;
    ev->n = 0;
}

/* ---- computing -------------------------------------------------------- */

/* One sum, checked; what names it in the error. */
static int add(int64_t *acc, int64_t v, const char *what, char *err, size_t errlen)
{
    if (__builtin_add_overflow(*acc, v, acc)) {
        snprintf(err, errlen, "%s does not fit 64-bit minor units", what);
        return BATON_ERANGE;
    }
    return 0;
}

static int sub(int64_t a, int64_t b, int64_t *out, const char *what, char *err, size_t errlen)
{
    if (__builtin_sub_overflow(a, b, out)) {
        snprintf(err, errlen, "%s does not fit 64-bit minor units", what);
        return BATON_ERANGE;
    }
    return 0;
}

/* amount x bp / 10000, rounded half up to the minor unit (amount >= 0). */
static int fee_half_up(int64_t amount, int32_t bp, int64_t *out, char *err, size_t errlen)
{
    int64_t p;
    if (__builtin_mul_overflow(amount, (int64_t)bp, &p) || p > INT64_MAX - 5000) {
        snprintf(err, errlen, "the firm's fee on %lld minor units does not fit 64 bits",
                 (long long)amount);
        return BATON_ERANGE;
    }
    *out = (p + 5000) / 10000;
    return 0;
}

static int64_t money(const bh_placement_event *e, const char *key, const char *currency)
{
    int64_t v = 0;
    char why[8];
    money_of(e->body, key, currency, &v, why, sizeof why); /* checked at parse */
    return v;
}

static int is(const char *a, const char *b)
{
    return a != NULL && strcmp(a, b) == 0;
}

/* Whether some remittance dated on or before as_of covers event_id; the
 * earliest such date goes to *when. */
static int covered(const bh_placement_events *ev, size_t until, const char *event_id,
                   baton_date *when)
{
    int found = 0;
    for (size_t i = 0; i < until; i++) {
        const bh_placement_event *e = &ev->v[i];
        const cJSON *c;
        if (!is(e->kind, "remittance"))
            continue;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(e->body, "covers"))
        {
            if (cJSON_IsString(c) && strcmp(c->valuestring, event_id) == 0) {
                if (!found || baton_date_cmp(e->date, *when) < 0)
                    *when = e->date;
                found = 1;
            }
        }
    }
    return found;
}

/* Payments to the firm against remittances: lags, overdue, skipped. */
static int remittance_flags(const bh_placement_events *ev, size_t until, const bh_agreement *a,
                            baton_date as_of, bh_placement_ledger *l)
{
    for (size_t i = 0; i < until; i++) {
        const bh_placement_event *e = &ev->v[i];
        baton_date when;
        if (!is(e->kind, "payment_received") || !is(text_of(e->body, "paid_to"), "firm"))
            continue;
        if (covered(ev, until, e->event_id, &when)) {
            int64_t *lags = realloc(l->remittance_lags, (l->n_remittance_lags + 1) * sizeof *lags);
            if (lags == NULL)
                return BATON_ENOMEM;
            l->remittance_lags = lags;
            lags[l->n_remittance_lags++] = baton_date_diff(e->date, when);
            continue;
        }
        if (baton_date_diff(e->date, as_of) > a->remittance_due_days)
            l->flags |= BH_FLAG_REMITTANCE_OVERDUE;
        for (size_t k = i + 1; k < until; k++)
            if (is(ev->v[k].kind, "remittance"))
                l->flags |= BH_FLAG_PAYMENT_NEVER_REMITTED;
    }
    return 0;
}

/* The plan in force (the last one agreed): instalments due before as_of
 * against payments from the plan's date on. */
static int missed_instalment(const bh_placement_events *ev, size_t until, const char *currency,
                             baton_date as_of, int *missed, char *err, size_t errlen)
{
    const bh_placement_event *plan = NULL;
    int64_t due = 0, paid = 0;
    const cJSON *it;
    int rc;
    *missed = 0;
    for (size_t i = 0; i < until; i++)
        if (is(ev->v[i].kind, "payment_plan_agreed"))
            plan = &ev->v[i];
    if (plan == NULL)
        return 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(plan->body, "instalments"))
    {
        baton_date d;
        int64_t v = 0;
        char why[8];
        bh_date_parse(text_of(it, "due"), &d);
        money_of(it, "amount", currency, &v, why, sizeof why);
        if (baton_date_cmp(d, as_of) < 0 && (rc = add(&due, v, "instalments due", err, errlen)))
            return rc;
    }
    for (size_t i = 0; i < until; i++) {
        const bh_placement_event *e = &ev->v[i];
        if (is(e->kind, "payment_received") && baton_date_cmp(e->date, plan->date) >= 0 &&
            (rc = add(&paid, money(e, "amount", currency), "payments under the plan", err,
                      errlen)) != 0)
            return rc;
    }
    *missed = paid < due;
    return 0;
}

int bh_placement_ledger_compute(const bh_placement *p, const bh_agreement *a,
                                const bh_placement_events *ev, baton_date as_of,
                                bh_placement_ledger *l, char *err, size_t errlen)
{
    enum bh_placement_status base = BH_PLACEMENT_PLACED, ended = BH_PLACEMENT_PLACED;
    const char *cur = p->currency, *outcome = NULL;
    const bh_placement_event *judgment = NULL, *enforced = NULL, *plan = NULL;
    int64_t before_judgment = 0; /* collected + adjusted up to the judgment */
    int on_hold = 0, rc;
    size_t until = 0;

    memset(l, 0, sizeof *l);
    l->last_event = p->placed;
    while (until < ev->n && baton_date_cmp(ev->v[until].date, as_of) <= 0)
        until++;
    l->events_counted = until;
    l->events_after = ev->n - until;

    for (size_t i = 0; i < until; i++) {
        const bh_placement_event *e = &ev->v[i];
        const char *k = e->kind;
        int64_t v = 0;
        rc = 0;
        if (baton_date_cmp(e->date, l->last_event) > 0)
            l->last_event = e->date; /* an event dated before the placement counts from it */
        if (is(k, "acknowledged")) {
            if (base == BH_PLACEMENT_PLACED)
                base = BH_PLACEMENT_ACKNOWLEDGED;
        } else if (is(k, "suit_filed")) {
            base = BH_PLACEMENT_IN_SUIT;
            if (!l->has_suit) {
                l->has_suit = 1;
                l->days_to_suit = days_after_placement(p->placed, e->date);
            }
        } else if (is(k, "judgment")) {
            base = BH_PLACEMENT_JUDGMENT;
            if (!l->has_judgment) {
                l->has_judgment = 1;
                l->days_to_judgment = days_after_placement(p->placed, e->date);
            }
            judgment = e;
            enforced = plan = NULL;
            before_judgment = 0;
            rc = add(&before_judgment, l->collected, "the balance at judgment", err, errlen);
            if (rc == 0)
                rc = add(&before_judgment, l->adjusted, "the balance at judgment", err, errlen);
        } else if (is(k, "enforcement_started")) {
            base = BH_PLACEMENT_ENFORCEMENT;
            enforced = e;
        } else if (is(k, "payment_plan_agreed")) {
            base = BH_PLACEMENT_PAYMENT_PLAN;
            plan = e;
        } else if (is(k, "hold")) {
            on_hold = 1;
        } else if (is(k, "resume")) {
            on_hold = 0;
        } else if (is(k, "recall")) {
            ended = BH_PLACEMENT_RECALLED;
        } else if (is(k, "returned")) {
            ended = BH_PLACEMENT_RETURNED;
        } else if (is(k, "closed")) {
            ended = BH_PLACEMENT_CLOSED;
            outcome = text_of(e->body, "outcome");
        } else if (is(k, "payment_received")) {
            v = money(e, "amount", cur);
            rc = add(&l->collected, v, "collected", err, errlen);
            if (rc == 0 && is(text_of(e->body, "paid_to"), "firm"))
                rc = add(&l->collected_by_firm, v, "collected by the firm", err, errlen);
            else if (rc == 0)
                rc = add(&l->collected_direct, v, "paid to the creditor", err, errlen);
        } else if (is(k, "cost_incurred")) {
            const char *category = text_of(e->body, "category");
            v = money(e, "amount", cur);
            rc = add(&l->costs, v, "costs", err, errlen);
            if (rc == 0 && category != NULL &&
                (a->reimbursed_costs & bh_cost_category_bit(category)))
                rc = add(&l->costs_reimbursable, v, "reimbursable costs", err, errlen);
            if (rc == 0 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e->body, "recoverable")))
                rc = add(&l->costs_recoverable, v, "recoverable costs", err, errlen);
        } else if (is(k, "remittance")) {
            rc = add(&l->remitted, money(e, "amount", cur), "remitted", err, errlen);
            if (rc == 0)
                rc = add(&l->fees_deducted, money(e, "fees_deducted", cur), "fees deducted", err,
                         errlen);
        } else if (is(k, "balance_adjusted")) {
            v = money(e, "amount", cur);
            rc = add(&l->adjusted, v, "balance adjustments", err, errlen);
            if (rc == 0 && is(text_of(e->body, "reason"), "credit_note"))
                rc = add(&l->credit_notes, v, "credit notes", err, errlen);
        }
        if (rc != 0)
            return rc;
    }
    l->status = ended != BH_PLACEMENT_PLACED ? ended : on_hold ? BH_PLACEMENT_ON_HOLD : base;

    /* The firm's fee and what it owes. */
    int64_t base_fee = l->collected_by_firm;
    if (a->fee_on_direct_payments &&
        (rc = add(&base_fee, l->collected_direct, "the fee base", err, errlen)) != 0)
        return rc;
    if ((rc = fee_half_up(base_fee, a->contingency_fee_bp, &l->firm_fee, err, errlen)) != 0 ||
        (rc = sub(l->collected_by_firm, l->remitted, &l->owed_by_firm, "owed", err, errlen)) ||
        (rc = sub(l->owed_by_firm, l->firm_fee, &l->owed_by_firm, "owed", err, errlen)) ||
        (rc = sub(l->owed_by_firm, l->costs_reimbursable, &l->owed_by_firm, "owed", err, errlen)))
        return rc;

    /* The balance the firm still pursues. */
    int64_t reduced = l->collected;
    if ((rc = add(&reduced, l->adjusted, "collected and adjusted", err, errlen)) != 0 ||
        (rc = sub(p->placed_minor, reduced, &l->outstanding, "outstanding", err, errlen)) != 0)
        return rc;
    if (l->outstanding < 0)
        l->outstanding = 0;

    /* Discounts granted: credit notes, then what a settlement or write-off
     * gave up, or else what a judgment fell short of the balance claimed. */
    int64_t given_up = 0;
    if (ended == BH_PLACEMENT_CLOSED && (is(outcome, "settled") || is(outcome, "written_off"))) {
        given_up = l->outstanding;
    } else if (judgment != NULL) {
        int64_t claimed;
        if ((rc = sub(p->placed_minor, before_judgment, &claimed, "claimed", err, errlen)) != 0 ||
            (rc = sub(claimed, money(judgment, "amount", cur), &given_up, "judgment shortfall", err,
                      errlen)) != 0)
            return rc;
        if (given_up < 0)
            given_up = 0;
    }
    l->credits = l->credit_notes;
    if ((rc = add(&l->credits, given_up, "credits", err, errlen)) != 0)
        return rc;

    /* Flags. */
    l->days_since_last_event = baton_date_diff(l->last_event, as_of);
    int open = !bh_placement_status_ended(l->status);
    if ((rc = remittance_flags(ev, until, a, as_of, l)) != 0) {
        snprintf(err, errlen, "out of memory computing remittance lags");
        return rc;
    }
    if (a->has_cost_budget && strcmp(a->cost_budget_currency, cur) == 0 &&
        l->costs > a->cost_budget_minor)
        l->flags |= BH_FLAG_COST_OVER_BUDGET;
    if (open && l->status != BH_PLACEMENT_ON_HOLD &&
        l->days_since_last_event > a->stalled_after_days)
        l->flags |= BH_FLAG_STALLED;
    if (open && l->status != BH_PLACEMENT_ON_HOLD && judgment != NULL && enforced == NULL &&
        plan == NULL && l->outstanding > 0 &&
        baton_date_diff(judgment->date, as_of) > a->judgment_enforcement_days)
        l->flags |= BH_FLAG_JUDGMENT_WITHOUT_ENFORCEMENT;
    int missed = 0;
    if (open && (rc = missed_instalment(ev, until, cur, as_of, &missed, err, errlen)) != 0)
        return rc;
    if (missed)
        l->flags |= BH_FLAG_MISSED_INSTALMENT;
    return 0;
}

void bh_placement_ledger_clear(bh_placement_ledger *l)
{
    free(l->remittance_lags);
    l->remittance_lags = NULL;
    l->n_remittance_lags = 0;
}
