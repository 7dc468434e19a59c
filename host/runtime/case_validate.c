/* case_validate.c - a cJSON tree checked against the case rules (case_rules.h), the
 * first breach named by its path (case_validate.h). */
#include "case_validate.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "case_rules.h"
#include "case_view.h"
#include "evaluate.h"
#include "json_input.h"
#include "money_text.h"

/* ---- the walk ------------------------------------------------------------ */

/* The members being checked, outermost first; the path text is written
 * only when something is refused. */
struct step {
    const char *name; /* NULL: an array element */
    int index;
};

struct walk {
    struct step steps[16]; /* the tables nest 6 deep at most */
    size_t depth;
    const char *claim_currency; /* claim.principal.currency, when a string */
    char why[200];
};

static const char *type_name(const cJSON *j)
{
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsArray(j))
        return "an array";
    return "an object";
}

/* What a member of kind k must be, for messages. */
static void expected(const struct bh_case_member *m, char *buf, size_t len)
{
    static const char *const text[] = {
        [BH_CK_STRING] = "a string",
        [BH_CK_TEXT] = "a non-empty string",
        [BH_CK_DATE] = "a date written YYYY-MM-DD from " BH_CASE_DATE_MIN " to " BH_CASE_DATE_MAX,
        [BH_CK_DATE_NULL] =
            "a date written YYYY-MM-DD from " BH_CASE_DATE_MIN " to " BH_CASE_DATE_MAX ", or null",
        [BH_CK_MONEY] = "money written {\"amount\": \"1250.00\", \"currency\": \"GBP\"}",
        [BH_CK_PRINCIPAL] = "money written {\"amount\": \"1250.00\", \"currency\": \"GBP\"}",
        [BH_CK_CLAIM_CCY] = "money written {\"amount\": \"1250.00\", \"currency\": \"GBP\"} in the "
                            "currency of claim.principal",
        [BH_CK_BOOL] = "true or false",
        [BH_CK_COUNT] = "an integer >= 0 written with digits only",
        [BH_CK_RATE_NULL] = "basis points, an integer from 0 to 100000, or null",
        [BH_CK_OBJECT] = "an object",
        [BH_CK_ARRAY] = "an array",
        [BH_CK_CASE_ID] = "1..128 characters of A-Z a-z 0-9 . _ : / -, starting with a letter or "
                          "digit",
        [BH_CK_CODE] = "a jurisdiction code such as \"gb-ew\" (1..40 characters of a-z 0-9 -)",
        [BH_CK_COUNTRY] = "an ISO 3166-1 alpha-2 country code such as \"GB\"",
        [BH_CK_FORMAT] = "\"baton-case/1\"",
    };
    if (m->kind != BH_CK_ENUM) {
        snprintf(buf, len, "%s", text[m->kind]);
        return;
    }
    size_t n = (size_t)snprintf(buf, len, "one of");
    for (const struct bh_case_word *v = m->arg; v->text != NULL && n < len; v++)
        n += (size_t)snprintf(buf + n, len - n, "%s \"%s\"", v == m->arg ? "" : ",", v->text);
}

