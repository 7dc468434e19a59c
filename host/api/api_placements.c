/*
 * api_placements.c - what became of the cases an agency handed to law
 * firms, and how each firm does (docs/placements.md, "Reconciliation" and
 * "Oversight").
 *
 *   GET /v1/placements?as_of=&limit=&offset=   agency: every placement with
 *                                              its balance and flags
 *   GET /v1/placements/:id?as_of=              agency: one placement, its
 *                                              timeline (both chains) and
 *                                              its balance in full
 *   GET /v1/oversight?from=&to=&as_of=         agency: per-firm figures over
 *                                              the placements made from..to
 *                                              (JSON, or CSV with Accept:
 *                                              text/csv)
 *
 * Owns: the query parameters, reading placements and their events from the
 * calling tenant's store, the agreement of each firm from the tenant file,
 * and the answers' shape. Does not own: the figures (placement_ledger.c,
 * placement_oversight.c) or the events (case_events.c, store_events.c).
 * The work reads the store, so it runs on the thread pool.
 *
 * Errors: 400 invalid_request (a parameter, named), 404 unknown_placement,
 * 500 placement_unreadable (a stored event that cannot be read back or a
 * sum that does not fit 64 bits: the message names the handoff).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uv.h>

#include "baton/error.h"
#include "case_view.h"
#include "counterparts.h"
#include "money_text.h"
#include "placement_facts.h"
#include "placement_ledger.h"
#include "placement_oversight.h"
#include "router.h"
#include "tenant_state.h"

void bh_api_placements_list(bh_req *r);
void bh_api_placement_get(bh_req *r);
void bh_api_oversight(bh_req *r);

enum pjob_kind { P_LIST, P_GET, P_OVERSIGHT };

typedef struct pjob {
    uv_work_t work;
    bh_req *req;
    enum pjob_kind kind;
    const bh_registry *registry; /* held by the request */
    const bh_tenant *tenant;
    const cJSON *counterparts; /* the caller's, found once; NULL: none */
    char id[64];
    char as_of[11], from[11], to[11]; /* from/to "" when not given */
    baton_date as_of_date;
    int64_t offset, limit;
    char want_firm[130]; /* GET /v1/placements filters: "" any firm, */
    int want_status;     /* -1 any status, */
    unsigned want_flag;  /* 0 any flags */
    int csv;
    /* results */
    cJSON *answer;
    char *csv_text;
    size_t csv_len;
    int status;
    const char *code;
    char message[400];
} pjob;

static int fail(pjob *j, int status, const char *code, const char *fmt, const char *a,
                const char *b)
{
    j->status = status;
    j->code = code;
    snprintf(j->message, sizeof j->message, fmt, a, b);
    return -1;
}

/* The calling tenant's agreement with firm (a handoff's recipient: a
 * tenant id or "external:<name>"); the defaults when it has none. */
static void agreement_with(const pjob *j, const char *firm, bh_agreement *a)
{
    const char *name = strncmp(firm, "external:", 9) == 0 ? firm + 9 : firm;
    bh_counterpart cp;
    bh_agreement_defaults(a);
    if (j->counterparts != NULL && bh_counterpart_find(j->counterparts, name, &cp) == 0)
        *a = cp.agreement;
}

/* ---- one placement's events and ledger --------------------------------- */

typedef struct lines {
    char **v;
    size_t *len;
    size_t n, cap;
    int oom;
} lines;

static int collect_line(void *ctx, const bh_stored_event *e)
{
    lines *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (v != NULL)
            l->v = v;
        size_t *len = v != NULL ? realloc(l->len, cap * sizeof *len) : NULL;
        if (len == NULL) {
            l->oom = 1;
            return 1;
        }
        l->len = len;
        l->cap = cap;
    }
    size_t n = strlen(e->line);
    if ((l->v[l->n] = malloc(n + 1)) == NULL) {
        l->oom = 1;
        return 1;
    }
    memcpy(l->v[l->n], e->line, n + 1);
    l->len[l->n++] = n;
    return 0;
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l->len);
    memset(l, 0, sizeof *l);
}

