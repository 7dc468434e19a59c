/*
 * placement_oversight.c - per-firm figures (placement_oversight.h; each
 * defined in docs/placements.md, "Oversight").
 */
#include "placement_oversight.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "money_text.h"

typedef struct days {
    int64_t *v;
    size_t n, cap;
} days;

typedef struct row {
    char firm[128];
    char currency[4];
    int64_t cases_placed, active, closed, stalled, forecast_unknown;
    int64_t amount_placed, collected, costs, credits, forecast_expected, forecast_remaining;
    days to_suit, to_judgment, lags;
} row;

struct bh_oversight {
    row *rows;
    size_t n, cap;
};

bh_oversight *bh_oversight_new(void)
{
    return calloc(1, sizeof(bh_oversight));
}

void bh_oversight_free(bh_oversight *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->n; i++) {
        free(o->rows[i].to_suit.v);
        free(o->rows[i].to_judgment.v);
        free(o->rows[i].lags.v);
    }
    free(o->rows);
    free(o);
}

static int push(days *d, int64_t v)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        int64_t *nv = realloc(d->v, cap * sizeof *nv);
        if (nv == NULL)
            return BATON_ENOMEM;
        d->v = nv;
        d->cap = cap;
    }
    d->v[d->n++] = v;
    return 0;
}

static row *row_of(bh_oversight *o, const char *firm, const char *currency)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->rows[i].firm, firm) == 0 && strcmp(o->rows[i].currency, currency) == 0)
            return &o->rows[i];
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4;
        row *nr = realloc(o->rows, cap * sizeof *nr);
        if (nr == NULL)
            return NULL;
        o->rows = nr;
        o->cap = cap;
    }
    row *r = &o->rows[o->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->firm, sizeof r->firm, "%s", firm);
    snprintf(r->currency, sizeof r->currency, "%s", currency);
    return r;
}

static int add(int64_t *acc, int64_t v, const char *what, const char *firm, char *err,
               size_t errlen)
{
    if (__builtin_add_overflow(*acc, v, acc)) {
        snprintf(err, errlen, "%s of %s does not fit 64-bit minor units", what, firm);
        return BATON_ERANGE;
    }
    return 0;
}

int bh_oversight_add(bh_oversight *o, const bh_placement *p, const bh_placement_ledger *l,
                     char *err, size_t errlen)
{
    row *r = row_of(o, p->firm, p->currency);
    int open = !bh_placement_status_ended(l->status), rc;
    if (r == NULL) {
        snprintf(err, errlen, "out of memory adding a firm's row");
        return BATON_ENOMEM;
    }
    r->cases_placed++;
    if (open)
        r->active++;
    else
        r->closed++;
    if (l->flags & BH_FLAG_STALLED)
        r->stalled++;
    if ((rc = add(&r->amount_placed, p->placed_minor, "the amount placed", p->firm, err, errlen)) !=
            0 ||
        (rc = add(&r->collected, l->collected, "collected", p->firm, err, errlen)) != 0 ||
        (rc = add(&r->costs, l->costs, "costs", p->firm, err, errlen)) != 0 ||
        (rc = add(&r->credits, l->credits, "credits", p->firm, err, errlen)) != 0)
        return rc;
    if (open && !p->forecast_known) {
        r->forecast_unknown++;
    } else if (open) {
        int64_t left = p->forecast_minor - l->collected; /* both within int64 range, >= 0 */
        if ((rc = add(&r->forecast_expected, p->forecast_minor, "the forecast", p->firm, err,
                      errlen)) != 0 ||
            (rc = add(&r->forecast_remaining, left > 0 ? left : 0, "the forecast", p->firm, err,
                      errlen)) != 0)
            return rc;
    }
    rc = 0;
    if (l->has_suit)
        rc = push(&r->to_suit, l->days_to_suit);
    if (rc == 0 && l->has_judgment)
        rc = push(&r->to_judgment, l->days_to_judgment);
    for (size_t i = 0; rc == 0 && i < l->n_remittance_lags; i++)
        rc = push(&r->lags, l->remittance_lags[i]);
    if (rc != 0)
        snprintf(err, errlen, "out of memory adding a firm's row");
    return rc;
}

