/*
 * ygc.c - reading and writing YGC fixed-width records (baton/ygc.h).
 *
 * Owns: field syntax per type, reading a file line by line into records
 * with every problem named by line and field, the field getters and
 * setters, formatting a record as a line. Does not own: the layouts
 * (ygc_layouts.c), what a record means (host/runtime/ygc_*.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "baton/escape.h"
#include "baton/ygc.h"
#include "utf8.h"
#include "visibility.h"

/* --- field syntax --- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The bytes of s[0..n) without surrounding spaces. */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (*s)[0] == ' ') {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && (*s)[*n - 1] == ' ')
        (*n)--;
}

static int days_in_month(int32_t y, int32_t m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Valid UTF-8 without C0 controls or DEL. */
static int text_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = baton__utf8_next(p + i, n - i, &cp);
        if (k == 0 || cp < 0x20 || cp == 0x7f)
            return 0;
        i += k;
    }
    return 1;
}

/* The parsed value of one field: which member holds it depends on type. */
typedef struct field_value {
    int blank;
    uint64_t number;
    int64_t hundredths;
    int32_t bp;
    int32_t y, m, d;
    const char *text; /* TEXT: trimmed bytes inside the record */
    size_t text_len;
} field_value;

/* Parses bytes s[0..n) as a field of type type; 0, or BATON_EINVAL with
 * what was expected in why. */
