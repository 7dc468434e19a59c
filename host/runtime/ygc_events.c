/*
 * ygc_events.c - a law firm's YGC records as case-event drafts
 * (ygc_events.h; the mapping tables are docs/ygc.md).
 */
#include "ygc_events.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "baton/date.h"
#include "baton/error.h"
#include "baton/sha256.h"
#include "baton/ygc.h"
#include "money_text.h"

/* At most this many instalments in one payment plan (the event format's). */
#define MAX_INSTALMENTS 600

/* One line being mapped: where its errors and drafts go. */
typedef struct line_ctx {
    const baton_ygc_record *r;
    const bh_ygc_placement_ids *ids;
    bh_ygc_judgment judgment;
    cJSON *events; /* drafts */
    cJSON *errors; /* {"field","message"} */
    int oom;
} line_ctx;

static void line_error(line_ctx *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line_error(line_ctx *c, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *e = cJSON_CreateObject();
    if (e == NULL || cJSON_AddStringToObject(e, "field", field) == NULL ||
        cJSON_AddStringToObject(e, "message", msg) == NULL) {
        cJSON_Delete(e);
        c->oom = 1;
        return;
    }
    cJSON_AddItemToArray(c->errors, e);
}

static void date_text(int32_t y, int32_t m, int32_t d, char out[11])
{
    snprintf(out, 11, "%04d-%02d-%02d", (int)y % 10000, (int)m % 100, (int)d % 100);
}

/* A required date field as "YYYY-MM-DD"; 0, or an error recorded. */
static int need_date(line_ctx *c, const char *field, const char *what, char out[11])
{
    int32_t y, m, d;
    if (baton_ygc_date(c->r, field, &y, &m, &d) != 0) {
        line_error(c, field, "%s needs its date in %s (CCYYMMDD); it is blank", what, field);
        return -1;
    }
    date_text(y, m, d, out);
    return 0;
}

/*
 * The money object {"amount","currency"} for hundredths (the layouts'
 * 14.2) in the placement's currency: exact or refused, never rounded.
 */
static cJSON *money(line_ctx *c, const char *field, int64_t hundredths)
{
    const char *cur = c->ids->currency;
    int exp = bh_currency_exponent(cur);
    if (exp < 0) {
        line_error(c, field, "the placement's currency '%s' is not one Baton knows", cur);
        return NULL;
    }
    int64_t minor = hundredths;
    for (int i = exp; i < 2; i++) {
        if (minor % 10 != 0) {
            line_error(c, field,
                       "%lld.%02lld has more decimals than %s has (%d): a %s amount cannot "
                       "be reported in hundredths",
                       (long long)(hundredths / 100), (long long)(hundredths % 100), cur, exp, cur);
            return NULL;
        }
        minor /= 10;
    }
    for (int i = 2; i < exp; i++)
        minor *= 10;
    char text[40];
    if (bh_money_format(baton_money_make(minor, cur), text, sizeof text) != 0) {
        line_error(c, field, "amount out of range");
        return NULL;
    }
    cJSON *m = cJSON_CreateObject();
    if (m == NULL || cJSON_AddStringToObject(m, "amount", text) == NULL ||
        cJSON_AddStringToObject(m, "currency", cur) == NULL) {
        cJSON_Delete(m);
        c->oom = 1;
        return NULL;
    }
    return m;
}

/* A required amount, positive. */
static int need_amount(line_ctx *c, const char *field, const char *what, int64_t *out)
{
    int rc = baton_ygc_amount(c->r, field, out);
    if (rc == BATON_ENOENT) {
        line_error(c, field, "%s needs its amount in %s; it is blank", what, field);
        return -1;
    }
    if (rc != 0)
        return -1;
    if (*out < 0) {
        line_error(c, field,
                   "%s is negative (%lld.%02lld): a reversal has no event in baton-event/1; "
                   "tell the agency with a note (record 39) instead",
                   field, (long long)(-*out / 100), (long long)(-*out % 100));
        return -1;
    }
    if (*out == 0) {
        line_error(c, field, "%s of 0.00 is not a %s", field, what);
        return -1;
    }
    return 0;
}

/* The event id of a draft: "ygc-" and 32 hex digits of the SHA-256 of its
 * kind, date and body, so the same fact always gets the same id. */
static int draft_id(const char *kind, const char *date, const cJSON *body, char out[40])
{
    char *text = cJSON_PrintUnformatted(body);
    if (text == NULL)
        return BATON_ENOMEM;
    baton_sha256 *h = NULL;
    uint8_t digest[BATON_SHA256_BYTES];
    int rc = baton_sha256_new(&h);
    if (rc == 0) {
        static const char tag[] = "baton-ygc/1\n";
        baton_sha256_update(h, tag, sizeof tag - 1);
        baton_sha256_update(h, kind, strlen(kind));
        baton_sha256_update(h, "\n", 1);
        baton_sha256_update(h, date, strlen(date));
        baton_sha256_update(h, "\n", 1);
        baton_sha256_update(h, text, strlen(text));
        rc = baton_sha256_final(h, digest);
    }
    baton_sha256_free(h);
    cJSON_free(text);
    if (rc != 0)
        return rc;
    char hex[BATON_SHA256_HEX_LEN + 1];
    baton_sha256_hex(digest, hex);
    snprintf(out, 40, "ygc-%.32s", hex);
    return 0;
}

/* Adds a draft (takes body); its id goes to id_out when not NULL. */
static void add_draft(line_ctx *c, const char *kind, const char *date, cJSON *body, char *id_out)
{
    char id[40];
    cJSON *d = cJSON_CreateObject();
    if (body == NULL || d == NULL || draft_id(kind, date, body, id) != 0 ||
        cJSON_AddStringToObject(d, "event_id", id) == NULL ||
        cJSON_AddStringToObject(d, "kind", kind) == NULL ||
        cJSON_AddStringToObject(d, "date", date) == NULL) {
        cJSON_Delete(body);
        cJSON_Delete(d);
        c->oom = 1;
        return;
    }
    cJSON_AddItemToObject(d, "body", body);
    cJSON_AddItemToArray(c->events, d);
    if (id_out != NULL)
        memcpy(id_out, id, 40);
}

static void add_text(line_ctx *c, cJSON *o, const char *key, const char *text)
{
    if (cJSON_AddStringToObject(o, key, text) == NULL)
        c->oom = 1;
}

/* --- 39: notes --- */

static void map_note(line_ctx *c)
{
    char date[11];
    if (need_date(c, "PDATE", "a note", date) != 0)
        return;
    char code[16], comment[1100], phone[32], dir[8];
    if (baton_ygc_text(c->r, "PCODE", code, sizeof code) < 0 ||
        baton_ygc_text(c->r, "PCMT", comment, sizeof comment) < 0 ||
        baton_ygc_text(c->r, "PHONE_NUMBER", phone, sizeof phone) < 0 ||
        baton_ygc_text(c->r, "CALL_DIRECTION", dir, sizeof dir) < 0)
        return;
    cJSON *body = cJSON_CreateObject();
    if (body == NULL) {
        c->oom = 1;
        return;
    }
    add_text(c, body, "channel", phone[0] != '\0' || dir[0] != '\0' ? "phone" : "other");
    char note[1200];
    if (code[0] != '\0' && comment[0] != '\0')
        snprintf(note, sizeof note, "[%s] %s", code, comment);
    else if (code[0] != '\0')
        snprintf(note, sizeof note, "[%s]", code);
    else
        snprintf(note, sizeof note, "%s", comment);
    if (note[0] != '\0')
        add_text(c, body, "note", note);
    add_draft(c, "contact", date, body, NULL);
}

/* --- 30: financial transactions --- */

static void map_payment(line_ctx *c, uint64_t code, const char *date)
{
    int64_t gross;
    if (need_amount(c, "GROSS_PAY", "a payment", &gross) != 0)
        return;
    cJSON *body = cJSON_CreateObject();
    cJSON *m = money(c, "GROSS_PAY", gross);
    if (body == NULL || m == NULL) {
        cJSON_Delete(body);
        cJSON_Delete(m);
        c->oom |= body == NULL;
        return;
    }
    cJSON_AddItemToObject(body, "amount", m);
    add_text(c, body, "paid_to", code == 6 ? "creditor" : "firm");
    char pay_id[40] = "";
    add_draft(c, "payment_received", date, body, pay_id);
    if (code == 6 || c->oom)
        return;
    /* the same record reports the remittance once REMIT_DATE is set */
    int32_t y, m2, d;
    if (baton_ygc_date(c->r, "REMIT_DATE", &y, &m2, &d) != 0)
        return;
    char rdate[11];
    date_text(y, m2, d, rdate);
    int64_t check, fees = 0;
    if (need_amount(c, "CHECK_AMT", "a remittance", &check) != 0)
        return;
    int rc = baton_ygc_amount(c->r, "FEES", &fees);
    if (rc == 0 && fees < 0) {
        line_error(c, "FEES", "FEES is negative");
        return;
    }
    cJSON *rb = cJSON_CreateObject();
    cJSON *amount = money(c, "CHECK_AMT", check);
    cJSON *fee = money(c, "FEES", rc == 0 ? fees : 0);
    cJSON *covers = cJSON_CreateArray();
    cJSON *id = cJSON_CreateString(pay_id);
    if (rb == NULL || amount == NULL || fee == NULL || covers == NULL || id == NULL) {
        c->oom |= rb == NULL || covers == NULL || id == NULL;
        cJSON_Delete(rb);
        cJSON_Delete(amount);
        cJSON_Delete(fee);
        cJSON_Delete(covers);
        cJSON_Delete(id);
        return;
    }
    cJSON_AddItemToArray(covers, id);
    cJSON_AddItemToObject(rb, "amount", amount);
    cJSON_AddItemToObject(rb, "covers", covers);
    cJSON_AddItemToObject(rb, "fees_deducted", fee);
    add_draft(c, "remittance", rdate, rb, NULL);
}

static void add_cost(line_ctx *c, const char *date, int64_t amount, int recoverable)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *m = money(c, "LINE2_5", amount);
    if (body == NULL || m == NULL) {
        c->oom |= body == NULL;
        cJSON_Delete(body);
        cJSON_Delete(m);
        return;
    }
    cJSON_AddItemToObject(body, "amount", m);
    add_text(c, body, "category", "other");
    if (cJSON_AddBoolToObject(body, "recoverable", recoverable) == NULL)
        c->oom = 1;
    add_draft(c, "cost_incurred", date, body, NULL);
}

