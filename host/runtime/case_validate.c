/* case_validate.c - the case format's structural rules as tables (case_validate.h). */
#include "case_validate.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "case_view.h"
#include "evaluate.h"
#include "json_input.h"
#include "money_text.h"

/* What a member must be. */
enum kind {
    K_STRING,    /* any string */
    K_TEXT,      /* a non-empty string */
    K_ENUM,      /* one of arg's strings */
    K_DATE,      /* YYYY-MM-DD in the case's date range */
    K_DATE_NULL, /* a date or null */
    K_MONEY,     /* {"amount": "12.50", "currency": "GBP"}, amount >= 0 */
    K_PRINCIPAL, /* money above zero; its currency is the claim currency */
    K_CLAIM_CCY, /* money in the claim currency */
    K_BOOL,      /* true or false */
    K_COUNT,     /* an integer >= 0 */
    K_RATE_NULL, /* basis points 0..100000, or null */
    K_OBJECT,    /* an object of shape arg */
    K_ARRAY,     /* an array whose elements are arg (a member), min..max long */
    K_CASE_ID,   /* the submitter's id */
    K_CODE,      /* a jurisdiction code */
    K_COUNTRY,   /* ISO 3166-1 alpha-2 */
    K_FORMAT,    /* "baton-case/1" */
};

struct member {
    const char *name; /* NULL for an array's elements */
    unsigned char kind;
    unsigned char required;
    unsigned char min, max; /* K_ARRAY: element count bounds (max 0: none) */
    const void *arg;        /* K_ENUM: NULL-ended names; K_OBJECT: shape;
                               K_ARRAY: the element's member */
};

struct shape {
    const struct member *members;
    size_t count; /* at most 32: check_object keeps a bit per member */
};

#define SHAPE(m)                                                                                   \
    {                                                                                              \
        m, sizeof m / sizeof m[0]                                                                  \
    }
#define REQ(n, k)                                                                                  \
    {                                                                                              \
        n, k, 1, 0, 0, NULL                                                                        \
    }
#define OPT(n, k)                                                                                  \
    {                                                                                              \
        n, k, 0, 0, 0, NULL                                                                        \
    }
#define REQ_ENUM(n, e)                                                                             \
    {                                                                                              \
        n, K_ENUM, 1, 0, 0, e                                                                      \
    }
#define OPT_ENUM(n, e)                                                                             \
    {                                                                                              \
        n, K_ENUM, 0, 0, 0, e                                                                      \
    }
#define REQ_OBJ(n, s)                                                                              \
    {                                                                                              \
        n, K_OBJECT, 1, 0, 0, &s                                                                   \
    }
#define OPT_OBJ(n, s)                                                                              \
    {                                                                                              \
        n, K_OBJECT, 0, 0, 0, &s                                                                   \
    }
#define OPT_ARRAY(n, elem)                                                                         \
    {                                                                                              \
        n, K_ARRAY, 0, 0, 0, &elem                                                                 \
    }

/* Enum values, as docs/case-format.md lists them. */
static const char *const creditor_kinds[] = {"business", "individual", "sole_trader", NULL};
static const char *const debtor_kinds[] = {"individual", "sole_trader", "business", NULL};
static const char *const contract_types[] = {"written", "oral", "open_account", NULL};
static const char *const date_kinds[] = {"last_statement", "charge_off", "last_payment",
                                         "transaction",    "judgment",   NULL};
static const char *const document_kinds[] = {"agreement",          "invoice",
                                             "statement",          "proof_of_delivery",
                                             "communication_log",  "identity_check",
                                             "collection_attempt", "dispute",
                                             "dispute_answer",     NULL};
static const char *const letter_kinds[] = {"reminder",
                                           "final_demand",
                                           "letter_of_claim",
                                           "validation_notice",
                                           "first_demand",
                                           "fourteen_day_letter",
                                           NULL};
static const char *const letter_methods[] = {"post", "email", "hand", NULL};
static const char *const enclosures[] = {"information_sheet", "reply_form", "financial_statement",
                                         "statement_of_account", NULL};
static const char *const assets[] = {"known", "unknown", "none", NULL};
static const char *const employments[] = {"employed", "self_employed", "unemployed", "retired",
                                          "trading",  "unknown",       NULL};
static const char *const payment_plans[] = {"none", "offered", "active", "broken", NULL};

static const struct member line_member = {NULL, K_TEXT, 1, 0, 0, NULL};
static const struct member address_members[] = {
    {"lines", K_ARRAY, 1, 1, 4, &line_member},
    REQ("city", K_TEXT),
    OPT("postcode", K_STRING),
    OPT("region", K_STRING),
    REQ("country", K_COUNTRY),
};
static const struct shape address = SHAPE(address_members);

