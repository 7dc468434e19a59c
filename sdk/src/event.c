/*
 * event.c - the case-event format (see baton/event.h): the vocabulary as
 * a table of kinds and their body members, the canonical line, reading a
 * body from a client's JSON object, and the strict decoder (it reads the
 * line, then encodes it again: only the canonical bytes are accepted).
 * Signing, verifying and chain links are event_sign.c's.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "baton/date.h"
#include "baton/error.h"
#include "baton/event.h"
#include "baton/sha256.h"
#include "event_internal.h"
#include "fail.h"
#include "utf8.h"
#include "visibility.h"

/* ---- the vocabulary ------------------------------------------------------- */

enum member_type {
    M_TEXT,        /* a char * member at off */
    M_MONEY,       /* a baton_event_money at off, above zero */
    M_MONEY0,      /* a baton_event_money at off, zero allowed */
    M_OPTION,      /* ev->option, one of options */
    M_BOOL,        /* ev->recoverable */
    M_INSTALMENTS, /* ev->instalments */
    M_COVERS,      /* ev->covers */
};

typedef struct member {
    const char *key;
    enum member_type type;
    int optional;
    size_t off;
    const char *const *options;
} member;

typedef struct kind_spec {
    const char *name;
    baton_event_role role;
    member members[4];
} kind_spec;

#define TEXT(k, field, opt)                                                                        \
    {                                                                                              \
        k, M_TEXT, opt, offsetof(baton_event, field), NULL                                         \
    }
#define MONEY(k, field)                                                                            \
    {                                                                                              \
        k, M_MONEY, 0, offsetof(baton_event, field), NULL                                          \
    }
#define MONEY0(k, field)                                                                           \
    {                                                                                              \
        k, M_MONEY0, 0, offsetof(baton_event, field), NULL                                         \
    }
#define OPTION(k, list)                                                                            \
    {                                                                                              \
        k, M_OPTION, 0, 0, list                                                                    \
    }

static const char *const channels[] = {"phone", "letter", "email", "visit", "other", NULL};
static const char *const paid_to[] = {"firm", "creditor", NULL};
static const char *const categories[] = {"court_fee", "lawyer_fee", "enforcement", "other", NULL};
static const char *const judgment_outcomes[] = {"default", "contested", NULL};
static const char *const closed_outcomes[] = {"paid",     "settled", "written_off",
                                              "returned", "other",   NULL};
static const char *const adjust_reasons[] = {"direct_payment", "credit_note", "other", NULL};

/* Indexed by baton_event_kind; the order of members is the line's. */
static const kind_spec kinds[BATON_EVENT_KIND_COUNT] = {
    [BATON_EVENT_ACKNOWLEDGED] = {"acknowledged", BATON_EVENT_FIRM, {{0}}},
    [BATON_EVENT_LETTER_SENT] = {"letter_sent", BATON_EVENT_FIRM, {TEXT("letter", letter, 1)}},
    [BATON_EVENT_CONTACT] = {"contact",
                             BATON_EVENT_FIRM,
                             {OPTION("channel", channels), TEXT("note", note, 1)}},
    [BATON_EVENT_DISPUTE_RAISED] = {"dispute_raised",
                                    BATON_EVENT_FIRM,
                                    {TEXT("reason", reason, 0)}},
    [BATON_EVENT_PAYMENT_PLAN_AGREED] = {"payment_plan_agreed",
                                         BATON_EVENT_FIRM,
                                         {{"instalments", M_INSTALMENTS, 0, 0, NULL}}},
    [BATON_EVENT_PAYMENT_RECEIVED] = {"payment_received",
                                      BATON_EVENT_FIRM,
                                      {MONEY("amount", amount), OPTION("paid_to", paid_to)}},
    [BATON_EVENT_COST_INCURRED] = {"cost_incurred",
                                   BATON_EVENT_FIRM,
                                   {MONEY("amount", amount),
                                    OPTION("category", categories),
                                    {"recoverable", M_BOOL, 0, 0, NULL}}},
    [BATON_EVENT_SUIT_FILED] = {"suit_filed",
                                BATON_EVENT_FIRM,
                                {TEXT("court", court, 0),
                                 TEXT("court_case_number", court_case_number, 0)}},
    [BATON_EVENT_JUDGMENT] = {"judgment",
                              BATON_EVENT_FIRM,
                              {MONEY("amount", amount), OPTION("outcome", judgment_outcomes)}},
    [BATON_EVENT_ENFORCEMENT_STARTED] = {"enforcement_started",
                                         BATON_EVENT_FIRM,
                                         {TEXT("method", method, 0)}},
    [BATON_EVENT_REMITTANCE] = {"remittance",
                                BATON_EVENT_FIRM,
                                {MONEY0("amount", amount),
                                 {"covers", M_COVERS, 0, 0, NULL},
                                 MONEY0("fees_deducted", fees_deducted)}},
    [BATON_EVENT_RETURNED] = {"returned", BATON_EVENT_FIRM, {TEXT("reason", reason, 0)}},
    [BATON_EVENT_CLOSED] = {"closed",
                            BATON_EVENT_FIRM,
                            {OPTION("outcome", closed_outcomes), TEXT("note", note, 1)}},
    [BATON_EVENT_RECALL] = {"recall", BATON_EVENT_AGENCY, {TEXT("reason", reason, 0)}},
    [BATON_EVENT_HOLD] = {"hold", BATON_EVENT_AGENCY, {TEXT("reason", reason, 0)}},
    [BATON_EVENT_RESUME] = {"resume", BATON_EVENT_AGENCY, {{0}}},
    [BATON_EVENT_INSTRUCTION] = {"instruction", BATON_EVENT_AGENCY, {TEXT("text", text, 0)}},
    [BATON_EVENT_BALANCE_ADJUSTED] = {"balance_adjusted",
                                      BATON_EVENT_AGENCY,
                                      {MONEY("amount", amount), OPTION("reason", adjust_reasons),
                                       TEXT("note", note, 1)}},
};