static void map_cost(line_ctx *c, const char *date)
{
    int64_t total, rec = 0;
    if (need_amount(c, "LINE2_5", "a cost (costs expended)", &total) != 0)
        return;
    int rc = baton_ygc_amount(c->r, "COSTSPENTRECOVERABLEFROMDEBTOR", &rec);
    if (rc == BATON_ENOENT)
        rec = 0;
    if (rec < 0 || rec > total) {
        line_error(c, "COSTSPENTRECOVERABLEFROMDEBTOR",
                   "the part recoverable from the debtor must lie between 0.00 and the cost "
                   "(LINE2_5)");
        return;
    }
    /* a cost partly recoverable is two events, each with its part */
    if (rec > 0)
        add_cost(c, date, rec, 1);
    if (total - rec > 0)
        add_cost(c, date, total - rec, 0);
}

static void map_transaction(line_ctx *c)
{
    uint64_t code;
    if (baton_ygc_number(c->r, "RET_CODE", &code) != 0) {
        line_error(c, "RET_CODE", "a financial transaction needs its RET_CODE; it is blank");
        return;
    }
    char date[11];
    if (need_date(c, "PAY_DATE", "a financial transaction", date) != 0)
        return;
    if (code == 1 || code == 3 || code == 6)
        map_payment(c, code, date);
    else if (code >= 33 && code <= 81)
        map_cost(c, date);
    else
        line_error(c, "RET_CODE",
                   "RET_CODE %llu is none of the layout's codes: 1 payment, 3 settlement "
                   "payment, 6 direct payment, 33-81 cost",
                   (unsigned long long)code);
}