static int parse_field(int type, const char *s, size_t n, field_value *v, const char **why)
{
    memset(v, 0, sizeof *v);
    const char *t = s;
    size_t k = n;
    trim(&t, &k);
    if (type == BATON_YGC_TEXT) {
        if (!text_ok(s, n)) {
            *why = "text must be UTF-8 without control characters";
            return BATON_EINVAL;
        }
        v->text = t;
        v->text_len = k;
        v->blank = (k == 0);
        return 0;
    }
    if (k == 0) {
        v->blank = 1;
        return 0;
    }
    switch (type) {
    case BATON_YGC_NUMBER: {
        uint64_t x = 0;
        for (size_t i = 0; i < k; i++) {
            if (!is_digit(t[i])) {
                *why = "expected digits (a whole number)";
                return BATON_EINVAL;
            }
            if (x > (UINT64_MAX - 9) / 10) {
                *why = "number too large";
                return BATON_EINVAL;
            }
            x = x * 10 + (uint64_t)(t[i] - '0');
        }
        v->number = x;
        return 0;
    }
    case BATON_YGC_AMOUNT: {
        size_t i = 0;
        int neg = 0;
        if (t[0] == '-') {
            neg = 1;
            i = 1;
        }
        int64_t x = 0;
        size_t int_digits = 0;
        while (i < k && is_digit(t[i])) {
            if (x > (INT64_MAX / 100 - 9) / 10) {
                *why = "amount too large";
                return BATON_EINVAL;
            }
            x = x * 10 + (t[i] - '0');
            i++;
            int_digits++;
        }
        if (int_digits == 0 || i + 3 != k || t[i] != '.' || !is_digit(t[i + 1]) ||
            !is_digit(t[i + 2])) {
            *why = "expected an amount with the point and two decimals, such as 500.00 "
                   "(the layout's 14.2)";
            return BATON_EINVAL;
        }
        x = x * 100 + (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
        v->hundredths = neg ? -x : x;
        return 0;
    }
    case BATON_YGC_RATE: {
        size_t i = 0;
        int whole = 0;
        if (is_digit(t[0])) {
            whole = t[0] - '0';
            i = 1;
        }
        size_t decimals = k > i + 1 ? k - i - 1 : 0;
        if (whole > 1 || i >= k || t[i] != '.' || decimals < 1 || decimals > 4) {
            *why = "expected a rate as a fraction with the point, such as .1950 for 19.50 % "
                   "(the layout's 5.4)";
            return BATON_EINVAL;
        }
        int32_t bp = 0;
        for (size_t j = 0; j < 4; j++) {
            char c = j < decimals ? t[i + 1 + j] : '0';
            if (!is_digit(c)) {
                *why = "expected a rate as a fraction with the point, such as .1950 for "
                       "19.50 % (the layout's 5.4)";
                return BATON_EINVAL;
            }
            bp = bp * 10 + (c - '0');
        }
        bp += whole * 10000;
        if (bp > 10000) {
            *why = "a rate is at most 1.0000 (100 %)";
            return BATON_EINVAL;
        }
        v->bp = bp;
        return 0;
    }
    case BATON_YGC_DATE: {
        if (k != 8 || n != 8) {
            *why = "expected a date CCYYMMDD filling the field";
            return BATON_EINVAL;
        }
        for (size_t i = 0; i < 8; i++) {
            if (!is_digit(t[i])) {
                *why = "expected a date CCYYMMDD";
                return BATON_EINVAL;
            }
        }
        if (memcmp(t, "00000000", 8) == 0) {
            v->blank = 1;
            return 0;
        }
        v->y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
        v->m = (t[4] - '0') * 10 + (t[5] - '0');
        v->d = (t[6] - '0') * 10 + (t[7] - '0');
        if (v->y < 1 || v->m < 1 || v->m > 12 || v->d < 1 || v->d > days_in_month(v->y, v->m)) {
            *why = "not a calendar date (CCYYMMDD)";
            return BATON_EINVAL;
        }
        return 0;
    }
    default:
        *why = "unknown field type";
        return BATON_EINVAL;
    }
}

static void problem_set(baton_ygc_problem *p, size_t line, const char *field, const char *msg)
{
    p->line = line;
    snprintf(p->field, sizeof p->field, "%s", field ? field : "");
    snprintf(p->message, sizeof p->message, "%s", msg);
}

/* Checks field f of r; 0 or BATON_EINVAL with the problem in *p. */
static int check_field(const baton_ygc_record *r, const baton_ygc_field *f, field_value *v,
                       baton_ygc_problem *p)
{
    const char *bytes = r->text + f->start - 1;
    const char *why = NULL;
    if (parse_field(f->type, bytes, f->length, v, &why) == 0)
        return 0;
    if (p != NULL) {
        char shown[80];
        char where[48];
        baton_escape(bytes, f->length, shown, sizeof shown);
        snprintf(where, sizeof where, "bytes %u-%u", (unsigned)f->start,
                 (unsigned)(f->start + f->length - 1));
        char msg[200];
        snprintf(msg, sizeof msg, "%s \"%s\": %s", where, shown, why);
        problem_set(p, r->line, f->name, msg);
    }
    return BATON_EINVAL;
}

BATON_API int baton_ygc_check(const baton_ygc_record *r, baton_ygc_problem *p)
{
    if (r == NULL || r->layout == NULL)
        return BATON_EINVAL;
    for (size_t i = 0; i < r->layout->n_fields; i++) {
        field_value v;
        if (check_field(r, &r->layout->fields[i], &v, p) != 0)
            return BATON_EINVAL;
    }
    return 0;
}

/* --- reading a file --- */

typedef struct reader {
    baton_ygc_file *f;
    size_t cap_records;
    size_t cap_problems;
    size_t dropped; /* problems beyond BATON_YGC_MAX_PROBLEMS */
} reader;

static int add_problem(reader *rd, const baton_ygc_problem *p)
{
    baton_ygc_file *f = rd->f;
    if (f->n_problems >= BATON_YGC_MAX_PROBLEMS) {
        rd->dropped++;
        return 0;
    }
    if (f->n_problems == rd->cap_problems) {
        size_t cap = rd->cap_problems ? rd->cap_problems * 2 : 16;
        baton_ygc_problem *np = realloc(f->problems, cap * sizeof *np);
        if (np == NULL)
            return BATON_ENOMEM;
        f->problems = np;
        rd->cap_problems = cap;
    }
    f->problems[f->n_problems++] = *p;
    return 0;
}

static int line_problem(reader *rd, size_t line, const char *field, const char *msg)
{
    baton_ygc_problem p;
    problem_set(&p, line, field, msg);
    return add_problem(rd, &p);
}

static int read_line(reader *rd, const char *s, size_t n, size_t line)
{
    char msg[200];
    if (n == 0)
        return line_problem(rd, line, "", "empty line (every line must be a record)");
    if (n < 2)
        return line_problem(rd, line, "RECORD_CODE",
                            "line too short to hold the 2-byte record code");
    char code[3] = {s[0], s[1], '\0'};
    const baton_ygc_layout *l = baton_ygc_layout_find(code);
    if (l == NULL) {
        char shown[24];
        baton_escape(code, 2, shown, sizeof shown);
        size_t nl;
        const baton_ygc_layout *all = baton_ygc_layouts(&nl);
        char known[64] = "";
        for (size_t i = 0; i < nl; i++) {
            strcat(known, all[i].code);
            if (i + 1 < nl)
                strcat(known, ", ");
        }
        snprintf(msg, sizeof msg, "unknown record code \"%s\" (this reader knows %s)", shown,
                 known);
        return line_problem(rd, line, "RECORD_CODE", msg);
    }
    if (n > l->length) {
        snprintf(msg, sizeof msg,
                 "line is %zu bytes, longer than record %s (%s), which ends at byte %zu", n,
                 l->code, l->title, l->length);
        return line_problem(rd, line, "", msg);
    }
    baton_ygc_record rec;
    rec.layout = l;
    rec.line = line;
    memset(rec.text, ' ', l->length);
    memcpy(rec.text, s, n);
    rec.text[l->length] = '\0';
    int bad = 0;
    for (size_t i = 0; i < l->n_fields; i++) {
        field_value v;
        baton_ygc_problem p;
        if (check_field(&rec, &l->fields[i], &v, &p) != 0) {
            bad = 1;
            int rc = add_problem(rd, &p);
            if (rc != 0)
                return rc;
        }
    }
    if (bad)
        return 0;
    baton_ygc_file *f = rd->f;
    if (f->n_records == rd->cap_records) {
        size_t cap = rd->cap_records ? rd->cap_records * 2 : 16;
        baton_ygc_record *nr = realloc(f->records, cap * sizeof *nr);
        if (nr == NULL)
            return BATON_ENOMEM;
        f->records = nr;
        rd->cap_records = cap;
    }
    f->records[f->n_records++] = rec;
    return 0;
}

BATON_API int baton_ygc_read(const char *data, size_t len, baton_ygc_file **out, char *err,
                             size_t errlen)
{
    *out = NULL;
    if (data == NULL && len > 0) {
        snprintf(err, errlen, "no data");
        return BATON_EINVAL;
    }
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n')
            lines++;
    }
    if (len > 0 && data[len - 1] != '\n')
        lines++;
    if (lines > BATON_YGC_MAX_LINES) {
        snprintf(err, errlen, "the file has %zu lines; at most %d are read at once", lines,
                 BATON_YGC_MAX_LINES);
        return BATON_ELIMIT;
    }
    reader rd;
    memset(&rd, 0, sizeof rd);
    rd.f = calloc(1, sizeof *rd.f);
    if (rd.f == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    int rc = 0;
    size_t start = 0;
    size_t line = 0;
    while (start < len) {
        const char *nl = memchr(data + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - start;
        if (n > 0 && data[start + n - 1] == '\r')
            n--;
        line++;
        rc = read_line(&rd, data + start, n, line);
        if (rc != 0)
            break;
        start = end + 1;
    }
    rd.f->n_lines = line;
    if (rc == 0 && rd.dropped > 0) {
        baton_ygc_problem p;
        char msg[120];
        /* the last entry gives way to the count of what is not listed */
        snprintf(msg, sizeof msg, "%zu further problems from this line on are not listed",
                 rd.dropped + 1);
        problem_set(&p, rd.f->problems[BATON_YGC_MAX_PROBLEMS - 1].line, "", msg);
        rd.f->problems[BATON_YGC_MAX_PROBLEMS - 1] = p;
    }
    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
        baton_ygc_file_free(rd.f);
        return rc;
    }
    *out = rd.f;
    return 0;
}

BATON_API void baton_ygc_file_free(baton_ygc_file *f)
{
    if (f == NULL)
        return;
    free(f->records);
    free(f->problems);
    free(f);
}

/* --- getters --- */

static int get(const baton_ygc_record *r, const char *field, int type, field_value *v)
{
    if (r == NULL || r->layout == NULL)
        return BATON_EINVAL;
    const baton_ygc_field *f = baton_ygc_field_find(r->layout, field);
    if (f == NULL || f->type != type)
        return BATON_EINVAL;
    if (check_field(r, f, v, NULL) != 0)
        return BATON_EINVAL;
    return v->blank ? BATON_ENOENT : 0;
}

BATON_API int baton_ygc_text(const baton_ygc_record *r, const char *field, char *buf, size_t buflen)
{
    field_value v;
    int rc = get(r, field, BATON_YGC_TEXT, &v);
    if (rc == BATON_EINVAL)
        return rc;
    if (buflen < v.text_len + 1)
        return BATON_ERANGE;
    memcpy(buf, v.text, v.text_len);
    buf[v.text_len] = '\0';
    return (int)v.text_len;
}

BATON_API int baton_ygc_number(const baton_ygc_record *r, const char *field, uint64_t *value)
{
    field_value v;
    int rc = get(r, field, BATON_YGC_NUMBER, &v);
    if (rc == 0)
        *value = v.number;
    return rc;
}

BATON_API int baton_ygc_amount(const baton_ygc_record *r, const char *field, int64_t *hundredths)
{
    field_value v;
    int rc = get(r, field, BATON_YGC_AMOUNT, &v);
    if (rc == 0)
        *hundredths = v.hundredths;
    return rc;
}

BATON_API int baton_ygc_rate_bp(const baton_ygc_record *r, const char *field, int32_t *bp)
{
    field_value v;
    int rc = get(r, field, BATON_YGC_RATE, &v);
    if (rc == 0)
        *bp = v.bp;
    return rc;
}

BATON_API int baton_ygc_date(const baton_ygc_record *r, const char *field, int32_t *year,
                             int32_t *month, int32_t *day)
{
    field_value v;
    int rc = get(r, field, BATON_YGC_DATE, &v);
    if (rc == 0) {
        *year = v.y;
        *month = v.m;
        *day = v.d;
    }
    return rc;
}

/* --- setters --- */

BATON_API int baton_ygc_init(baton_ygc_record *r, const char *code)
{
    const baton_ygc_layout *l = baton_ygc_layout_find(code);
    if (r == NULL || l == NULL)
        return BATON_EINVAL;
    r->layout = l;
    r->line = 0;
    memset(r->text, ' ', l->length);
    memcpy(r->text, l->code, 2);
    r->text[l->length] = '\0';
    return 0;
}

/* Writes value (already checked to be of type) into f, right- or
 * left-aligned; BATON_ERANGE when it does not fit. */
static int put(baton_ygc_record *r, const baton_ygc_field *f, const char *value, size_t n,
               int right, char *err, size_t errlen)
{
    if (n > f->length) {
        char shown[80];
        baton_escape(value, n, shown, sizeof shown);
        snprintf(err, errlen, "record %s field %s holds %u bytes; \"%s\" has %zu", r->layout->code,
                 f->name, (unsigned)f->length, shown, n);
        return BATON_ERANGE;
    }
    char *dst = r->text + f->start - 1;
    memset(dst, ' ', f->length);
    memcpy(right ? dst + (f->length - n) : dst, value, n);
    return 0;
}

static const baton_ygc_field *settable(baton_ygc_record *r, const char *field, int type, char *err,
                                       size_t errlen)
{
    const baton_ygc_field *f = r && r->layout ? baton_ygc_field_find(r->layout, field) : NULL;
    if (f == NULL || f->type != type || strcmp(field, "RECORD_CODE") == 0) {
        snprintf(err, errlen, "record %s has no %s field %s",
                 r && r->layout ? r->layout->code : "?",
                 type == BATON_YGC_TEXT     ? "text"
                 : type == BATON_YGC_NUMBER ? "number"
                 : type == BATON_YGC_AMOUNT ? "amount"
                 : type == BATON_YGC_RATE   ? "rate"
                                            : "date",
                 field ? field : "(null)");
        return NULL;
    }
    return f;
}

BATON_API int baton_ygc_set_text(baton_ygc_record *r, const char *field, const char *text,
                                 char *err, size_t errlen)
{
    const baton_ygc_field *f = settable(r, field, BATON_YGC_TEXT, err, errlen);
    if (f == NULL)
        return BATON_EINVAL;
    const char *t = text ? text : "";
    size_t n = strlen(t);
    if (!text_ok(t, n)) {
        snprintf(err, errlen, "record %s field %s: text must be UTF-8 without control characters",
                 r->layout->code, f->name);
        return BATON_EINVAL;
    }
    trim(&t, &n);
    return put(r, f, t, n, 0, err, errlen);
}

BATON_API int baton_ygc_set_number(baton_ygc_record *r, const char *field, uint64_t value,
                                   char *err, size_t errlen)
{
    const baton_ygc_field *f = settable(r, field, BATON_YGC_NUMBER, err, errlen);
    if (f == NULL)
        return BATON_EINVAL;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%0*llu", (int)f->length, (unsigned long long)value);
    return put(r, f, buf, (size_t)n, 1, err, errlen);
}

BATON_API int baton_ygc_set_amount(baton_ygc_record *r, const char *field, int64_t hundredths,
                                   char *err, size_t errlen)
{
    const baton_ygc_field *f = settable(r, field, BATON_YGC_AMOUNT, err, errlen);
    if (f == NULL)
        return BATON_EINVAL;
    if (hundredths == INT64_MIN) {
        snprintf(err, errlen, "record %s field %s: amount out of range", r->layout->code, f->name);
        return BATON_ERANGE;
    }
    uint64_t a = hundredths < 0 ? (uint64_t)(-hundredths) : (uint64_t)hundredths;
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%s%llu.%02llu", hundredths < 0 ? "-" : "",
                     (unsigned long long)(a / 100), (unsigned long long)(a % 100));
    return put(r, f, buf, (size_t)n, 1, err, errlen);
}