static const kind_spec *spec_of(baton_event_kind kind)
{
    if ((int)kind <= 0 || (int)kind >= BATON_EVENT_KIND_COUNT)
        return NULL;
    return &kinds[kind];
}

BATON_API const char *baton_event_kind_name(baton_event_kind kind)
{
    const kind_spec *k = spec_of(kind);
    return k != NULL ? k->name : NULL;
}

BATON_API baton_event_kind baton_event_kind_parse(const char *name)
{
    for (int i = 1; name != NULL && i < BATON_EVENT_KIND_COUNT; i++) {
        if (strcmp(kinds[i].name, name) == 0)
            return (baton_event_kind)i;
    }
    return BATON_EVENT_KIND_NONE;
}

BATON_API baton_event_role baton_event_kind_role(baton_event_kind kind)
{
    const kind_spec *k = spec_of(kind);
    return k != NULL ? k->role : BATON_EVENT_ROLE_NONE;
}

BATON_API const char *baton_event_role_name(baton_event_role role)
{
    return role == BATON_EVENT_FIRM ? "firm" : role == BATON_EVENT_AGENCY ? "agency" : NULL;
}

/* ---- owning the body ------------------------------------------------------- */

BATON_API void baton_event_init(baton_event *ev)
{
    memset(ev, 0, sizeof *ev);
}

static char **text_slot(baton_event *ev, size_t off)
{
    return (char **)(void *)((char *)ev + off);
}

static char *const *text_at(const baton_event *ev, size_t off)
{
    return (char *const *)(const void *)((const char *)ev + off);
}

static void clear_body(baton_event *ev)
{
    char **texts[] = {&ev->letter, &ev->note, &ev->reason, &ev->court, &ev->court_case_number,
                      &ev->method, &ev->text};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        free(*texts[i]);
        *texts[i] = NULL;
    }
    free(ev->instalments);
    ev->instalments = NULL;
    ev->n_instalments = 0;
    for (size_t i = 0; i < ev->n_covers; i++)
        free(ev->covers[i]);
    free(ev->covers);
    ev->covers = NULL;
    ev->n_covers = 0;
    memset(&ev->amount, 0, sizeof ev->amount);
    memset(&ev->fees_deducted, 0, sizeof ev->fees_deducted);
    memset(ev->option, 0, sizeof ev->option);
    ev->recoverable = 0;
}

BATON_API void baton_event_clear(baton_event *ev)
{
    clear_body(ev);
    baton_event_init(ev);
}

/* ---- value rules ------------------------------------------------------------- */

int baton__event_id_valid(const char *s)
{
    return s != NULL && strlen(s) <= BATON_EVENT_ID_MAX && baton_pkg_name_valid(s);
}

