/*
 * ygc_placement.c - records 01 and 02 from a handed-off case
 * (ygc_placement.h; the field-by-field table is docs/ygc.md).
 */
#include "ygc_placement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/date.h"
#include "baton/error.h"
#include "baton/ygc.h"
#include "money_text.h"

static const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *obj_at(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* "YYYY-MM-DD" into a date; 0 or -1. */
static int parse_date(const char *s, baton_date *d)
{
    if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &d->year, &d->month, &d->day) != 3)
        return -1;
    return baton_date_valid(*d) ? 0 : -1;
}

/* A case money object as hundredths (the layouts' 14.2): exact or refused. */
static int hundredths(const cJSON *m, const char *what, int64_t *out, char *currency, char *err,
                      size_t errlen)
{
    const char *amount = str_at(m, "amount"), *cur = str_at(m, "currency");
    baton_money v;
    char why[160];
    if (amount == NULL || cur == NULL || bh_money_parse(amount, cur, &v, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: not a money amount", what);
        return BATON_EINVAL;
    }
    if (currency != NULL)
        snprintf(currency, 4, "%s", cur);
    int exp = bh_currency_exponent(cur);
    int64_t h = v.minor;
    for (int i = exp; i < 2; i++)
        h *= 10;
    for (int i = 2; i < exp; i++) {
        if (h % 10 != 0) {
            snprintf(err, errlen,
                     "%s: %s %s has more decimals than the layouts' hundredths can carry", what,
                     amount, cur);
            return BATON_ERANGE;
        }
        h /= 10;
    }
    *out = h;
    return 0;
}

typedef struct writer {
    baton_ygc_record *r;
    char *err;
    size_t errlen;
    int rc;
} writer;

static void text(writer *w, const char *field, const char *value)
{
    if (w->rc == 0 && value != NULL)
        w->rc = baton_ygc_set_text(w->r, field, value, w->err, w->errlen);
}

/* Writes value when it fits, leaves the field blank when not: for the
 * short forms the layouts repeat in a longer field. */
static void text_if_fits(writer *w, const char *field, const char *value)
{
    const baton_ygc_field *f = baton_ygc_field_find(w->r->layout, field);
    if (w->rc == 0 && value != NULL && f != NULL && strlen(value) <= f->length)
        text(w, field, value);
}

/* Splits value over field and its overflow field, at the last space that
 * fits (or at a character boundary when there is none). */
static void text_split(writer *w, const char *field, const char *overflow, const char *value)
{
    if (w->rc != 0 || value == NULL)
        return;
    const baton_ygc_field *f = baton_ygc_field_find(w->r->layout, field);
    size_t n = strlen(value);
    if (n <= f->length) {
        text(w, field, value);
        return;
    }
    size_t cut = f->length;
    while (cut > 0 && ((unsigned char)value[cut] & 0xc0) == 0x80)
        cut--; /* never inside a UTF-8 sequence */
    for (size_t i = cut; i > 0; i--) {
        if (value[i] == ' ') {
            cut = i;
            break;
        }
    }
    char head[128];
    snprintf(head, sizeof head, "%.*s", (int)cut, value);
    const char *rest = value + cut;
    while (*rest == ' ')
        rest++;
    text(w, field, head);
    if (w->rc == 0 && baton_ygc_set_text(w->r, overflow, rest, w->err, w->errlen) != 0) {
        snprintf(w->err, w->errlen, "%s and %s together hold %u bytes; '%s' does not fit", field,
                 overflow,
                 (unsigned)(f->length + baton_ygc_field_find(w->r->layout, overflow)->length),
                 value);
        w->rc = BATON_ERANGE;
    }
}

static void amount(writer *w, const char *field, int64_t h)
{
    if (w->rc == 0)
        w->rc = baton_ygc_set_amount(w->r, field, h, w->err, w->errlen);
}

static void date(writer *w, const char *field, const char *iso)
{
    baton_date d;
    if (w->rc != 0 || iso == NULL)
        return;
    if (parse_date(iso, &d) != 0) {
        snprintf(w->err, w->errlen, "%s: '%s' is not a date", field, iso);
        w->rc = BATON_EINVAL;
        return;
    }
    w->rc = baton_ygc_set_date(w->r, field, d.year, d.month, d.day, w->err, w->errlen);
}

static void header(writer *w, const char *case_id, const bh_ygc_placement *p)
{
    text(w, "FILENO", p->file_number);
    text(w, "FORW_FILE", case_id);
    text(w, "FORW_ID", p->agency_id);
    text(w, "FIRM_ID", p->firm_id);
}

/* "City ST" as the layouts' *_CS fields want it, if it fits n bytes. */
static void city_state(const cJSON *addr, char *out, size_t n, size_t limit)
{
    const char *city = str_at(addr, "city"), *region = str_at(addr, "region");
    out[0] = '\0';
    if (city == NULL)
        return;
    if (region != NULL && strlen(city) + 1 + strlen(region) <= limit)
        snprintf(out, n, "%s %s", city, region);
    else
        snprintf(out, n, "%s", city);
}

/* A postcode for a 9-byte field: as given, or without its hyphen (the
 * layouts take a ZIP+4 without the hyphen). */
static void postcode(writer *w, const char *field, const char *pc)
{
    if (pc == NULL || w->rc != 0)
        return;
    char buf[64];
    size_t j = 0;
    if (strlen(pc) > 9) {
        for (size_t i = 0; pc[i] != '\0' && j + 1 < sizeof buf; i++) {
            if (pc[i] != '-')
                buf[j++] = pc[i];
        }
        buf[j] = '\0';
        pc = buf;
    }
    text(w, field, pc);
}

static int record01(const cJSON *c, const bh_ygc_placement *p, baton_ygc_record *r, char *err,
                    size_t errlen)
{
    writer w = {r, err, errlen, baton_ygc_init(r, "01")};
    const cJSON *creditor = obj_at(c, "creditor"), *claim = obj_at(c, "claim");
    const cJSON *caddr = obj_at(creditor, "address");
    header(&w, str_at(c, "case_id"), p);
    if (w.rc == 0)
        w.rc = baton_ygc_set_date(r, "DATE_FORW", p->year, p->month, p->day, err, errlen);
    int64_t principal = 0;
    char currency[4] = "";
    if (w.rc == 0)
        w.rc =
            hundredths(obj_at(claim, "principal"), "ORIG_CLAIM", &principal, currency, err, errlen);
    amount(&w, "ORIG_CLAIM", principal);
    /* DEBT_BAL: everything owed at placement but interest (the layout's
     * ORIG_CLAIM + fees): the principal and the charges already added */
    int64_t owed = principal;
    const cJSON *ch;
    cJSON_ArrayForEach(ch, obj_at(claim, "charges"))
    {
        int64_t h = 0;
        if (w.rc == 0)
            w.rc = hundredths(obj_at(ch, "amount"), "DEBT_BAL", &h, NULL, err, errlen);
        owed += h;
    }
    amount(&w, "DEBT_BAL", owed);
    const cJSON *rate = obj_at(obj_at(claim, "interest"), "contractual_rate_bp");
    if (w.rc == 0 && cJSON_IsNumber(rate))
        w.rc = baton_ygc_set_rate_bp(r, "RATES_PRE", (int32_t)rate->valuedouble, err, errlen);
    text_split(&w, "CRED_NAME", "CRED_NAME2", str_at(creditor, "name"));
    const cJSON *lines = obj_at(caddr, "lines");
    /* the creditor's address has no long form in record 01: a line longer
     * than the field is left out (the package's case.json has it whole) */
    const cJSON *l1 = cJSON_GetArrayItem(lines, 0);
    text_if_fits(&w, "CRED_STREET", cJSON_IsString(l1) ? l1->valuestring : NULL);
    char cs[64];
    city_state(caddr, cs, sizeof cs, 15);
    text_if_fits(&w, "CRED_CS", cs);
    postcode(&w, "CRED_ZIP", str_at(caddr, "postcode"));
    text(&w, "CRED_CNTRY", str_at(caddr, "country"));
    /* the last payment: its date, and what was paid that day */
    const char *lpay = str_at(claim, "last_payment_date");
    date(&w, "DATE_LPAY", lpay);
    if (lpay != NULL) {
        int64_t paid = 0;
        int found = 0;
        const cJSON *pay;
        cJSON_ArrayForEach(pay, obj_at(claim, "payments"))
        {
            const char *d = str_at(pay, "date");
            int64_t h = 0;
            if (w.rc == 0 && d != NULL && strcmp(d, lpay) == 0) {
                w.rc = hundredths(obj_at(pay, "amount"), "AMT_LPAY", &h, NULL, err, errlen);
                paid += h;
                found = 1;
            }
        }
        if (found)
            amount(&w, "AMT_LPAY", paid);
    }
    date(&w, "DATE_OPEN", str_at(claim, "contract_date"));
    /* the chain of title: the original creditor and the last purchase */
    const cJSON *assignments = obj_at(c, "assignments");
    int n_assign = cJSON_GetArraySize(assignments);
    if (n_assign > 0) {
        text_split(&w, "ORIG_CRED", "ORIG_CRED2",
                   str_at(cJSON_GetArrayItem(assignments, 0), "from"));
        date(&w, "PURCHASE_D", str_at(cJSON_GetArrayItem(assignments, n_assign - 1), "date"));
    }
    text(&w, "MEDIA", cJSON_GetArraySize(obj_at(c, "documents")) > 0 ? "Y" : "N");
    /* delinquent from the day after the due date */
    baton_date due;
    if (w.rc == 0 && parse_date(str_at(claim, "due_date"), &due) == 0) {
        baton_date d = baton_date_add_days(due, 1);
        w.rc = baton_ygc_set_date(r, "DELINQ_D", d.year, d.month, d.day, err, errlen);
    }
    return w.rc;
}

static int record02(const cJSON *c, const bh_ygc_placement *p, baton_ygc_record *r, char *err,
                    size_t errlen)
{
    writer w = {r, err, errlen, baton_ygc_init(r, "02")};
    const cJSON *debtor = obj_at(c, "debtor");
    const cJSON *addr = obj_at(debtor, "address");
    header(&w, str_at(c, "case_id"), p);
    text(&w, "D1_NAME", str_at(debtor, "name"));
    const cJSON *lines = obj_at(addr, "lines");
    const cJSON *l1 = cJSON_GetArrayItem(lines, 0), *l2 = cJSON_GetArrayItem(lines, 1);
    const char *s1 = cJSON_IsString(l1) ? l1->valuestring : NULL;
    const char *s2 = cJSON_IsString(l2) ? l2->valuestring : NULL;
    /* the long forms carry the lines; the short ones repeat them if they fit */
    text(&w, "D1_STREET_LONG", s1);
    text(&w, "D1_STREET2_LONG", s2);
    text_if_fits(&w, "D1_STREET", s1);
    text_if_fits(&w, "D1_STREET2", s2);
    text(&w, "D1_CITY", str_at(addr, "city"));
    text_if_fits(&w, "D1_STATE", str_at(addr, "region"));
    char cs[64];
    city_state(addr, cs, sizeof cs, 23);
    text_if_fits(&w, "D1_CS", cs);
    postcode(&w, "D1_ZIP", str_at(addr, "postcode"));
    text(&w, "D1_CNTRY", str_at(addr, "country"));
    date(&w, "D1_DOB", str_at(debtor, "date_of_birth"));
    return w.rc;
}

int bh_ygc_placement_records(const cJSON *case_obj, const bh_ygc_placement *p, char **text_out,
                             size_t *len, char *err, size_t errlen)
{
    *text_out = NULL;
    *len = 0;
    baton_ygc_record *r = malloc(2 * sizeof *r);
    char *buf = malloc(2 * (BATON_YGC_MAX_RECORD + 3));
    int rc = BATON_ENOMEM;
    if (r == NULL || buf == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if ((rc = record01(case_obj, p, &r[0], err, errlen)) != 0 ||
        (rc = record02(case_obj, p, &r[1], err, errlen)) != 0)
        goto out;
    size_t n = baton_ygc_format(&r[0], buf, BATON_YGC_MAX_RECORD + 3);
    n += baton_ygc_format(&r[1], buf + n, BATON_YGC_MAX_RECORD + 3);
    *text_out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    free(r);
    free(buf);
    return rc;
}