static const struct member contact_members[] = {
    OPT("phone", K_STRING),
    OPT("email", K_STRING),
    OPT("website", K_STRING),
};
static const struct shape contact = SHAPE(contact_members);

static const struct member payment_members[] = {
    OPT("account_name", K_STRING), OPT("sort_code", K_STRING), OPT("account_number", K_STRING),
    OPT("iban", K_STRING),         OPT("bic", K_STRING),       OPT("reference", K_STRING),
    OPT("url", K_STRING),          OPT("phone", K_STRING),
};
static const struct shape payment = SHAPE(payment_members);

static const struct member creditor_members[] = {
    REQ("name", K_TEXT),
    REQ_ENUM("kind", creditor_kinds),
    REQ_OBJ("address", address),
    OPT("company_number", K_STRING),
    OPT_OBJ("contact", contact),
    OPT_OBJ("payment", payment),
    OPT("small_claims_filed_12_months", K_COUNT),
};
static const struct shape creditor = SHAPE(creditor_members);

static const struct member debtor_members[] = {
    REQ("name", K_TEXT),
    REQ_ENUM("kind", debtor_kinds),
    OPT("consumer", K_BOOL),
    OPT("identity_verified", K_BOOL),
    REQ_OBJ("address", address),
    OPT("trading_name", K_STRING),
    OPT("company_number", K_STRING),
    OPT("date_of_birth", K_DATE),
    OPT("email", K_STRING),
};
static const struct shape debtor = SHAPE(debtor_members);

static const struct member interest_members[] = {
    OPT("contractual_rate_bp", K_RATE_NULL),
    OPT("statutory", K_BOOL),
    OPT("from_date", K_DATE),
};
static const struct shape interest = SHAPE(interest_members);

static const struct member charge_members[] = {
    REQ("label", K_STRING),
    REQ("amount", K_CLAIM_CCY),
    OPT("date", K_DATE),
};
static const struct shape charge = SHAPE(charge_members);
static const struct member charge_item = {NULL, K_OBJECT, 1, 0, 0, &charge};

static const struct member claim_payment_members[] = {
    REQ("date", K_DATE),
    REQ("amount", K_MONEY),
};
static const struct shape claim_payment = SHAPE(claim_payment_members);
static const struct member claim_payment_item = {NULL, K_OBJECT, 1, 0, 0, &claim_payment};

static const struct member itemization_members[] = {
    REQ_ENUM("date_kind", date_kinds), REQ("date", K_DATE),        REQ("amount", K_MONEY),
    OPT("interest_since", K_MONEY),    OPT("fees_since", K_MONEY), OPT("payments_since", K_MONEY),
    OPT("credits_since", K_MONEY),
};
static const struct shape itemization = SHAPE(itemization_members);

static const struct member claim_members[] = {
    REQ("principal", K_PRINCIPAL),
    OPT("reference", K_STRING),
    OPT("description", K_STRING),
    REQ_ENUM("contract_type", contract_types),
    OPT("contract_date", K_DATE),
    REQ("due_date", K_DATE),
    OPT("last_payment_date", K_DATE_NULL),
    OPT("acknowledged_date", K_DATE_NULL),
    OPT_OBJ("interest", interest),
    OPT_ARRAY("charges", charge_item),
    OPT_ARRAY("payments", claim_payment_item),
    OPT_OBJ("itemization", itemization),
};
static const struct shape claim = SHAPE(claim_members);

static const struct member document_members[] = {
    REQ_ENUM("kind", document_kinds),
    OPT("date", K_DATE),
    OPT("ref", K_STRING),
    OPT("description", K_STRING),
};
static const struct shape document = SHAPE(document_members);
static const struct member document_item = {NULL, K_OBJECT, 1, 0, 0, &document};

static const struct member enclosure_item = {NULL, K_ENUM, 1, 0, 0, enclosures};
static const struct member letter_members[] = {
    REQ_ENUM("kind", letter_kinds),
    REQ("date", K_DATE),
    OPT_ENUM("method", letter_methods),
    OPT_ARRAY("enclosures", enclosure_item),
    OPT("ref", K_STRING),
};
static const struct shape letter = SHAPE(letter_members);
static const struct member letter_item = {NULL, K_OBJECT, 1, 0, 0, &letter};

static const struct member dispute_members[] = {
    REQ("date", K_DATE),
    REQ("answered", K_BOOL),
    OPT("answered_date", K_DATE_NULL),
    OPT("summary", K_STRING),
};
static const struct shape dispute = SHAPE(dispute_members);
static const struct member dispute_item = {NULL, K_OBJECT, 1, 0, 0, &dispute};

