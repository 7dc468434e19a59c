/* case_rules.c - the case format's rules as tables (case_rules.h). */
#include "case_rules.h"

#include <pthread.h>
#include <string.h>

#include "case_validate.h"

/* Each shape's required bits live in a cell of their own (a compound
 * literal at file scope is a static object), filled by
 * bh_case_rules_ready. */
#define SHAPE(m)                                                                                   \
    {                                                                                              \
        m, sizeof m / sizeof m[0], (uint32_t[1])                                                   \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
#define REQ(n, k)                                                                                  \
    {                                                                                              \
        n, sizeof n - 1, k, 1, 0, 0, NULL                                                          \
    }
#define OPT(n, k)                                                                                  \
    {                                                                                              \
        n, sizeof n - 1, k, 0, 0, 0, NULL                                                          \
    }
#define REQ_ENUM(n, e)                                                                             \
    {                                                                                              \
        n, sizeof n - 1, BH_CK_ENUM, 1, 0, 0, e                                                    \
    }
#define OPT_ENUM(n, e)                                                                             \
    {                                                                                              \
        n, sizeof n - 1, BH_CK_ENUM, 0, 0, 0, e                                                    \
    }
#define REQ_OBJ(n, s)                                                                              \
    {                                                                                              \
        n, sizeof n - 1, BH_CK_OBJECT, 1, 0, 0, &s                                                 \
    }
#define OPT_OBJ(n, s)                                                                              \
    {                                                                                              \
        n, sizeof n - 1, BH_CK_OBJECT, 0, 0, 0, &s                                                 \
    }
#define OPT_ARRAY(n, elem)                                                                         \
    {                                                                                              \
        n, sizeof n - 1, BH_CK_ARRAY, 0, 0, 0, &elem                                               \
    }

/* Enum values, as docs/case-format.md lists them, with their lengths. */
#define W(t)                                                                                       \
    {                                                                                              \
        t, sizeof t - 1                                                                            \
    }
static const struct bh_case_word creditor_kinds[] = {
    W("business"), W("individual"), W("sole_trader"), {NULL, 0}};
static const struct bh_case_word debtor_kinds[] = {
    W("individual"), W("sole_trader"), W("business"), {NULL, 0}};
static const struct bh_case_word contract_types[] = {
    W("written"), W("oral"), W("open_account"), {NULL, 0}};
static const struct bh_case_word date_kinds[] = {W("last_statement"), W("charge_off"),
                                                 W("last_payment"),   W("transaction"),
                                                 W("judgment"),       {NULL, 0}};
static const struct bh_case_word document_kinds[] = {
    W("agreement"),          W("invoice"),
    W("statement"),          W("proof_of_delivery"),
    W("communication_log"),  W("identity_check"),
    W("collection_attempt"), W("dispute"),
    W("dispute_answer"),     {NULL, 0}};
static const struct bh_case_word letter_kinds[] = {W("reminder"),
                                                   W("final_demand"),
                                                   W("letter_of_claim"),
                                                   W("validation_notice"),
                                                   W("first_demand"),
                                                   W("fourteen_day_letter"),
                                                   {NULL, 0}};
static const struct bh_case_word letter_methods[] = {W("post"), W("email"), W("hand"), {NULL, 0}};
static const struct bh_case_word enclosures[] = {W("information_sheet"),
                                                 W("reply_form"),
                                                 W("financial_statement"),
                                                 W("statement_of_account"),
                                                 {NULL, 0}};
static const struct bh_case_word assets[] = {W("known"), W("unknown"), W("none"), {NULL, 0}};
static const struct bh_case_word employments[] = {
    W("employed"), W("self_employed"), W("unemployed"), W("retired"),
    W("trading"),  W("unknown"),       {NULL, 0}};
static const struct bh_case_word payment_plans[] = {
    W("none"), W("offered"), W("active"), W("broken"), {NULL, 0}};

static const struct bh_case_member line_member = {NULL, 0, BH_CK_TEXT, 1, 0, 0, NULL};
static const struct bh_case_member address_members[] = {
    {"lines", 5, BH_CK_ARRAY, 1, 1, 4, &line_member},
    REQ("city", BH_CK_TEXT),
    OPT("postcode", BH_CK_STRING),
    OPT("region", BH_CK_STRING),
    REQ("country", BH_CK_COUNTRY),
};
static const struct bh_case_shape address = SHAPE(address_members);

static const struct bh_case_member contact_members[] = {
    OPT("phone", BH_CK_STRING),
    OPT("email", BH_CK_STRING),
    OPT("website", BH_CK_STRING),
};
static const struct bh_case_shape contact = SHAPE(contact_members);

static const struct bh_case_member payment_members[] = {
    OPT("account_name", BH_CK_STRING),
    OPT("sort_code", BH_CK_STRING),
    OPT("account_number", BH_CK_STRING),
    OPT("iban", BH_CK_STRING),
    OPT("bic", BH_CK_STRING),
    OPT("reference", BH_CK_STRING),
    OPT("url", BH_CK_STRING),
    OPT("phone", BH_CK_STRING),
};
static const struct bh_case_shape payment = SHAPE(payment_members);

static const struct bh_case_member creditor_members[] = {
    REQ("name", BH_CK_TEXT),
    REQ_ENUM("kind", creditor_kinds),
    REQ_OBJ("address", address),
    OPT("company_number", BH_CK_STRING),
    OPT_OBJ("contact", contact),
    OPT_OBJ("payment", payment),
    OPT("small_claims_filed_12_months", BH_CK_COUNT),
};
static const struct bh_case_shape creditor = SHAPE(creditor_members);

static const struct bh_case_member debtor_members[] = {
    REQ("name", BH_CK_TEXT),
    REQ_ENUM("kind", debtor_kinds),
    OPT("consumer", BH_CK_BOOL),
    OPT("identity_verified", BH_CK_BOOL),
    REQ_OBJ("address", address),
    OPT("trading_name", BH_CK_STRING),
    OPT("company_number", BH_CK_STRING),
    OPT("date_of_birth", BH_CK_DATE),
    OPT("email", BH_CK_STRING),
};
static const struct bh_case_shape debtor = SHAPE(debtor_members);

static const struct bh_case_member interest_members[] = {
    OPT("contractual_rate_bp", BH_CK_RATE_NULL),
    OPT("statutory", BH_CK_BOOL),
    OPT("from_date", BH_CK_DATE),
};
static const struct bh_case_shape interest = SHAPE(interest_members);

static const struct bh_case_member charge_members[] = {
    REQ("label", BH_CK_STRING),
    REQ("amount", BH_CK_CLAIM_CCY),
    OPT("date", BH_CK_DATE),
};
static const struct bh_case_shape charge = SHAPE(charge_members);
static const struct bh_case_member charge_item = {NULL, 0, BH_CK_OBJECT, 1, 0, 0, &charge};

static const struct bh_case_member claim_payment_members[] = {
    REQ("date", BH_CK_DATE),
    REQ("amount", BH_CK_MONEY),
};
static const struct bh_case_shape claim_payment = SHAPE(claim_payment_members);
static const struct bh_case_member claim_payment_item = {NULL, 0, BH_CK_OBJECT,  1,
                                                         0,    0, &claim_payment};

static const struct bh_case_member itemization_members[] = {
    REQ_ENUM("date_kind", date_kinds), REQ("date", BH_CK_DATE),
    REQ("amount", BH_CK_MONEY),        OPT("interest_since", BH_CK_MONEY),
    OPT("fees_since", BH_CK_MONEY),    OPT("payments_since", BH_CK_MONEY),
    OPT("credits_since", BH_CK_MONEY),
};
static const struct bh_case_shape itemization = SHAPE(itemization_members);

static const struct bh_case_member claim_members[] = {
    REQ("principal", BH_CK_PRINCIPAL),
    OPT("reference", BH_CK_STRING),
    OPT("description", BH_CK_STRING),
    REQ_ENUM("contract_type", contract_types),
    OPT("contract_date", BH_CK_DATE),
    REQ("due_date", BH_CK_DATE),
    OPT("last_payment_date", BH_CK_DATE_NULL),
    OPT("acknowledged_date", BH_CK_DATE_NULL),
    OPT_OBJ("interest", interest),
    OPT_ARRAY("charges", charge_item),
    OPT_ARRAY("payments", claim_payment_item),
    OPT_OBJ("itemization", itemization),
};
static const struct bh_case_shape claim = SHAPE(claim_members);

static const struct bh_case_member document_members[] = {
    REQ_ENUM("kind", document_kinds),
    OPT("date", BH_CK_DATE),
    OPT("ref", BH_CK_STRING),
    OPT("description", BH_CK_STRING),
};
static const struct bh_case_shape document = SHAPE(document_members);
static const struct bh_case_member document_item = {NULL, 0, BH_CK_OBJECT, 1, 0, 0, &document};

static const struct bh_case_member enclosure_item = {NULL, 0, BH_CK_ENUM, 1, 0, 0, enclosures};
static const struct bh_case_member letter_members[] = {
    REQ_ENUM("kind", letter_kinds),     REQ("date", BH_CK_DATE),
    OPT_ENUM("method", letter_methods), OPT_ARRAY("enclosures", enclosure_item),
    OPT("ref", BH_CK_STRING),
};
static const struct bh_case_shape letter = SHAPE(letter_members);
static const struct bh_case_member letter_item = {NULL, 0, BH_CK_OBJECT, 1, 0, 0, &letter};

static const struct bh_case_member dispute_members[] = {
    REQ("date", BH_CK_DATE),
    REQ("answered", BH_CK_BOOL),
    OPT("answered_date", BH_CK_DATE_NULL),
    OPT("summary", BH_CK_STRING),
};
static const struct bh_case_shape dispute = SHAPE(dispute_members);
static const struct bh_case_member dispute_item = {NULL, 0, BH_CK_OBJECT, 1, 0, 0, &dispute};

static const struct bh_case_member profile_members[] = {
    OPT("engaged", BH_CK_BOOL),
    OPT_ENUM("assets", assets),
    OPT_ENUM("employment", employments),
    OPT("insolvent", BH_CK_BOOL),
    OPT("deceased", BH_CK_BOOL),
    OPT("vulnerable", BH_CK_BOOL),
    OPT_ENUM("payment_plan", payment_plans),
    OPT("promises_broken", BH_CK_COUNT),
    OPT("seeking_debt_advice", BH_CK_BOOL),
};
static const struct bh_case_shape profile = SHAPE(profile_members);

static const struct bh_case_member assignment_members[] = {
    REQ("from", BH_CK_TEXT),
    REQ("to", BH_CK_TEXT),
    REQ("date", BH_CK_DATE),
    OPT("notice_date", BH_CK_DATE),
};
static const struct bh_case_shape assignment = SHAPE(assignment_members);
static const struct bh_case_member assignment_item = {NULL, 0, BH_CK_OBJECT, 1, 0, 0, &assignment};

static const struct bh_case_member collector_members[] = {
    REQ("name", BH_CK_TEXT),
    OPT_OBJ("address", address),
    OPT("registration", BH_CK_STRING),
    OPT_OBJ("contact", contact),
};
static const struct bh_case_shape collector = SHAPE(collector_members);

static const struct bh_case_shape ext = {NULL, 0,
                                         (uint32_t[1]){0}}; /* any members: the plugins' own */

static const struct bh_case_member case_members[] = {
    OPT("format", BH_CK_FORMAT),
    REQ("case_id", BH_CK_CASE_ID),
    REQ("jurisdiction", BH_CK_CODE),
    OPT("as_of", BH_CK_DATE),
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
const struct bh_case_shape bh_case_shape_root = SHAPE(case_members);

/* The required bits of s and of every shape under it. */
static void mark_required(const struct bh_case_shape *s)
{
    uint32_t bits = 0;
    for (size_t i = 0; i < s->count; i++) {
        const struct bh_case_member *m = &s->members[i];
        if (m->required)
            bits |= UINT32_C(1) << i;
        while (m->kind == BH_CK_ARRAY) /* arrays of arrays too, as the walk */
            m = m->arg;
        if (m->kind == BH_CK_OBJECT)
            mark_required(m->arg);
    }
    *s->required = bits;
}

static void mark_all_required(void)
{
    mark_required(&bh_case_shape_root);
}

void bh_case_rules_ready(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, mark_all_required);
}

/* ---- the checks of one value -------------------------------------------- */

/* Character classes of the spellings below (ASCII only). */
enum { C_DIGIT = 1, C_UPPER = 2, C_LOWER = 4, C_ID_MARK = 8, C_DASH = 16, C_DOT = 32 };

/* The class of each byte (digits, letters, and - . _ : /), as a table:
 * one load a character where the spellings are checked (case ids,
 * codes, amounts, currencies). */
static const unsigned char char_classes[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* 00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* 10 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24, 40, 8, /* 20 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8, 0, 0, 0,  0,  0, /* 30 */
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  2,  2, /* 40 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0,  0,  8, /* 50 */
    0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  4,  4, /* 60 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0,  0,  0, /* 70 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* 80 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* 90 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* A0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* B0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* C0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* D0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* E0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, /* F0 */
};

static unsigned char char_class(unsigned char ch)
{
    return char_classes[ch];
}

/* s is min..max characters, each of a class in classes. */
static int all_of(const char *s, size_t min, size_t max, unsigned classes)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++)
        if (n >= max || (char_class((unsigned char)s[n]) & classes) == 0)
            return 0;
    return n >= min;
}