static int fail(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct walk *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, sizeof w->why, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_expected(struct walk *w, const struct bh_case_member *m, const cJSON *j)
{
    char want[160];
    expected(m, want, sizeof want);
    return fail(w, "expected %s, got %s", want, type_name(j));
}

/* Enters member name (or element index). Returns the depth to go back to. */
static size_t push(struct walk *w, const char *name, int index)
{
    size_t at = w->depth;
    if (at < sizeof w->steps / sizeof w->steps[0]) {
        w->steps[at].name = name;
        w->steps[at].index = index;
    }
    w->depth++;
    return at;
}

static void pop(struct walk *w, size_t at)
{
    w->depth = at;
}

/* "claim.charges[0].amount" */
static void path_text(const struct walk *w, char *buf, size_t len)
{
    size_t n = 0, max = sizeof w->steps / sizeof w->steps[0];
    buf[0] = '\0';
    for (size_t i = 0; i < w->depth && i < max && n < len; i++) {
        const struct step *s = &w->steps[i];
        int k = s->name != NULL ? snprintf(buf + n, len - n, "%s%s", i ? "." : "", s->name)
                                : snprintf(buf + n, len - n, "[%d]", s->index);
        if (k < 0)
            break;
        n += (size_t)k;
    }
}

static int check_date(struct walk *w, const struct bh_case_member *m, const cJSON *j)
{
    baton_date d;
    if (!cJSON_IsString(j) || bh_date_parse(j->valuestring, &d) != 0)
        return fail_expected(w, m, j);
    if (!bh_case_date_in_range(j->valuestring))
        return fail(w,
                    "%s is outside the dates a case may carry (" BH_CASE_DATE_MIN
                    " to " BH_CASE_DATE_MAX ")",
                    j->valuestring);
    return 0;
}

/* Money: exactly amount and currency; amount a plain decimal string. */
static int check_money(struct walk *w, const struct bh_case_member *m, const cJSON *j)
{
    const cJSON *amount = NULL, *currency = NULL, *c;
    char why[160];
    baton_money v;

    if (!cJSON_IsObject(j))
        return fail_expected(w, m, j);
    cJSON_ArrayForEach(c, j)
    {
        if (strcmp(c->string, "amount") == 0 && amount == NULL)
            amount = c;
        else if (strcmp(c->string, "currency") == 0 && currency == NULL)
            currency = c;
        else
            return fail(w, "unexpected member \"%.40s\" (money has only amount and currency)",
                        c->string);
    }
    size_t at = push(w, "currency", 0);
    if (!cJSON_IsString(currency) || !bh_case_currency_spelled(currency->valuestring))
        return fail(w, "%s an ISO 4217 code such as \"GBP\"",
                    currency == NULL ? "required:" : "expected");
    if (bh_currency_exponent(currency->valuestring) < 0)
        return fail(w, "unknown currency \"%s\" (expected an ISO 4217 code such as \"GBP\")",
                    currency->valuestring);
    if (m->kind == BH_CK_CLAIM_CCY && w->claim_currency != NULL &&
        strcmp(currency->valuestring, w->claim_currency) != 0)
        return fail(w, "%s, but the claim (claim.principal) is in %s", currency->valuestring,
                    w->claim_currency);
    pop(w, at);
    at = push(w, "amount", 0);
    if (!cJSON_IsString(amount))
        return fail(w,
                    "%s a decimal string such as \"1250.00\" (numbers are refused so no "
                    "amount passes through floating point)",
                    amount == NULL ? "required:" : "expected");
    const char *a = amount->valuestring;
    if (!bh_case_amount_spelled(a))
        return fail(w,
                    "expected digits with an optional fraction such as \"1250.00\" (no sign, "
                    "no leading zeros), got \"%.40s\"",
                    a);
    if (bh_money_parse(a, currency->valuestring, &v, why, sizeof why) != 0)
        return fail(w, "%s", why);
    if (v.minor > BH_MAX_AMOUNT_MINOR)
        return fail(w, "above the largest amount Baton takes (%lld minor units)",
                    (long long)BH_MAX_AMOUNT_MINOR);
    if (m->kind == BH_CK_PRINCIPAL && v.minor == 0)
        return fail(w, "must be greater than zero");
    pop(w, at);
    return 0;
}

static int check_object(struct walk *w, const struct bh_case_shape *s, const cJSON *obj);

static int check_value(struct walk *w, const struct bh_case_member *m, const cJSON *j)
{
    const char *s = cJSON_IsString(j) ? j->valuestring : NULL;
    switch ((enum bh_case_kind)m->kind) {
    case BH_CK_STRING:
    case BH_CK_TEXT:
    case BH_CK_ENUM:
    case BH_CK_CASE_ID:
    case BH_CK_CODE:
    case BH_CK_COUNTRY:
    case BH_CK_FORMAT:
        return bh_case_string_ok(m, s) ? 0 : fail_expected(w, m, j);
    case BH_CK_DATE_NULL:
        if (cJSON_IsNull(j))
            return 0;
        /* fall through */
    case BH_CK_DATE:
        return check_date(w, m, j);
    case BH_CK_MONEY:
    case BH_CK_PRINCIPAL:
    case BH_CK_CLAIM_CCY:
        return check_money(w, m, j);
    case BH_CK_BOOL:
        return cJSON_IsBool(j) ? 0 : fail_expected(w, m, j);
    case BH_CK_COUNT:
    case BH_CK_RATE_NULL: {
        if (m->kind == BH_CK_RATE_NULL && cJSON_IsNull(j))
            return 0;
        double hi = m->kind == BH_CK_COUNT ? 1e15 : 100000;
        if (!cJSON_IsNumber(j) || !bh_json_integer_text(j) || j->valuedouble < 0 ||
            j->valuedouble > hi || j->valuedouble != (double)(int64_t)j->valuedouble)
            return fail_expected(w, m, j);
        return 0;
    }
    case BH_CK_OBJECT:
        return cJSON_IsObject(j) ? check_object(w, m->arg, j) : fail_expected(w, m, j);
    case BH_CK_ARRAY: {
        const struct bh_case_member *elem = m->arg;
        const cJSON *e;
        int i = 0, n;
        if (!cJSON_IsArray(j))
            return fail_expected(w, m, j);
        n = cJSON_GetArraySize(j);
        if (n < m->min || (m->max != 0 && n > m->max)) {
            return fail(w, "expected %u to %u entries, got %d", m->min, m->max, n);
        }
        cJSON_ArrayForEach(e, j)
        {
            size_t at = push(w, NULL, i++);
            if (check_value(w, elem, e) != 0)
                return -1;
            pop(w, at);
        }
        return 0;
    }
    }
    return fail_expected(w, m, j);
}

/*
 * One pass over the object's members, each looked up in the table (the
 * tables are short; most lookups end at the first character), then the
 * required members not seen. A known member given twice is refused: the
 * host and plugins read the first, other JSON readers may read the last.
 */
static int check_object(struct walk *w, const struct bh_case_shape *s, const cJSON *obj)
{
    uint32_t seen = 0;
    const cJSON *j;
    cJSON_ArrayForEach(j, obj)
    {
        const char *name = j->string;
        for (size_t i = 0; i < s->count; i++) {
            const struct bh_case_member *m = &s->members[i];
            if (m->name[0] != name[0] || strcmp(m->name, name) != 0)
                continue;
            size_t at = push(w, m->name, 0);
            if (seen & (UINT32_C(1) << i))
                return fail(w, "given twice; a member may appear once");
            seen |= UINT32_C(1) << i;
            if (check_value(w, m, j) != 0)
                return -1;
            pop(w, at);
            break;
        }
    }
    for (size_t i = 0; i < s->count; i++) {
        const struct bh_case_member *m = &s->members[i];
        if (m->required && !(seen & (UINT32_C(1) << i))) {
            char want[160];
            push(w, m->name, 0);
            expected(m, want, sizeof want);
            return fail(w, "required: %s", want);
        }
    }
    return 0;
}

int bh_case_validate(const cJSON *case_json, bh_eval_error *e)
{
    struct walk w;
    char path[256];
    w.depth = 0;
    w.claim_currency = NULL;
    if (!cJSON_IsObject(case_json))
        return bh_eval_fail(e, 400, "invalid_case", BATON_EINVAL, "the case must be a JSON object");
    /* Charges are compared with the claim currency wherever they stand in
     * the text; the principal's own check still runs in its turn. */
    const cJSON *claim_json = cJSON_GetObjectItemCaseSensitive(case_json, "claim");
    const cJSON *ccy = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(claim_json, "principal"), "currency");
    if (cJSON_IsString(ccy))
        w.claim_currency = ccy->valuestring;
    if (check_object(&w, &bh_case_shape_root, case_json) != 0) {
        path_text(&w, path, sizeof path);
        return bh_eval_fail(e, 400, "invalid_case", BATON_EINVAL, "%s: %s", path, w.why);
    }
    /* Members the table does not know (ext, extensions) may hold numbers
     * too; plugins can read only integers (baton/plugin.h). */
    path[0] = '\0';
    if (bh_json_find_fraction(case_json, path, 0, sizeof path))
        return bh_eval_fail(e, 400, "invalid_case", BATON_EINVAL,
                            "%s: a number written with a fraction or exponent; numbers in a case "
                            "are integers written with digits only (amounts are decimal strings)",
                            path[0] == '.' ? path + 1 : path);
    return 0;
}