static const struct member profile_members[] = {
    OPT("engaged", K_BOOL),
    OPT_ENUM("assets", assets),
    OPT_ENUM("employment", employments),
    OPT("insolvent", K_BOOL),
    OPT("deceased", K_BOOL),
    OPT("vulnerable", K_BOOL),
    OPT_ENUM("payment_plan", payment_plans),
    OPT("promises_broken", K_COUNT),
    OPT("seeking_debt_advice", K_BOOL),
};
static const struct shape profile = SHAPE(profile_members);

static const struct member assignment_members[] = {
    REQ("from", K_TEXT),
    REQ("to", K_TEXT),
    REQ("date", K_DATE),
    OPT("notice_date", K_DATE),
};
static const struct shape assignment = SHAPE(assignment_members);
static const struct member assignment_item = {NULL, K_OBJECT, 1, 0, 0, &assignment};

static const struct member collector_members[] = {
    REQ("name", K_TEXT),
    OPT_OBJ("address", address),
    OPT("registration", K_STRING),
    OPT_OBJ("contact", contact),
};
static const struct shape collector = SHAPE(collector_members);

static const struct shape ext = {NULL, 0}; /* any members: the plugins' own */

static const struct member case_members[] = {
    OPT("format", K_FORMAT),
    REQ("case_id", K_CASE_ID),
    REQ("jurisdiction", K_CODE),
    OPT("as_of", K_DATE),
    REQ_OBJ("creditor", creditor),
    REQ_OBJ("debtor", debtor),
    REQ_OBJ("claim", claim),
    OPT_ARRAY("documents", document_item),
    OPT_ARRAY("letters_sent", letter_item),
    OPT_ARRAY("disputes", dispute_item),
    OPT_OBJ("debtor_profile", profile),
    OPT_ARRAY("assignments", assignment_item),
    OPT_OBJ("collector", collector),
    OPT_OBJ("ext", ext),
};
static const struct shape case_shape = SHAPE(case_members);

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
static void expected(const struct member *m, char *buf, size_t len)
{
    static const char *const text[] = {
        [K_STRING] = "a string",
        [K_TEXT] = "a non-empty string",
        [K_DATE] = "a date written YYYY-MM-DD from " BH_CASE_DATE_MIN " to " BH_CASE_DATE_MAX,
        [K_DATE_NULL] =
            "a date written YYYY-MM-DD from " BH_CASE_DATE_MIN " to " BH_CASE_DATE_MAX ", or null",
        [K_MONEY] = "money written {\"amount\": \"1250.00\", \"currency\": \"GBP\"}",
        [K_PRINCIPAL] = "money written {\"amount\": \"1250.00\", \"currency\": \"GBP\"}",
        [K_CLAIM_CCY] = "money written {\"amount\": \"1250.00\", \"currency\": \"GBP\"} in the "
                        "currency of claim.principal",
        [K_BOOL] = "true or false",
        [K_COUNT] = "an integer >= 0 written with digits only",
        [K_RATE_NULL] = "basis points, an integer from 0 to 100000, or null",
        [K_OBJECT] = "an object",
        [K_ARRAY] = "an array",
        [K_CASE_ID] = "1..128 characters of A-Z a-z 0-9 . _ : / -, starting with a letter or "
                      "digit",
        [K_CODE] = "a jurisdiction code such as \"gb-ew\" (1..40 characters of a-z 0-9 -)",
        [K_COUNTRY] = "an ISO 3166-1 alpha-2 country code such as \"GB\"",
        [K_FORMAT] = "\"baton-case/1\"",
    };
    if (m->kind != K_ENUM) {
        snprintf(buf, len, "%s", text[m->kind]);
        return;
    }
    size_t n = (size_t)snprintf(buf, len, "one of");
    for (const char *const *v = m->arg; *v != NULL && n < len; v++)
        n += (size_t)snprintf(buf + n, len - n, "%s \"%s\"", v == m->arg ? "" : ",", *v);
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

static int fail_expected(struct walk *w, const struct member *m, const cJSON *j)
{
    char want[160];
    expected(m, want, sizeof want);
    return fail(w, "expected %s, got %s", want, type_name(j));
}

static int all_of(const char *s, size_t min, size_t max, const char *set)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, set) == n;
}

#define DIGITS "0123456789"
#define UPPER  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER  "abcdefghijklmnopqrstuvwxyz"

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

static int check_date(struct walk *w, const struct member *m, const cJSON *j)
{
    baton_date d;
    if (!cJSON_IsString(j) || bh_date_parse(j->valuestring, &d) != 0)
        return fail_expected(w, m, j);
    /* Zero-padded YYYY-MM-DD compares in date order as text. */
    if (strcmp(j->valuestring, BH_CASE_DATE_MIN) < 0 ||
        strcmp(j->valuestring, BH_CASE_DATE_MAX) > 0)
        return fail(w,
                    "%s is outside the dates a case may carry (" BH_CASE_DATE_MIN
                    " to " BH_CASE_DATE_MAX ")",
                    j->valuestring);
    return 0;
}