int bh_ratio_text(int64_t num, int64_t den, char *buf, size_t len)
{
    if (num < 0 || den <= 0 || den > INT64_MAX / 10)
        return BATON_ERANGE;
    int64_t whole = num / den, r = num % den, frac = 0;
    for (int i = 0; i < 4; i++) {
        r *= 10; /* r < den <= INT64_MAX / 10 */
        frac = frac * 10 + r / den;
        r %= den;
    }
    if (r >= den - r) { /* the rest is at least half a unit of the last digit */
        if (++frac == 10000) {
            frac = 0;
            whole++;
        }
    }
    snprintf(buf, len, "%" PRId64 ".%04" PRId64, whole, frac);
    return 0;
}

static int cmp_days(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

void bh_median_days_text(int64_t *v, size_t n, char *buf, size_t len)
{
    qsort(v, n, sizeof *v, cmp_days);
    /* Twice the median: the middle value doubled, or the two middle ones
     * summed (day counts are far from overflowing). */
    int64_t twice = n % 2 ? 2 * v[n / 2] : v[n / 2 - 1] + v[n / 2];
    int64_t t = twice < 0 ? -twice : twice;
    snprintf(buf, len, "%s%" PRId64 ".%d", twice < 0 ? "-" : "", t / 2, t % 2 ? 5 : 0);
}

/* ---- the columns ------------------------------------------------------ */

enum cell_type { CELL_TEXT, CELL_NUMBER, CELL_NULL };

static const char *const columns[] = {
    "firm",
    "currency",
    "cases_placed",
    "active",
    "closed",
    "amount_placed",
    "collected",
    "collection_rate",
    "closure_rate",
    "costs",
    "legal_cost_per_case",
    "cost_to_collect",
    "credits",
    "share_of_credits",
    "median_days_to_suit",
    "median_days_to_judgment",
    "stalled",
    "median_remittance_lag_days",
    "forecast_expected",
    "forecast_remaining",
    "forecast_unknown",
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

static enum cell_type money_cell(const row *r, int64_t minor, char *buf, size_t len)
{
    return bh_money_format(baton_money_make(minor, r->currency), buf, len) == 0 ? CELL_TEXT
                                                                                : CELL_NULL;
}

static enum cell_type count_cell(int64_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%" PRId64, v);
    return CELL_NUMBER;
}

static enum cell_type ratio_cell(int64_t num, int64_t den, char *buf, size_t len, int *rc)
{
    if (den == 0)
        return CELL_NULL;
    if (bh_ratio_text(num, den, buf, len) != 0)
        *rc = BATON_ERANGE;
    return CELL_TEXT;
}

static enum cell_type median_cell(days *d, char *buf, size_t len)
{
    if (d->n == 0)
        return CELL_NULL;
    bh_median_days_text(d->v, d->n, buf, len);
    return CELL_TEXT;
}

/* Column c of row r into buf; *rc turns BATON_ERANGE when a ratio cannot
 * be computed. */
static enum cell_type cell(row *r, size_t c, char *buf, size_t len, int *rc)
{
    switch (c) {
    case 0:
        snprintf(buf, len, "%s", r->firm);
        return CELL_TEXT;
    case 1:
        snprintf(buf, len, "%s", r->currency);
        return CELL_TEXT;
    case 2:
        return count_cell(r->cases_placed, buf, len);
    case 3:
        return count_cell(r->active, buf, len);
    case 4:
        return count_cell(r->closed, buf, len);
    case 5:
        return money_cell(r, r->amount_placed, buf, len);
    case 6:
        return money_cell(r, r->collected, buf, len);
    case 7:
        return ratio_cell(r->collected, r->amount_placed, buf, len, rc);
    case 8:
        return ratio_cell(r->closed, r->cases_placed, buf, len, rc);
    case 9:
        return money_cell(r, r->costs, buf, len);
    case 10: {
        /* costs / cases, half up to the minor unit */
        int64_t q = r->costs / r->cases_placed, rem = r->costs % r->cases_placed;
        return money_cell(r, q + (rem >= r->cases_placed - rem), buf, len);
    }
    case 11:
        return ratio_cell(r->costs, r->collected, buf, len, rc);
    case 12:
        return money_cell(r, r->credits, buf, len);
    case 13:
        return ratio_cell(r->credits, r->amount_placed, buf, len, rc);
    case 14:
        return median_cell(&r->to_suit, buf, len);
    case 15:
        return median_cell(&r->to_judgment, buf, len);
    case 16:
        return count_cell(r->stalled, buf, len);
    case 17:
        return median_cell(&r->lags, buf, len);
    case 18:
        return money_cell(r, r->forecast_expected, buf, len);
    case 19:
        return money_cell(r, r->forecast_remaining, buf, len);
    default:
        return count_cell(r->forecast_unknown, buf, len);
    }
}

static int row_cmp(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    int c = strcmp(a->firm, b->firm);
    return c != 0 ? c : strcmp(a->currency, b->currency);
}

int bh_oversight_json(bh_oversight *o, cJSON **out, char *err, size_t errlen)
{
    cJSON *list = cJSON_CreateArray();
    int rc = 0;
    if (o->n > 1)
        qsort(o->rows, o->n, sizeof *o->rows, row_cmp);
    for (size_t i = 0; list != NULL && i < o->n && rc == 0; i++) {
        cJSON *obj = cJSON_CreateObject(), *v;
        if (obj == NULL || !cJSON_AddItemToArray(list, obj)) {
            cJSON_Delete(obj);
            rc = BATON_ENOMEM;
            break;
        }
        for (size_t c = 0; c < N_COLUMNS && rc == 0; c++) {
            char buf[64];
            enum cell_type t = cell(&o->rows[i], c, buf, sizeof buf, &rc);
            v = t == CELL_NULL     ? cJSON_CreateNull()
                : t == CELL_NUMBER ? cJSON_CreateNumber((double)strtoll(buf, NULL, 10))
                                   : cJSON_CreateString(buf);
            if (v == NULL || !cJSON_AddItemToObject(obj, columns[c], v)) {
                cJSON_Delete(v);
                rc = BATON_ENOMEM;
            }
        }
    }
    if (list == NULL || rc != 0) {
        snprintf(err, errlen, "%s",
                 rc == BATON_ERANGE ? "a ratio's denominator is too large to divide"
                                    : "out of memory writing the oversight rows");
        cJSON_Delete(list);
        return list == NULL ? BATON_ENOMEM : rc;
    }
    *out = list;
    return 0;
}

/* Appends text to the growing buffer; quoted as RFC 4180 says when it
 * holds a comma, a quote, CR or LF. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (np == NULL) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void put_field(sbuf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        put(b, s, strlen(s));
        return;
    }
    put(b, "\"", 1);
    for (const char *q = s; *q != '\0'; q++)
        put(b, *q == '"' ? "\"\"" : q, *q == '"' ? 2 : 1);
    put(b, "\"", 1);
}

int bh_oversight_csv(bh_oversight *o, char **out, size_t *len, char *err, size_t errlen)
{
    sbuf b = {0};
    int rc = 0;
    if (o->n > 1)
        qsort(o->rows, o->n, sizeof *o->rows, row_cmp);
    for (size_t c = 0; c < N_COLUMNS; c++) {
        if (c > 0)
            put(&b, ",", 1);
        put_field(&b, columns[c]);
    }
    put(&b, "\r\n", 2);
    for (size_t i = 0; i < o->n && rc == 0; i++) {
        for (size_t c = 0; c < N_COLUMNS && rc == 0; c++) {
            char buf[64];
            if (c > 0)
                put(&b, ",", 1);
            if (cell(&o->rows[i], c, buf, sizeof buf, &rc) != CELL_NULL)
                put_field(&b, buf);
        }
        put(&b, "\r\n", 2);
    }
    if (b.oom || rc != 0) {
        snprintf(err, errlen, "%s",
                 rc == BATON_ERANGE ? "a ratio's denominator is too large to divide"
                                    : "out of memory writing the oversight rows");
        free(b.p);
        return rc != 0 ? rc : BATON_ENOMEM;
    }
    *out = b.p;
    *len = b.n;
    return 0;
}