int bh_case_string_ok(const struct bh_case_member *m, const char *s)
{
    if (s == NULL)
        return 0;
    switch ((enum bh_case_kind)m->kind) {
    case BH_CK_STRING:
        return 1;
    case BH_CK_TEXT:
        return s[0] != '\0';
    case BH_CK_ENUM:
        return bh_case_word_of(m->arg, s, strlen(s)) != NULL;
    case BH_CK_CASE_ID:
        return all_of(s, 1, 128, C_UPPER | C_LOWER | C_DIGIT | C_ID_MARK) &&
               (char_class((unsigned char)s[0]) & C_ID_MARK) == 0;
    case BH_CK_CODE:
        return all_of(s, 1, 40, C_LOWER | C_DIGIT | C_DASH);
    case BH_CK_COUNTRY:
        return all_of(s, 2, 2, C_UPPER);
    case BH_CK_FORMAT:
        return strcmp(s, "baton-case/1") == 0;
    default:
        return 0;
    }
}

int bh_case_date_in_range(const char *date)
{
    /* Zero-padded YYYY-MM-DD compares in date order as text. */
    return strcmp(date, BH_CASE_DATE_MIN) >= 0 && strcmp(date, BH_CASE_DATE_MAX) <= 0;
}

int bh_case_currency_spelled(const char *code)
{
    return all_of(code, 3, 3, C_UPPER);
}

int bh_case_amount_spelled(const char *a)
{
    return all_of(a, 1, 21, C_DIGIT | C_DOT) && !(a[0] == '0' && a[1] != '\0' && a[1] != '.') &&
           a[0] != '.';
}
