/* money_text.c - ISO 4217 exponents and decimal money strings (money_text.h). */
#include "money_text.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "baton/error.h"
#include "decimal_text.h"

/*
 * Minor-unit digits per ISO 4217 (list one, as published by the ISO 4217
 * maintenance agency, SIX). Only currencies whose exponent is not 2 need an
 * entry below; the known two-digit codes are listed so that a typo such as
 * "GPB" is refused instead of silently taken as two digits.
 */
struct currency {
    char code[4];
    int exponent;
};

static const struct currency currencies[] = {
    {"AED", 2}, {"AUD", 2}, {"BGN", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2},
    {"CLP", 0}, {"CNY", 2}, {"CZK", 2}, {"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2},
    {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
    {"KRW", 0}, {"KWD", 3}, {"MXN", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PLN", 2},
    {"RON", 2}, {"SEK", 2}, {"SGD", 2}, {"TND", 3}, {"TRY", 2}, {"USD", 2}, {"ZAR", 2},
};

/* The entry found last: the amounts of one request, and of most tenants,
 * share a currency, and each is looked up several times (checked,
 * formatted, written). Any thread may replace it; a stale index is still
 * an entry of the table, compared like any other. */
static _Atomic unsigned last_found;

int bh_currency_exponent(const char *code)
{
    if (code == NULL || code[0] == '\0' || code[1] == '\0' || code[2] == '\0' || code[3] != '\0')
        return -1; /* not three bytes */
    unsigned last = atomic_load_explicit(&last_found, memory_order_relaxed);
    const char *c = currencies[last].code;
    if (c[0] == code[0] && c[1] == code[1] && c[2] == code[2])
        return currencies[last].exponent;
    for (unsigned i = 0; i < sizeof currencies / sizeof currencies[0]; i++) {
        c = currencies[i].code;
        if (c[0] == code[0] && c[1] == code[1] && c[2] == code[2]) {
            atomic_store_explicit(&last_found, i, memory_order_relaxed);
            return currencies[i].exponent;
        }
    }
    return -1;
}

int bh_money_parse(const char *amount, const char *currency, baton_money *out, char *err,
                   size_t errlen)
{
    int exp = bh_currency_exponent(currency);
    if (exp < 0) {
        snprintf(err, errlen, "unknown currency '%s' (expected an ISO 4217 code such as GBP)",
                 currency ? currency : "");
        return BATON_EINVAL;
    }
    const char *p = amount;
    int negative = 0;
    if (p == NULL || *p == '\0') {
        snprintf(err, errlen, "empty amount");
        return BATON_EINVAL;
    }
    if (*p == '-') {
        negative = 1;
        p++;
    }
    if (*p < '0' || *p > '9') {
        snprintf(err, errlen, "amount '%s' must start with a digit", amount);
        return BATON_EINVAL;
    }
    /* Accumulate as a negative number so INT64_MIN's magnitude fits too. */
    int64_t acc = 0;
    int frac_digits = -1;
    for (; *p != '\0'; p++) {
        if (*p == '.') {
            if (frac_digits >= 0) {
                snprintf(err, errlen, "amount '%s' has more than one '.'", amount);
                return BATON_EINVAL;
            }
            frac_digits = 0;
            continue;
        }
        if (*p < '0' || *p > '9') {
            snprintf(err, errlen, "amount '%s' has an invalid character '%c'", amount, *p);
            return BATON_EINVAL;
        }
        if (frac_digits >= 0 && ++frac_digits > exp) {
            snprintf(err, errlen, "amount '%s' has more than %d decimal places for %s", amount, exp,
                     currency);
            return BATON_EINVAL;
        }
        int d = *p - '0';
        /* Above (INT64_MIN + 9) / 10 no digit can overflow: only below it
         * is the exact bound (and its division) needed. */
        if (acc < (INT64_MIN + 9) / 10 && acc < (INT64_MIN + d) / 10) {
            snprintf(err, errlen, "amount '%s' is too large", amount);
            return BATON_ERANGE;
        }
        acc = acc * 10 - d;
    }
    if (frac_digits == 0) {
        snprintf(err, errlen, "amount '%s' ends with '.'", amount);
        return BATON_EINVAL;
    }
    for (int i = frac_digits < 0 ? 0 : frac_digits; i < exp; i++) {
        if (acc < INT64_MIN / 10) {
            snprintf(err, errlen, "amount '%s' is too large", amount);
            return BATON_ERANGE;
        }
        acc *= 10;
    }
    if (!negative) {
        if (acc == INT64_MIN) {
            snprintf(err, errlen, "amount '%s' is too large", amount);
            return BATON_ERANGE;
        }
        acc = -acc;
    }
    *out = baton_money_make(acc, currency);
    return 0;
}

size_t bh_money_put(char *out, int64_t minor, int exponent)
{
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    char *p = out;
    if (minor < 0)
        *p++ = '-';
    /* Constant divisors: a multiplication each, not a division. */
    switch (exponent) {
    case 0:
        p = bh_decimal_put(p, mag);
        break;
    case 3:
        p = bh_decimal_put(p, mag / 1000);
        *p++ = '.';
        *p++ = (char)('0' + mag % 1000 / 100);
        p = bh_decimal_put2(p, (unsigned)(mag % 100));
        break;
    default: /* 2, and what the table never has */
        p = bh_decimal_put(p, mag / 100);
        *p++ = '.';
        p = bh_decimal_put2(p, (unsigned)(mag % 100));
        break;
    }
    return (size_t)(p - out);
}

int bh_money_format(baton_money m, char *buf, size_t len)
{
    int exp = bh_currency_exponent(m.currency);
    char tmp[BH_MONEY_TEXT_MAX];
    size_t n = bh_money_put(tmp, m.minor, exp < 0 ? 2 : exp);
    if (n >= len) {
        if (len > 0)
            buf[0] = '\0';
        return BATON_ELIMIT;
    }
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return 0;
}