/* --- 41: suit and judgment --- */

static void map_suit(line_ctx *c)
{
    int32_t y, m, d;
    int suit = baton_ygc_date(c->r, "SUIT_DATE", &y, &m, &d) == 0;
    int64_t amount;
    int judg_date = baton_ygc_date(c->r, "JDGMNT_DATE", &y, &m, &d) == 0;
    int judg_amt = baton_ygc_amount(c->r, "JDGMNT_AMT", &amount) == 0;
    if (!suit && !judg_date && !judg_amt) {
        line_error(c, "SUIT_DATE",
                   "record 41 names neither a suit (SUIT_DATE) nor a judgment (JDGMNT_DATE)");
        return;
    }
    if (suit) {
        char date[11], court[64], docket[32];
        need_date(c, "SUIT_DATE", "a suit", date);
        int n = baton_ygc_text(c->r, "CRT_NAME", court, sizeof court);
        if (n == 0)
            n = baton_ygc_text(c->r, "CRT_DESIG", court, sizeof court);
        if (n == 0)
            line_error(c, "CRT_NAME", "a suit needs its court in CRT_NAME (or CRT_DESIG)");
        if (baton_ygc_text(c->r, "DOCKET_NO", docket, sizeof docket) == 0)
            line_error(c, "DOCKET_NO", "a suit needs the number the court gave it in DOCKET_NO");
        else if (n > 0) {
            cJSON *body = cJSON_CreateObject();
            if (body == NULL) {
                c->oom = 1;
                return;
            }
            add_text(c, body, "court", court);
            add_text(c, body, "court_case_number", docket);
            add_draft(c, "suit_filed", date, body, NULL);
        }
    }
    if (judg_date || judg_amt) {
        char date[11];
        if (need_date(c, "JDGMNT_DATE", "a judgment", date) != 0 ||
            need_amount(c, "JDGMNT_AMT", "a judgment", &amount) != 0)
            return;
        if (c->judgment == BH_YGC_JUDGMENT_UNSAID) {
            line_error(c, "JDGMNT_AMT",
                       "record 41 does not say whether the judgment was by default or "
                       "contested; say which for the file (judgment=default or "
                       "judgment=contested)");
            return;
        }
        cJSON *body = cJSON_CreateObject();
        cJSON *m2 = money(c, "JDGMNT_AMT", amount);
        if (body == NULL || m2 == NULL) {
            c->oom |= body == NULL;
            cJSON_Delete(body);
            cJSON_Delete(m2);
            return;
        }
        cJSON_AddItemToObject(body, "amount", m2);
        add_text(c, body, "outcome",
                 c->judgment == BH_YGC_JUDGMENT_DEFAULT ? "default" : "contested");
        add_draft(c, "judgment", date, body, NULL);
    }
}