/* 1..2000 bytes of UTF-8 without C0, DEL or C1 controls. */
static const char *text_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return "empty (leave an optional text out instead)";
    if (n > BATON_EVENT_TEXT_MAX)
        return "longer than 2000 bytes";
    const unsigned char *p = (const unsigned char *)s;
    while (n > 0) {
        uint32_t cp;
        size_t k = baton__utf8_next(p, n, &cp);
        if (k == 0)
            return "not valid UTF-8";
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            return "contains a control character";
        p += k;
        n -= k;
    }
    return NULL;
}

/* Digits, an optional fraction of 1..4 digits, no sign or leading zeros;
 * *positive says whether it is above zero. */
static const char *amount_problem(const char *s, int *positive)
{
    size_t i = 0, int_digits = 0, frac = 0;
    *positive = 0;
    while (s[i] >= '0' && s[i] <= '9') {
        if (s[i] != '0')
            *positive = 1;
        i++;
        int_digits++;
    }
    if (int_digits == 0)
        return "expected a decimal string such as \"500.00\" (no sign)";
    if (int_digits > 1 && s[0] == '0')
        return "leading zeros";
    if (int_digits > 15)
        return "more than 15 digits before the decimal point";
    if (s[i] == '.') {
        i++;
        while (s[i] >= '0' && s[i] <= '9') {
            if (s[i] != '0')
                *positive = 1;
            i++;
            frac++;
        }
        if (frac == 0 || frac > 4)
            return "expected 1 to 4 digits after the decimal point";
    }
    if (s[i] != '\0')
        return "expected a decimal string such as \"500.00\" (no sign)";
    return NULL;
}

static int currency_valid(const char *c)
{
    return strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' &&
           c[2] >= 'A' && c[2] <= 'Z';
}

/* A real calendar day, 1900-01-01 to 2199-12-31, written YYYY-MM-DD. */
int baton__event_date_valid(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    baton_date d;
    d.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    d.month = (s[5] - '0') * 10 + (s[6] - '0');
    d.day = (s[8] - '0') * 10 + (s[9] - '0');
    return d.year >= 1900 && d.year <= 2199 && baton_date_valid(d);
}

static int money_check(const baton_event_money *m, int need_positive, const char *path, char *err,
                       size_t errlen)
{
    int positive;
    const char *why = amount_problem(m->amount, &positive);
    if (why != NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "%s.amount: %s", path, why);
    if (need_positive && !positive)
        return baton__fail(err, errlen, BATON_EINVAL, "%s.amount: must be above zero", path);
    if (!currency_valid(m->currency))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "%s.currency: expected an ISO 4217 code such as GBP", path);
    return 0;
}

static int option_index(const char *const *options, const char *v)
{
    for (int i = 0; options[i] != NULL; i++) {
        if (strcmp(options[i], v) == 0)
            return i;
    }
    return -1;
}

/* Every rule of the body of ev's kind; members the kind does not use must
 * be empty. */
