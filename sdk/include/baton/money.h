/*
 * baton/money.h - money as int64 minor units plus an ISO 4217 code.
 *
 * No floating point touches money anywhere in Baton. Percentages and rates
 * are expressed in basis points (1 bp = 0.01 %) or as ratios of integers,
 * and every division names its rounding rule in the function name:
 *
 *   _floor    round toward minus infinity (e.g. "rounded down to the penny")
 *   _half_up  round half away from zero (commercial rounding)
 *
 * Multiplications are done in 128-bit intermediates so that realistic
 * amounts (up to about 9.2e16 minor units) never overflow.
 */
#ifndef BATON_MONEY_H
#define BATON_MONEY_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 128-bit intermediate; __extension__ keeps -Wpedantic quiet. */
__extension__ typedef __int128 baton_i128;

typedef struct baton_money {
    int64_t minor;    /* amount in minor units (pence, cents) */
    char currency[4]; /* ISO 4217 alphabetic code, NUL-terminated */
} baton_money;

static inline baton_money baton_money_make(int64_t minor, const char *currency)
{
    baton_money m;
    m.minor = minor;
    memset(m.currency, 0, sizeof m.currency);
    for (size_t i = 0; currency != NULL && i < 3 && currency[i] != '\0'; i++)
        m.currency[i] = currency[i];
    return m;
}

static inline int baton_money_same_currency(baton_money a, baton_money b)
{
    return memcmp(a.currency, b.currency, 3) == 0;
}

/* a * num / den rounded toward minus infinity; den must be > 0. */
static inline int64_t baton_muldiv_floor(int64_t a, int64_t num, int64_t den)
{
    baton_i128 p = (baton_i128)a * num;
    baton_i128 q = p / den;
    if ((p % den) != 0 && (p < 0))
        q -= 1;
    return (int64_t)q;
}

/* a * num / den rounded half away from zero; den must be > 0. */
static inline int64_t baton_muldiv_half_up(int64_t a, int64_t num, int64_t den)
{
    baton_i128 p = (baton_i128)a * num;
    baton_i128 q = p / den;
    baton_i128 r = p % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += (p < 0) ? -1 : 1;
    return (int64_t)q;
}

/* amount * bp / 10000 with the named rounding. */
static inline int64_t baton_percent_bp_floor(int64_t amount, int64_t bp)
{
    return baton_muldiv_floor(amount, bp, 10000);
}

static inline int64_t baton_percent_bp_half_up(int64_t amount, int64_t bp)
{
    return baton_muldiv_half_up(amount, bp, 10000);
}

#ifdef __cplusplus
}
#endif

#endif
