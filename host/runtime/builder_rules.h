/*
 * builder_rules.h - the rules the result builder holds a plugin's arguments
 * to, each refusal with its reason (call_reason.h): codes and categories, fact
 * keys, cost kinds, money. baton/plugin.h states the same rules to plugins.
 *
 * Owns: the checks and their wording. Does not own: the result itself
 * (result.c calls these first and builds only what passed).
 */
#ifndef BH_BUILDER_RULES_H
#define BH_BUILDER_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "money_text.h"

/* 1 for the bytes of a code ([a-z0-9_-]), 0 for every other byte. */
extern const unsigned char bh_code_byte[256];

/* The first byte of s that is not a code byte (its NUL at the latest),
 * four bytes a round: a byte is read only after the one before it was a
 * code byte, so never past the NUL. */
static inline const char *bh_code_run(const char *s)
{
    for (;; s += 4) {
        if (!bh_code_byte[(unsigned char)s[0]])
            return s;
        if (!bh_code_byte[(unsigned char)s[1]])
            return s + 1;
        if (!bh_code_byte[(unsigned char)s[2]])
            return s + 2;
        if (!bh_code_byte[(unsigned char)s[3]])
            return s + 3;
    }
}

/* The length of s when it keeps the code rule ([a-z0-9_-]{1,64}), else 0
 * (NULL included): bh_rule_code's answer without its reason, for the
 * builders' quick path. */
static inline size_t bh_code_len(const char *s)
{
    if (s == NULL)
        return 0;
    size_t n = (size_t)(bh_code_run(s) - s);
    return n <= BATON_CODE_MAX && s[n] == '\0' ? n : 0;
}

/* 0, or BATON_EINVAL when s is not [a-z0-9_-]{1,64}; what names the
 * argument in the reason ("finding code"). */
int bh_rule_code(const char *what, const char *s);

/* The arguments of result_finding. */
int bh_rule_finding(const char *category, const char *code, enum baton_finding_status status,
                    const char *text);

/* Whether kind[0..len) is a line item kind (court_fee, lawyer_fee,
 * interest, compensation, commission, principal, other); len is
 * bh_code_len's of kind (0 for no code: not a kind). */
int bh_line_item_kind(const char *kind, size_t len);

/* The arguments of result_line_item (the amount through bh_rule_money). */
int bh_rule_line_item(const char *kind, const char *label, baton_money amount);

/* A fact key: at most BATON_FACT_KEY_MAX bytes, dot-separated parts each a
 * code. */
int bh_rule_fact_key(const char *key);

/* Money the answer can carry: a known ISO 4217 code, |minor| <= 2^53. */
int bh_rule_money(const char *what, baton_money m);

/* bh_rule_money's quick yes: the currency's exponent when m is money it
 * takes with no more checking (a code ending at its fourth byte, known,
 * |minor| <= 2^53), else -1 (ask bh_rule_money, which words why). */
static inline int bh_money_quick_exponent(baton_money m)
{
    int exponent = m.currency[3] == '\0' ? bh_currency_exponent(m.currency) : -1;
    if (m.minor > INT64_C(9007199254740992) || m.minor < -INT64_C(9007199254740992))
        return -1;
    return exponent;
}

#endif