static int body_check(const baton_event *ev, char *err, size_t errlen)
{
    const kind_spec *k = spec_of(ev->kind);
    char path[64];
    int uses_amount = 0, uses_fees = 0, uses_option = 0, uses_inst = 0, uses_covers = 0;
    int uses_text[7] = {0};
    const size_t text_offs[7] = {offsetof(baton_event, letter),
                                 offsetof(baton_event, note),
                                 offsetof(baton_event, reason),
                                 offsetof(baton_event, court),
                                 offsetof(baton_event, court_case_number),
                                 offsetof(baton_event, method),
                                 offsetof(baton_event, text)};
    if (k == NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "kind: not in the vocabulary");
    for (const member *m = k->members; m < k->members + 4 && m->key != NULL; m++) {
        snprintf(path, sizeof path, "body.%s", m->key);
        switch (m->type) {
        case M_TEXT: {
            const char *t = *text_at(ev, m->off);
            for (int i = 0; i < 7; i++)
                uses_text[i] |= text_offs[i] == m->off;
            if (t == NULL) {
                if (!m->optional)
                    return baton__fail(err, errlen, BATON_EINVAL, "%s: missing", path);
                break;
            }
            const char *why = text_problem(t);
            if (why != NULL)
                return baton__fail(err, errlen, BATON_EINVAL, "%s: %s", path, why);
            break;
        }
        case M_MONEY:
        case M_MONEY0: {
            const baton_event_money *mo =
                (const baton_event_money *)(const void *)((const char *)ev + m->off);
            if (m->off == offsetof(baton_event, amount))
                uses_amount = 1;
            else
                uses_fees = 1;
            int rc = money_check(mo, m->type == M_MONEY, path, err, errlen);
            if (rc != 0)
                return rc;
            break;
        }
        case M_OPTION:
            uses_option = 1;
            if (option_index(m->options, ev->option) < 0)
                return baton__fail(err, errlen, BATON_EINVAL, "%s: '%s' is not one of the values",
                                   path, ev->option);
            break;
        case M_BOOL:
            if (ev->recoverable != 0 && ev->recoverable != 1)
                return baton__fail(err, errlen, BATON_EINVAL, "%s: expected true or false", path);
            break;
        case M_INSTALMENTS:
            uses_inst = 1;
            if (ev->n_instalments < 1 || ev->n_instalments > BATON_EVENT_INSTALMENTS)
                return baton__fail(err, errlen, BATON_EINVAL, "%s: expected 1 to %d instalments",
                                   path, BATON_EVENT_INSTALMENTS);
            for (size_t i = 0; i < ev->n_instalments; i++) {
                const baton_event_instalment *in = &ev->instalments[i];
                snprintf(path, sizeof path, "body.instalments[%zu]", i);
                if (!baton__event_date_valid(in->due))
                    return baton__fail(err, errlen, BATON_EINVAL,
                                       "%s.due: expected a date YYYY-MM-DD (1900..2199)", path);
                if (i > 0 && strcmp(in->due, ev->instalments[i - 1].due) <= 0)
                    return baton__fail(err, errlen, BATON_EINVAL,
                                       "%s.due: dates must be strictly increasing", path);
                char mp[80];
                snprintf(mp, sizeof mp, "%s.amount", path);
                int rc = money_check(&in->amount, 1, mp, err, errlen);
                if (rc != 0)
                    return rc;
            }
            break;
        case M_COVERS:
            uses_covers = 1;
            if (ev->n_covers > BATON_EVENT_COVERS_MAX)
                return baton__fail(err, errlen, BATON_EINVAL, "%s: more than %d event ids", path,
                                   BATON_EVENT_COVERS_MAX);
            for (size_t i = 0; i < ev->n_covers; i++) {
                if (!baton__event_id_valid(ev->covers[i]))
                    return baton__fail(err, errlen, BATON_EINVAL,
                                       "%s[%zu]: expected an event id (1..64 name characters)",
                                       path, i);
                for (size_t j = 0; j < i; j++) {
                    if (strcmp(ev->covers[i], ev->covers[j]) == 0)
                        return baton__fail(err, errlen, BATON_EINVAL,
                                           "%s[%zu]: '%s' is listed twice", path, i, ev->covers[i]);
                }
            }
            break;
        }
    }
    int stray = (!uses_amount && ev->amount.amount[0] != '\0') ||
                (!uses_fees && ev->fees_deducted.amount[0] != '\0') ||
                (!uses_option && ev->option[0] != '\0') || (!uses_inst && ev->n_instalments != 0) ||
                (!uses_covers && ev->n_covers != 0);
    for (int i = 0; i < 7; i++)
        stray |= !uses_text[i] && *text_at(ev, text_offs[i]) != NULL;
    if (stray)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "body: holds a member that %s events do not have", k->name);
    if (uses_fees && strcmp(ev->amount.currency, ev->fees_deducted.currency) != 0)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "body.fees_deducted.currency: differs from body.amount.currency");
    return 0;
}

/* ---- writing ------------------------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
    int failed;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A JSON string: '"' and '\' escaped, everything else as it is (the
 * rules above keep control characters out). */
static void put_str(buf *b, const char *s)
{
    put(b, "\"", 1);
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            put(b, "\\", 1);
        put(b, p, 1);
    }
    put(b, "\"", 1);
}

static void put_key(buf *b, const char *key, int *first)
{
    if (!*first)
        put(b, ",", 1);
    *first = 0;
    put_str(b, key);
    put(b, ":", 1);
}

static void put_money(buf *b, const baton_event_money *m)
{
    puts_(b, "{\"amount\":");
    put_str(b, m->amount);
    puts_(b, ",\"currency\":");
    put_str(b, m->currency);
    puts_(b, "}");
}