/* Money: exactly amount and currency; amount a plain decimal string. */
static int check_money(struct walk *w, const struct member *m, const cJSON *j)
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
    if (!cJSON_IsString(currency) || !all_of(currency->valuestring, 3, 3, UPPER))
        return fail(w, "%s an ISO 4217 code such as \"GBP\"",
                    currency == NULL ? "required:" : "expected");
    if (bh_currency_exponent(currency->valuestring) < 0)
        return fail(w, "unknown currency \"%s\" (expected an ISO 4217 code such as \"GBP\")",
                    currency->valuestring);
    if (m->kind == K_CLAIM_CCY && w->claim_currency != NULL &&
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
    if (!all_of(a, 1, 21, DIGITS ".") || (a[0] == '0' && a[1] != '\0' && a[1] != '.') ||
        a[0] == '.')
        return fail(w,
                    "expected digits with an optional fraction such as \"1250.00\" (no sign, "
                    "no leading zeros), got \"%.40s\"",
                    a);
    if (bh_money_parse(a, currency->valuestring, &v, why, sizeof why) != 0)
        return fail(w, "%s", why);
    if (v.minor > BH_MAX_AMOUNT_MINOR)
        return fail(w, "above the largest amount Baton takes (%lld minor units)",
                    (long long)BH_MAX_AMOUNT_MINOR);
    if (m->kind == K_PRINCIPAL && v.minor == 0)
        return fail(w, "must be greater than zero");
    pop(w, at);
    return 0;
}

static int check_object(struct walk *w, const struct shape *s, const cJSON *obj);

static int check_value(struct walk *w, const struct member *m, const cJSON *j)
{
    const char *s = cJSON_IsString(j) ? j->valuestring : NULL;
    switch ((enum kind)m->kind) {
    case K_STRING:
        return s != NULL ? 0 : fail_expected(w, m, j);
    case K_TEXT:
        return s != NULL && s[0] != '\0' ? 0 : fail_expected(w, m, j);
    case K_ENUM:
        if (s != NULL)
            for (const char *const *v = m->arg; *v != NULL; v++)
                if (strcmp(*v, s) == 0)
                    return 0;
        return fail_expected(w, m, j);
    case K_DATE_NULL:
        if (cJSON_IsNull(j))
            return 0;
        /* fall through */
    case K_DATE:
        return check_date(w, m, j);
    case K_MONEY:
    case K_PRINCIPAL:
    case K_CLAIM_CCY:
        return check_money(w, m, j);
    case K_BOOL:
        return cJSON_IsBool(j) ? 0 : fail_expected(w, m, j);
    case K_COUNT:
    case K_RATE_NULL: {
        if (m->kind == K_RATE_NULL && cJSON_IsNull(j))
            return 0;
        double hi = m->kind == K_COUNT ? 1e15 : 100000;
        if (!cJSON_IsNumber(j) || !bh_json_integer_text(j) || j->valuedouble < 0 ||
            j->valuedouble > hi || j->valuedouble != (double)(int64_t)j->valuedouble)
            return fail_expected(w, m, j);
        return 0;
    }
    case K_OBJECT:
        return cJSON_IsObject(j) ? check_object(w, m->arg, j) : fail_expected(w, m, j);
    case K_ARRAY: {
        const struct member *elem = m->arg;
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
    case K_CASE_ID:
        if (s != NULL && all_of(s, 1, 128, UPPER LOWER DIGITS "._:/-") &&
            strchr("._:/-", s[0]) == NULL)
            return 0;
        return fail_expected(w, m, j);
    case K_CODE:
        return s != NULL && all_of(s, 1, 40, LOWER DIGITS "-") ? 0 : fail_expected(w, m, j);
    case K_COUNTRY:
        return s != NULL && all_of(s, 2, 2, UPPER) ? 0 : fail_expected(w, m, j);
    case K_FORMAT:
        return s != NULL && strcmp(s, "baton-case/1") == 0 ? 0 : fail_expected(w, m, j);
    }
    return fail_expected(w, m, j);
}

/*
 * One pass over the object's members, each looked up in the table (the
 * tables are short; most lookups end at the first character), then the
 * required members not seen. A known member given twice is refused: the
 * host and plugins read the first, other JSON readers may read the last.
 */
static int check_object(struct walk *w, const struct shape *s, const cJSON *obj)
{
    uint32_t seen = 0;
    const cJSON *j;
    cJSON_ArrayForEach(j, obj)
    {
        const char *name = j->string;
        for (size_t i = 0; i < s->count; i++) {
            const struct member *m = &s->members[i];
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
        const struct member *m = &s->members[i];
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
    if (check_object(&w, &case_shape, case_json) != 0) {
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