/* A placement as the ledger takes it. */
static void placement_of(const bh_placement_record *rec, bh_placement *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->handoff_id, sizeof p->handoff_id, "%s", rec->handoff_id);
    snprintf(p->firm, sizeof p->firm, "%s", rec->firm);
    snprintf(p->case_id, sizeof p->case_id, "%s", rec->case_id);
    bh_date_parse(rec->placed, &p->placed); /* written by bh_placement_today */
    p->placed_minor = rec->amount_minor;
    memcpy(p->currency, rec->currency, sizeof p->currency);
    p->forecast_known = rec->forecast_known;
    p->forecast_minor = rec->forecast_minor;
}

/* Reads rec's events and computes its ledger as of the job's date; the
 * parsed events go to *ev when it is not NULL (caller frees). */
static int ledger_of(pjob *j, bh_tenant_state *self, const bh_placement_record *rec,
                     bh_placement *p, bh_placement_ledger *l, bh_placement_events *ev)
{
    lines ls = {0};
    bh_placement_events events = {0};
    bh_agreement a;
    char err[400];
    int rc;
    placement_of(rec, p);
    agreement_with(j, rec->firm, &a);
    rc = bh_store_events_list(self->store, rec->handoff_id, 0, 0, collect_line, &ls, err,
                              sizeof err);
    if (ls.oom) {
        lines_free(&ls);
        return fail(j, 503, "out_of_memory", "out of memory while reading the events of %s%s",
                    rec->handoff_id, "");
    }
    if (rc != 0) {
        lines_free(&ls);
        return fail(j, 500, "internal", "%s%s", err, "");
    }
    rc = bh_placement_events_parse((const char *const *)ls.v, ls.len, ls.n, rec->currency, &events,
                                   err, sizeof err);
    lines_free(&ls);
    if (rc == 0)
        rc = bh_placement_ledger_compute(p, &a, &events, j->as_of_date, l, err, sizeof err);
    if (rc != 0) {
        bh_placement_events_free(&events);
        bh_placement_ledger_clear(l);
        if (rc == BATON_ENOMEM)
            return fail(j, 503, "out_of_memory", "out of memory while reconciling %s%s",
                        rec->handoff_id, "");
        return fail(j, 500, "placement_unreadable", "placement %s: %s", rec->handoff_id, err);
    }
    if (ev != NULL)
        *ev = events;
    else
        bh_placement_events_free(&events);
    return 0;
}

/* ---- answers ------------------------------------------------------------ */

static int add_money(cJSON *o, const char *key, int64_t minor, const char *currency)
{
    char buf[48];
    if (bh_money_format(baton_money_make(minor, currency), buf, sizeof buf) != 0)
        return -1;
    return cJSON_AddStringToObject(o, key, buf) != NULL ? 0 : -1;
}

static int add_flags(cJSON *o, unsigned flags)
{
    cJSON *list = cJSON_AddArrayToObject(o, "flags");
    for (int i = 0; list != NULL && i < BH_FLAG_COUNT; i++) {
        cJSON *s;
        if ((flags & (1u << i)) && ((s = cJSON_CreateString(bh_placement_flag_name(i))) == NULL ||
                                    !cJSON_AddItemToArray(list, s)))
            return -1;
    }
    return list != NULL ? 0 : -1;
}