static void put_body(buf *b, const baton_event *ev)
{
    const kind_spec *k = spec_of(ev->kind);
    int first = 1;
    put(b, "{", 1);
    for (const member *m = k->members; m < k->members + 4 && m->key != NULL; m++) {
        switch (m->type) {
        case M_TEXT: {
            const char *t = *text_at(ev, m->off);
            if (t != NULL) {
                put_key(b, m->key, &first);
                put_str(b, t);
            }
            break;
        }
        case M_MONEY:
        case M_MONEY0:
            put_key(b, m->key, &first);
            put_money(b, (const baton_event_money *)(const void *)((const char *)ev + m->off));
            break;
        case M_OPTION:
            put_key(b, m->key, &first);
            put_str(b, ev->option);
            break;
        case M_BOOL:
            put_key(b, m->key, &first);
            puts_(b, ev->recoverable ? "true" : "false");
            break;
        case M_INSTALMENTS:
            put_key(b, m->key, &first);
            put(b, "[", 1);
            for (size_t i = 0; i < ev->n_instalments; i++) {
                puts_(b, i > 0 ? ",{\"due\":" : "{\"due\":");
                put_str(b, ev->instalments[i].due);
                puts_(b, ",\"amount\":");
                put_money(b, &ev->instalments[i].amount);
                put(b, "}", 1);
            }
            put(b, "]", 1);
            break;
        case M_COVERS:
            put_key(b, m->key, &first);
            put(b, "[", 1);
            for (size_t i = 0; i < ev->n_covers; i++) {
                if (i > 0)
                    put(b, ",", 1);
                put_str(b, ev->covers[i]);
            }
            put(b, "]", 1);
            break;
        }
    }
    put(b, "}", 1);
}

BATON_API int baton_event_encode(const baton_event *ev, char **out, size_t *outlen, char *err,
                                 size_t errlen)
{
    char hex[65], t[21], num[24];
    *out = NULL;
    *outlen = 0;
    if (!baton__event_id_valid(ev->event_id))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "event_id: expected 1..64 characters of [A-Za-z0-9._:/@+-], starting "
                           "with a letter or digit");
    if (!baton_pkg_name_valid(ev->handoff_id))
        return baton__fail(err, errlen, BATON_EINVAL, "handoff_id: not a valid id");
    if (!baton_pkg_name_valid(ev->case_id))
        return baton__fail(err, errlen, BATON_EINVAL, "case_id: not a valid id");
    if (!baton_pkg_name_valid(ev->sender))
        return baton__fail(err, errlen, BATON_EINVAL, "sender: not a valid name");
    if (baton_event_role_name(ev->role) == NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "role: expected firm or agency");
    if (ev->seq < 1 || ev->seq > BATON_EVENT_SEQ_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "seq: expected 1..10^15");
    if (!baton__event_date_valid(ev->date))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "date: expected a real date YYYY-MM-DD (1900..2199)");
    if (baton_pkg_time_format(ev->recorded, t) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "recorded: time out of range");
    const kind_spec *k = spec_of(ev->kind);
    if (k == NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "kind: not in the vocabulary");
    if (k->role != ev->role)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "kind: %s events are sent by the %s, not the %s", k->name,
                           baton_event_role_name(k->role), baton_event_role_name(ev->role));
    int rc = body_check(ev, err, errlen);
    if (rc != 0)
        return rc;
    buf b = {0};
    puts_(&b, "{\"type\":\"" BATON_EVENT_TAG "\",\"event_id\":");
    put_str(&b, ev->event_id);
    puts_(&b, ",\"handoff_id\":");
    put_str(&b, ev->handoff_id);
    puts_(&b, ",\"case_id\":");
    put_str(&b, ev->case_id);
    puts_(&b, ",\"sender\":");
    put_str(&b, ev->sender);
    puts_(&b, ",\"role\":");
    put_str(&b, baton_event_role_name(ev->role));
    snprintf(num, sizeof num, "%" PRIu64, ev->seq);
    puts_(&b, ",\"seq\":");
    puts_(&b, num);
    baton_sha256_hex(ev->prev_sha256, hex);
    puts_(&b, ",\"prev_sha256\":");
    put_str(&b, hex);
    baton_sha256_hex(ev->tagmanifest_sha256, hex);
    puts_(&b, ",\"tagmanifest_sha256\":");
    put_str(&b, hex);
    puts_(&b, ",\"date\":");
    put_str(&b, ev->date);
    puts_(&b, ",\"recorded\":");
    put_str(&b, t);
    puts_(&b, ",\"kind\":");
    put_str(&b, k->name);
    puts_(&b, ",\"body\":");
    put_body(&b, ev);
    puts_(&b, "}\n");
    if (b.failed) {
        free(b.p);
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    }
    if (b.len > BATON_EVENT_LINE_MAX) {
        free(b.p);
        return baton__fail(err, errlen, BATON_ELIMIT, "the event is longer than %d bytes",
                           BATON_EVENT_LINE_MAX);
    }
    *out = b.p;
    *outlen = b.len;
    return 0;
}