/* --- 43: payment plan --- */

static baton_date plan_step(baton_date first, char freq, int64_t i)
{
    if (freq == 'W')
        return baton_date_add_days(first, 7 * i);
    if (freq == 'B')
        return baton_date_add_days(first, 14 * i);
    return baton_date_add_months(first, (int32_t)i);
}

static void map_plan(line_ctx *c)
{
    char date[11];
    if (need_date(c, "PLAN_DATE", "a payment plan", date) != 0)
        return;
    uint64_t n;
    if (baton_ygc_number(c->r, "NO_PMTS", &n) != 0 || n < 1 || n > MAX_INSTALMENTS) {
        line_error(c, "NO_PMTS", "a payment plan needs 1 to %d payments in NO_PMTS",
                   MAX_INSTALMENTS);
        return;
    }
    char freq[4] = "M";
    if (n > 1 && (baton_ygc_text(c->r, "FREQUENCY", freq, sizeof freq) != 1 ||
                  (freq[0] != 'W' && freq[0] != 'B' && freq[0] != 'M'))) {
        line_error(c, "FREQUENCY", "a plan of %llu payments needs FREQUENCY W, B or M",
                   (unsigned long long)n);
        return;
    }
    baton_date first, last;
    memset(&last, 0, sizeof last);
    int64_t first_amt, pay_amt = 0, last_amt = 0;
    if (baton_ygc_date(c->r, "FIRST_DATE", &first.year, &first.month, &first.day) != 0) {
        line_error(c, "FIRST_DATE", "a payment plan needs the date of its first payment");
        return;
    }
    if (need_amount(c, "FIRST_AMT", "a payment plan's first payment", &first_amt) != 0)
        return;
    if (n > 2 && need_amount(c, "PAY_AMT", "a payment plan's periodic payment", &pay_amt) != 0)
        return;
    if (n > 1) {
        if (baton_ygc_date(c->r, "LAST_DATE", &last.year, &last.month, &last.day) != 0)
            last = plan_step(first, freq[0], (int64_t)n - 1);
        int rc = baton_ygc_amount(c->r, "LAST_AMT", &last_amt);
        if (rc == BATON_ENOENT && n > 2)
            last_amt = pay_amt;
        else if (need_amount(c, "LAST_AMT", "a payment plan's last payment", &last_amt) != 0)
            return;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(body, "instalments");
    if (body == NULL || list == NULL) {
        cJSON_Delete(body);
        c->oom = 1;
        return;
    }
    int64_t sum = 0;
    baton_date prev = first;
    for (uint64_t i = 0; i < n; i++) {
        baton_date due = i == 0 ? first : i == n - 1 ? last : plan_step(first, freq[0], (int64_t)i);
        int64_t amt = i == 0 ? first_amt : i == n - 1 ? last_amt : pay_amt;
        if (i > 0 && baton_date_cmp(due, prev) <= 0) {
            line_error(c, i == n - 1 ? "LAST_DATE" : "FREQUENCY",
                       "payment %llu of the plan falls due on or before the one before it",
                       (unsigned long long)(i + 1));
            cJSON_Delete(body);
            return;
        }
        prev = due;
        sum += amt;
        char due_text[11];
        date_text(due.year, due.month, due.day, due_text);
        cJSON *inst = cJSON_CreateObject();
        cJSON *m = money(c, i == 0 ? "FIRST_AMT" : i == n - 1 ? "LAST_AMT" : "PAY_AMT", amt);
        if (inst == NULL || m == NULL) {
            c->oom |= inst == NULL;
            cJSON_Delete(inst);
            cJSON_Delete(m);
            cJSON_Delete(body);
            return;
        }
        add_text(c, inst, "due", due_text);
        cJSON_AddItemToObject(inst, "amount", m);
        cJSON_AddItemToArray(list, inst);
    }
    int64_t bal;
    if (baton_ygc_amount(c->r, "PLAN_BAL", &bal) == 0 && bal != sum) {
        line_error(c, "PLAN_BAL",
                   "the payments add up to %lld.%02lld but PLAN_BAL says %lld.%02lld",
                   (long long)(sum / 100), (long long)(sum % 100), (long long)(bal / 100),
                   (long long)(bal % 100 < 0 ? -(bal % 100) : bal % 100));
        cJSON_Delete(body);
        return;
    }
    add_draft(c, "payment_plan_agreed", date, body, NULL);
}

/* --- the header: does the line belong to this placement? --- */

static void check_header(line_ctx *c)
{
    char fileno[16], forw_file[32], firm[16], forw[16];
    if (baton_ygc_text(c->r, "FILENO", fileno, sizeof fileno) < 0 ||
        baton_ygc_text(c->r, "FORW_FILE", forw_file, sizeof forw_file) < 0 ||
        baton_ygc_text(c->r, "FIRM_ID", firm, sizeof firm) < 0 ||
        baton_ygc_text(c->r, "FORW_ID", forw, sizeof forw) < 0)
        return;
    if (fileno[0] == '\0' && forw_file[0] == '\0')
        line_error(c, "FORW_FILE",
                   "the line names no placement: FILENO and FORW_FILE are both blank");
    if (fileno[0] != '\0' && strcmp(fileno, c->ids->file_number) != 0)
        line_error(c, "FILENO", "FILENO '%s' is another placement's (this one is '%s')", fileno,
                   c->ids->file_number);
    if (forw_file[0] != '\0' && strcmp(forw_file, c->ids->case_id) != 0)
        line_error(c, "FORW_FILE", "FORW_FILE '%s' is another account (this placement is '%s')",
                   forw_file, c->ids->case_id);
    if (firm[0] != '\0' && strcmp(firm, c->ids->firm_id) != 0)
        line_error(c, "FIRM_ID", "FIRM_ID '%s' is not the firm this placement went to ('%s')", firm,
                   c->ids->firm_id);
    if (forw[0] != '\0' && strcmp(forw, c->ids->agency_id) != 0)
        line_error(c, "FORW_ID", "FORW_ID '%s' is not the agency that placed it ('%s')", forw,
                   c->ids->agency_id);
}

static void map_line(line_ctx *c)
{
    const char *code = c->r->layout->code;
    if (!c->r->layout->from_receiver) {
        line_error(c, "RECORD_CODE",
                   "record %s (%s) is the sender's, not a firm's report; a firm reports with "
                   "records 30, 39, 41 and 43 (its notes are record 39)",
                   code, c->r->layout->title);
        return;
    }
    check_header(c);
    if (cJSON_GetArraySize(c->errors) > 0)
        return;
    if (strcmp(code, "39") == 0)
        map_note(c);
    else if (strcmp(code, "30") == 0)
        map_transaction(c);
    else if (strcmp(code, "41") == 0)
        map_suit(c);
    else if (strcmp(code, "43") == 0)
        map_plan(c);
    /* a line that named errors keeps none of its drafts */
    if (cJSON_GetArraySize(c->errors) > 0) {
        while (cJSON_GetArraySize(c->events) > 0)
            cJSON_DeleteItemFromArray(c->events, 0);
    }
}

static cJSON *line_entry(size_t line, const char *code)
{
    cJSON *e = cJSON_CreateObject();
    if (e == NULL || cJSON_AddNumberToObject(e, "line", (double)line) == NULL ||
        cJSON_AddStringToObject(e, "record", code) == NULL) {
        cJSON_Delete(e);
        return NULL;
    }
    return e;
}

int bh_ygc_events_from_file(const char *data, size_t len, const bh_ygc_placement_ids *ids,
                            bh_ygc_judgment judgment, cJSON **out, char *err, size_t errlen)
{
    *out = NULL;
    baton_ygc_file *f = NULL;
    int rc = baton_ygc_read(data, len, &f, err, errlen);
    if (rc != 0)
        return rc;
    cJSON *answer = cJSON_CreateObject();
    cJSON *lines = cJSON_AddArrayToObject(answer, "lines");
    if (answer == NULL || lines == NULL)
        goto oom;
    size_t ri = 0, pi = 0;
    int n_events = 0, n_problems = 0;
    for (size_t line = 1; line <= f->n_lines; line++) {
        cJSON *entry = NULL;
        if (ri < f->n_records && f->records[ri].line == line) {
            const baton_ygc_record *r = &f->records[ri++];
            entry = line_entry(line, r->layout->code);
            line_ctx c = {r, ids, judgment, NULL, NULL, 0};
            c.events = entry ? cJSON_AddArrayToObject(entry, "events") : NULL;
            c.errors = cJSON_CreateArray();
            if (entry == NULL || c.events == NULL || c.errors == NULL) {
                cJSON_Delete(entry);
                cJSON_Delete(c.errors);
                goto oom;
            }
            map_line(&c);
            if (c.oom) {
                cJSON_Delete(entry);
                cJSON_Delete(c.errors);
                goto oom;
            }
            if (cJSON_GetArraySize(c.errors) > 0) {
                cJSON_DeleteItemFromObject(entry, "events");
                cJSON_AddItemToObject(entry, "errors", c.errors);
                n_problems++;
            } else {
                cJSON_Delete(c.errors);
                n_events += cJSON_GetArraySize(c.events);
            }
        } else {
            /* a line the reader refused: all its problems, in order */
            char code[3] = "";
            entry = line_entry(line, code);
            cJSON *errors = entry ? cJSON_AddArrayToObject(entry, "errors") : NULL;
            if (errors == NULL) {
                cJSON_Delete(entry);
                goto oom;
            }
            for (; pi < f->n_problems && f->problems[pi].line == line; pi++) {
                cJSON *e = cJSON_CreateObject();
                if (e == NULL ||
                    cJSON_AddStringToObject(e, "field", f->problems[pi].field) == NULL ||
                    cJSON_AddStringToObject(e, "message", f->problems[pi].message) == NULL) {
                    cJSON_Delete(e);
                    cJSON_Delete(entry);
                    goto oom;
                }
                cJSON_AddItemToArray(errors, e);
            }
            if (cJSON_GetArraySize(errors) == 0) {
                /* beyond the listed problems: say so rather than nothing */
                cJSON *e = cJSON_CreateObject();
                if (e == NULL || cJSON_AddStringToObject(e, "field", "") == NULL ||
                    cJSON_AddStringToObject(
                        e, "message", "malformed (the list of problems was cut short)") == NULL) {
                    cJSON_Delete(e);
                    cJSON_Delete(entry);
                    goto oom;
                }
                cJSON_AddItemToArray(errors, e);
            }
            n_problems++;
        }
        cJSON_AddItemToArray(lines, entry);
    }
    if (cJSON_AddNumberToObject(answer, "events", n_events) == NULL ||
        cJSON_AddNumberToObject(answer, "problems", n_problems) == NULL)
        goto oom;
    baton_ygc_file_free(f);
    *out = answer;
    return 0;
oom:
    baton_ygc_file_free(f);
    cJSON_Delete(answer);
    snprintf(err, errlen, "out of memory");
    return BATON_ENOMEM;
}