/* The figures every view of a placement shows. */
static cJSON *summary(const bh_placement_record *rec, const bh_placement_ledger *l)
{
    const char *c = rec->currency;
    cJSON *o = cJSON_CreateObject();
    int bad = o == NULL || cJSON_AddStringToObject(o, "handoff_id", rec->handoff_id) == NULL ||
              cJSON_AddStringToObject(o, "case_id", rec->case_id) == NULL ||
              cJSON_AddStringToObject(o, "firm", rec->firm) == NULL ||
              cJSON_AddStringToObject(o, "placed", rec->placed) == NULL ||
              cJSON_AddStringToObject(o, "status", bh_placement_status_name(l->status)) == NULL ||
              cJSON_AddStringToObject(o, "currency", c) == NULL ||
              add_money(o, "placed_amount", rec->amount_minor, c) != 0 ||
              add_money(o, "collected", l->collected, c) != 0 ||
              add_money(o, "costs", l->costs, c) != 0 ||
              add_money(o, "remitted", l->remitted, c) != 0 ||
              add_money(o, "outstanding", l->outstanding, c) != 0 ||
              add_money(o, "owed_by_firm", l->owed_by_firm, c) != 0 ||
              cJSON_AddNumberToObject(o, "days_since_last_event",
                                      (double)l->days_since_last_event) == NULL ||
              add_flags(o, l->flags) != 0;
    if (bad) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *agreement_json(const bh_agreement *a)
{
    cJSON *o = cJSON_CreateObject(), *costs;
    if (o == NULL)
        return NULL;
    cJSON_AddNumberToObject(o, "contingency_fee_bp", a->contingency_fee_bp);
    cJSON_AddBoolToObject(o, "fee_on_direct_payments", a->fee_on_direct_payments);
    costs = cJSON_AddArrayToObject(o, "reimbursed_costs");
    static const char *const names[] = {"court_fee", "lawyer_fee", "enforcement", "other"};
    for (size_t i = 0; costs != NULL && i < 4; i++)
        if (a->reimbursed_costs & bh_cost_category_bit(names[i]))
            cJSON_AddItemToArray(costs, cJSON_CreateString(names[i]));
    if (a->has_cost_budget) {
        cJSON *b = cJSON_AddObjectToObject(o, "cost_budget");
        if (b != NULL) {
            add_money(b, "amount", a->cost_budget_minor, a->cost_budget_currency);
            cJSON_AddStringToObject(b, "currency", a->cost_budget_currency);
        }
    } else {
        cJSON_AddNullToObject(o, "cost_budget");
    }
    cJSON_AddNumberToObject(o, "remittance_due_days", a->remittance_due_days);
    cJSON_AddNumberToObject(o, "stalled_after_days", a->stalled_after_days);
    cJSON_AddNumberToObject(o, "judgment_enforcement_days", a->judgment_enforcement_days);
    return o;
}

/* GET /v1/placements/:id: the summary, then the full balance, the
 * agreement applied and the timeline. */
static int detail(pjob *j, bh_tenant_state *self)
{
    bh_placement_record rec;
    bh_placement p;
    bh_placement_ledger l;
    bh_placement_events ev = {0};
    bh_agreement a;
    char err[300];
    int rc = bh_store_placement_get(self->store, j->id, &rec, err, sizeof err);
    if (rc == BATON_ENOENT)
        return fail(j, 404, "unknown_placement", "%s%s", err, "");
    if (rc != 0)
        return fail(j, 500, "internal", "%s%s", err, "");
    if (ledger_of(j, self, &rec, &p, &l, &ev) != 0)
        return -1;
    agreement_with(j, rec.firm, &a);
    const char *c = rec.currency;
    cJSON *o = summary(&rec, &l), *bal = NULL, *tl = NULL;
    int bad = o == NULL || cJSON_AddStringToObject(o, "as_of", j->as_of) == NULL;
    if (!bad) {
        char last[11];
        snprintf(last, sizeof last, "%04d-%02d-%02d", (int)l.last_event.year,
                 (int)l.last_event.month, (int)l.last_event.day);
        bad = (rec.forecast_known ? add_money(o, "forecast", rec.forecast_minor, c)
                                  : (cJSON_AddNullToObject(o, "forecast") ? 0 : -1)) != 0 ||
              cJSON_AddStringToObject(o, "last_event_date", last) == NULL ||
              (bal = cJSON_AddObjectToObject(o, "balance")) == NULL ||
              add_money(bal, "collected", l.collected, c) != 0 ||
              add_money(bal, "collected_by_firm", l.collected_by_firm, c) != 0 ||
              add_money(bal, "paid_to_creditor", l.collected_direct, c) != 0 ||
              add_money(bal, "costs", l.costs, c) != 0 ||
              add_money(bal, "costs_reimbursable", l.costs_reimbursable, c) != 0 ||
              add_money(bal, "costs_recoverable", l.costs_recoverable, c) != 0 ||
              add_money(bal, "remitted", l.remitted, c) != 0 ||
              add_money(bal, "fees_deducted", l.fees_deducted, c) != 0 ||
              add_money(bal, "firm_fee", l.firm_fee, c) != 0 ||
              add_money(bal, "owed_by_firm", l.owed_by_firm, c) != 0 ||
              add_money(bal, "balance_adjusted", l.adjusted, c) != 0 ||
              add_money(bal, "credits", l.credits, c) != 0 ||
              add_money(bal, "outstanding", l.outstanding, c) != 0 ||
              !cJSON_AddItemToObject(o, "agreement", agreement_json(&a)) ||
              cJSON_AddNumberToObject(o, "events_after_as_of", (double)l.events_after) == NULL ||
              (tl = cJSON_AddArrayToObject(o, "timeline")) == NULL;
    }
    for (size_t i = 0; !bad && i < ev.n; i++) {
        bad = !cJSON_AddItemToArray(tl, ev.v[i].json);
        if (!bad)
            ev.v[i].json = NULL; /* now the answer's */
    }
    bh_placement_events_free(&ev);
    bh_placement_ledger_clear(&l);
    if (bad) {
        cJSON_Delete(o);
        return fail(j, 503, "out_of_memory", "out of memory while describing %s%s", j->id, "");
    }
    j->answer = o;
    return 0;
}

/* GET /v1/placements: one page of summaries. */
static int list(pjob *j, bh_tenant_state *self)
{
    /* Without a status or flag filter the store pages; with one, every
     * placement (of the firm) is reconciled and the page is cut from
     * those that match. */
    int by_ledger = j->want_status >= 0 || j->want_flag != 0;
    const char *firm = j->want_firm[0] ? j->want_firm : NULL;
    int64_t total = 0, matched = 0, shown = 0, offset = by_ledger ? 0 : j->offset;
    char err[300];
    int rc = 0, bad = 0;
    cJSON *items = cJSON_CreateArray();
    if (items == NULL)
        return fail(j, 503, "out_of_memory", "out of memory while listing placements%s%s", "", "");
    do {
        bh_placement_record *recs = NULL;
        size_t n = 0;
        rc = bh_store_placement_page(self->store, NULL, NULL, firm, offset,
                                     by_ledger ? 1000 : j->limit, &recs, &n, &total, err,
                                     sizeof err);
        if (rc != 0) {
            fail(j, 500, "internal", "%s%s", err, "");
            break;
        }
        for (size_t i = 0; rc == 0 && !bad && i < n; i++) {
            bh_placement p;
            bh_placement_ledger l;
            if ((rc = ledger_of(j, self, &recs[i], &p, &l, NULL)) != 0)
                break;
            int match = (j->want_status < 0 || (int)l.status == j->want_status) &&
                        (j->want_flag == 0 || (l.flags & j->want_flag) != 0);
            if (match && matched++ >= (by_ledger ? j->offset : 0) && shown < j->limit) {
                cJSON *one = summary(&recs[i], &l);
                bad = one == NULL || !cJSON_AddItemToArray(items, one);
                if (bad)
                    cJSON_Delete(one);
                shown++;
            }
            bh_placement_ledger_clear(&l);
        }
        free(recs);
        offset += (int64_t)n;
        if (n == 0 || !by_ledger)
            break;
    } while (rc == 0 && !bad && offset < total);
    if (by_ledger)
        total = matched;
    cJSON *o = rc == 0 && !bad ? cJSON_CreateObject() : NULL;
    bad = bad ||
          (rc == 0 && (o == NULL || cJSON_AddStringToObject(o, "as_of", j->as_of) == NULL ||
                       cJSON_AddNumberToObject(o, "total", (double)total) == NULL ||
                       cJSON_AddNumberToObject(o, "offset", (double)j->offset) == NULL ||
                       cJSON_AddNumberToObject(o, "limit", (double)j->limit) == NULL ||
                       (j->offset + shown < total
                            ? cJSON_AddNumberToObject(o, "next_offset", (double)(j->offset + shown))
                            : cJSON_AddNullToObject(o, "next_offset")) == NULL ||
                       !cJSON_AddItemToObject(o, "placements", items)));
    if (rc != 0 || bad) {
        if (o == NULL || cJSON_GetObjectItemCaseSensitive(o, "placements") != items)
            cJSON_Delete(items);
        cJSON_Delete(o);
        return rc != 0 ? -1
                       : fail(j, 503, "out_of_memory", "out of memory while listing placements%s%s",
                              "", "");
    }
    j->answer = o;
    return 0;
}

/* GET /v1/oversight: every placement of the window, a page at a time, into
 * the firm rows. */
static int oversight(pjob *j, bh_tenant_state *self)
{
    bh_oversight *o = bh_oversight_new();
    char err[300];
    int64_t offset = 0, total = 0;
    int rc = 0;
    if (o == NULL)
        return fail(j, 503, "out_of_memory", "out of memory while starting the oversight%s%s", "",
                    "");
    do {
        bh_placement_record *recs = NULL;
        size_t n = 0;
        rc = bh_store_placement_page(self->store, j->from[0] ? j->from : NULL,
                                     j->to[0] ? j->to : NULL, NULL, offset, 1000, &recs, &n, &total,
                                     err, sizeof err);
        if (rc != 0) {
            fail(j, 500, "internal", "%s%s", err, "");
            break;
        }
        for (size_t i = 0; rc == 0 && i < n; i++) {
            bh_placement p;
            bh_placement_ledger l;
            if ((rc = ledger_of(j, self, &recs[i], &p, &l, NULL)) != 0)
                break;
            rc = bh_oversight_add(o, &p, &l, err, sizeof err);
            bh_placement_ledger_clear(&l);
            if (rc != 0)
                fail(j, rc == BATON_ENOMEM ? 503 : 500,
                     rc == BATON_ENOMEM ? "out_of_memory" : "placement_unreadable", "%s%s", err,
                     "");
        }
        free(recs);
        offset += (int64_t)n;
        if (n == 0)
            break;
    } while (rc == 0 && offset < total);
    if (rc == 0 && j->csv) {
        if ((rc = bh_oversight_csv(o, &j->csv_text, &j->csv_len, err, sizeof err)) != 0)
            fail(j, 500, "internal", "%s%s", err, "");
    } else if (rc == 0) {
        cJSON *rows = NULL, *a = NULL;
        if ((rc = bh_oversight_json(o, &rows, err, sizeof err)) != 0) {
            fail(j, 500, "internal", "%s%s", err, "");
        } else if ((a = cJSON_CreateObject()) == NULL ||
                   (j->from[0] ? cJSON_AddStringToObject(a, "from", j->from)
                               : cJSON_AddNullToObject(a, "from")) == NULL ||
                   (j->to[0] ? cJSON_AddStringToObject(a, "to", j->to)
                             : cJSON_AddNullToObject(a, "to")) == NULL ||
                   cJSON_AddStringToObject(a, "as_of", j->as_of) == NULL ||
                   cJSON_AddNumberToObject(a, "placements", (double)total) == NULL ||
                   !cJSON_AddItemToObject(a, "firms", rows)) {
            cJSON_Delete(a); /* rows were not attached */
            cJSON_Delete(rows);
            rc = fail(j, 503, "out_of_memory", "out of memory while writing the oversight%s%s", "",
                      "");
        } else {
            j->answer = a;
        }
    }
    bh_oversight_free(o);
    return rc;
}

/* ---- the thread-pool job ------------------------------------------------- */

static void run(uv_work_t *w)
{
    pjob *j = w->data;
    bh_tenant_state *self;
    char why[300];
    j->counterparts = j->tenant->config->counterparts;
    if (bh_tenant_state_get(j->registry->config->data_dir, j->tenant->id, &self, why, sizeof why) !=
        0) {
        fail(j, 500, "tenant_state", "%s%s", why, "");
        return;
    }
    if (j->kind == P_LIST)
        list(j, self);
    else if (j->kind == P_GET)
        detail(j, self);
    else
        oversight(j, self);
}

static void done(uv_work_t *w, int status)
{
    pjob *j = w->data;
    bh_req *r = j->req;
    if (status == UV_ECANCELED) {
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
    } else if (j->csv_text != NULL) {
        bh_reply_owned(r, 200, "text/csv; charset=utf-8; header=present", j->csv_text, j->csv_len,
                       NULL);
        j->csv_text = NULL;
    } else if (j->answer != NULL) {
        bh_reply_json(r, 200, j->answer);
    } else {
        bh_reply_error(r, j->status ? j->status : 500, j->code ? j->code : "internal", j->message);
    }
    cJSON_Delete(j->answer);
    free(j->csv_text);
    free(j);
}

/* A date query parameter into out ("" when absent): 0, or -1 with the
 * 400 answered. */
static int date_param(bh_req *r, const char *key, char out[11], baton_date *d)
{
    char text[32];
    baton_date tmp;
    out[0] = '\0';
    if (bh_http_query_value(r->http, key, text, sizeof text) != 0) {
        if (!bh_req_query_has(r, key))
            return 0; /* absent */
    } else if (strlen(text) == 10 && bh_date_parse(text, d != NULL ? d : &tmp) == 0) {
        memcpy(out, text, 11);
        return 0;
    }
    char msg[120];
    snprintf(msg, sizeof msg, "%s: expected a date YYYY-MM-DD", key);
    bh_reply_error(r, 400, "invalid_request", msg);
    return -1;
}

static pjob *pjob_new(bh_req *r, enum pjob_kind kind)
{
    pjob *j = calloc(1, sizeof *j);
    if (j == NULL) {
        bh_reply_out_of_memory(r, "reading the request");
        return NULL;
    }
    j->req = r;
    j->kind = kind;
    j->registry = r->registry;
    j->tenant = r->tenant;
    j->work.data = j;
    if (date_param(r, "as_of", j->as_of, &j->as_of_date) != 0) {
        free(j);
        return NULL;
    }
    if (j->as_of[0] == '\0') {
        bh_placement_today(j->as_of);
        bh_date_parse(j->as_of, &j->as_of_date);
    }
    return j;
}

static void queue(pjob *j)
{
    if (uv_queue_work(j->req->loop, &j->work, run, done) != 0) {
        bh_reply_error(j->req, 503, "unavailable", "cannot schedule the work");
        free(j);
    }
}

/* A name query parameter that must be one of n names (name_of(i)); its
 * index into *out (-1 when absent), or -1 with the 400 answered. */
static int name_param(bh_req *r, const char *key, const char *(*name_of)(int), int n, int *out)
{
    char text[64], msg[400];
    size_t used;
    *out = -1;
    if (bh_http_query_value(r->http, key, text, sizeof text) != 0) {
        if (!bh_req_query_has(r, key))
            return 0;
        text[0] = '\0';
    }
    for (int i = 0; i < n; i++)
        if (strcmp(text, name_of(i)) == 0) {
            *out = i;
            return 0;
        }
    used = (size_t)snprintf(msg, sizeof msg, "%s: expected one of", key);
    for (int i = 0; i < n && used < sizeof msg; i++)
        used += (size_t)snprintf(msg + used, sizeof msg - used, "%s %s", i ? "," : "", name_of(i));
    bh_reply_error(r, 400, "invalid_request", msg);
    return -1;
}

static const char *status_name(int i)
{
    return bh_placement_status_name((enum bh_placement_status)i);
}

void bh_api_placements_list(bh_req *r)
{
    int flag = -1;
    pjob *j = pjob_new(r, P_LIST);
    if (j == NULL)
        return;
    if (bh_req_query_int(r, "limit", 1, 1000, 100, &j->limit) != 0 ||
        bh_req_query_int(r, "offset", 0, 1000000000000LL, 0, &j->offset) != 0 ||
        name_param(r, "status", status_name, BH_PLACEMENT_CLOSED + 1, &j->want_status) != 0 ||
        name_param(r, "flag", bh_placement_flag_name, BH_FLAG_COUNT, &flag) != 0) {
        free(j);
        return;
    }
    j->want_flag = flag >= 0 ? 1u << flag : 0;
    if (bh_http_query_value(r->http, "firm", j->want_firm, sizeof j->want_firm) != 0 &&
        bh_req_query_has(r, "firm")) {
        bh_reply_error(r, 400, "invalid_request", "firm: expected a firm's name");
        free(j);
        return;
    }
    queue(j);
}

void bh_api_placement_get(bh_req *r)
{
    const char *id = bh_req_param(r, "id");
    size_t n = id != NULL ? strlen(id) : 0;
    /* Handoff ids are "ho_<32 hex>"; anything else cannot exist. */
    if (n == 0 || n >= 64 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        bh_reply_error(r, 404, "unknown_placement", "no such handoff id");
        return;
    }
    pjob *j = pjob_new(r, P_GET);
    if (j == NULL)
        return;
    memcpy(j->id, id, n + 1);
    queue(j);
}

void bh_api_oversight(bh_req *r)
{
    const char *accept = bh_http_header_get(r->http, "Accept");
    baton_date from, to;
    pjob *j = pjob_new(r, P_OVERSIGHT);
    if (j == NULL)
        return;
    if (date_param(r, "from", j->from, &from) != 0 || date_param(r, "to", j->to, &to) != 0) {
        free(j);
        return;
    }
    if (j->from[0] && j->to[0] && baton_date_cmp(from, to) > 0) {
        bh_reply_error(r, 400, "invalid_request", "from: after to");
        free(j);
        return;
    }
    /* CSV when the client asks for it (any Accept naming text/csv). */
    for (const char *p = accept; p != NULL && *p != '\0'; p++)
        if (strncasecmp(p, "text/csv", 8) == 0)
            j->csv = 1;
    queue(j);
}