/* ---- reading ---------------------------------------------------------------------- */

static int copy_str(const cJSON *v, char *dst, size_t cap, const char *path, char *err,
                    size_t errlen)
{
    if (!cJSON_IsString(v))
        return baton__fail(err, errlen, BATON_EINVAL, "%s: %s", path,
                           v == NULL ? "missing" : "expected a string");
    if (strlen(v->valuestring) >= cap)
        return baton__fail(err, errlen, BATON_EINVAL, "%s: longer than %zu characters", path,
                           cap - 1);
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

/* An object holding exactly the keys in keys (n of them), each once; the
 * optional ones (optional[i] non-zero) may be absent. */
static int exact_keys(const cJSON *o, const char *const *keys, const int *optional, size_t n,
                      const char *path, char *err, size_t errlen)
{
    if (!cJSON_IsObject(o))
        return baton__fail(err, errlen, BATON_EINVAL, "%s: expected an object", path);
    size_t seen[16] = {0};
    const cJSON *c;
    cJSON_ArrayForEach(c, o)
    {
        size_t i = 0;
        while (i < n && strcmp(keys[i], c->string) != 0)
            i++;
        if (i == n)
            return baton__fail(err, errlen, BATON_EINVAL, "%s.%s: not a member of this object",
                               path, c->string);
        if (seen[i]++)
            return baton__fail(err, errlen, BATON_EINVAL, "%s.%s: given twice", path, keys[i]);
    }
    for (size_t i = 0; i < n; i++) {
        if (!seen[i] && (optional == NULL || !optional[i]))
            return baton__fail(err, errlen, BATON_EINVAL, "%s.%s: missing", path, keys[i]);
    }
    return 0;
}

static int read_money(const cJSON *v, baton_event_money *m, const char *path, char *err,
                      size_t errlen)
{
    static const char *const keys[] = {"amount", "currency"};
    char p[96];
    int rc = exact_keys(v, keys, NULL, 2, path, err, errlen);
    if (rc != 0)
        return rc;
    snprintf(p, sizeof p, "%s.amount", path);
    rc = copy_str(cJSON_GetObjectItemCaseSensitive(v, "amount"), m->amount, sizeof m->amount, p,
                  err, errlen);
    snprintf(p, sizeof p, "%s.currency", path);
    if (rc == 0)
        rc = copy_str(cJSON_GetObjectItemCaseSensitive(v, "currency"), m->currency,
                      sizeof m->currency, p, err, errlen);
    return rc;
}

static int read_instalments(baton_event *ev, const cJSON *v, char *err, size_t errlen)
{
    static const char *const keys[] = {"due", "amount"};
    char path[64];
    if (!cJSON_IsArray(v))
        return baton__fail(err, errlen, BATON_EINVAL, "body.instalments: expected an array");
    int n = cJSON_GetArraySize(v);
    if (n < 1 || n > BATON_EVENT_INSTALMENTS)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "body.instalments: expected 1 to %d instalments",
                           BATON_EVENT_INSTALMENTS);
    if ((ev->instalments = calloc((size_t)n, sizeof *ev->instalments)) == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        baton_event_instalment *in = &ev->instalments[ev->n_instalments];
        snprintf(path, sizeof path, "body.instalments[%zu]", ev->n_instalments);
        ev->n_instalments++;
        int rc = exact_keys(it, keys, NULL, 2, path, err, errlen);
        char p[80];
        snprintf(p, sizeof p, "%s.due", path);
        if (rc == 0)
            rc = copy_str(cJSON_GetObjectItemCaseSensitive(it, "due"), in->due, sizeof in->due, p,
                          err, errlen);
        snprintf(p, sizeof p, "%s.amount", path);
        if (rc == 0)
            rc = read_money(cJSON_GetObjectItemCaseSensitive(it, "amount"), &in->amount, p, err,
                            errlen);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int read_covers(baton_event *ev, const cJSON *v, char *err, size_t errlen)
{
    if (!cJSON_IsArray(v))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "body.covers: expected an array of event ids");
    int n = cJSON_GetArraySize(v);
    if (n > BATON_EVENT_COVERS_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "body.covers: more than %d event ids",
                           BATON_EVENT_COVERS_MAX);
    if (n > 0 && (ev->covers = calloc((size_t)n, sizeof *ev->covers)) == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        if (!cJSON_IsString(it) || strlen(it->valuestring) > BATON_EVENT_ID_MAX)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "body.covers[%zu]: expected an event id (1..64 name characters)",
                               ev->n_covers);
        if ((ev->covers[ev->n_covers] = strdup(it->valuestring)) == NULL)
            return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        ev->n_covers++;
    }
    return 0;
}

