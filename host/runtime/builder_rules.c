/* builder_rules.c - the result builder's argument rules and reasons (builder_rules.h). */
#include "builder_rules.h"

#include <stdio.h>
#include <string.h>

#include "money_text.h"
#include "call_reason.h"
#include "result.h"

#define CODE_RULE "[a-z0-9_-]{1,64}"

#define C3(a, b, c) [a] = 1, [b] = 1, [c] = 1
const unsigned char bh_code_byte[256] = {
    C3('-', '_', '0'), C3('1', '2', '3'), C3('4', '5', '6'), C3('7', '8', '9'), C3('a', 'b', 'c'),
    C3('d', 'e', 'f'), C3('g', 'h', 'i'), C3('j', 'k', 'l'), C3('m', 'n', 'o'), C3('p', 'q', 'r'),
    C3('s', 't', 'u'), C3('v', 'w', 'x'), ['y'] = 1,         ['z'] = 1,
};
#undef C3

static int code_char(char c)
{
    return bh_code_byte[(unsigned char)c];
}

int bh_rule_code(const char *what, const char *s)
{
    char q[80];
    size_t n = 0;
    if (bh_code_len(s) != 0)
        return 0;
    if (s == NULL)
        return bh_refuse(BATON_EINVAL, "%s: NULL, must be " CODE_RULE, what);
    for (; s[n] != '\0'; n++) {
        if (!code_char(s[n]))
            return bh_refuse(BATON_EINVAL, "%s %s: not " CODE_RULE " (byte %zu)", what,
                             bh_reason_quote(s, q, sizeof q), n);
    }
    if (n == 0)
        return bh_refuse(BATON_EINVAL, "%s \"\": empty, must be " CODE_RULE, what);
    if (n > BATON_CODE_MAX)
        return bh_refuse(BATON_EINVAL, "%s %s: %zu bytes, at most %d (" CODE_RULE ")", what,
                         bh_reason_quote(s, q, sizeof q), n, BATON_CODE_MAX);
    return 0;
}

int bh_rule_finding(const char *category, const char *code, enum baton_finding_status status,
                    const char *text)
{
    int rc = bh_rule_code("finding category", category);
    if (rc == 0)
        rc = bh_rule_code("finding code", code);
    if (rc != 0)
        return rc;
    if (bh_finding_status_name(status) == NULL)
        return bh_refuse(
            BATON_EINVAL,
            "finding %s: status %d is not BATON_FINDING_MET..BATON_FINDING_WARN (1..5)", code,
            (int)status);
    if (text == NULL)
        return bh_refuse(BATON_EINVAL, "finding %s: text is NULL", code);
    return 0;
}

int bh_line_item_kind(const char *kind, size_t len)
{
    /* By length first: most names differ in it. */
#define IS(name) (len == sizeof name - 1 && memcmp(kind, name, sizeof name - 1) == 0)
    switch (len) {
    case 5:
        return IS("other");
    case 8:
        return IS("interest");
    case 9:
        return IS("court_fee") || IS("principal");
    case 10:
        return IS("lawyer_fee") || IS("commission");
    case 12:
        return IS("compensation");
    default:
        return 0;
    }
#undef IS
}

int bh_rule_line_item(const char *kind, const char *label, baton_money amount)
{
    char q[80];
    if (!bh_line_item_kind(kind, bh_code_len(kind)))
        return bh_refuse(BATON_EINVAL,
                         "line item kind %s: not court_fee, lawyer_fee, interest, compensation, "
                         "commission, principal or other",
                         bh_reason_quote(kind, q, sizeof q));
    if (label == NULL)
        return bh_refuse(BATON_EINVAL, "line item %s: label is NULL", kind);
    return bh_rule_money("line item amount", amount);
}

/* The refusal of a fact key the quick pass below did not accept: which
 * part breaks the rule, and how. */
static int fact_key_refused(const char *key)
{
    char q[80], what[48];
    size_t len, part = 1;
    if (key == NULL)
        return bh_refuse(BATON_EINVAL, "fact key: NULL");
    len = strlen(key);
    if (len > BATON_FACT_KEY_MAX)
        return bh_refuse(BATON_EINVAL, "fact key %s: %zu bytes, at most %d",
                         bh_reason_quote(key, q, sizeof q), len, BATON_FACT_KEY_MAX);
    for (const char *seg = key;; part++) {
        const char *dot = strchr(seg, '.');
        size_t n = dot != NULL ? (size_t)(dot - seg) : strlen(seg);
        size_t i = 0;
        while (i < n && code_char(seg[i]))
            i++;
        if (n == 0 || n > BATON_CODE_MAX || i < n) {
            snprintf(what, sizeof what, "part %zu", part);
            return bh_refuse(BATON_EINVAL, "fact key %s: %s %s, must be " CODE_RULE,
                             bh_reason_quote(key, q, sizeof q), what,
                             n == 0  ? "is empty"
                             : i < n ? "has a character outside"
                                     : "is too long");
        }
        if (dot == NULL)
            return 0;
        seg = dot + 1;
    }
}

int bh_rule_fact_key(const char *key)
{
    /* One pass over the key for the common case, a key that keeps the
     * rule; anything else goes to fact_key_refused for its reason. */
    if (key != NULL) {
        const unsigned char *p = (const unsigned char *)key, *part = p;
        for (;;) {
            p = (const unsigned char *)bh_code_run((const char *)p);
            if (p == part || p - part > BATON_CODE_MAX ||
                p - (const unsigned char *)key > BATON_FACT_KEY_MAX || (*p != '.' && *p != '\0'))
                break;
            if (*p == '\0')
                return 0;
            part = ++p;
        }
    }
    return fact_key_refused(key);
}

int bh_rule_money(const char *what, baton_money m)
{
    char cur[4], q[80];
    /* The quick yes: a currency whose fourth byte is its end is the code
     * the check below reads (any other is refused there). */
    if (bh_money_quick_exponent(m) >= 0)
        return 0;
    memcpy(cur, m.currency, 3);
    cur[3] = '\0';
    if (memchr(m.currency, '\0', sizeof m.currency) == NULL || bh_currency_exponent(cur) < 0)
        return bh_refuse(BATON_EINVAL, "%s: currency %s is not an ISO 4217 code Baton knows", what,
                         bh_reason_quote(cur, q, sizeof q));
    if (m.minor > INT64_C(9007199254740992) || m.minor < -INT64_C(9007199254740992))
        return bh_refuse(BATON_EINVAL, "%s: %lld minor units, beyond +-2^53", what,
                         (long long)m.minor);
    return 0;
}