BATON_API int baton_ygc_set_rate_bp(baton_ygc_record *r, const char *field, int32_t bp, char *err,
                                    size_t errlen)
{
    const baton_ygc_field *f = settable(r, field, BATON_YGC_RATE, err, errlen);
    if (f == NULL)
        return BATON_EINVAL;
    if (bp < 0 || bp > 10000) {
        snprintf(err, errlen,
                 "record %s field %s holds a rate from 0 to 1.0000 (100 %%); %d bp is outside",
                 r->layout->code, f->name, (int)bp);
        return BATON_ERANGE;
    }
    char buf[16];
    int n = bp == 10000 ? snprintf(buf, sizeof buf, "1.000")
                        : snprintf(buf, sizeof buf, ".%04d", (int)bp);
    return put(r, f, buf, (size_t)n, 0, err, errlen);
}

BATON_API int baton_ygc_set_date(baton_ygc_record *r, const char *field, int32_t year,
                                 int32_t month, int32_t day, char *err, size_t errlen)
{
    const baton_ygc_field *f = settable(r, field, BATON_YGC_DATE, err, errlen);
    if (f == NULL)
        return BATON_EINVAL;
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month)) {
        snprintf(err, errlen, "record %s field %s: %04d-%02d-%02d is not a calendar date",
                 r->layout->code, f->name, (int)year, (int)month, (int)day);
        return BATON_ERANGE;
    }
    char buf[16];
    int n = snprintf(buf, sizeof buf, "%04d%02d%02d", (int)year, (int)month, (int)day);
    return put(r, f, buf, (size_t)n, 0, err, errlen);
}

BATON_API size_t baton_ygc_format(const baton_ygc_record *r, char *buf, size_t buflen)
{
    if (r == NULL || r->layout == NULL || buf == NULL || buflen < r->layout->length + 3)
        return 0;
    memcpy(buf, r->text, r->layout->length);
    buf[r->layout->length] = '\r';
    buf[r->layout->length + 1] = '\n';
    buf[r->layout->length + 2] = '\0';
    return r->layout->length + 2;
}