/* Reads body into ev (kind already set), then checks it. */
static int read_body(baton_event *ev, const cJSON *body, char *err, size_t errlen)
{
    const kind_spec *k = spec_of(ev->kind);
    const char *keys[4] = {NULL, NULL, NULL, NULL};
    int optional[4] = {0, 0, 0, 0};
    size_t n = 0;
    char path[64];
    for (const member *m = k->members; m < k->members + 4 && m->key != NULL; m++) {
        keys[n] = m->key;
        optional[n++] = m->optional;
    }
    int rc = exact_keys(body, keys, optional, n, "body", err, errlen);
    for (const member *m = k->members; rc == 0 && m < k->members + 4 && m->key != NULL; m++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, m->key);
        snprintf(path, sizeof path, "body.%s", m->key);
        switch (m->type) {
        case M_TEXT:
            if (v == NULL)
                break;
            if (!cJSON_IsString(v))
                return baton__fail(err, errlen, BATON_EINVAL, "%s: expected a string", path);
            if ((*text_slot(ev, m->off) = strdup(v->valuestring)) == NULL)
                return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
            break;
        case M_MONEY:
        case M_MONEY0:
            rc = read_money(v, (baton_event_money *)(void *)((char *)ev + m->off), path, err,
                            errlen);
            break;
        case M_OPTION:
            if (!cJSON_IsString(v) || option_index(m->options, v->valuestring) < 0)
                return baton__fail(err, errlen, BATON_EINVAL, "%s: expected one of %s%s%s%s%s",
                                   path, m->options[0], m->options[1] ? ", " : "",
                                   m->options[1] ? m->options[1] : "", m->options[2] ? ", " : "",
                                   m->options[2] ? "..." : "");
            snprintf(ev->option, sizeof ev->option, "%s", v->valuestring);
            break;
        case M_BOOL:
            if (!cJSON_IsBool(v))
                return baton__fail(err, errlen, BATON_EINVAL, "%s: expected true or false", path);
            ev->recoverable = cJSON_IsTrue(v) ? 1 : 0;
            break;
        case M_INSTALMENTS:
            rc = read_instalments(ev, v, err, errlen);
            break;
        case M_COVERS:
            rc = read_covers(ev, v, err, errlen);
            break;
        }
    }
    return rc != 0 ? rc : body_check(ev, err, errlen);
}

BATON_API int baton_event_set_body(baton_event *ev, const char *kind, const char *body_json,
                                   size_t len, char *err, size_t errlen)
{
    clear_body(ev);
    ev->kind = baton_event_kind_parse(kind);
    if (ev->kind == BATON_EVENT_KIND_NONE)
        return baton__fail(err, errlen, BATON_EINVAL, "kind: '%s' is not in the vocabulary",
                           kind != NULL ? kind : "");
    if (len > BATON_EVENT_LINE_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "body: longer than %d bytes",
                           BATON_EVENT_LINE_MAX);
    cJSON *body = cJSON_ParseWithLength(body_json, len);
    if (body == NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "body: not a JSON object");
    int rc = read_body(ev, body, err, errlen);
    cJSON_Delete(body);
    if (rc != 0)
        clear_body(ev);
    return rc;
}

static int hex32(const cJSON *v, uint8_t out[32], const char *path, char *err, size_t errlen)
{
    const char *s = cJSON_IsString(v) ? v->valuestring : "";
    if (strlen(s) != 64)
        return baton__fail(err, errlen, BATON_EINVAL, "%s: expected 64 lower-case hex digits",
                           path);
    for (int i = 0; i < 64; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return baton__fail(err, errlen, BATON_EINVAL, "%s: expected 64 lower-case hex digits",
                               path);
        if (i % 2 == 0)
            out[i / 2] = (uint8_t)(d << 4);
        else
            out[i / 2] |= (uint8_t)d;
    }
    return 0;
}

static int read_line(baton_event *ev, const cJSON *o, char *err, size_t errlen)
{
    static const char *const keys[] = {
        "type",        "event_id",           "handoff_id", "case_id",  "sender", "role", "seq",
        "prev_sha256", "tagmanifest_sha256", "date",       "recorded", "kind",   "body"};
    char tmp[BATON_PKG_NAME_MAX + 1];
    int rc = exact_keys(o, keys, NULL, 13, "event", err, errlen);
    if (rc != 0)
        return rc;
#define GET(k) cJSON_GetObjectItemCaseSensitive(o, k)
    if ((rc = copy_str(GET("type"), tmp, sizeof tmp, "type", err, errlen)) != 0)
        return rc;
    if (strcmp(tmp, BATON_EVENT_TAG) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "type: expected \"" BATON_EVENT_TAG "\"");
    if ((rc = copy_str(GET("event_id"), ev->event_id, sizeof ev->event_id, "event_id", err,
                       errlen)) != 0 ||
        (rc = copy_str(GET("handoff_id"), ev->handoff_id, sizeof ev->handoff_id, "handoff_id", err,
                       errlen)) != 0 ||
        (rc = copy_str(GET("case_id"), ev->case_id, sizeof ev->case_id, "case_id", err, errlen)) !=
            0 ||
        (rc = copy_str(GET("sender"), ev->sender, sizeof ev->sender, "sender", err, errlen)) != 0 ||
        (rc = copy_str(GET("role"), tmp, sizeof tmp, "role", err, errlen)) != 0)
        return rc;
    ev->role = strcmp(tmp, "firm") == 0     ? BATON_EVENT_FIRM
               : strcmp(tmp, "agency") == 0 ? BATON_EVENT_AGENCY
                                            : BATON_EVENT_ROLE_NONE;
    if (ev->role == BATON_EVENT_ROLE_NONE)
        return baton__fail(err, errlen, BATON_EINVAL, "role: expected firm or agency");
    const cJSON *seq = GET("seq");
    if (!cJSON_IsNumber(seq) || seq->valuedouble < 1 ||
        seq->valuedouble > (double)BATON_EVENT_SEQ_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "seq: expected a whole number 1..10^15");
    ev->seq = (uint64_t)seq->valuedouble;
    if ((rc = hex32(GET("prev_sha256"), ev->prev_sha256, "prev_sha256", err, errlen)) != 0 ||
        (rc = hex32(GET("tagmanifest_sha256"), ev->tagmanifest_sha256, "tagmanifest_sha256", err,
                    errlen)) != 0 ||
        (rc = copy_str(GET("date"), ev->date, sizeof ev->date, "date", err, errlen)) != 0)
        return rc;
    const cJSON *rec = GET("recorded");
    if (!cJSON_IsString(rec) ||
        baton_pkg_time_parse(rec->valuestring, strlen(rec->valuestring), &ev->recorded) != 0)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "recorded: expected a UTC time YYYY-MM-DDTHH:MM:SSZ");
    if ((rc = copy_str(GET("kind"), tmp, sizeof tmp, "kind", err, errlen)) != 0)
        return rc;
    ev->kind = baton_event_kind_parse(tmp);
    if (ev->kind == BATON_EVENT_KIND_NONE)
        return baton__fail(err, errlen, BATON_EINVAL, "kind: '%s' is not in the vocabulary", tmp);
    return read_body(ev, GET("body"), err, errlen);
#undef GET
}

BATON_API int baton_event_decode(const char *text, size_t len, baton_event *ev, char *err,
                                 size_t errlen)
{
    baton_event_clear(ev);
    if (len > BATON_EVENT_LINE_MAX)
        return baton__fail(err, errlen, BATON_ELIMIT, "the event is longer than %d bytes",
                           BATON_EVENT_LINE_MAX);
    if (len == 0 || text[len - 1] != '\n' || memchr(text, '\n', len) != text + len - 1)
        return baton__fail(err, errlen, BATON_EINVAL, "an event is one line ending in LF");
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (o == NULL) {
        baton__fail(err, errlen, BATON_EINVAL, "the event is not JSON");
        return BATON_EINVAL;
    }
    int rc = read_line(ev, o, err, errlen);
    cJSON_Delete(o);
    char *again = NULL;
    size_t alen = 0;
    if (rc == 0)
        rc = baton_event_encode(ev, &again, &alen, err, errlen);
    if (rc == 0 && (alen != len || memcmp(again, text, len) != 0))
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "the event is not in canonical form (key order, spacing, escaping or "
                         "number form)");
    free(again);
    if (rc != 0)
        baton_event_clear(ev);
    return rc;
}
